"""Staff screens: each view parses input, calls one service or selector, and renders.

The enquiry page is one GET view; each of its forms posts to its own view, which redirects
back on success (post/redirect/get) or shows the page again with the errors (status 400).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from infopoint.accounts.selectors import desk_staff, user_has_role
from infopoint.core.antivirus import ScannerUnavailable, virus_scan, virus_scan_configured
from infopoint.directory.selectors import institution_list
from infopoint.knowledge.consultant import draft_reply
from infopoint.knowledge.selectors import article_published_get
from infopoint.privacy.audit import audit_record
from infopoint.privacy.models import AuditAction
from infopoint.topics.selectors import topic_list

from .. import conf
from ..access import attachment_for_staff, enquiry_for_staff, enquiry_for_staff_by_reference
from ..deflection import DEFLECTION_WINDOW, article_titles, deflection_counts
from ..flood import flood_current, flood_describe
from ..inbox import (
    ACTIVE_STATUSES,
    InboxPaginator,
    enquiry_assign,
    enquiry_inbox,
    enquiry_is_overdue,
    enquiry_merge,
    enquiry_refer,
    enquiry_suggest_assignee,
    reply_template_render,
    reply_templates_for,
)
from ..models import Channel, Enquiry
from ..selectors import enquiry_thread
from ..services import (
    enquiry_add_note,
    enquiry_log_contact,
    enquiry_reply,
    enquiry_set_status,
    enquiry_tracking_token_renew,
)
from ..templatetags.desk import COORDINATING_ROLES
from ..triage import enquiry_triage_panel, enquiry_triage_review, enquiry_triage_run
from .decorators import desk_staff_required
from .forms import (
    AssignForm,
    InboxFilterForm,
    LogContactForm,
    MergeForm,
    NoteForm,
    PhoneAnswerForm,
    ReferralForm,
    ReplyForm,
    StatusForm,
    TemplatePickForm,
    TriageReviewForm,
)

# The private link of an enquiry is shown once, right after it was made.
LINK_KEY = "enquiries:staff:private_link"

logger = logging.getLogger(__name__)


def _detail_url(enquiry: Enquiry) -> str:
    return reverse("enquiries:staff:detail", kwargs={"pk": enquiry.pk})


def _private_link_keep(request: HttpRequest, *, enquiry: Enquiry, token: str) -> None:
    with translation.override(enquiry.preferred_language):
        path = reverse("enquiries:track", kwargs={"token": token})
    request.session[LINK_KEY] = {"pk": enquiry.pk, "url": f"{conf.site_url()}{path}"}


def _private_link_pop(request: HttpRequest, *, enquiry: Enquiry) -> str | None:
    link = request.session.get(LINK_KEY)
    if isinstance(link, dict) and link.get("pk") == enquiry.pk:
        del request.session[LINK_KEY]
        return str(link.get("url"))
    return None


@require_GET
@desk_staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    topics = list(topic_list())
    form = InboxFilterForm(request.GET, topics=topics, staff=list(desk_staff()))
    valid = form.is_valid()
    enquiries = enquiry_inbox(filters=form.filters(), user=request.user)  # type: ignore[arg-type]
    number = request.GET.get("page")
    page = InboxPaginator(enquiries, number=number).get_page(number)
    return render(
        request,
        "enquiries/staff/inbox.html",
        {
            "form": form,
            "page": page,
            "filtered": bool(request.GET),
            "clock_statuses": ACTIVE_STATUSES,
            "floods": [flood_describe(flood) for flood in flood_current()],
        },
        status=200 if valid else 400,
    )


def _detail(
    request: HttpRequest, enquiry: Enquiry, status: int = 200, **bound: Any
) -> HttpResponse:
    """The enquiry page; ``bound`` replaces the blank form of the same name (with its errors)."""
    templates = reply_templates_for(enquiry=enquiry)
    reply_initial: dict[str, Any] = {}
    template_form = TemplatePickForm(
        request.GET if "template" in request.GET else None, templates=templates
    )
    if template_form.is_bound and template_form.is_valid():
        picked = template_form.cleaned_data["template"]
        if picked is not None:
            reply_initial["text"] = reply_template_render(
                template=picked,
                enquiry=enquiry,
                author=request.user,  # type: ignore[arg-type]
            )
    draft_article, draft_missing = None, False
    if request.GET.get("draft"):
        draft_article = article_published_get(slug=request.GET["draft"][:50])
        draft_missing = draft_article is None
        if draft_article is not None:
            reply_initial["text"] = draft_reply(draft_article, enquiry.preferred_language)
    institutions = institution_list()
    triage = enquiry_triage_panel(enquiry=enquiry)
    forms_: dict[str, forms.Form] = {
        "status_form": StatusForm(enquiry=enquiry),
        "assign_form": AssignForm(prefix="assign", initial={"assignee": enquiry.assignee_id}),
        "note_form": NoteForm(prefix="note"),
        "template_form": template_form,
        "reply_form": ReplyForm(prefix="reply", enquiry=enquiry, initial=reply_initial),
        "phone_form": PhoneAnswerForm(prefix="phone"),
        "referral_form": ReferralForm(prefix="referral", institutions=institutions),
        "merge_form": MergeForm(prefix="merge"),
        "triage_form": _triage_form(enquiry, triage),
    }
    forms_.update(bound)
    context = {
        "enquiry": enquiry,
        "thread": enquiry_thread(enquiry=enquiry, include_automatic=True),
        "notes": enquiry.notes.select_related("author"),
        "referrals": enquiry.referrals.select_related("author").prefetch_related(
            "institution__translations"
        ),
        "merged_enquiries": enquiry.merged_enquiries.all(),
        "linked_enquiries": enquiry.linked_enquiries.all(),
        "is_overdue": enquiry_is_overdue(enquiry=enquiry),
        "suggested": enquiry_suggest_assignee(enquiry=enquiry),
        "private_link": _private_link_pop(request, enquiry=enquiry),
        "triage": triage,
        "draft_article": draft_article,
        "draft_missing": draft_missing,
        "errors": [form for form in bound.values() if form.errors],
        **forms_,
    }
    return render(request, "enquiries/staff/detail.html", context, status=status)


def _triage_form(enquiry: Enquiry, triage: Any, data: Any = None) -> TriageReviewForm:
    """The topic and referral to confirm: the consultant's last decision, else the suggestion."""
    initial: dict[str, Any] = {"topic": enquiry.topic_id}
    if triage is not None and triage.triage.is_reviewed:
        initial = {
            "topic": triage.triage.reviewed_topic_id,
            "referral": triage.triage.reviewed_referral_id,
        }
    elif triage is not None:
        initial = {
            "topic": triage.triage.topic_id or enquiry.topic_id,
            "referral": triage.triage.referral_id,
        }
    return TriageReviewForm(
        data,
        prefix="triage",
        initial=initial,
        topics=topic_list(),
        institutions=institution_list(),
    )


