"""Public pages of the news: the list, the archive by year and month, an item, its picture.

Each view parses its input, asks one selector, and renders.
"""

from __future__ import annotations

import mimetypes
from datetime import date
from urllib.parse import urlsplit

from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from infopoint.core.cache import public_page

from .models import NewsItem
from .selectors import (
    FIRST_YEAR,
    LAST_YEAR,
    news_archive,
    news_in_period,
    news_item_published_get,
    news_published,
    news_see_also,
)

PER_PAGE = 10


def _page(request: HttpRequest, items: QuerySet[NewsItem]) -> Page:
    """The page of ``items`` named by ?page=; a page that does not exist is a 404."""
    try:
        return Paginator(items, PER_PAGE).page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404 from error


@require_safe
@public_page("page")
def news_index(request: HttpRequest) -> HttpResponse:
    context = {"page": _page(request, news_published()), "archive": news_archive()}
    return render(request, "news/index.html", context)


@require_safe
@public_page("page")
def news_year(request: HttpRequest, year: int) -> HttpResponse:
    return _period(request, year=year, month=None)


@require_safe
@public_page("page")
def news_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    return _period(request, year=year, month=month)


def _period(request: HttpRequest, *, year: int, month: int | None) -> HttpResponse:
    if not FIRST_YEAR <= year <= LAST_YEAR or (month is not None and not 1 <= month <= 12):
        raise Http404
    items = news_in_period(year=year, month=month)
    page = _page(request, items)
    if not page.object_list:
        raise Http404  # a month without news is not a page
    context = {
        "page": page,
        "year": year,
        "month": date(year, month, 1) if month else None,
        "archive": news_archive(),
    }
    return render(request, "news/period.html", context)


@require_safe
@public_page()
def news_item(request: HttpRequest, slug: str) -> HttpResponse:
    item = news_item_published_get(slug=slug)
    if item is None:
        raise Http404
    context = {
        "item": item,
        "text": item.translation(get_language()),
        "see_also": news_see_also(item=item),
        "source_host": urlsplit(item.source_url).hostname or "",
    }
    return render(request, "news/item.html", context)


@require_safe
@cache_control(public=True, max_age=7 * 24 * 3600)
def news_picture(request: HttpRequest, slug: str, name: str) -> FileResponse:
    """The picture of a published item. Its address names the file, so a new picture gets a
    new address and this one may be cached for long."""
    item = news_item_published_get(slug=slug)
    if item is None or not item.picture or item.picture_name != name:
        raise Http404
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(item.picture.open("rb"), content_type=content_type)
