"""The consultants' inbox: what they see (reads) and what they do (writes) beyond services.py.

Reads: ``enquiry_inbox`` (the filtered list), ``enquiry_suggest_assignee`` (routing),
``reply_templates_for``, ``referral_text``. Writes: ``enquiry_assign``, ``enquiry_merge``,
``enquiry_refer``. Statuses, replies and notes are services.py's: called, never redone here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext

from infopoint.accounts.selectors import staff_on_duty, user_works_desk
from infopoint.hours.calendar import office_zone
from infopoint.hours.models import Weekday

from . import conf, mailing
from .access import enquiry_visible_to, user_may_see_enquiry
from .models import (
    Enquiry,
    InternalNote,
    Message,
    Referral,
    ReplyTemplate,
    Status,
)
from .services import enquiry_add_note, enquiry_reply, enquiry_set_status

if TYPE_CHECKING:
    from infopoint.accounts.models import User
    from infopoint.directory.models import Institution

# The point owes an answer: the due clock runs. (While waiting for the enquirer it is paused.)
OWED_STATUSES = (Status.NEW, Status.OPEN)
# Still someone's work: counted when spreading enquiries among consultants.
ACTIVE_STATUSES = (Status.NEW, Status.OPEN, Status.WAITING)
PAGE_SIZE = 50
# The pager counts this many enquiries at most (or to the end of the page asked for): an exact
# count would read every visible enquiry, a million of them on a busy regional instance.
COUNT_CAP = 1000
# Up to this many matches of a search are fetched as ids; past it the word is common.
SEARCH_CAP = 1000

ASSIGNEE_ME = "me"
ASSIGNEE_NONE = "unassigned"
DUE_ALL = "all"
DUE_OVERDUE = "overdue"
DUE_TODAY = "today"


# --- reads -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxFilters:
    """What the inbox shows; empty values filter nothing.

    ``assignee``: "me", "unassigned" or a user's id. ``due``: "all", "overdue" (the point owes
    an answer and its time has passed) or "today" (owed by the end of today, overdue included).
    ``q``: part of the reference, name, e-mail, phone, subject or the text of any message.
    """

    status: str = ""
    topic_id: int | None = None
    language: str = ""
    channel: str = ""
    assignee: str = ""
    due: str = DUE_ALL
    q: str = ""


def _owed() -> Q:
    return Q(status__in=OWED_STATUSES, due_at__isnull=False)


def _whole_reference(query: str) -> str | None:
    """The reference number ``query`` is, as stored (``ip-2026-000123`` is IP-2026-000123)."""
    if not mailing.reference_pattern().fullmatch(query):
        return None
    prefix = conf.reference_prefix()
    return prefix + query[len(prefix) :]


def _search(enquiries: QuerySet[Enquiry], *, query: str) -> QuerySet[Enquiry]:
    """Those of ``enquiries`` whose reference, name, e-mail, phone, subject or any message's
    text holds ``query``, in any case.

    A whole reference number is looked up by its unique index first: that enquiry alone when
    it is there. Otherwise the matches are read through the trigram indexes on PostgreSQL
    (migration 0005): the enquiry's own fields and the messages apart, in one ``UNION ALL``
    (an ``OR`` across both tables makes PostgreSQL test every row of both), at most
    ``SEARCH_CAP`` + 1 of them. Up to the cap the inbox lists exactly those ids. Past it the
    word is common: each row is tested as the inbox walks its order index, which finds a page
    (and the capped count) long before it has read every match.
    """
    reference = _whole_reference(query)
    if reference is not None:
        exact = enquiries.filter(reference=reference)
        if exact.exists():
            return exact
    matches = list(search_matches(query=query)[: SEARCH_CAP + 1])
    if len(matches) <= SEARCH_CAP:
        return enquiries.filter(pk__in=set(matches))
    in_messages = Message.objects.filter(text__icontains=query, enquiry=OuterRef("pk"))
    return enquiries.filter(_in_fields(query) | Exists(in_messages))


def _in_fields(query: str) -> Q:
    return (
        Q(reference__icontains=query)
        | Q(name__icontains=query)
        | Q(email__icontains=query)
        | Q(phone__icontains=query)
        | Q(subject__icontains=query)
    )


def search_matches(*, query: str) -> QuerySet[Any]:
    """The ids of enquiries whose own fields or messages hold ``query`` (repeats possible),
    each table read through its trigram indexes on PostgreSQL."""
    in_messages = Message.objects.filter(text__icontains=query)
    return (
        Enquiry.objects.filter(_in_fields(query))
        .order_by()
        .values_list("pk", flat=True)
        .union(in_messages.order_by().values_list("enquiry_id", flat=True), all=True)
    )


def enquiry_inbox(
    *, filters: InboxFilters, user: User, now: datetime | None = None
) -> QuerySet[Enquiry]:
    """Enquiries matching ``filters``, most urgent first, ready to page through.

    Owed enquiries come first by due time, then the rest newest first. Topic (with its
    translations) and assignee are fetched up front and ``is_overdue`` is annotated, so a page
    costs the same number of queries whatever its length. ``user`` is who "me" means.
    """
    now = now or timezone.now()
    enquiries = (
        Enquiry.objects.filter(enquiry_visible_to(user))
        .select_related("topic", "assignee")
        .prefetch_related("topic__translations")
    )
    if filters.status:
        enquiries = enquiries.filter(status=filters.status)
    if filters.topic_id is not None:
        enquiries = enquiries.filter(topic_id=filters.topic_id)
    if filters.language:
        enquiries = enquiries.filter(language=filters.language)
    if filters.channel:
        enquiries = enquiries.filter(channel=filters.channel)
    if filters.assignee == ASSIGNEE_ME:
        enquiries = enquiries.filter(assignee=user)
    elif filters.assignee == ASSIGNEE_NONE:
        enquiries = enquiries.filter(assignee__isnull=True)
    elif filters.assignee:
        enquiries = enquiries.filter(assignee_id=int(filters.assignee))
    if filters.due == DUE_OVERDUE:
        enquiries = enquiries.filter(_owed(), due_at__lt=now)
    elif filters.due == DUE_TODAY:
        local = timezone.localtime(now, office_zone())
        end_of_today = datetime.combine(
            local.date() + timedelta(days=1), time(0), tzinfo=office_zone()
        )
        enquiries = enquiries.filter(_owed(), due_at__lt=end_of_today)
    query = filters.q.strip()
    if query:
        enquiries = _search(enquiries, query=query)
    return enquiries.annotate(
        is_overdue=Case(
            When(_owed() & Q(due_at__lt=now), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        owed_first=Case(
            When(status__in=OWED_STATUSES, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
    ).order_by("owed_first", "due_at", "-created_at", "-pk")


class InboxPaginator(Paginator):
    """Pages of the inbox that count no further than needed.

    It counts ``COUNT_CAP`` enquiries, or to the end of page ``number`` when that lies
    further, plus one to know whether there are more. With more, ``more`` is true, ``count``
    is the number counted, and one page past the counted ones exists, so the last counted
    page links to it; asking for that page counts further.
    """

    def __init__(self, object_list: QuerySet[Enquiry], *, number: object = 1) -> None:
        super().__init__(object_list, PAGE_SIZE)
        self.enquiries = object_list
        try:
            asked = max(1, int(str(number)))
        except ValueError:
            asked = 1
        self.limit = max(COUNT_CAP, asked * PAGE_SIZE)

    @cached_property
    def _counted(self) -> int:
        return self.enquiries[: self.limit + 1].count()

    @cached_property
    def more(self) -> bool:
        """Whether more enquiries match than were counted."""
        return self._counted > self.limit

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.limit)

    @cached_property
    def counted_pages(self) -> int:
        """The pages of the enquiries counted (at least one)."""
        return max(1, math.ceil(self.count / self.per_page))

    @cached_property
    def num_pages(self) -> int:
        return self.counted_pages + int(self.more)


def enquiry_is_overdue(*, enquiry: Enquiry, now: datetime | None = None) -> bool:
    """The same rule as the inbox's ``is_overdue``, for one enquiry already loaded."""
    now = now or timezone.now()
    return enquiry.status in OWED_STATUSES and enquiry.due_at is not None and enquiry.due_at < now


