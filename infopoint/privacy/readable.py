"""The readable (HTML) copy of a person's records, written for that person.

The export data keep machine values (UTC ISO times, status codes) so the JSON stays stable;
the readable copy turns them into local times and labels in the person's language.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import formats, timezone

from infopoint.appointments.models import BookingStatus
from infopoint.enquiries.models import Channel, Direction, Status
from infopoint.hours.calendar import office_zone
from infopoint.mail.models import OutgoingMessage

# The keys of the export data that hold times, and the labels of each key's codes.
_TIME_KEYS = (
    "received_at",
    "closed_at",
    "given_at",
    "at",
    "starts_at",
    "ends_at",
    "booked_at",
    "added_at",
    "created_at",
    "sent_at",
    "generated_at",
)


def export_language(*, data: dict[str, Any], chosen: str | None) -> str:
    """The language of the copy: the one the coordinator chose, else the language the person
    asked to be answered in or wrote in, else the site's default."""
    site = [code for code, _name in settings.LANGUAGES]
    spoken = [
        *(enquiry.get("language_of_answer") for enquiry in data["enquiries"]),
        *(enquiry.get("language") for enquiry in data["enquiries"]),
        *(booking.get("language") for booking in data["appointments"]),
        *(entry.get("language") for entry in data["waiting_list"]),
    ]
    for code in (chosen, *spoken):
        if code in site:
            return str(code)
    return settings.LANGUAGE_CODE


def _local(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return formats.date_format(timezone.localtime(moment, office_zone()), "DATETIME_FORMAT")


def _label(choices: Any) -> Callable[[Any], Any]:
    labels = dict(choices.choices)
    return lambda code: str(labels.get(code, code))


def _readable(value: Any, labels: dict[str, Callable[[Any], Any]]) -> Any:
    if isinstance(value, list):
        return [_readable(item, labels) for item in value]
    if not isinstance(value, dict):
        return value
    result = {}
    for key, item in value.items():
        if key in _TIME_KEYS:
            result[key] = _local(item)
        elif key in labels and isinstance(item, str):
            result[key] = labels[key](item)
        else:
            result[key] = _readable(item, labels)
    return result


def export_readable(data: dict[str, Any]) -> dict[str, Any]:
    """The export data with local times and translated labels, in the active language."""
    data = copy.deepcopy(data)
    enquiry_labels = {
        "status": _label(Status),
        "channel": _label(Channel),
        "direction": _label(Direction),
    }
    data["enquiries"] = _readable(data["enquiries"], enquiry_labels)
    data["appointments"] = _readable(data["appointments"], {"status": _label(BookingStatus)})
    data["emails_sent"] = _readable(data["emails_sent"], {"status": _label(OutgoingMessage.Status)})
    for section in ("waiting_list", "emails_received", "request"):
        data[section] = _readable(data[section], {})
    data["generated_at"] = _local(data["generated_at"])
    return data
