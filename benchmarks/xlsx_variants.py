"""The export as it was before issue 15 (openpyxl ``write_only``), kept as the benchmark's baseline.

``benchmarks/xlsx_benchmark.py`` runs it beside ``core.xlsx.export.write_export`` on the same
rows; ``tests/catalog/test_xlsx_writer.py`` checks both write the same cells.
"""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from core.xlsx.columns import columns_for, sheet_title
from core.xlsx.export import HEADER_FILL, HEADER_FONT, MAX_ROWS, _width, export_values


def _text_safe(ws, value):
    """Text stays text: openpyxl would store "=…" typed by a user as a formula (formula injection)."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    if isinstance(value, dt.time):  # a time cell reads 09:30, as on the screen
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "hh:mm:ss" if value.second else "hh:mm"
        return cell
    return value


def _header(ws, text, fill=HEADER_FILL):
    cell = WriteOnlyCell(ws, value=text)
    cell.font = HEADER_FONT
    cell.fill = fill
    return cell


def write_export_openpyxl(entity, query, out, progress=None) -> int:
    """The old ``write_export``: the same rows and cells through openpyxl's write-only workbook."""
    columns = columns_for(entity).export
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title(entity))
    for i, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = _width(column)
    ws.freeze_panes = "A2"
    ws.append([_header(ws, c.header) for c in columns])
    count = 0
    for values in export_values(entity, query, columns):  # the same values as the new writer
        if count >= MAX_ROWS:
            break
        ws.append([_text_safe(ws, value) for value in values])
        count += 1
        if progress and count % 1000 == 0:
            progress(count)
    if progress:
        progress(count)
    wb.save(out)
    return count