def enquiry_suggest_assignee(*, enquiry: Enquiry, at: datetime | None = None) -> User | None:
    """Who should take the enquiry: desk staff on duty at ``at`` who speak its language.

    "Its language" is the language of the answer; among those, people who also read the
    language it was written in come first, then those with the fewest active enquiries
    (new, open, waiting). None when nobody on duty speaks it. Only a suggestion: the UI
    offers it, nothing assigns automatically.
    """
    candidates = [
        user
        for user in staff_on_duty(at=at)
        if enquiry.preferred_language in (user.languages or [])
        and user_may_see_enquiry(user=user, enquiry=enquiry)
    ]
    if not candidates:
        return None
    counts = dict(
        Enquiry.objects.filter(assignee__in=candidates, status__in=ACTIVE_STATUSES)
        .values("assignee")
        .annotate(count=Count("pk"))
        .values_list("assignee", "count")
    )
    return min(
        candidates,
        key=lambda user: (
            enquiry.language not in (user.languages or []),
            counts.get(user.pk, 0),
            str(user),
            user.pk,
        ),
    )


def reply_templates_for(*, enquiry: Enquiry) -> list[ReplyTemplate]:
    """Templates that fit the enquiry: its topic's and any topic's, its answer language first."""
    templates = ReplyTemplate.objects.filter(Q(topic__isnull=True) | Q(topic_id=enquiry.topic_id))
    return sorted(
        templates,
        key=lambda template: (
            template.language != enquiry.preferred_language,
            template.topic_id is None,
            template.language,
            template.title,
            template.pk,
        ),
    )


