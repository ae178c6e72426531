"""The report as tables: one list of headers and rows per figure, shared by the page, the
monthly summary, the CSV and XLSX exports and the API, so all of them show the same numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils.translation import get_language_info, gettext, gettext_lazy

from . import selectors
from .selectors import CountRow, Period, ResponseTimes

Cell = str | int | float | None


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    headers: list[str]
    rows: list[list[Cell]]
    # A "Total" row under the rows, when adding them up means something.
    footer: list[Cell] | None = None
    # (label, value) pairs to draw as bars; empty for tables without a chart.
    chart: list[tuple[str, float]] = field(default_factory=list)
    # What one unit of the chart's values is, e.g. "enquiries".
    unit: str = ""


# Slugs of every table, in the order they are shown; they name the export files too.
SLUGS = (
    "topics",
    "languages",
    "channels",
    "months",
    "statuses",
    "response",
    "referrals",
    "appointments",
    "misses",
)
SLUG_TITLES = {
    "topics": gettext_lazy("Enquiries by topic"),
    "languages": gettext_lazy("Enquiries by language"),
    "channels": gettext_lazy("Enquiries by channel"),
    "months": gettext_lazy("Enquiries by month"),
    "statuses": gettext_lazy("Enquiries by status"),
    "response": gettext_lazy("First answer, in opening hours"),
    "referrals": gettext_lazy("Referrals by institution"),
    "appointments": gettext_lazy("Appointments by legal adviser"),
    "misses": gettext_lazy("Searches with no result"),
}


def hours(seconds: float | None) -> float | None:
    """Seconds as hours with two decimals, for people to read (and spreadsheets to add up)."""
    return None if seconds is None else round(seconds / 3600, 2)


def percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def _count_table(slug: str, heading: str, rows: list[CountRow]) -> Table:
    return Table(
        slug=slug,
        title=str(SLUG_TITLES[slug]),
        headers=[heading, gettext("Enquiries")],
        rows=[[row.label, row.count] for row in rows],
        footer=[gettext("Total"), selectors.total(rows)],
        chart=[(row.label, row.count) for row in rows],
        unit=gettext("enquiries"),
    )


def response_table(*, times: ResponseTimes) -> Table:
    return Table(
        slug="response",
        title=str(SLUG_TITLES["response"]),
        headers=[gettext("Figure"), gettext("Value")],
        rows=[
            [gettext("Enquiries received"), times.received],
            [gettext("Answered"), times.answered],
            [
                gettext("Median time to the first answer (opening hours)"),
                hours(times.median_seconds),
            ],
            [gettext("90% answered within (opening hours)"), hours(times.p90_seconds)],
            [gettext("Answered with a due time"), times.answered_with_due],
            [gettext("Answered on time"), times.answered_on_time],
            [gettext("Share answered on time (%)"), percent(times.share_on_time)],
            [gettext("Not answered yet and overdue"), times.unanswered_overdue],
        ],
    )


def referrals_table(*, period: Period) -> Table:
    rows = selectors.referrals_by_institution(period=period)
    return Table(
        slug="referrals",
        title=str(SLUG_TITLES["referrals"]),
        headers=[gettext("Institution"), gettext("Referrals")],
        rows=[[row.label, row.count] for row in rows],
        footer=[gettext("Total"), selectors.total(rows)],
        chart=[(row.label, row.count) for row in rows],
        unit=gettext("referrals"),
    )


def appointments_table(*, period: Period) -> Table:
    rows = selectors.appointments_by_adviser(period=period)
    columns = ("booked", "held", "no_show", "cancelled", "cancelled_late", "pending")
    return Table(
        slug="appointments",
        title=str(SLUG_TITLES["appointments"]),
        headers=[
            gettext("Legal adviser"),
            gettext("Booked"),
            gettext("Held"),
            gettext("Did not come"),
            gettext("Cancelled"),
            gettext("Cancelled late"),
            gettext("To come or not recorded yet"),
        ],
        rows=[[row.label, *(getattr(row, name) for name in columns)] for row in rows],
        footer=[gettext("Total"), *(sum(getattr(row, name) for row in rows) for name in columns)],
        chart=[(row.label, row.held) for row in rows],
        unit=gettext("appointments held"),
    )


# Bars drawn for the searches with no result: the most frequent; the table lists more.
MISSES_CHARTED = 10


def search_misses_table(*, period: Period) -> Table:
    rows = selectors.search_misses(period=period)
    codes = [code for code, _name in settings.LANGUAGES]
    return Table(
        slug="misses",
        title=str(SLUG_TITLES["misses"]),
        headers=[
            gettext("Words searched"),
            gettext("Searches"),
            *(str(get_language_info(code)["name_translated"]) for code in codes),
        ],
        rows=[[row.query, row.count, *(row.by_language[code] for code in codes)] for row in rows],
        chart=[(row.query, row.count) for row in rows[:MISSES_CHARTED]],
        unit=gettext("searches"),
    )


def report_table(*, slug: str, period: Period, now: datetime | None = None) -> Table:
    """One table of the report; ``slug`` is one of SLUGS (KeyError otherwise)."""
    builders = {
        "topics": lambda: _count_table(
            "topics", gettext("Topic"), selectors.enquiries_by_topic(period=period)
        ),
        "languages": lambda: _count_table(
            "languages", gettext("Language"), selectors.enquiries_by_language(period=period)
        ),
        "channels": lambda: _count_table(
            "channels", gettext("Channel"), selectors.enquiries_by_channel(period=period)
        ),
        "months": lambda: _count_table(
            "months", gettext("Month"), selectors.enquiries_by_month(period=period)
        ),
        "statuses": lambda: _count_table(
            "statuses", gettext("Status"), selectors.enquiries_by_status(period=period)
        ),
        "response": lambda: response_table(times=selectors.response_times(period=period, now=now)),
        "referrals": lambda: referrals_table(period=period),
        "appointments": lambda: appointments_table(period=period),
        "misses": lambda: search_misses_table(period=period),
    }
    return builders[slug]()


def report_tables(
    *, period: Period, now: datetime | None = None, times: ResponseTimes | None = None
) -> list[Table]:
    """Every table, in SLUGS order; the five enquiry counts come from one query."""
    counts = selectors.enquiry_counts(period=period)
    return [
        _count_table("topics", gettext("Topic"), counts.by_topic),
        _count_table("languages", gettext("Language"), counts.by_language),
        _count_table("channels", gettext("Channel"), counts.by_channel),
        _count_table("months", gettext("Month"), counts.by_month),
        _count_table("statuses", gettext("Status"), counts.by_status),
        response_table(times=times or selectors.response_times(period=period, now=now)),
        referrals_table(period=period),
        appointments_table(period=period),
        search_misses_table(period=period),
    ]
