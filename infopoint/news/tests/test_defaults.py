from datetime import date

from django.utils import timezone

from infopoint.news.defaults import news_default_content_load
from infopoint.news.models import NewsItem


def test_the_seed_notice_is_the_first_item_in_four_languages(db) -> None:
    assert news_default_content_load() >= 1
    item = NewsItem.objects.get(slug="information-point-for-foreigners-online")
    assert item.available_languages() == ["en", "pl", "ru", "uk"]
    assert timezone.localdate(item.published_at) == date(2021, 2, 9)
    assert item.updated_on == date(2021, 2, 12)
    assert item.source_url.startswith("https://krakow.pl/")
    for code in ("pl", "uk", "ru", "en"):
        text = item.translation(code)
        # Facts of the seed notice, in every language.
        for fact in ("887 201 598", "Dekerta 24", "Przy Rondzie 6", "12 39 21 354"):
            assert fact in text.body, (code, fact)
        for fact in ("12 426 90 01", "18 540 23 26", "Basztowa 22", "Jagiellońska 52"):
            assert fact in text.body, (code, fact)
        assert f"/{code}/enquiries/new/" in text.body
        assert "@" not in text.body  # no invented e-mail address


def test_loading_twice_changes_nothing(db) -> None:
    news_default_content_load()
    assert news_default_content_load() == 0


def test_a_coordinators_edit_of_another_item_is_left_alone(db, make_item) -> None:
    make_item("our-own")
    news_default_content_load()
    assert NewsItem.objects.filter(slug="our-own").exists()
