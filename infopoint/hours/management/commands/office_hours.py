"""Asks the office-hours calendar whether a place is open at a moment, and when it opens next."""

import json
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from infopoint.hours.calendar import OfficeStatus, office_zone
from infopoint.hours.models import Schedule
from infopoint.hours.selectors import calendar_for_schedule


class Command(BaseCommand):
    help = "Tells whether a place is open at a moment and when it opens next (office hours)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--at",
            help="ISO 8601 moment, e.g. 2026-11-11T10:00 (office time zone when no offset); "
            "default: now.",
        )
        parser.add_argument(
            "--schedule",
            help="Slug of the schedule; default: the point's own (OFFICE_SCHEDULE).",
        )
        parser.add_argument("--json", action="store_true", help="Print a JSON object.")
        parser.add_argument(
            "--language", default="en", help="Language of the reason (default: en)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        at = self._parse_at(options["at"]) if options["at"] else timezone.now()
        slug = options["schedule"] or settings.OFFICE_SCHEDULE
        try:
            calendar = calendar_for_schedule(slug)
        except Schedule.DoesNotExist:
            raise CommandError(
                _("No opening-hours schedule %(slug)s.") % {"slug": slug}, returncode=2
            ) from None
        with translation.override(options["language"]):
            status = calendar.status(at)
            if options["json"]:
                payload = {
                    "open": status.open,
                    "next_opening": (
                        status.next_opening.isoformat() if status.next_opening else None
                    ),
                    "reason": status.reason,
                }
                self.stdout.write(json.dumps(payload, ensure_ascii=False))
            else:
                self.stdout.write(self._line(status))

    @staticmethod
    def _parse_at(value: str) -> datetime:
        try:
            at = datetime.fromisoformat(value)
        except ValueError:
            raise CommandError(
                _("Not a date and time: %(value)r. Use ISO 8601, e.g. 2026-11-11T10:00.")
                % {"value": value},
                returncode=2,
            ) from None
        if timezone.is_naive(at):
            at = at.replace(tzinfo=office_zone())
        return at

    @staticmethod
    def _line(status: OfficeStatus) -> str:
        def moment(value: datetime) -> str:
            return f"{value:%Y-%m-%d %H:%M %Z}"

        if status.open and status.closes_at:
            text = _("Open until %(closes)s.") % {"closes": moment(status.closes_at)}
        elif status.reason:
            text = _("Closed: %(reason)s.") % {"reason": status.reason}
        else:
            text = _("Closed.")
        if status.next_opening:
            text += " " + _("Opens next %(opening)s.") % {"opening": moment(status.next_opening)}
        return text
