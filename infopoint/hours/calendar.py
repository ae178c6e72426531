"""The office-hours calendar: one place that answers "open at t?" and "N working hours after t".

``OfficeCalendar`` is pure: it is built from plain data (see ``selectors.calendar_for_schedule``)
and never touches the database. Every computation is done in UTC, so that days on which the
clocks change (Europe/Warsaw: last Sunday of March and of October) come out right; results are
given in the office time zone.

Which rule wins on a date, strongest first:
1. a closure (the coordinator closed the place for whole days);
2. changed hours (the coordinator set the hours of that one date — also on a holiday);
3. a public holiday (closed all day);
4. the weekly hours.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal, TypeVar
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.utils.translation import get_language, gettext, gettext_noop

from infopoint.core.models import fallback_order

# How far next_opening and add_working_time look for opening hours before giving up.
SEARCH_LIMIT = timedelta(days=731)

# The English names the holidays package gives Poland's public holidays (past and present), so
# that makemessages picks them up; ``closed_reason`` passes the package's names through gettext.
HOLIDAY_NAMES = [
    gettext_noop("New Year's Day"),
    gettext_noop("Epiphany"),
    gettext_noop("Candlemas"),
    gettext_noop("Easter Sunday"),
    gettext_noop("Easter Monday"),
    gettext_noop("National Day"),
    gettext_noop("National Day of the Third of May"),
    gettext_noop("National Victory and Freedom Day"),
    gettext_noop("Ascension Day"),
    gettext_noop("Pentecost"),
    gettext_noop("Pentecost Monday"),
    gettext_noop("Corpus Christi"),
    gettext_noop("Saints Peter and Paul Day"),
    gettext_noop("National Day of Rebirth of Poland"),
    gettext_noop("Assumption Day"),
    gettext_noop("All Saints' Day"),
    gettext_noop("National Independence Day"),
    gettext_noop("National Independence Day - 100th anniversary"),
    gettext_noop("Immaculate Conception of the Blessed Virgin Mary"),
    gettext_noop("Christmas Eve"),
    gettext_noop("Christmas Day"),
    gettext_noop("Second Day of Christmas"),
]

Span = tuple[time, time]
Interval = tuple[datetime, datetime]
K = TypeVar("K")


def office_zone() -> ZoneInfo:
    """The time zone of the office (settings.TIME_ZONE)."""
    return ZoneInfo(settings.TIME_ZONE)


def overlapping_spans(spans: Iterable[Span]) -> list[tuple[Span, Span]]:
    """Pairs of opening spans of one day that overlap; touching spans (12:00–12:00) do not.

    The one rule used by the admin forms and by the services.
    """
    ordered = sorted(spans)
    pairs = []
    for index, (opens, closes) in enumerate(ordered):
        for other in ordered[index + 1 :]:
            if other[0] >= closes:
                break
            pairs.append(((opens, closes), other))
    return pairs


def inverted_spans(spans: Iterable[Span]) -> list[Span]:
    """Spans that close at or before they open."""
    return [(opens, closes) for opens, closes in spans if opens >= closes]


def spans_problems(spans_by_day: Mapping[K, Iterable[Span]]) -> list[tuple[K, str]]:
    """Every inverted or overlapping span, grouped by day (a weekday or a date), as messages."""
    problems: list[tuple[K, str]] = []
    for day, spans in spans_by_day.items():
        spans = list(spans)
        for opens, closes in inverted_spans(spans):
            problems.append(
                (
                    day,
                    gettext("Closing time %(closes)s must be later than opening time %(opens)s.")
                    % {"opens": f"{opens:%H:%M}", "closes": f"{closes:%H:%M}"},
                )
            )
        valid = [span for span in spans if span[0] < span[1]]
        for first, second in overlapping_spans(valid):
            problems.append(
                (
                    day,
                    gettext("Opening hours %(first)s and %(second)s overlap.")
                    % {
                        "first": f"{first[0]:%H:%M}–{first[1]:%H:%M}",
                        "second": f"{second[0]:%H:%M}–{second[1]:%H:%M}",
                    },
                )
            )
    return problems


@dataclass(frozen=True)
class ClosureSpan:
    """Whole days closed, with the reason in each language it was written in."""

    starts_on: date
    ends_on: date
    reasons: Mapping[str, str] = field(default_factory=dict)

    def reason(self, language: str | None = None) -> str | None:
        for code in fallback_order(language):
            if self.reasons.get(code):
                return self.reasons[code]
        return next((text for text in self.reasons.values() if text), None)


@dataclass(frozen=True)
class OfficeStatus:
    open: bool
    closes_at: datetime | None
    next_opening: datetime | None
    # Why the place is closed today (a holiday, a closure); None on an ordinary closed evening.
    reason: str | None


@dataclass(frozen=True)
class CalendarException:
    """Consecutive days that differ from the weekly hours, for the public site."""

    kind: Literal["closure", "holiday", "changed"]
    starts_on: date
    ends_on: date
    reason: str | None
    # The hours of changed days; empty when closed.
    hours: tuple[Span, ...] = ()


@dataclass(frozen=True)
class _Day:
    kind: Literal["closure", "holiday", "changed", "weekly"]
    spans: tuple[Span, ...]
    closure: ClosureSpan | None = None
    holiday_names: tuple[str, ...] = ()


class OfficeCalendar:
    """Opening hours of one place: weekly hours, public holidays, closures and changed hours."""

    def __init__(
        self,
        *,
        weekly: Mapping[int, Iterable[Span]],
        closures: Iterable[ClosureSpan] = (),
        changed: Mapping[date, Iterable[Span]] | None = None,
        country: str | None = None,
        subdivision: str | None = None,
        time_zone: str | ZoneInfo | None = None,
    ) -> None:
        self.weekly = {day: _merge(weekly.get(day, ())) for day in range(7)}
        self.closures = sorted(closures, key=lambda closure: closure.starts_on)
        self.changed = {day: _merge(spans) for day, spans in (changed or {}).items()}
        if time_zone is None:
            time_zone = settings.TIME_ZONE
        self.zone = ZoneInfo(time_zone) if isinstance(time_zone, str) else time_zone
        country = country or settings.HOLIDAYS_COUNTRY
        subdivision = subdivision if subdivision is not None else settings.HOLIDAYS_SUBDIVISION
        self.holidays = holidays.country_holidays(
            country, subdiv=subdivision or None, language="en_US"
        )
        self._days: dict[date, _Day] = {}
        self._intervals: dict[date, tuple[Interval, ...]] = {}

    # --- one day ---------------------------------------------------------------------------

    def _day(self, day: date) -> _Day:
        cached = self._days.get(day)
        if cached is not None:
            return cached
        closure = next((c for c in self.closures if c.starts_on <= day <= c.ends_on), None)
        if closure is not None:
            result = _Day("closure", (), closure=closure)
        elif day in self.changed:
            result = _Day("changed", self.changed[day])
        elif day in self.holidays:
            result = _Day("holiday", (), holiday_names=tuple(self.holidays.get_list(day)))
        else:
            result = _Day("weekly", self.weekly[day.weekday()])
        self._days[day] = result
        return result

    def _utc_intervals(self, day: date) -> tuple[Interval, ...]:
        cached = self._intervals.get(day)
        if cached is not None:
            return cached
        intervals = []
        for opens, closes in self._day(day).spans:
            # Via UTC: a wall time that falls in the spring-forward gap moves on by the gap,
            # and a duration is real time even on the days the clocks change.
            start = datetime.combine(day, opens, tzinfo=self.zone).astimezone(UTC)
            end = datetime.combine(day, closes, tzinfo=self.zone).astimezone(UTC)
            if start < end:
                intervals.append((start, end))
        result = tuple(intervals)
        self._intervals[day] = result
        return result

    def intervals_on(self, day: date) -> list[Interval]:
        """The opening intervals of a date, as aware datetimes in the office time zone."""
        return [
            (start.astimezone(self.zone), end.astimezone(self.zone))
            for start, end in self._utc_intervals(day)
        ]

    def closed_reason(self, day: date) -> str | None:
        """The holiday's name or the closure's reason, in the active language; else None."""
        info = self._day(day)
        if info.kind == "closure" and info.closure is not None:
            return info.closure.reason(get_language())
        if info.kind == "holiday":
            return "; ".join(gettext(name) for name in info.holiday_names)
        return None

    def week_hours(self) -> list[tuple[int, list[Span]]]:
        """The regular weekly pattern, Monday (0) to Sunday (6), for display."""
        return [(day, list(self.weekly[day])) for day in range(7)]

    def upcoming_exceptions(self, start: date, days: int) -> list[CalendarException]:
        """Holidays, closures and changed hours from ``start`` for ``days`` days, grouped.

        A holiday is listed only when the weekly hours would have opened that day.
        """
        found: list[CalendarException] = []
        previous_key: object = None
        for offset in range(days):
            day = start + timedelta(days=offset)
            info = self._day(day)
            if info.kind == "weekly" or (info.kind == "holiday" and not self.weekly[day.weekday()]):
                previous_key = None
                continue
            key = (info.kind, info.closure, info.holiday_names, info.spans)
            if key == previous_key and found:
                last = found[-1]
                found[-1] = CalendarException(
                    last.kind, last.starts_on, day, last.reason, last.hours
                )
            else:
                kind: Literal["closure", "holiday", "changed"] = info.kind  # type: ignore[assignment]
                found.append(CalendarException(kind, day, day, self.closed_reason(day), info.spans))
            previous_key = key
        return found

    # --- over time --------------------------------------------------------------------------

    def _local_date(self, t: datetime) -> date:
        return _aware(t).astimezone(self.zone).date()

    def _intervals_from(self, t: datetime) -> Iterator[Interval]:
        """UTC intervals that end after ``t``, in order; stops after SEARCH_LIMIT without any."""
        # The day before too: an interval of the previous local date cannot reach past
        # midnight, but a DST gap may shift it; being generous costs nothing.
        day = self._local_date(t) - timedelta(days=1)
        last_found = day
        utc_t = t.astimezone(UTC)
        while day - last_found <= SEARCH_LIMIT:
            for start, end in self._utc_intervals(day):
                last_found = day
                if end > utc_t:
                    yield start, end
            day += timedelta(days=1)

    def is_open(self, t: datetime) -> bool:
        utc_t = _aware(t).astimezone(UTC)
        day = self._local_date(t)
        return any(start <= utc_t < end for start, end in self._utc_intervals(day))

    def next_closing(self, t: datetime) -> datetime | None:
        """The end of the opening interval that contains ``t``; None when closed at ``t``."""
        utc_t = _aware(t).astimezone(UTC)
        for start, end in self._utc_intervals(self._local_date(t)):
            if start <= utc_t < end:
                return end.astimezone(self.zone)
        return None

    def next_opening(self, t: datetime) -> datetime | None:
        """The start of the first opening interval that starts strictly after ``t``."""
        utc_t = _aware(t).astimezone(UTC)
        for start, _end in self._intervals_from(t):
            if start > utc_t:
                return start.astimezone(self.zone)
        return None

    def add_working_time(self, t: datetime, duration: timedelta) -> datetime:
        """The moment when ``duration`` of opening time has passed since ``t``.

        An amount that ends exactly at closing time gives the closing time, not the next
        opening. Raises ValueError when the calendar has too few opening hours to get there.
        """
        utc_t = _aware(t).astimezone(UTC)
        if duration < timedelta(0):
            raise ValueError("duration must not be negative")
        if not duration:
            return utc_t.astimezone(self.zone)
        remaining = duration
        for start, end in self._intervals_from(t):
            start = max(start, utc_t)
            available = end - start
            if remaining <= available:
                return (start + remaining).astimezone(self.zone)
            remaining -= available
        raise ValueError("no opening hours within the search limit")

    def working_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Opening time within [a, b); zero when b is not after a."""
        utc_a = _aware(a).astimezone(UTC)
        utc_b = _aware(b).astimezone(UTC)
        total = timedelta(0)
        if utc_b <= utc_a:
            return total
        day = self._local_date(a) - timedelta(days=1)
        last_day = self._local_date(b) + timedelta(days=1)
        while day <= last_day:
            for start, end in self._utc_intervals(day):
                overlap = min(end, utc_b) - max(start, utc_a)
                if overlap > timedelta(0):
                    total += overlap
            day += timedelta(days=1)
        return total

    def status(self, at: datetime) -> OfficeStatus:
        """Open or closed at ``at``, until when, when it opens next, and why it is closed today."""
        is_open = self.is_open(at)
        return OfficeStatus(
            open=is_open,
            closes_at=self.next_closing(at),
            next_opening=self.next_opening(at),
            reason=None if is_open else self.closed_reason(self._local_date(at)),
        )


def _aware(t: datetime) -> datetime:
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError("a timezone-aware datetime is required")
    return t


def _merge(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Sorted spans, with touching or overlapping ones joined (9–12 and 12–15 are 9–15)."""
    merged: list[Span] = []
    for opens, closes in sorted(spans):
        if opens >= closes:
            continue
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
        else:
            merged.append((opens, closes))
    return tuple(merged)


# --- the point's own calendar ---------------------------------------------------------------


def _office() -> OfficeCalendar:
    from .selectors import office_calendar

    return office_calendar()


def is_open(t: datetime) -> bool:
    """Whether the point itself (settings.OFFICE_SCHEDULE) is open at ``t``."""
    return _office().is_open(t)


def next_opening(t: datetime) -> datetime | None:
    """When the point itself next opens after ``t``."""
    return _office().next_opening(t)


def add_working_time(t: datetime, duration: timedelta) -> datetime:
    """``t`` plus ``duration`` of the point's opening time (e.g. when an answer is due)."""
    return _office().add_working_time(t, duration)


def working_time_between(a: datetime, b: datetime) -> timedelta:
    """The point's opening time within [a, b) (e.g. how long an answer took)."""
    return _office().working_time_between(a, b)
