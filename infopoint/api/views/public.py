"""Public, read-only endpoints: the point's status, topics, directory, articles and search.

Anyone may read them (limited per address, like every public endpoint). Text comes in the
language asked for (``language``, else Accept-Language), or in a fallback marked as such.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from infopoint.core.models import TranslatedModel
from infopoint.directory.models import Institution
from infopoint.directory.selectors import institution_get, institution_list
from infopoint.enquiries.conf import site_url
from infopoint.hours.selectors import notices_in_force, office_calendar
from infopoint.knowledge.models import Article
from infopoint.knowledge.search import ArticleHit, search
from infopoint.knowledge.selectors import article_published_get
from infopoint.knowledge.services import search_miss_record
from infopoint.topics.models import Topic
from infopoint.topics.selectors import topic_get, topic_list

from ..query import content_language, page_of, page_serializer
from ..selectors import article_published_list
from ..serializers.common import ErrorSerializer
from ..serializers.public import (
    ArticleQuery,
    ArticleSerializer,
    ArticleSummarySerializer,
    DetailQuery,
    InstitutionQuery,
    InstitutionSerializer,
    SearchHitSerializer,
    SearchQuery,
    StatusSerializer,
    TopicQuery,
    TopicSerializer,
)
from .common import ERRORS, local

# Search ranks this many articles at most; pages are taken from them.
SEARCH_LIMIT = 50

_BAD_QUERY = OpenApiResponse(
    ErrorSerializer,
    description=_("A parameter is not known, given twice, or its value is not valid."),
)
_NOT_FOUND = OpenApiResponse(ErrorSerializer, description=_("There is no such item."))


def _slug_parameter(what: str | Promise) -> OpenApiParameter:
    return OpenApiParameter("slug", str, OpenApiParameter.PATH, description=what)


def _text(item: TranslatedModel, language: str) -> tuple[Any, dict[str, Any]]:
    """The item's translation in ``language`` (or its fallback) and the fields saying which."""
    text = item.translation(language)
    if text is None:
        return None, {"language": language, "is_fallback": False}
    return text, {"language": text.language, "is_fallback": text.language != language}


def _hours(rows: Iterable[tuple[int, Any, Any]]) -> list[dict[str, Any]]:
    return [
        {"weekday": weekday, "opens": f"{opens:%H:%M}", "closes": f"{closes:%H:%M}"}
        for weekday, opens, closes in rows
    ]


class PublicView(APIView):
    permission_classes = [AllowAny]


# --- the point's status ----------------------------------------------------------------------


class StatusView(PublicView):
    @extend_schema(
        operation_id="status_read",
        summary=_("Whether the point is open"),
        description=_(
            "Open now or not, until when, when it opens next (office hours, public holidays and "
            "closures), the weekly hours, and the service notices in force."
        ),
        parameters=[DetailQuery],
        responses={200: StatusSerializer, 400: _BAD_QUERY, 429: ERRORS[429]},
        tags=["public"],
    )
    def get(self, request: Request) -> Response:
        language = content_language(DetailQuery.parse(request).get("language"))
        now = timezone.now()
        calendar = office_calendar()
        with translation.override(language):
            status = calendar.status(now)
        notices = []
        for notice in notices_in_force(now):
            text, marks = _text(notice, language)
            if text is None:
                continue
            notices.append(
                {
                    "level": notice.level,
                    "title": text.title,
                    "text": text.text,
                    "starts_at": local(notice.starts_at),
                    "ends_at": local(notice.ends_at) if notice.ends_at else None,
                    **marks,
                }
            )
        return Response(
            {
                "open": status.open,
                "closes_at": local(status.closes_at) if status.closes_at else None,
                "next_opening": local(status.next_opening) if status.next_opening else None,
                "reason": status.reason,
                "weekly_hours": _hours(
                    (day, opens, closes)
                    for day, spans in calendar.week_hours()
                    for opens, closes in spans
                ),
                "notices": notices,
            }
        )


# --- topics ----------------------------------------------------------------------------------


