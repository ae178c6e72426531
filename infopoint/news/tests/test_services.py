from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from infopoint.news.models import PICTURE_MAX_BYTES, NewsItem, NewsItemState
from infopoint.news.services import (
    news_item_picture_set,
    news_item_publish,
    news_item_unpublish,
    news_item_upsert,
)

from .conftest import LANGUAGES, png, texts

FEB_9 = datetime(2021, 2, 9, 10, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def test_upsert_creates_then_changes_nothing_the_second_time(db) -> None:
    item, changed = news_item_upsert(slug="a-notice", published_at=FEB_9, translations=texts("a"))
    assert changed
    assert item.available_languages() == sorted(LANGUAGES)
    again, changed = news_item_upsert(slug="a-notice", published_at=FEB_9, translations=texts("a"))
    assert (again.pk, changed) == (item.pk, False)


def test_upsert_changes_only_what_differs_and_leaves_other_languages(db) -> None:
    news_item_upsert(slug="a-notice", published_at=FEB_9, translations=texts("a"))
    new_text = {"en": {**texts("a")["en"], "title": "Moved"}}
    item, changed = news_item_upsert(
        slug="a-notice", published_at=FEB_9, translations=new_text, updated_on=date(2021, 2, 12)
    )
    assert changed
    assert item.translation("en").title == "Moved"
    assert item.translation("pl").title == "Title a pl"
    assert item.updated_on == date(2021, 2, 12)


def test_related_items_are_set_and_unknown_ones_refused_without_a_trace(db) -> None:
    news_item_upsert(slug="first", published_at=FEB_9, translations=texts("first"))
    item, _ = news_item_upsert(
        slug="second", published_at=FEB_9, translations=texts("second"), related_slugs=["first"]
    )
    assert [other.slug for other in item.related.all()] == ["first"]
    with pytest.raises(ValidationError, match="no-such-item"):
        news_item_upsert(
            slug="third",
            published_at=FEB_9,
            translations=texts("third"),
            related_slugs=["first", "no-such-item"],
        )
    assert not NewsItem.objects.filter(slug="third").exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"published_at": datetime(2021, 2, 9, 10)}, "time zone"),
        ({"updated_on": date(2021, 2, 1)}, "before the publish date"),
        ({"slug": "2021"}, "at least one letter"),
        ({"slug": "not a slug"}, "slug"),
        ({"source_url": "javascript:alert(1)"}, "URL"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(db, fields, message) -> None:
    values = {"slug": "a-notice", "published_at": FEB_9, "translations": texts("a"), **fields}
    with pytest.raises(ValidationError, match=message):
        news_item_upsert(**values)
    assert not NewsItem.objects.exists()


def test_a_translation_without_a_title_is_refused(db) -> None:
    bad = texts("a")
    bad["uk"]["title"] = ""
    with pytest.raises(ValidationError):
        news_item_upsert(slug="a-notice", published_at=FEB_9, translations=bad)
    assert not NewsItem.objects.exists()


def test_states_draft_scheduled_published(db, time_machine) -> None:
    time_machine.move_to(datetime(2021, 2, 10, tzinfo=UTC))
    item, _ = news_item_upsert(slug="a-notice", published_at=None, translations=texts("a"))
    assert item.state == NewsItemState.DRAFT
    news_item_publish(item=item, at=datetime(2021, 3, 1, tzinfo=UTC))
    assert item.state == NewsItemState.SCHEDULED
    news_item_publish(item=item)  # "now" brings a scheduled item forward
    assert item.state == NewsItemState.PUBLISHED
    first = item.published_at
    news_item_publish(item=item, at=datetime(2022, 1, 1, tzinfo=UTC))
    assert item.published_at == first  # the first publish time is kept
    news_item_unpublish(item=item)
    item.refresh_from_db()
    assert item.state == NewsItemState.DRAFT


def test_publishing_again_drops_a_last_update_older_than_the_new_date(notice) -> None:
    news_item_unpublish(item=notice)
    news_item_publish(item=notice, at=datetime(2021, 2, 10, tzinfo=UTC))
    assert notice.updated_on == date(2021, 2, 12)
    news_item_unpublish(item=notice)
    news_item_publish(item=notice, at=datetime(2021, 3, 1, tzinfo=UTC))
    notice.refresh_from_db()
    assert notice.updated_on is None
    news_item_unpublish(item=notice)
    with pytest.raises(ValidationError):
        news_item_publish(item=notice, at=datetime(2021, 3, 1))


def test_a_picture_described_in_every_language(notice) -> None:
    descriptions = {code: f"The office door ({code})" for code in LANGUAGES}
    news_item_picture_set(item=notice, picture=png(40, 30), descriptions=descriptions)
    notice.refresh_from_db()
    assert (notice.picture_width, notice.picture_height) == (40, 30)
    assert notice.picture_name.endswith(".png")
    assert notice.translation("uk").picture_alt == "The office door (uk)"
    news_item_picture_set(item=notice, picture=None, descriptions={})
    notice.refresh_from_db()
    assert not notice.picture


def test_a_picture_not_described_in_every_language_is_refused(notice) -> None:
    with pytest.raises(ValidationError, match="Missing: ru, uk"):
        news_item_picture_set(
            item=notice, picture=png(), descriptions={"pl": "Drzwi", "en": "The door"}
        )
    notice.refresh_from_db()
    assert not notice.picture
    assert notice.translation("pl").picture_alt == ""


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("notice.png", b"%PDF-1.4 not an image"), "valid image"),
        (png(name="office.gif"), "extension"),
        (SimpleUploadedFile("big.png", b"0" * (PICTURE_MAX_BYTES + 1)), "larger than 3 MB"),
    ],
)
def test_a_bad_picture_is_refused(notice, upload, message) -> None:
    descriptions = dict.fromkeys(LANGUAGES, "A door")
    with pytest.raises(ValidationError, match=message):
        news_item_picture_set(item=notice, picture=upload, descriptions=descriptions)
    notice.refresh_from_db()
    assert not notice.picture
