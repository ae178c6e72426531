"""The period of a report, typed by the coordinator: checked, with errors in plain words."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .selectors import Period

# Longer periods say little and make every table long; ten years covers any funder's question.
MAX_DAYS = 3660
EARLIEST = date(2000, 1, 1)
# Far enough for any plan; keeps the day after the period a date every database can hold.
LATEST = date(2100, 12, 31)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"),
        help_text=_("For example, 2026-11-01"),
        widget=DateInput(),
        error_messages={
            "required": _("Enter the first day of the period."),
            "invalid": _("Enter the first day as a date, for example 2026-11-01."),
        },
    )
    end = forms.DateField(
        label=_("To"),
        help_text=_("For example, 2026-11-30. This day is included."),
        widget=DateInput(),
        error_messages={
            "required": _("Enter the last day of the period."),
            "invalid": _("Enter the last day as a date, for example 2026-11-30."),
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and start < EARLIEST:
            self.add_error("start", gettext("The first day must be in 2000 or later."))
        if end and end > LATEST:
            self.add_error("end", gettext("The last day must be in 2100 or earlier."))
            return data
        if start and end and end < start:
            self.add_error(
                "end", gettext("The last day must be the same as or after the first day.")
            )
        elif start and end and (end - start).days + 1 > MAX_DAYS:
            self.add_error("end", gettext("Choose a period of at most ten years."))
        return data

    @property
    def period(self) -> Period:
        """The period typed; only after ``is_valid()`` returned true."""
        return Period(start=self.cleaned_data["start"], end=self.cleaned_data["end"])


MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


class MonthForm(forms.Form):
    month = forms.CharField(
        label=_("Month"),
        help_text=_("For example, 2026-11"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "inputmode": "numeric"}),
        error_messages={"required": _("Enter the month, for example 2026-11.")},
    )

    def clean_month(self) -> Period:
        match = MONTH_PATTERN.match(self.cleaned_data["month"].strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValidationError(gettext("Enter the month, for example 2026-11."), code="invalid")
        year = int(match.group(1))
        if not EARLIEST.year <= year <= LATEST.year:
            raise ValidationError(gettext("Enter a month between 2000 and 2100."), code="invalid")
        return Period.month(year, int(match.group(2)))
