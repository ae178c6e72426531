"""The tables of a report as CSV (one table) and XLSX (one sheet per table) files."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font

from .selectors import Period
from .tables import Cell, Table

# Spreadsheets run a cell that starts with one of these as a formula: a topic or institution
# name typed by staff must stay text (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text_safe(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _lines(table: Table) -> list[list[Cell]]:
    lines: list[list[Cell]] = [list(table.headers), *table.rows]
    if table.footer is not None:
        lines.append(table.footer)
    return lines


def filename(*, slug: str, period: Period, extension: str) -> str:
    return f"infopoint-{slug}-{period.start:%Y-%m-%d}-{period.end:%Y-%m-%d}.{extension}"


def table_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read Polish and Cyrillic."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in _lines(table):
        writer.writerow(["" if cell is None else _text_safe(cell) for cell in line])
    return ("\ufeff" + buffer.getvalue()).encode()


def tables_xlsx(tables: Sequence[Table], *, period: Period) -> bytes:
    """One sheet per table: the period on top, bold headers, then the rows and the total."""
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    bold = Font(bold=True)
    for table in tables:
        sheet = workbook.create_sheet(title=table.slug)
        sheet.append([table.title, f"{period.start:%Y-%m-%d} – {period.end:%Y-%m-%d}"])
        sheet.append([])
        for number, line in enumerate(_lines(table)):
            sheet.append(line)
            row = sheet.max_row
            for cell in sheet[row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # never a formula
                if number == 0 or (table.footer is not None and number == len(table.rows) + 1):
                    cell.font = bold
        sheet["A1"].font = bold
        sheet.column_dimensions["A"].width = 48
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
