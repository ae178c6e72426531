"""The public page cache: anonymous visitors' pages, kept per language and path for a minute.

A public page (home, topics, articles, directory, news) is the same for every anonymous
visitor in one language at one moment, and rendering it costs tens of queries. The cache
keeps the rendered page in Django's default cache (Redis in the production profile, so every
process shares it) under a key made of:

- a *content version*, replaced whenever public content changes (``public_content_changed``,
  called on every save or delete of a content model, from a service, the admin or a loader),
  so an edit shows at once;
- the language and the path, and only the query parameters the view reads (any other
  parameter skips the cache, so odd addresses cannot fill it);
- the current minute: "open now", today's consultants on duty, notices in force and news
  published at a set time change with the clock, so a page is never older than its minute.

It is never used for signed-in people (staff see their own pages, the admin's links, fresh
data) nor for anything but a successful GET or HEAD. A page with a form keeps working: its
CSRF token is left out of the stored page and each visitor's own is put back on the way out.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

# What the public pages show. Staff-only and statistics models (revisions, feedback counts,
# search index, triage) change often and show on no public page: they do not clear the cache.
CONTENT_APPS = frozenset({"pages", "topics", "directory", "news", "hours"})
CONTENT_MODELS = frozenset(
    {"knowledge.Article", "knowledge.ArticleTranslation", "accounts.DutyShift"}
)

VERSION_KEY = "public-pages:version"
SECONDS = 60
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+(")')
_TOKEN_HOLE = b"\x00csrf-token\x00"

View = Callable[..., HttpResponse]


def is_content_model(model: type[Any]) -> bool:
    meta = model._meta
    return meta.app_label in CONTENT_APPS or meta.label in CONTENT_MODELS


def public_content_changed() -> None:
    """Every cached public page is out of date: the next visitor of each gets a fresh one.

    A new random version rather than a counter, so a version lost from the cache can never
    come back and bring old pages with it.
    """
    cache.set(VERSION_KEY, secrets.token_hex(8), None)


def _version() -> str:
    return str(cache.get_or_set(VERSION_KEY, lambda: secrets.token_hex(8), None))


def _key(request: HttpRequest, params: Iterable[str]) -> str:
    query = "&".join(f"{name}={request.GET.get(name, '')}" for name in params)
    minute = timezone.now().strftime("%Y%m%d%H%M")
    address = hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()
    return f"public-page:{_version()}:{get_language()}:{minute}:{address}"


def _cacheable(request: HttpRequest, params: Iterable[str]) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if set(request.GET) - set(params):
        return False
    # Loads the session only for visitors who have one.
    return not request.user.is_authenticated


def public_page(*params: str) -> Callable[[View], View]:
    """Caches a public view's page for anonymous visitors (see the module's docstring).

    ``params`` are the query parameters the view reads: they are part of the key; a request
    with any other parameter is served by the view, uncached.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def cached(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _cacheable(request, params):
                return view(request, *args, **kwargs)
            key = _key(request, params)
            stored = cache.get(key)
            if stored is None:
                response = view(request, *args, **kwargs)
                if response.status_code != 200 or response.streaming or response.cookies:
                    return response
                content = _TOKEN.sub(rb"\1" + _TOKEN_HOLE + rb"\2", response.content)
                cache.set(key, (content, response["Content-Type"]), SECONDS)
                return response
            content, content_type = stored
            if _TOKEN_HOLE in content:
                content = content.replace(_TOKEN_HOLE, get_token(request).encode())
            return HttpResponse(content, content_type=content_type)

        return cached

    return decorate


def _changed(sender: type[Any], **kwargs: Any) -> None:
    if is_content_model(sender):
        public_content_changed()


def _relation_changed(sender: type[Any], instance: Any, action: str, **kwargs: Any) -> None:
    if action.startswith("post_") and is_content_model(type(instance)):
        public_content_changed()


def watch_content() -> None:
    """Clears the cached pages on any save or delete of public content, wherever it is made."""
    post_save.connect(_changed, dispatch_uid="public-pages-save")
    post_delete.connect(_changed, dispatch_uid="public-pages-delete")
    m2m_changed.connect(_relation_changed, dispatch_uid="public-pages-m2m")