PLACEHOLDER = re.compile(r"\{(name|reference|topic|consultant)\}")


def reply_template_render(
    *, template: ReplyTemplate, enquiry: Enquiry, author: User | None = None
) -> str:
    """The template's text with {name}, {reference}, {topic} and {consultant} filled in.

    Anything else in braces is left as written. The topic is named in the template's language.
    """
    topic_name = ""
    if enquiry.topic is not None:
        topic_translation = enquiry.topic.translation(template.language)
        topic_name = topic_translation.name if topic_translation else enquiry.topic.slug
    values = {
        "name": enquiry.name,
        "reference": enquiry.reference,
        "topic": topic_name,
        "consultant": str(author) if author is not None else "",
    }
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], template.text)


def _weekly_hours_lines(institution: Institution) -> list[str]:
    if institution.schedule is None:
        return []
    by_day: dict[int, list[str]] = {}
    for row in institution.schedule.weekly_hours.all():
        by_day.setdefault(row.weekday, []).append(f"{row.opens:%H:%M}–{row.closes:%H:%M}")
    lines: list[str] = []
    days = sorted(by_day)
    index = 0
    # Consecutive days with the same hours share a line: "Monday – Friday: 09:00–19:00".
    while index < len(days):
        first = last = days[index]
        while (
            index + 1 < len(days)
            and days[index + 1] == last + 1
            and by_day[days[index + 1]] == by_day[first]
        ):
            index += 1
            last = days[index]
        label = str(Weekday(first).label)
        if last != first:
            label = f"{label} – {Weekday(last).label}"
        lines.append(f"{label}: {', '.join(by_day[first])}")
        index += 1
    return lines


def referral_text(*, institution: Institution, language: str) -> str:
    """The institution's details as plain text in ``language``, for a reply to the enquirer.

    Name, address, rooms, phones, fax, e-mail, website, opening hours and the note on hours;
    lines with nothing to say are left out. Texts missing in ``language`` fall back as
    everywhere on the site.
    """
    with translation.override(language):
        text = institution.translation(language)
        address = ", ".join(
            part
            for part in (
                institution.street_address,
                " ".join(p for p in (institution.postal_code, institution.city) if p),
            )
            if part
        )
        lines = [text.name if text else institution.slug]
        rows = [
            (gettext("Address"), address),
            (gettext("Rooms"), text.rooms if text else ""),
            (gettext("Phone"), ", ".join(institution.phones or [])),
            (gettext("Fax"), institution.fax),
            (gettext("E-mail"), institution.email),
            (gettext("Website"), institution.website),
        ]
        lines += [f"{label}: {value}" for label, value in rows if value]
        hours = _weekly_hours_lines(institution)
        if hours:
            lines.append(gettext("Opening hours:"))
            lines += [f"  {line}" for line in hours]
        if text and text.hours_note:
            lines.append(text.hours_note)
    return "\n".join(lines)


# --- writes ----------------------------------------------------------------------------------


