"""The public pages. Each view reads through one selector and renders; none writes."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import (
    ObjectDoesNotExist,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.csrf import requires_csrf_token

from infopoint.accounts.selectors import languages_on_duty
from infopoint.core.cache import public_page
from infopoint.knowledge.selectors import article_list_for_topic
from infopoint.news.selectors import news_latest
from infopoint.topics.selectors import topic_get, topic_list

from .forms import DirectoryFilterForm
from .selectors import directory_get, institution_info_get, page_get, point_info_get

T = TypeVar("T")


def _or_404(read: Callable[..., T], **kwargs: Any) -> T:
    try:
        return read(**kwargs)
    except ObjectDoesNotExist as error:
        raise Http404 from error


@public_page()
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "info": point_info_get(with_topics=True),
        "answer_within_days": settings.ENQUIRY_ANSWER_WITHIN_DAYS,
        "languages_on_duty": languages_on_duty(),
        "latest_news": news_latest(),
    }
    return render(request, "pages/home.html", context)


@public_page()
def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/contact.html", {"info": point_info_get(with_exceptions=True)})


@public_page()
def topic_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/topic_list.html", {"topics": topic_list()})


@public_page()
def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = _or_404(topic_get, slug=slug)
    context = {"topic": topic, "articles": article_list_for_topic(topic=topic)}
    return render(request, "pages/topic_detail.html", context)


@public_page("topic")
def institution_list(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None, topics=topic_list())
    topic = form.selected_topic()
    return render(
        request,
        "pages/institution_list.html",
        {"form": form, "topic": topic, "groups": directory_get(topic=topic)},
    )


@public_page()
def institution_detail(request: HttpRequest, slug: str) -> HttpResponse:
    info = _or_404(institution_info_get, slug=slug)
    return render(request, "pages/institution_detail.html", {"info": info})


@public_page()
def page(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "pages/page.html", {"page": _or_404(page_get, slug=slug)})


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to the SVG icon."""
    return redirect(static("pages/favicon.svg"), permanent=True)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400, or 413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE or too many fields or files."""
    too_big = isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent)
    context = {"too_big": too_big, "limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
    return render(request, "400.html", context, status=413 if too_big else 400)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 in the language LocaleMiddleware chose (prefix, cookie or browser), with our layout."""
    return render(request, "404.html", status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 for a form whose CSRF check failed (expired, or cookies blocked), in our layout."""
    return render(request, "403_csrf.html", status=403)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """500 without touching the database (it may be the cause): no context processors."""
    template = loader.get_template("500.html")
    context = {"site_name": settings.SITE_NAME, "contact_email": settings.CONTACT_EMAIL}
    return HttpResponseServerError(template.render(context))