def _topic_body(topic: Topic, language: str) -> dict[str, Any]:
    text, marks = _text(topic, language)
    return {
        "slug": topic.slug,
        "name": text.name if text else topic.slug,
        "description": text.description if text else "",
        **marks,
    }


class TopicListView(PublicView):
    @extend_schema(
        operation_id="topic_list",
        summary=_("List the topics"),
        description=_("The fields the point gives information in, in the site's order."),
        parameters=[TopicQuery],
        responses={200: page_serializer(TopicSerializer), 400: _BAD_QUERY, 429: ERRORS[429]},
        tags=["public"],
    )
    def get(self, request: Request) -> Response:
        query = TopicQuery.parse(request)
        language = content_language(query.get("language"))
        return Response(
            page_of(
                request=request,
                items=topic_list(),
                query=query,
                body=lambda topic: _topic_body(topic, language),
            )
        )


class TopicDetailView(PublicView):
    @extend_schema(
        operation_id="topic_read",
        summary=_("Read a topic"),
        parameters=[_slug_parameter(_("Slug of the topic.")), DetailQuery],
        responses={200: TopicSerializer, 400: _BAD_QUERY, 404: _NOT_FOUND, 429: ERRORS[429]},
        tags=["public"],
    )
    def get(self, request: Request, slug: str) -> Response:
        language = content_language(DetailQuery.parse(request).get("language"))
        return Response(_topic_body(topic_get(slug=slug), language))


# --- the directory ---------------------------------------------------------------------------


def _institution_body(institution: Institution, language: str) -> dict[str, Any]:
    text, marks = _text(institution, language)
    schedule = institution.schedule
    hours = (
        _hours((row.weekday, row.opens, row.closes) for row in schedule.weekly_hours.all())
        if schedule is not None
        else []
    )
    return {
        "slug": institution.slug,
        "kind": institution.kind,
        "name": text.name if text else institution.slug,
        "description": text.description if text else "",
        "rooms": text.rooms if text else "",
        "hours_note": text.hours_note if text else "",
        "street_address": institution.street_address,
        "postal_code": institution.postal_code,
        "city": institution.city,
        "phones": list(institution.phones or []),
        "fax": institution.fax,
        "email": institution.email,
        "website": institution.website,
        "languages": list(institution.languages or []),
        "topics": [topic.slug for topic in institution.topics.all()],
        "weekly_hours": sorted(hours, key=lambda row: (row["weekday"], row["opens"])),
        "source_url": institution.source_url,
        "reviewed_on": institution.reviewed_on.isoformat(),
        **marks,
    }


class InstitutionListView(PublicView):
    @extend_schema(
        operation_id="institution_list",
        summary=_("List the directory"),
        description=_(
            "Institutions and organisations people are referred to, the point itself included: "
            "address, rooms, phones, languages, topics and opening hours."
        ),
        parameters=[InstitutionQuery],
        responses={
            200: page_serializer(InstitutionSerializer),
            400: _BAD_QUERY,
            429: ERRORS[429],
        },
        tags=["public"],
    )
    def get(self, request: Request) -> Response:
        query = InstitutionQuery.parse(request)
        language = content_language(query.get("language"))
        institutions = institution_list(topic=query.get("topic"))
        if "kind" in query:
            institutions = institutions.filter(kind=query["kind"])
        rows: Any = institutions
        if "speaks" in query:
            # A JSON list: filtered here, the same on SQLite and PostgreSQL.
            rows = [row for row in institutions if query["speaks"] in (row.languages or [])]
        return Response(
            page_of(
                request=request,
                items=rows,
                query=query,
                body=lambda row: _institution_body(row, language),
            )
        )


class InstitutionDetailView(PublicView):
    @extend_schema(
        operation_id="institution_read",
        summary=_("Read an institution"),
        parameters=[_slug_parameter(_("Slug of the institution.")), DetailQuery],
        responses={
            200: InstitutionSerializer,
            400: _BAD_QUERY,
            404: _NOT_FOUND,
            429: ERRORS[429],
        },
        tags=["public"],
    )
    def get(self, request: Request, slug: str) -> Response:
        language = content_language(DetailQuery.parse(request).get("language"))
        return Response(_institution_body(institution_get(slug=slug), language))