@transaction.atomic
def enquiry_assign(*, enquiry: Enquiry, assignee: User | None, author: User) -> Enquiry:
    """Gives the enquiry to ``assignee`` (None: nobody), who must work the desk.

    An internal note records who assigned it to whom. A new enquiry that someone takes is
    open from then on. Assigning to the same person again changes nothing.
    """
    if assignee is not None and not user_works_desk(assignee):
        raise ValidationError(
            gettext("%(user)s does not work the enquiry desk.") % {"user": assignee},
            code="not_staff",
        )
    if assignee is not None and not user_may_see_enquiry(user=assignee, enquiry=enquiry):
        raise ValidationError(
            gettext("%(user)s may not see enquiries on this topic.") % {"user": assignee},
            code="restricted",
        )
    if (assignee.pk if assignee else None) == enquiry.assignee_id:
        return enquiry
    enquiry.assignee = assignee
    enquiry.full_clean()
    enquiry.save(update_fields=["assignee", "updated_at"])
    if assignee is None:
        text = gettext("Unassigned by %(author)s.") % {"author": author}
    else:
        text = gettext("Assigned to %(assignee)s by %(author)s.") % {
            "assignee": assignee,
            "author": author,
        }
    enquiry_add_note(enquiry=enquiry, text=text, author=author)
    if assignee is not None and enquiry.status == Status.NEW:
        enquiry_set_status(enquiry=enquiry, status=Status.OPEN, author=author)
    return enquiry


@transaction.atomic
def enquiry_merge(*, source: Enquiry, target: Enquiry, author: User) -> Enquiry:
    """Merges the duplicate ``source`` into ``target``; returns ``target``.

    The rules: an enquiry is never merged into itself, twice, or into one that was itself
    merged. Messages (with their files), internal notes and referrals move to ``target``;
    enquiries merged into ``source`` earlier now point to ``target``. ``source`` keeps its
    reference, points to ``target`` (its private link and e-mail thread lead there) and is
    closed. If ``source`` still needed an answer, ``target`` is open again and the earlier
    due time of the two stands. A note on both says who merged what.
    """
    source = Enquiry.objects.select_for_update().get(pk=source.pk)
    target = Enquiry.objects.select_for_update().get(pk=target.pk)
    if source.pk == target.pk:
        raise ValidationError(gettext("An enquiry cannot be merged into itself."), code="self")
    if source.merged_into_id:
        raise ValidationError(
            gettext("This enquiry was already merged into %(reference)s.")
            % {"reference": source.merged_into.reference},  # type: ignore[union-attr]
            code="merged",
        )
    if target.merged_into_id:
        raise ValidationError(
            gettext("%(reference)s was merged into %(other)s: merge into that one instead.")
            % {
                "reference": target.reference,
                "other": target.merged_into.reference,  # type: ignore[union-attr]
            },
            code="target_merged",
        )
    Message.objects.filter(enquiry=source).update(enquiry=target)
    InternalNote.objects.filter(enquiry=source).update(enquiry=target)
    Referral.objects.filter(enquiry=source).update(enquiry=target)
    Enquiry.objects.filter(merged_into=source).update(merged_into=target)

    if source.status in OWED_STATUSES:
        if target.status not in OWED_STATUSES:
            enquiry_set_status(enquiry=target, status=Status.OPEN, author=author)
        if source.due_at and (target.due_at is None or source.due_at < target.due_at):
            target.due_at = source.due_at
            target.save(update_fields=["due_at", "updated_at"])

    source.merged_into = target
    source.full_clean()
    source.save(update_fields=["merged_into", "updated_at"])
    enquiry_set_status(enquiry=source, status=Status.CLOSED, author=author)

    enquiry_add_note(
        enquiry=target,
        text=gettext(
            "%(author)s merged %(source)s into this enquiry: its messages and notes are now here."
        )
        % {"author": author, "source": source.reference},
        author=author,
    )
    enquiry_add_note(
        enquiry=source,
        text=gettext("%(author)s merged this enquiry into %(target)s.")
        % {"author": author, "target": target.reference},
        author=author,
    )
    return target


@transaction.atomic
def enquiry_refer(
    *,
    enquiry: Enquiry,
    institution: Institution,
    author: User,
    text: str = "",
    send_email: bool = True,
) -> Referral:
    """Answers with a referral to ``institution`` and records it; the enquiry becomes referred.

    The institution's details (``referral_text``) in the language of the answer are added
    below ``text`` unless ``text`` already holds them. The answer goes out like any reply
    (``enquiry_reply``: e-mail only where safe contact allows it).
    """
    details = referral_text(institution=institution, language=enquiry.preferred_language)
    text = text.strip()
    if details not in text:
        text = f"{text}\n\n{details}" if text else details
    message = enquiry_reply(
        enquiry=enquiry,
        author=author,
        text=text,
        send_email=send_email,
        status=Status.REFERRED,
    )
    referral = Referral(enquiry=enquiry, institution=institution, message=message, author=author)
    referral.full_clean()
    referral.save()
    return referral
