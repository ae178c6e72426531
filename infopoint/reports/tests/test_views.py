"""The report pages and exports: who may open them, bad periods, and figures in every format."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info, gettext
from openpyxl import load_workbook

from infopoint.accounts.models import Role
from infopoint.enquiries.models import Channel, Enquiry, Status
from infopoint.hours.calendar import office_zone
from infopoint.knowledge.services import search_miss_record

from .factories import EnquiryFactory, institution_named, staff_user, topic_named

pytestmark = pytest.mark.django_db
WARSAW = office_zone()
QUERY = {"start": "2026-10-01", "end": "2026-10-31"}


@pytest.fixture
def coordinator_client(client: Client) -> Client:
    client.force_login(staff_user(Role.COORDINATOR))
    return client


@pytest.fixture
def october() -> None:
    """Five enquiries in October 2026 (three on a topic named with a formula), one in November."""
    topic = topic_named('=HYPERLINK("http://evil.example")')
    for day in (1, 2, 3):
        EnquiryFactory(
            created_at=datetime(2026, 10, day, 10, tzinfo=WARSAW),
            topic=topic,
            channel=Channel.EMAIL,
            language="uk",
            status=Status.ANSWERED,
            first_response_at=datetime(2026, 10, day, 12, tzinfo=WARSAW),
            first_response_working_seconds=7200,
        )
    for day in (4, 31):
        EnquiryFactory(created_at=datetime(2026, 10, day, 10, tzinfo=WARSAW), language="pl")
    EnquiryFactory(created_at=datetime(2026, 11, 1, 0, 0, tzinfo=WARSAW))
    institution_named("Voivodeship Office")


def test_anonymous_people_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(reverse("reports:index"))
    assert response.status_code == 302
    assert response["Location"].endswith("?next=/en/reports/")


@pytest.mark.parametrize("role", [Role.CONSULTANT, Role.ADVISER])
@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("reports:index", []),
        ("reports:summary", []),
        ("reports:export_csv", ["topics"]),
        ("reports:export_xlsx", ["all"]),
    ],
)
def test_other_roles_get_403(client: Client, role: str, name: str, args: list[str]) -> None:
    client.force_login(staff_user(role))
    response = client.get(reverse(name, args=args), QUERY)
    assert response.status_code == 403
    assert b"coordinators and administrators" in response.content


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMINISTRATOR])
def test_coordinators_and_administrators_see_the_page(client: Client, role: str) -> None:
    client.force_login(staff_user(role))
    response = client.get(reverse("reports:index"))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_page_shows_tables_and_accessible_charts(
    coordinator_client: Client, october: None
) -> None:
    response = coordinator_client.get(reverse("reports:index"), QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    for title in ("Enquiries by topic", "Enquiries by month", "Appointments by legal adviser"):
        assert title in html
    # A chart beside each enquiry count; none for referrals and appointments: there are none.
    assert html.count("<svg") == 5
    assert 'role="img"' in html and '<title id="chart-topics-title">' in html
    assert "style=" not in html.split("<main", 1)[1]
    assert "<script" not in html
    # The topic named like a formula is escaped in the page.
    assert "=HYPERLINK(&quot;http://evil.example&quot;)" in html
    rows = response.context["sections"]
    by_slug = {section["table"].slug: section["table"] for section in rows}
    assert by_slug["months"].rows == [["2026-10", 5]]
    assert by_slug["topics"].footer == ["Total", 5]
    response_rows = {row[0]: row[1] for row in by_slug["response"].rows}
    assert response_rows["Answered"] == 3
    assert response_rows["Median time to the first answer (opening hours)"] == 2.0


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        (
            {"start": "2026-10-31", "end": "2026-10-01"},
            "end",
            "The last day must be the same as or after",
        ),
        ({"start": "2026-02-30", "end": "2026-03-01"}, "start", "Enter the first day as a date"),
        ({"start": "yesterday", "end": "2026-03-01"}, "start", "Enter the first day as a date"),
        ({"start": "", "end": "2026-03-01"}, "start", "Enter the first day of the period."),
        ({"start": "2001-01-01", "end": "2026-03-01"}, "end", "at most ten years"),
        ({"start": "1999-12-31", "end": "2000-01-02"}, "start", "in 2000 or later"),
        ({"start": "2026-01-01"}, "end", "Enter the last day of the period."),
        ({"start": "9999-12-30", "end": "9999-12-31"}, "end", "in 2100 or earlier"),
    ],
)
def test_impossible_periods_get_a_clear_error(
    coordinator_client: Client, query: dict[str, str], field: str, message: str
) -> None:
    for url in (reverse("reports:index"), reverse("reports:export_csv", args=["topics"])):
        response = coordinator_client.get(url, query)
        assert response.status_code == 400
        assert message in response.content.decode()
        assert response.context["form"].has_error(field)
        assert b"There is a problem" in response.content


def test_errors_are_translated(coordinator_client: Client) -> None:
    with translation.override("uk"):
        url = reverse("reports:index")
        expected = gettext("The last day must be the same as or after the first day.")
    response = coordinator_client.get(url, {"start": "2026-10-31", "end": "2026-10-01"})
    assert response.status_code == 400
    assert expected in response.content.decode()


def test_unknown_tables_are_not_found(coordinator_client: Client) -> None:
    assert coordinator_client.get("/en/reports/export/nothing.csv", QUERY).status_code == 404
    assert coordinator_client.get("/en/reports/export/all.csv", QUERY).status_code == 404
    assert coordinator_client.post(reverse("reports:index"), QUERY).status_code == 405


def test_csv_export_has_the_figures_and_no_formulas(
    coordinator_client: Client, october: None
) -> None:
    response = coordinator_client.get(reverse("reports:export_csv", args=["topics"]), QUERY)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        'filename="infopoint-topics-2026-10-01-2026-10-31.csv"' in response["Content-Disposition"]
    )
    text = response.content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0] == ["Topic", "Enquiries"]
    assert ['\'=HYPERLINK("http://evil.example")', "3"] in lines
    assert ["No topic", "2"] in lines
    assert lines[-1] == ["Total", "5"]


def test_xlsx_export_opens_with_every_table(coordinator_client: Client, october: None) -> None:
    response = coordinator_client.get(reverse("reports:export_xlsx", args=["all"]), QUERY)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "topics",
        "languages",
        "channels",
        "months",
        "statuses",
        "response",
        "referrals",
        "appointments",
        "misses",
    ]
    channels = {
        row[0]: row[1] for row in workbook["channels"].iter_rows(min_row=4, values_only=True)
    }
    october_rows = Enquiry.objects.filter(
        created_at__gte=datetime(2026, 10, 1, tzinfo=WARSAW),
        created_at__lt=datetime(2026, 11, 1, tzinfo=WARSAW),
    )
    assert channels["E-mail"] == october_rows.filter(channel=Channel.EMAIL).count() == 3
    assert channels["Total"] == october_rows.count() == 5
    topics = workbook["topics"]
    formula_cell = next(
        cell
        for row in topics.iter_rows(min_row=4)
        for cell in row
        if "HYPERLINK" in str(cell.value)
    )
    assert formula_cell.data_type == "s"


def test_searches_with_no_result_as_csv(coordinator_client: Client) -> None:
    """Words typed by the public are counted per language; a formula stays text."""
    for language, query in [
        ("uk", "=cmd|' /c calc'!A1"),
        ("pl", "=CMD|' /C calc'!a1"),
        ("en", "x"),
    ]:
        search_miss_record(query=query, language=language, day=date(2026, 10, 5))
    search_miss_record(query="x", language="en", day=date(2026, 11, 1))  # after the period
    response = coordinator_client.get(reverse("reports:export_csv", args=["misses"]), QUERY)
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    codes = [code for code, _name in settings.LANGUAGES]
    names = [get_language_info(code)["name_translated"] for code in codes]
    assert lines[0] == ["Words searched", "Searches", *names]

    def row(query: str, **counts: int) -> list[str]:
        return [query, str(sum(counts.values())), *(str(counts.get(code, 0)) for code in codes)]

    assert lines[1:] == [row("'=cmd|' /c calc'!a1", uk=1, pl=1), row("x", en=1)]
    page = coordinator_client.get(reverse("reports:index"), QUERY).content.decode()
    assert "Searches with no result" in page


def test_one_table_as_xlsx(coordinator_client: Client, october: None) -> None:
    response = coordinator_client.get(reverse("reports:export_xlsx", args=["months"]), QUERY)
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["months"]
    values = list(workbook["months"].iter_rows(min_row=4, values_only=True))
    assert values == [("2026-10", 5), ("Total", 5)]


def test_monthly_summary(coordinator_client: Client, october: None) -> None:
    response = coordinator_client.get(reverse("reports:summary"), {"month": "2026-10"})
    assert response.status_code == 200
    assert response.context["period"].start == date(2026, 10, 1)
    assert response.context["times"].received == 5
    assert response.context["on_time_percent"] == 100.0
    html = response.content.decode()
    assert "Monthly summary: October 2026" in html
    assert 'href="/static/reports/reports.css"' in html or "reports/reports.css" in html


@pytest.mark.parametrize("month", ["2026-13", "October", "1999-12", "9999-12", "2026-00", ""])
def test_monthly_summary_refuses_bad_months(coordinator_client: Client, month: str) -> None:
    response = coordinator_client.get(reverse("reports:summary"), {"month": month})
    assert response.status_code == 400
    assert b"There is a problem" in response.content
