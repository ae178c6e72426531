"""News items for the tests, made through the services, and a small real picture."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from infopoint.news.models import NewsItem
from infopoint.news.services import news_item_upsert

LANGUAGES = ("pl", "uk", "ru", "en")


def texts(slug: str, languages: tuple[str, ...] = LANGUAGES) -> dict[str, dict[str, str]]:
    return {
        code: {
            "title": f"Title {slug} {code}",
            "lead": f"Lead {slug} {code}.",
            "body": f"Body of {slug} in {code}.\n\n## More\n\n- one\n- two",
        }
        for code in languages
    }


@pytest.fixture
def make_item(db: None) -> Callable[..., NewsItem]:
    def make(
        slug: str,
        published_at: datetime | None = datetime(2021, 2, 9, 10, tzinfo=UTC),
        languages: tuple[str, ...] = LANGUAGES,
        **kwargs: Any,
    ) -> NewsItem:
        item, _changed = news_item_upsert(
            slug=slug,
            published_at=published_at,
            translations=texts(slug, languages),
            **kwargs,
        )
        return item

    return make


@pytest.fixture
def notice(make_item: Callable[..., NewsItem]) -> NewsItem:
    return make_item("office-moves", updated_on=date(2021, 2, 12))


def png(width: int = 40, height: int = 30, name: str = "office.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (0, 94, 165)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
