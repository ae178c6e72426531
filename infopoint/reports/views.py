"""Report pages and exports: each view checks the period, reads the tables, and renders."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from infopoint.hours.calendar import office_zone

from .charts import bar_chart
from .decorators import coordinator_required
from .exports import filename, table_csv, tables_xlsx
from .forms import MonthForm, PeriodForm
from .selectors import Period, response_times
from .tables import (
    SLUGS,
    Table,
    hours,
    percent,
    report_table,
    report_tables,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _today_period() -> Period:
    """This month until today, in the office's calendar."""
    today = timezone.localdate(timezone.now(), office_zone())
    return Period(start=today.replace(day=1), end=today)


def _period_form(request: HttpRequest) -> PeriodForm:
    if "start" in request.GET or "end" in request.GET:
        return PeriodForm(request.GET)
    default = _today_period()
    return PeriodForm({"start": default.start.isoformat(), "end": default.end.isoformat()})


def _sections(tables: list[Table]) -> list[dict[str, Any]]:
    return [
        {
            "table": table,
            "chart": bar_chart(
                chart_id=f"chart-{table.slug}", title=table.title, bars=table.chart, unit=table.unit
            )
            if table.chart
            else None,
        }
        for table in tables
    ]


@require_GET
@coordinator_required
def index(request: HttpRequest) -> HttpResponse:
    form = _period_form(request)
    if not form.is_valid():
        return render(request, "reports/index.html", {"form": form}, status=400)
    period = form.period
    context = {
        "form": form,
        "period": period,
        "query": f"start={period.start:%Y-%m-%d}&end={period.end:%Y-%m-%d}",
        "sections": _sections(report_tables(period=period)),
    }
    return render(request, "reports/index.html", context)


def _download(content: bytes, *, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@coordinator_required
def export(request: HttpRequest, slug: str, extension: str) -> HttpResponse:
    """One table as CSV or XLSX, or every table as one XLSX workbook (slug "all")."""
    if not (slug in SLUGS or (slug == "all" and extension == "xlsx")):
        raise Http404
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return render(request, "reports/index.html", {"form": form}, status=400)
    period = form.period
    name = filename(slug=slug, period=period, extension=extension)
    if extension == "csv":
        content = table_csv(report_table(slug=slug, period=period))
        return _download(content, content_type="text/csv; charset=utf-8", name=name)
    tables = (
        report_tables(period=period) if slug == "all" else [report_table(slug=slug, period=period)]
    )
    return _download(tables_xlsx(tables, period=period), content_type=XLSX_TYPE, name=name)


@require_GET
@coordinator_required
def summary(request: HttpRequest) -> HttpResponse:
    """The monthly summary a city sends to its funders: printable, one month at a time."""
    if "month" in request.GET:
        form = MonthForm(request.GET)
    else:
        form = MonthForm({"month": f"{_today_period().start:%Y-%m}"})
    if not form.is_valid():
        return render(request, "reports/summary.html", {"form": form}, status=400)
    period: Period = form.cleaned_data["month"]
    times = response_times(period=period)
    tables = report_tables(period=period, times=times)
    by_slug = {table.slug: table for table in tables}
    context = {
        "form": form,
        "period": period,
        "query": f"start={period.start:%Y-%m-%d}&end={period.end:%Y-%m-%d}",
        "times": times,
        "median_hours": hours(times.median_seconds),
        "on_time_percent": percent(times.share_on_time),
        "referrals": by_slug["referrals"].footer,
        "appointments": by_slug["appointments"].footer,
        "response_table": by_slug["response"],
        "sections": _sections([table for table in tables if table.slug != "response"]),
    }
    return render(request, "reports/summary.html", context)