@require_GET
@desk_staff_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = enquiry_for_staff(user=request.user, pk=pk)
    audit_record(actor=request.user, action=AuditAction.VIEWED, target=enquiry, request=request)
    return _detail(request, enquiry)


def _done(request: HttpRequest, enquiry: Enquiry, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(_detail_url(enquiry))


@require_POST
@desk_staff_required
def status_change(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = enquiry_for_staff(user=request.user, pk=pk)
    form = StatusForm(request.POST, enquiry=enquiry)
    if form.is_valid():
        try:
            enquiry_set_status(
                enquiry=enquiry,
                status=form.cleaned_data["status"],
                author=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _done(
                request,
                enquiry,
                gettext("The status is now “%(status)s”.")
                % {"status": enquiry.get_status_display()},
            )
    return _detail(request, enquiry, status=400, status_form=form)


@require_POST
@desk_staff_required
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = enquiry_for_staff(user=request.user, pk=pk)
    form = AssignForm(request.POST, prefix="assign")
    if form.is_valid():
        assignee = form.cleaned_data["assignee"]
        try:
            enquiry_assign(enquiry=enquiry, assignee=assignee, author=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_error("assignee", error)
        else:
            if assignee is None:
                text = gettext("Nobody is assigned now.")
            else:
                text = gettext("Assigned to %(assignee)s.") % {"assignee": assignee}
            return _done(request, enquiry, text)
    return _detail(request, enquiry, status=400, assign_form=form)


@require_POST
@desk_staff_required
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = enquiry_for_staff(user=request.user, pk=pk)
    form = NoteForm(request.POST, prefix="note")
    if form.is_valid():
        try:
            enquiry_add_note(enquiry=enquiry, author=request.user, text=form.cleaned_data["text"])  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_error("text", error)
        else:
            return _done(request, enquiry, gettext("The note was added."))
    return _detail(request, enquiry, status=400, note_form=form)


@require_POST
@desk_staff_required
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = enquiry_for_staff(user=request.user, pk=pk)
    form = ReplyForm(request.POST, prefix="reply", enquiry=enquiry)
    if form.is_valid():
        send_email = bool(form.cleaned_data.get("send_email"))
        try:
            enquiry_reply(
                enquiry=enquiry,
                author=request.user,  # type: ignore[arg-type]
                text=form.cleaned_data["text"],
                send_email=send_email,
                status=form.cleaned_data["status"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            audit_record(
                actor=request.user, action=AuditAction.CHANGED, target=enquiry, request=request
            )
            if send_email and enquiry.allows_email:
                text = gettext("The answer was sent by e-mail.")
            else:
                text = gettext("The answer was saved; the enquirer reads it through their link.")
            return _done(request, enquiry, text)
    return _detail(request, enquiry, status=400, reply_form=form)


@require_POST
@desk_staff_required
def phone_answer(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = enquiry_for_staff(user=request.user, pk=pk)
    form = PhoneAnswerForm(request.POST, prefix="phone")
    if form.is_valid():
        try:
            enquiry_reply(
                enquiry=enquiry,
                author=request.user,  # type: ignore[arg-type]
                text=form.cleaned_data["text"],
                send_email=False,
                channel=Channel.PHONE,
                status=form.cleaned_data["status"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            audit_record(
                actor=request.user, action=AuditAction.CHANGED, target=enquiry, request=request
            )
            return _done(request, enquiry, gettext("The answer on the phone was recorded."))
    return _detail(request, enquiry, status=400, phone_form=form)


@require_POST
@desk_staff_required
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = enquiry_for_staff(user=request.user, pk=pk)
    form = ReferralForm(request.POST, prefix="referral", institutions=institution_list())
    if form.is_valid():
        institution = form.cleaned_data["institution"]
        try:
            enquiry_refer(
                enquiry=enquiry,
                institution=institution,
                author=request.user,  # type: ignore[arg-type]
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _done(
                request,
                enquiry,
                gettext("The enquirer was referred to %(institution)s.")
                % {"institution": institution},
            )
    return _detail(request, enquiry, status=400, referral_form=form)


@require_POST
@desk_staff_required
def triage_review(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = enquiry_for_staff(user=request.user, pk=pk)
    form = _triage_form(enquiry, None, request.POST)
    if form.is_valid():
        try:
            enquiry_triage_review(
                enquiry=enquiry,
                topic=form.cleaned_data["topic"],
                referral=form.cleaned_data["referral"],
                author=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _done(request, enquiry, gettext("The topic and referral were saved."))
    return _detail(request, enquiry, status=400, triage_form=form)


@require_POST
@desk_staff_required
def triage_run(request: HttpRequest, pk: int) -> HttpResponse:
    """Computes the suggestion now, e.g. when the background work could not."""
    enquiry = enquiry_for_staff(user=request.user, pk=pk)
    enquiry_triage_run(enquiry=enquiry)
    return _done(request, enquiry, gettext("The suggestions were made again."))


@require_POST
@desk_staff_required
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = enquiry_for_staff(user=request.user, pk=pk)
    form = MergeForm(request.POST, prefix="merge")
    if form.is_valid():
        try:
            target = enquiry_for_staff_by_reference(
                user=request.user, reference=form.cleaned_data["reference"]
            )
        except Enquiry.DoesNotExist:
            form.add_error("reference", gettext("No enquiry has this reference number."))
        else:
            try:
                enquiry_merge(source=enquiry, target=target, author=request.user)  # type: ignore[arg-type]
            except ValidationError as error:
                form.add_error("reference", error)
            else:
                return _done(
                    request,
                    target,
                    gettext("%(source)s was merged into this enquiry.")
                    % {"source": enquiry.reference},
                )
    return _detail(request, enquiry, status=400, merge_form=form)


@require_POST
@desk_staff_required
def link_renew(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = enquiry_for_staff(user=request.user, pk=pk)
    token = enquiry_tracking_token_renew(enquiry=enquiry)
    _private_link_keep(request, enquiry=enquiry, token=token)
    return _done(
        request, enquiry, gettext("A new private link was made; the old one no longer works.")
    )


def _file_held(request: HttpRequest, *, enquiry: Enquiry, attachment: Any) -> HttpResponse | None:
    """A page instead of the file when the virus scanner finds a virus or cannot check it.

    With CLAMAV_ADDRESS set, a file is scanned again each time it is opened, with the newest
    signatures; one the scanner cannot check now is held back (503), never deleted.
    """
    if not virus_scan_configured():
        return None
    with attachment.file.open("rb") as stored:
        try:
            virus = virus_scan(stored)
        except ScannerUnavailable as error:
            logger.error("Attachment %s held back: %s", attachment.pk, error)
            heading = gettext("This file has not been checked for viruses yet")
            message = gettext(
                "The virus scanner cannot be reached, so the file is held back. It is kept: "
                "try again later, or ask the administrator to check the scanner."
            )
            status = 503
        else:
            if virus is None:
                return None
            logger.warning("Attachment %s refused: the scanner found %s.", attachment.pk, virus)
            heading = gettext("This file contains a virus")
            message = gettext(
                "The virus scanner found %(virus)s in this file. It cannot be opened here; "
                "ask the administrator what to do with it."
            ) % {"virus": virus}
            status = 410
    context = {"enquiry": enquiry, "heading": heading, "message": message}
    response = render(request, "enquiries/staff/file_held.html", context, status=status)
    if status == 503:
        response["Retry-After"] = "300"
    return response


@require_GET
@desk_staff_required
def attachment_download(
    request: HttpRequest, pk: int, attachment_pk: int
) -> HttpResponse | FileResponse:
    enquiry = enquiry_for_staff(user=request.user, pk=pk)
    attachment = attachment_for_staff(user=request.user, enquiry=enquiry, pk=attachment_pk)
    held = _file_held(request, enquiry=enquiry, attachment=attachment)
    if held is not None:
        return held
    audit_record(actor=request.user, action=AuditAction.VIEWED, target=attachment, request=request)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_filename,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_http_methods(["GET", "POST"])
@desk_staff_required
def log_contact(request: HttpRequest) -> HttpResponse:
    topics = list(topic_list())
    language = (get_language() or "").split("-")[0]
    status = 200
    if request.method == "POST":
        form = LogContactForm(request.POST, topics=topics, language=language)
        if form.is_valid():
            data = form.cleaned_data
            try:
                enquiry, token = enquiry_log_contact(
                    channel=data["channel"],
                    author=request.user,  # type: ignore[arg-type]
                    text=data["summary"],
                    language=data["language"],
                    consent_given=data["consent"],
                    topic=data["topic"],
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    safe_contact=data["safe_contact"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                _private_link_keep(request, enquiry=enquiry, token=token)
                return _done(
                    request,
                    enquiry,
                    gettext("Logged as %(reference)s. Tell the person this reference number.")
                    % {"reference": enquiry.reference},
                )
        status = 400
    else:
        form = LogContactForm(topics=topics, language=language)
    return render(request, "enquiries/staff/log_contact.html", {"form": form}, status=status)


# How far back the deflection page counts, beside the counts of all time.
DEFLECTION_RECENT_DAYS = 30


@require_GET
@desk_staff_required
def deflection(request: HttpRequest) -> HttpResponse:
    """For the coordinator: how often suggestions beside the enquiry form were opened, and
    how often no enquiry followed (see deflection.py for the rule)."""
    if not user_has_role(request.user, COORDINATING_ROLES):
        raise PermissionDenied
    now = timezone.now()
    recent = deflection_counts(since=now - timedelta(days=DEFLECTION_RECENT_DAYS), now=now)
    titles = article_titles(slugs=[row.slug for row in recent.articles], language=get_language())
    context = {
        "recent": recent,
        "total": deflection_counts(now=now),
        "recent_days": DEFLECTION_RECENT_DAYS,
        "window_hours": int(DEFLECTION_WINDOW.total_seconds() // 3600),
        "articles": [(row, titles.get(row.slug, row.slug)) for row in recent.articles],
    }
    return render(request, "enquiries/staff/deflection.html", context)
