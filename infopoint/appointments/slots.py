"""Free appointment slots, computed from plain data (no database here; see selectors.py).

A slot is free when it lies inside the adviser's availability for that date (weekly pattern,
plus extra hours, minus leave) AND inside the opening hours of the point (the office calendar
already leaves out public holidays and closures), does not come within the adviser's break of
another appointment, and starts between the earliest allowed moment (minimum notice) and the
horizon. Within each such interval slots follow one another: length, break, length, break ...

Every computation is done in UTC from wall-clock times of the office zone, so the days on
which the clocks change come out right; slots are given in the office zone.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from infopoint.hours.calendar import OfficeCalendar

Span = tuple[time, time]
Interval = tuple[datetime, datetime]
# Bookings further apart than this cannot touch one slot (an appointment plus its break).
LONGEST_REACH = timedelta(hours=8)


@dataclass(frozen=True, order=True)
class Slot:
    """A bookable time with one adviser; ``key`` names it in forms and links."""

    starts_at: datetime
    ends_at: datetime
    adviser_id: int
    languages: tuple[str, ...] = field(default=(), compare=False)

    @property
    def key(self) -> str:
        return slot_key(self.adviser_id, self.starts_at)

    @property
    def day(self) -> date:
        return self.starts_at.date()


def slot_key(adviser_id: int, starts_at: datetime) -> str:
    """``<adviser id>-<start as Unix seconds>``: unambiguous, also on the night clocks go back."""
    return f"{adviser_id}-{int(starts_at.timestamp())}"


def slot_key_parse(key: str) -> tuple[int, datetime] | None:
    """(adviser id, start in UTC) from a key; None for anything malformed."""
    adviser, _sep, seconds = (key or "").strip().partition("-")
    if not (adviser.isdigit() and seconds.isdigit()) or len(seconds) > 12:
        return None
    return int(adviser), datetime.fromtimestamp(int(seconds), tz=UTC)


@dataclass(frozen=True)
class AdviserPlan:
    """What the slot computation needs to know about one adviser."""

    id: int
    length: timedelta
    buffer: timedelta
    languages: tuple[str, ...] = ()
    weekly: Mapping[int, Sequence[Span]] = field(default_factory=dict)
    # Leave: a date maps to the spans off, or to None for the whole day.
    leave: Mapping[date, Sequence[Span] | None] = field(default_factory=dict)
    extra: Mapping[date, Sequence[Span]] = field(default_factory=dict)

    def windows(self, day: date) -> list[Span]:
        """The adviser's own hours on ``day`` (wall-clock), merged, leave taken out."""
        if day in self.leave and self.leave[day] is None:
            return []
        spans = _merge([*self.weekly.get(day.weekday(), ()), *self.extra.get(day, ())])
        for off in self.leave.get(day) or ():
            spans = _subtract(spans, off)
        return spans


def compute_slots(
    *,
    advisers: Iterable[AdviserPlan],
    calendar: OfficeCalendar,
    bookings: Mapping[int, Sequence[Interval]],
    start: date,
    end: date,
    earliest: datetime,
    latest: datetime,
) -> list[Slot]:
    """Free slots of every adviser from ``start`` to ``end`` (dates, both included), by time.

    ``bookings`` maps an adviser's id to the intervals already taken; a slot may start at
    ``earliest`` and must start before ``latest``.
    """
    zone = calendar.zone
    earliest_utc = earliest.astimezone(UTC)
    latest_utc = latest.astimezone(UTC)
    slots: list[Slot] = []
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    office = {day: _utc(calendar.intervals_on(day)) for day in days}
    for plan in advisers:
        taken = sorted(bookings.get(plan.id, ()))
        taken_starts = [interval[0] for interval in taken]
        step = plan.length + plan.buffer
        for day in days:
            for window_start, window_end in _intersect(
                _wall_to_utc(day, plan.windows(day), zone), office[day]
            ):
                begins = window_start
                while begins + plan.length <= window_end:
                    ends = begins + plan.length
                    if earliest_utc <= begins < latest_utc and not _conflicts(
                        begins, ends, plan.buffer, taken, taken_starts
                    ):
                        slots.append(
                            Slot(
                                begins.astimezone(zone),
                                ends.astimezone(zone),
                                plan.id,
                                plan.languages,
                            )
                        )
                    begins += step
    slots.sort()
    return slots


def _conflicts(
    begins: datetime,
    ends: datetime,
    buffer: timedelta,
    taken: Sequence[Interval],
    taken_starts: Sequence[datetime],
) -> bool:
    """Whether another appointment comes within ``buffer`` of [begins, ends)."""
    index = bisect.bisect_left(taken_starts, begins - LONGEST_REACH)
    for other_start, other_end in taken[index:]:
        if other_start >= ends + buffer:
            return False
        if other_end + buffer > begins:
            return True
    return False


def _wall_to_utc(day: date, spans: Iterable[Span], zone: ZoneInfo) -> list[Interval]:
    intervals = []
    for opens, closes in spans:
        begins = datetime.combine(day, opens, tzinfo=zone).astimezone(UTC)
        ends = datetime.combine(day, closes, tzinfo=zone).astimezone(UTC)
        if begins < ends:
            intervals.append((begins, ends))
    return intervals


def _utc(intervals: Iterable[Interval]) -> list[Interval]:
    return [(begins.astimezone(UTC), ends.astimezone(UTC)) for begins, ends in intervals]


def _intersect(first: Sequence[Interval], second: Sequence[Interval]) -> Iterator[Interval]:
    for a_start, a_end in first:
        for b_start, b_end in second:
            begins, ends = max(a_start, b_start), min(a_end, b_end)
            if begins < ends:
                yield begins, ends


def _merge(spans: Iterable[Span]) -> list[Span]:
    merged: list[Span] = []
    for opens, closes in sorted(spans):
        if opens >= closes:
            continue
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
        else:
            merged.append((opens, closes))
    return merged


def _subtract(spans: Iterable[Span], off: Span) -> list[Span]:
    result: list[Span] = []
    off_start, off_end = off
    for opens, closes in spans:
        if off_end <= opens or off_start >= closes:
            result.append((opens, closes))
            continue
        if opens < off_start:
            result.append((opens, off_start))
        if off_end < closes:
            result.append((off_end, closes))
    return result


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())
