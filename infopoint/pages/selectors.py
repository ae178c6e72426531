"""Reads for the public pages: each view asks one function here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from django.utils import timezone

from infopoint.directory.models import Institution, InstitutionKind
from infopoint.directory.selectors import institution_get, institution_list
from infopoint.hours.calendar import CalendarException, OfficeStatus
from infopoint.hours.models import Schedule
from infopoint.hours.selectors import calendar_for_schedule, office_calendar
from infopoint.topics.selectors import topic_list

from .models import Page

# The point itself is the directory entry with this slug.
POINT_SLUG = "information-point"
# How far ahead the contact page lists holidays and other changes to the hours.
UPCOMING_DAYS = 30

Span = tuple[time, time]


@dataclass(frozen=True)
class PointInfo:
    """What the home and contact pages say about the point itself."""

    point: Institution | None
    status: OfficeStatus
    week_hours: list[tuple[int, list[Span]]]
    topics: list[Any] = field(default_factory=list)
    exceptions: list[CalendarException] = field(default_factory=list)


@dataclass(frozen=True)
class InstitutionInfo:
    institution: Institution
    week_hours: list[tuple[int, list[Span]]]
    status: OfficeStatus | None
    exceptions: list[CalendarException]


def _point() -> Institution | None:
    try:
        return institution_get(slug=POINT_SLUG)
    except Institution.DoesNotExist:
        return None


def point_info_get(
    *, at: datetime | None = None, with_topics: bool = False, with_exceptions: bool = False
) -> PointInfo:
    """The point, whether it is open at ``at`` (default now), its hours and, if asked, the
    topics it covers and the changes to its hours over the next ``UPCOMING_DAYS`` days."""
    at = at or timezone.now()
    calendar = office_calendar()
    today = timezone.localdate(at, calendar.zone)
    return PointInfo(
        point=_point(),
        status=calendar.status(at),
        week_hours=calendar.week_hours(),
        topics=list(topic_list()) if with_topics else [],
        exceptions=calendar.upcoming_exceptions(today, UPCOMING_DAYS) if with_exceptions else [],
    )


def institution_info_get(*, slug: str, at: datetime | None = None) -> InstitutionInfo:
    """An institution with its own hours. Raises Institution.DoesNotExist for a wrong slug."""
    institution = institution_get(slug=slug)
    at = at or timezone.now()
    schedule = institution.schedule
    if schedule is None:
        return InstitutionInfo(institution, [], None, [])
    try:
        calendar = calendar_for_schedule(schedule.slug)
    except Schedule.DoesNotExist:
        return InstitutionInfo(institution, [], None, [])
    today = timezone.localdate(at, calendar.zone)
    return InstitutionInfo(
        institution=institution,
        week_hours=calendar.week_hours(),
        status=calendar.status(at),
        exceptions=calendar.upcoming_exceptions(today, UPCOMING_DAYS),
    )


def institutions_by_kind(
    institutions: Iterable[Institution],
) -> list[tuple[str, list[Institution]]]:
    """Institutions grouped under their kind's label, in the order the kinds are declared."""
    groups: dict[str, list[Institution]] = {kind: [] for kind in InstitutionKind.values}
    for institution in institutions:
        groups.setdefault(institution.kind, []).append(institution)
    labels = dict(InstitutionKind.choices)
    return [(str(labels.get(kind, kind)), members) for kind, members in groups.items() if members]


def directory_get(*, topic: Any = None) -> list[tuple[str, list[Institution]]]:
    """The directory, optionally only the institutions that handle ``topic``, grouped by kind."""
    return institutions_by_kind(institution_list(topic=topic))


def page_get(*, slug: str) -> Page:
    """A text page with its translations. Raises Page.DoesNotExist for a wrong slug."""
    return Page.objects.prefetch_related("translations").get(slug=slug)
