"""Opening hours and status in words, in the visitor's language and date format."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import get_language, get_language_info, gettext, pgettext

from infopoint.hours.calendar import OfficeStatus, office_zone
from infopoint.hours.models import Weekday

# Within this many days ahead, the weekday name alone says which day is meant.
WEEKDAY_ONLY_WITHIN = 6


# Languages that write the names of languages and weekdays in lower case inside a sentence
# ("polski, angielski"; "otwarcie: poniedziałek"), unlike English or German. Django's
# catalogues capitalise some of them, as for a heading.
LOWER_CASE_NAMES = frozenset(
    {"be", "bg", "cs", "es", "fr", "it", "lt", "lv", "pl", "pt", "ro", "ru", "sk", "sl", "uk"}
)


def language_name(code: str) -> str:
    """The language's name in the visitor's language, e.g. "angielski" for "en" in Polish."""
    try:
        name = str(get_language_info(code)["name_translated"])
    except KeyError:
        return code
    return in_sentence(name)


def in_sentence(name: str) -> str:
    """A name as written inside a sentence in the visitor's language."""
    visitor = (get_language() or "").split("-")[0]
    if visitor in LOWER_CASE_NAMES and name:
        return name[0].lower() + name[1:]
    return name


def language_name_local(code: str) -> str:
    """The language's name in that language itself, e.g. "українська"."""
    try:
        return str(get_language_info(code)["name_local"])
    except KeyError:
        return code


def weekday_name(weekday: int) -> str:
    return str(Weekday(weekday).label)


def spans_text(spans: list[tuple[time, time]]) -> str:
    """Opening spans of one day, e.g. "9:00–12:00, 13:00–17:00", or "Closed"."""
    if not spans:
        return pgettext("office", "Closed")
    return ", ".join(
        pgettext("opening hours", "%(opens)s–%(closes)s")
        % {"opens": time_format(opens), "closes": time_format(closes)}
        for opens, closes in spans
    )


def day_text(day: date, today: date) -> str:
    """ "today", "tomorrow", a weekday name, or a full date further ahead."""
    if day == today:
        return gettext("today")
    if day == today + timedelta(days=1):
        return gettext("tomorrow")
    weekday = in_sentence(weekday_name(day.weekday()))
    if day - today <= timedelta(days=WEEKDAY_ONLY_WITHIN):
        return weekday
    return pgettext("weekday and date", "%(weekday)s, %(date)s") % {
        "weekday": weekday,
        "date": date_format(day),
    }


def moment_text(moment: datetime, today: date) -> str:
    """When something happens, e.g. "tomorrow at 9:00" or "Monday at 9:00"."""
    local = timezone.localtime(moment, office_zone())
    # Translators: %(day)s is "today", "tomorrow" or a weekday name in the nominative case
    # (e.g. "środa"); phrase it so that no declension is needed, e.g. "%(day)s, %(time)s".
    return pgettext("day and time", "%(day)s at %(time)s") % {
        "day": day_text(local.date(), today),
        "time": time_format(local.time()),
    }


def status_text(status: OfficeStatus, at: datetime | None = None) -> str:
    """One sentence: open or closed now, and until or from when."""
    zone = office_zone()
    today = timezone.localtime(at or timezone.now(), zone).date()
    if status.open:
        if status.closes_at is None:
            return gettext("Open now")
        closes = timezone.localtime(status.closes_at, zone)
        if closes.date() == today:
            return gettext("Open now — closes at %(time)s") % {"time": time_format(closes.time())}
        return gettext("Open now — closes %(when)s") % {"when": moment_text(closes, today)}
    if status.next_opening is None:
        if status.reason:
            return gettext("Closed today: %(reason)s") % {"reason": status.reason}
        return pgettext("office", "Closed")
    when = moment_text(status.next_opening, today)
    if status.reason:
        return gettext("Closed today: %(reason)s — opens %(when)s") % {
            "reason": status.reason,
            "when": when,
        }
    # Translators: %(when)s reads e.g. "tomorrow at 9:00" or "Monday at 9:00" (nominative).
    return gettext("Closed — opens %(when)s") % {"when": when}


def date_range_text(starts_on: date, ends_on: date) -> str:
    if starts_on == ends_on:
        return date_format(starts_on)
    return pgettext("date range", "%(start)s – %(end)s") % {
        "start": date_format(starts_on),
        "end": date_format(ends_on),
    }


def one_line_address(street_address: str, postal_code: str, city: str) -> str:
    """E.g. "ul. Przy Rondzie 6, 31-547 Kraków", leaving out what is empty."""
    place = " ".join(part for part in (postal_code, city) if part)
    return ", ".join(part for part in (street_address, place) if part)
