"""A small iCalendar (RFC 5545) writer for appointment invitations (RFC 5546: REQUEST, CANCEL).

Written here rather than taken from a library, so that the tests can check the output with an
independent parser. Times are given with TZID of the office zone and a VTIMEZONE built from
the zone's real transitions (read from the system's time-zone database) around the event.
Lines end with CRLF and are folded at 75 octets without splitting a UTF-8 character.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

PRODID = "-//Infopoint//Legal-advice appointments//EN"
MAX_OCTETS = 75

Method = Literal["REQUEST", "CANCEL"]


@dataclass(frozen=True)
class Person:
    email: str
    name: str = ""


@dataclass(frozen=True)
class Event:
    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    organizer: Person | None = None
    attendee: Person | None = None


def calendar_bytes(event: Event, *, method: Method, zone: ZoneInfo, stamp: datetime) -> bytes:
    """The whole VCALENDAR of one event, UTF-8, CRLF line endings, folded."""
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        *vtimezone_lines(zone, event.starts_at, event.ends_at),
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"SEQUENCE:{event.sequence}",
        f"DTSTAMP:{_utc_stamp(stamp)}",
        f"DTSTART;TZID={zone.key}:{_local(event.starts_at, zone)}",
        f"DTEND;TZID={zone.key}:{_local(event.ends_at, zone)}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    if event.organizer:
        lines.append(f"ORGANIZER{_cn(event.organizer)}:mailto:{event.organizer.email}")
    if event.attendee:
        partstat = "DECLINED" if method == "CANCEL" else "NEEDS-ACTION"
        lines.append(
            f"ATTENDEE{_cn(event.attendee)};CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;"
            f"PARTSTAT={partstat};RSVP=FALSE:mailto:{event.attendee.email}"
        )
    lines += [
        f"STATUS:{'CANCELLED' if method == 'CANCEL' else 'CONFIRMED'}",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines).encode()


def escape_text(value: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and line breaks."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Folds a content line so that no physical line is longer than 75 octets (RFC 5545 3.1)."""
    encoded = line.encode()
    if len(encoded) <= MAX_OCTETS:
        return line
    parts: list[str] = []
    limit = MAX_OCTETS
    current = ""
    size = 0
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append(current)
            # Each continuation line starts with one space, which counts towards the limit.
            current, size, limit = char, width, MAX_OCTETS - 1
        else:
            current += char
            size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _cn(person: Person) -> str:
    if not person.name:
        return ""
    # A parameter value is quoted; it may not contain double quotes or control characters.
    name = "".join(ch for ch in person.name if ch != '"' and ch >= " ")
    return f';CN="{name}"'


def _utc_stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(value: datetime, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%Y%m%dT%H%M%S")


def _offset(delta: timedelta | None) -> str:
    seconds = int((delta or timedelta(0)).total_seconds())
    sign = "-" if seconds < 0 else "+"
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


@dataclass(frozen=True)
class Transition:
    at: datetime  # UTC instant of the change
    offset_from: timedelta
    offset_to: timedelta
    name: str
    is_dst: bool


def transitions(zone: ZoneInfo, start: datetime, end: datetime) -> list[Transition]:
    """The zone's changes of UTC offset between ``start`` and ``end``, to the minute."""
    found: list[Transition] = []
    day = start.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    stop = end.astimezone(UTC)
    while day < stop:
        following = day + timedelta(days=1)
        if day.astimezone(zone).utcoffset() != following.astimezone(zone).utcoffset():
            low, high = day, following
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == low.astimezone(zone).utcoffset():
                    low = middle
                else:
                    high = middle
            instant = high.replace(second=0, microsecond=0)
            after = instant.astimezone(zone)
            found.append(
                Transition(
                    at=instant,
                    offset_from=low.astimezone(zone).utcoffset() or timedelta(0),
                    offset_to=after.utcoffset() or timedelta(0),
                    name=after.tzname() or "",
                    is_dst=bool(after.dst()),
                )
            )
        day = following
    return found


def vtimezone_lines(zone: ZoneInfo, starts_at: datetime, ends_at: datetime) -> list[str]:
    """A VTIMEZONE with every transition from a year before the event to a year after it.

    Each observance names the real local time of its change (in the offset before it), so a
    client computes the event's time from this component alone, on either side of a change.
    """
    window_start = starts_at - timedelta(days=366)
    window_end = ends_at + timedelta(days=366)
    changes = transitions(zone, window_start, window_end)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{zone.key}"]
    if not changes:
        moment = starts_at.astimezone(zone)
        offset = _offset(moment.utcoffset())
        lines += [
            "BEGIN:STANDARD",
            "DTSTART:19700101T000000",
            f"TZOFFSETFROM:{offset}",
            f"TZOFFSETTO:{offset}",
            f"TZNAME:{moment.tzname() or ''}",
            "END:STANDARD",
        ]
    for change in changes:
        kind = "DAYLIGHT" if change.is_dst else "STANDARD"
        local_before = (change.at + change.offset_from).replace(tzinfo=None)
        lines += [
            f"BEGIN:{kind}",
            f"DTSTART:{local_before:%Y%m%dT%H%M%S}",
            f"TZOFFSETFROM:{_offset(change.offset_from)}",
            f"TZOFFSETTO:{_offset(change.offset_to)}",
            f"TZNAME:{change.name}",
            f"END:{kind}",
        ]
    lines.append("END:VTIMEZONE")
    return lines
