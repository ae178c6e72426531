"""The news in the public API: /api/v1/news and /api/v1/news/<slug>, read-only.

Same rules as the site: only items whose publish time has come, newest first, each in the
language asked for (``language``, else Accept-Language) or a fallback marked as such.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import re_path, reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from infopoint.api.query import (
    LanguagePageQuery,
    LanguageQuery,
    content_language,
    page_of,
    page_serializer,
)
from infopoint.api.serializers.common import ErrorSerializer, language_choices
from infopoint.api.views.common import ERRORS, local
from infopoint.core.markdown import render_markdown

from .models import NewsItem
from .selectors import (
    FIRST_YEAR,
    LAST_YEAR,
    news_in_period,
    news_item_published_get,
    news_published,
    news_see_also,
)

# --- bodies (they describe the schema; the views build the JSON) ------------------------------


class NewsPictureSerializer(serializers.Serializer):
    url = serializers.URLField(help_text=_("Address of the picture."))
    alt = serializers.CharField(help_text=_("What the picture shows, in the text's language."))
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)


class NewsSummarySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    lead = serializers.CharField(help_text=_("One or two sentences: what happened, for whom."))
    published_at = serializers.DateTimeField(
        help_text=_("When it was published (ISO 8601, office time zone).")
    )
    updated_on = serializers.DateField(
        allow_null=True, help_text=_("When its facts last changed; null: never since.")
    )
    languages = serializers.ListField(
        child=serializers.CharField(), help_text=_("Languages the item is written in.")
    )
    url = serializers.URLField(help_text=_("The item on the site, in its language."))
    language = serializers.ChoiceField(
        choices=language_choices(), help_text=_("Language the text is written in.")
    )
    is_fallback = serializers.BooleanField(
        help_text=_("True: the text is not in the language asked for, but in this one.")
    )


class NewsItemSerializer(NewsSummarySerializer):
    body = serializers.CharField(help_text=_("The text, in Markdown."))
    body_html = serializers.CharField(help_text=_("The text as safe HTML, as the site shows it."))
    picture = NewsPictureSerializer(allow_null=True, help_text=_("null: no picture."))
    source_url = serializers.CharField(
        help_text=_("The official page the item is based on; empty: none.")
    )
    see_also = serializers.ListField(
        child=serializers.SlugField(), help_text=_("Slugs of related published items.")
    )


class NewsQuery(LanguagePageQuery):
    year = serializers.IntegerField(
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text=_("Only items published in this year (office time zone)."),
    )
    month = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=12,
        help_text=_("Only items published in this month of the year given (1–12)."),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "month" in attrs and "year" not in attrs:
            raise serializers.ValidationError({"month": [gettext("Give the year with the month.")]})
        return attrs


class NewsDetailQuery(LanguageQuery):
    pass


# --- views ------------------------------------------------------------------------------------


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _summary(item: NewsItem, language: str) -> dict[str, Any]:
    assert item.published_at is not None  # noqa: S101  # nosec B101  # only published items are read here
    text = item.translation(language)
    with translation.override(text.language):
        url = _site(reverse("news:item", kwargs={"slug": item.slug}))
    return {
        "slug": item.slug,
        "title": text.title,
        "lead": text.lead,
        "published_at": local(item.published_at),
        "updated_on": item.updated_on.isoformat() if item.updated_on else None,
        "languages": item.available_languages(),
        "url": url,
        "language": text.language,
        "is_fallback": text.language != language,
    }


def _detail(item: NewsItem, language: str) -> dict[str, Any]:
    text = item.translation(language)
    picture = None
    if item.picture:
        with translation.override(text.language):
            path = reverse("news:picture", kwargs={"slug": item.slug, "name": item.picture_name})
        picture = {
            "url": _site(path),
            "alt": text.picture_alt,
            "width": item.picture_width,
            "height": item.picture_height,
        }
    return {
        **_summary(item, language),
        "body": text.body,
        "body_html": str(render_markdown(text.body)),
        "picture": picture,
        "source_url": item.source_url,
        "see_also": [other.slug for other in news_see_also(item=item)],
    }


def _items(query: dict[str, Any]) -> QuerySet[NewsItem]:
    if "year" in query:
        return news_in_period(year=query["year"], month=query.get("month"))
    return news_published()


_EXAMPLE = {
    "slug": "information-point-for-foreigners-online",
    "title": "Information Point for Foreigners",
    "lead": "Until a new operator is selected, the city gives information and advice online.",
    "published_at": "2021-02-09T00:00:00+01:00",
    "updated_on": "2021-02-12",
    "languages": ["en", "pl", "ru", "uk"],
    "url": "https://infopoint.example.org/en/news/information-point-for-foreigners-online/",
    "language": "en",
    "is_fallback": False,
}
_BAD_QUERY = OpenApiResponse(
    ErrorSerializer,
    description=_("A parameter is not known, given twice, or its value is not valid."),
)


class NewsListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="news_list",
        summary=_("List the news"),
        description=_(
            "Published news items, newest first, each in the language asked for or a "
            "fallback; optionally only those of one year or one month (the archive)."
        ),
        parameters=[NewsQuery],
        responses={
            200: OpenApiResponse(
                page_serializer(NewsSummarySerializer),
                description=_("One page of news items."),
                examples=[
                    OpenApiExample(
                        "news",
                        value={
                            "count": 1,
                            "page": 1,
                            "pages": 1,
                            "next": None,
                            "previous": None,
                            "results": [_EXAMPLE],
                        },
                    )
                ],
            ),
            400: _BAD_QUERY,
            429: ERRORS[429],
        },
        tags=["public"],
    )
    def get(self, request: Request) -> Response:
        query = NewsQuery.parse(request)
        language = content_language(query.get("language"))
        return Response(
            page_of(
                request=request,
                items=_items(query),
                query=query,
                body=lambda item: _summary(item, language),
            )
        )


class NewsDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="news_read",
        summary=_("Read a news item"),
        description=_(
            "A published news item with its text in Markdown and as HTML, its picture and "
            "related items."
        ),
        parameters=[
            OpenApiParameter(
                "slug", str, OpenApiParameter.PATH, description=_("Slug of the news item.")
            ),
            NewsDetailQuery,
        ],
        responses={
            200: NewsItemSerializer,
            400: _BAD_QUERY,
            404: OpenApiResponse(ErrorSerializer, description=_("There is no such item.")),
            429: ERRORS[429],
        },
        tags=["public"],
    )
    def get(self, request: Request, slug: str) -> Response:
        language = content_language(NewsDetailQuery.parse(request).get("language"))
        item = news_item_published_get(slug=slug)
        if item is None:
            raise NotFound
        return Response(_detail(item, language))


# Included by infopoint/api/urls.py, so the names are in the "api" namespace.
urlpatterns = [
    re_path(r"^news\Z", NewsListView.as_view(), name="news-list"),
    re_path(r"^news/(?P<slug>[-a-zA-Z0-9_]{1,100})\Z", NewsDetailView.as_view(), name="news-item"),
]
