"""Public pages of the desk: ask a question, and follow it through the private link."""

from __future__ import annotations

import logging
import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from infopoint.core.ratelimit import RateLimitResult, client_address, rate_limit_check_rate
from infopoint.directory.selectors import institution_list
from infopoint.knowledge.selectors import article_published_get

from . import conf
from .consent import CONSENT_VERSION
from .deflection import (
    suggestion_opened_record,
    suggestion_visit_submitted,
    suggestions_for,
    visit_parse,
)
from .forms import RATE_SCOPE_ADDRESS, RATE_SCOPE_EMAIL, ReplyForm, WebEnquiryForm
from .models import Channel, Enquiry
from .selectors import enquiry_for_tracking, enquiry_thread
from .services import enquiry_add_enquirer_message, enquiry_create, enquiry_language

SUBMITTED_KEY = "enquiries:submitted"
MESSAGE_SENT_KEY = "enquiries:message_sent"
# The name of the form's "Check for answers first" button.
CHECK_ACTION = "check"

logger = logging.getLogger(__name__)


def _private(response: HttpResponse) -> HttpResponse:
    # The page address is the key to the enquiry: keep it out of Referer headers and caches.
    # "strict-origin" sends only the site's origin, never the path; "no-referrer" would make
    # browsers send "Origin: null" with the page's own reply form, which CSRF rejects.
    response["Referrer-Policy"] = "strict-origin"
    return response


def _intake_rate_limited(request: HttpRequest, *, email: str) -> RateLimitResult | None:
    """Counts one enquiry of this address and e-mail address; the limit hit, if any."""
    checks = [(RATE_SCOPE_ADDRESS, client_address(request), settings.ENQUIRY_RATE_PER_ADDRESS)]
    if email:
        checks.append((RATE_SCOPE_EMAIL, email.strip().lower(), settings.ENQUIRY_RATE_PER_EMAIL))
    for scope, key, rate in checks:
        result = rate_limit_check_rate(scope=scope, key=key, rate=rate)
        if result.hit:
            logger.warning("Enquiry form refused: over the %s rate limit.", scope)
            return result
    return None


def _too_many(request: HttpRequest, limit: RateLimitResult, *, question: str) -> HttpResponse:
    # The point's own directory entry is the institution that keeps the office's hours.
    point = institution_list().filter(schedule__slug=settings.OFFICE_SCHEDULE).first()
    context = {
        "minutes": max(1, math.ceil(limit.retry_after / 60)),
        "phones": point.phones if point is not None else [],
        "question": question,
    }
    response = render(request, "enquiries/too_many.html", context, status=429)
    response["Retry-After"] = str(limit.retry_after)
    return response


@require_http_methods(["GET", "POST"])
def enquiry_new(request: HttpRequest) -> HttpResponse:
    status = 200
    suggestions = None
    if request.method == "POST" and CHECK_ACTION in request.POST:
        # "Check for answers first": the same form again, as typed, with the suggestions.
        typed = WebEnquiryForm(request.POST).typed()
        form = WebEnquiryForm(initial=typed)
        suggestions = suggestions_for(text=typed["question"], language=_language())
    elif request.method == "POST":
        form = WebEnquiryForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            limit = _intake_rate_limited(request, email=data["email"])
            if limit is not None:
                return _too_many(request, limit, question=data["question"])
            try:
                enquiry, token = enquiry_create(
                    channel=Channel.WEB,
                    text=data["question"],
                    language=enquiry_language(
                        text=data["question"], fallback=data["preferred_language"]
                    ),
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    topic=data["topic"],
                    preferred_language=data["preferred_language"],
                    safe_contact=data["safe_contact"],
                    consent_version=CONSENT_VERSION,
                    attachments=data["attachments"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if data["visit"] is not None:
                    suggestion_visit_submitted(visit=data["visit"])
                request.session[SUBMITTED_KEY] = enquiry.reference
                return redirect("enquiries:track", token=token)
        status = 400
    else:
        form = WebEnquiryForm()
    context = {
        "form": form,
        "consent_version": CONSENT_VERSION,
        "answer_within_days": conf.answer_within_days(),
        "suggestions": suggestions,
        "checked": suggestions is not None,
        "visit": form["visit"].value(),
        "check_action": CHECK_ACTION,
    }
    return render(request, "enquiries/new.html", context, status=status)


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


@require_GET
def enquiry_suggestions(request: HttpRequest) -> HttpResponse:
    """The suggestions for what is typed in the enquiry form: an HTML fragment for its script."""
    visit = visit_parse(request.GET.get("visit"))
    context = {
        "suggestions": suggestions_for(text=request.GET.get("question", ""), language=_language()),
        "visit": visit or "",
    }
    return render(request, "enquiries/includes/suggestions.html", context)


@require_GET
def suggestion_open(request: HttpRequest, slug: str) -> HttpResponse:
    """Counts the opening of a suggested article from the form, then shows the article."""
    if article_published_get(slug=slug) is None:
        raise Http404
    visit = visit_parse(request.GET.get("visit"))
    if visit is not None:
        suggestion_opened_record(visit=visit, article_slug=slug, language=_language())
    url = reverse("knowledge:article", kwargs={"slug": slug})
    return redirect(f"{url}?from=suggestion")


@never_cache
@require_http_methods(["GET", "POST"])
def enquiry_track(request: HttpRequest, token: str) -> HttpResponse:
    try:
        enquiry = enquiry_for_tracking(token=token)
    except Enquiry.DoesNotExist:
        return _private(render(request, "enquiries/not_found.html", status=404))
    status = 200
    if request.method == "POST":
        form = ReplyForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                enquiry_add_enquirer_message(
                    enquiry=enquiry,
                    text=form.cleaned_data["text"],
                    attachments=form.cleaned_data["attachments"],
                    via=Channel.WEB,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                request.session[MESSAGE_SENT_KEY] = enquiry.reference
                return _private(redirect("enquiries:track", token=token))
        status = 400
    else:
        form = ReplyForm()
    context = {
        "enquiry": enquiry,
        "thread": enquiry_thread(enquiry=enquiry),
        "form": form,
        "just_submitted": request.session.pop(SUBMITTED_KEY, None) == enquiry.reference,
        "message_sent": request.session.pop(MESSAGE_SENT_KEY, None) == enquiry.reference,
        "page_url": request.build_absolute_uri(request.path),
    }
    return _private(render(request, "enquiries/track.html", context, status=status))