# --- the knowledge base ----------------------------------------------------------------------


def _article_url(slug: str, language: str) -> str:
    with translation.override(language):
        return site_url() + reverse("knowledge:article", kwargs={"slug": slug})


def _article_summary(article: Article, language: str) -> dict[str, Any]:
    text, marks = _text(article, language)
    return {
        "slug": article.slug,
        "topic": article.topic.slug,
        "title": text.title if text else article.slug,
        "summary": text.summary if text else "",
        "reviewed_on": article.reviewed_on.isoformat(),
        "languages": article.available_languages(),
        "url": _article_url(article.slug, marks["language"]),
        **marks,
    }


def _article_body(article: Article, language: str) -> dict[str, Any]:
    text, _marks = _text(article, language)
    return {
        **_article_summary(article, language),
        "body": text.body if text else "",
        "sources": [
            {"url": source.get("url", ""), "title": source.get("title", "")}
            for source in article.sources or []
        ],
        "institutions": [institution.slug for institution in article.institutions.all()],
        "published_at": local(article.published_at) if article.published_at else None,
    }


class ArticleListView(PublicView):
    @extend_schema(
        operation_id="article_list",
        summary=_("List the published articles"),
        description=_(
            "Articles of the knowledge base, by slug, each in the language asked for or a "
            "fallback. The date each was last reviewed says how fresh its facts are."
        ),
        parameters=[ArticleQuery],
        responses={
            200: page_serializer(ArticleSummarySerializer),
            400: _BAD_QUERY,
            429: ERRORS[429],
        },
        tags=["public"],
    )
    def get(self, request: Request) -> Response:
        query = ArticleQuery.parse(request)
        language = content_language(query.get("language"))
        articles = article_published_list(topic=query.get("topic"))
        return Response(
            page_of(
                request=request,
                items=articles,
                query=query,
                body=lambda article: _article_summary(article, language),
            )
        )


class ArticleDetailView(PublicView):
    @extend_schema(
        operation_id="article_read",
        summary=_("Read an article"),
        description=_("A published article with its text in Markdown and its sources."),
        parameters=[_slug_parameter(_("Slug of the article.")), DetailQuery],
        responses={200: ArticleSerializer, 400: _BAD_QUERY, 404: _NOT_FOUND, 429: ERRORS[429]},
        tags=["public"],
    )
    def get(self, request: Request, slug: str) -> Response:
        language = content_language(DetailQuery.parse(request).get("language"))
        article = article_published_get(slug=slug)
        if article is None or article.translation(language) is None:
            raise Article.DoesNotExist
        return Response(_article_body(article, language))


def _hit_body(hit: ArticleHit, language: str) -> dict[str, Any]:
    return {
        **_article_summary(hit.article, language),
        "title": hit.title,
        "summary": hit.summary,
        "language": hit.language,
        "is_fallback": hit.is_fallback,
        "score": hit.score,
        "snippet": html.unescape(strip_tags(str(hit.snippet))),
    }


class SearchView(PublicView):
    @extend_schema(
        operation_id="article_search",
        summary=_("Search the articles"),
        description=_(
            "Published articles that answer a question, best first. The question may be in any "
            "of the site's languages and worded differently from the article; each article "
            "comes in the language asked for where it is written in it."
        ),
        parameters=[SearchQuery],
        responses={
            200: page_serializer(SearchHitSerializer),
            400: _BAD_QUERY,
            429: ERRORS[429],
        },
        tags=["public"],
    )
    def get(self, request: Request) -> Response:
        query = SearchQuery.parse(request)
        language = content_language(query.get("language"))
        hits = search(query["q"], language=language, limit=SEARCH_LIMIT).hits
        if not hits:
            search_miss_record(query=query["q"], language=language)
        return Response(
            page_of(
                request=request,
                items=hits,
                query=query,
                body=lambda hit: _hit_body(hit, language),
            )
        )
