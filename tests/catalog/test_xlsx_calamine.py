"""The import reads sheets with python-calamine (core/xlsx/read.py): the values it hands the
importer are the ones openpyxl's read-only mode gave, cell by cell, for every kind of cell.

Where calamine cannot tell what openpyxl told (an error cell, read as empty), the file is read
by openpyxl, as before.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook

from core.xlsx.read import _calamine_rows, _openpyxl_rows, blank, read_sheet
from core.xlsx.sheet import SheetWriter

pytest.importorskip("python_calamine")

ROWS, COLS = 1000, 200


def _every_kind() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["*资产编号", "名称", None, "  日期 ", "金额"])
    ws.append([1, 1.5, None, "  a b  ", True, False, dt.date(2024, 3, 1), dt.datetime(2024, 3, 1, 12, 30, 5),
               dt.time(13, 45), dt.timedelta(hours=30), 10 ** 15, -3, 0.1 + 0.2, " ", "\t", 1e20, 3.0,
               "001234", "文本\n换行", 2 ** 53, 1e-7, -0.0, Decimal("5999.99"), 12345678901234567890])
    ws.append([])
    ws.append(["x"] + [None] * 17 + ["far"])
    formats = [(0.5, "0%"), (45000, "yyyy-mm-dd"), (45000.25, "yyyy-mm-dd hh:mm"), (0.5, "yyyy-mm-dd"),
               (0.5, "hh:mm"), (1.5, "hh:mm"), (0, "yyyy-mm-dd"), (60, "yyyy-mm-dd"),
               (45000.999999, "yyyy-mm-dd hh:mm:ss"), (45000, 'yyyy"年"m"月"d"日"'), (45000, "m/d/yy"),
               (45000, "General"), (0.25, "[h]:mm:ss"), (45000, "[$-F800]dddd, mmmm dd, yyyy")]
    for column, (value, number_format) in enumerate(formats, start=1):
        cell = ws.cell(row=6, column=column, value=value)
        cell.number_format = number_format
    ws.cell(row=7, column=2, value="=1+1")
    ws.cell(row=9, column=3, value="data far down, after blank rows")
    out = io.BytesIO()
    wb.save(out)
    return _with_cells(out.getvalue(), "B7", '<c r="B7"><f>1+1</f><v>2</v></c>'
                       '<c r="C7" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>'
                       '<c r="D7" t="inlineStr"><is><t xml:space="preserve"> x </t></is></c>'
                       '<c r="E7" t="b"><v>1</v></c><c r="F7" t="n"><v>1.0</v></c>'
                       '<c r="G7" t="inlineStr"><is><r><t>rich</t></r>'
                       '<r><t xml:space="preserve"> text</t></r></is></c>'
                       '<c r="H7" t="str"><f>X</f><v></v></c>')


def _with_cells(data: bytes, cell: str, xml: str) -> bytes:
    """The workbook with the cell ``cell`` of the first sheet replaced by raw ``xml``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                content, n = re.subn(rf'<c r="{cell}"[^>]*>.*?</c>|<c r="{cell}"[^>]*/>'.encode(),
                                     xml.encode(), content, count=1)
                assert n == 1
            target.writestr(name, content)
    return out.getvalue()


def _openpyxl(data: bytes) -> list:
    rows = list(_openpyxl_rows(data, ROWS))
    width = max(len(r) for r in rows)
    return [tuple(r) + (None,) * (width - len(r)) for r in rows]


def _same(calamine: list, openpyxl: list) -> None:
    assert len(calamine) == len(openpyxl)
    for number, (ours, theirs) in enumerate(zip(calamine, openpyxl, strict=True), start=1):
        assert len(ours) == len(theirs), number
        for column, (a, b) in enumerate(zip(ours, theirs, strict=True), start=1):
            if isinstance(b, str) and not b.strip():  # calamine drops whitespace-only text
                assert blank(a), (number, column, a, b)
                continue
            if type(b) is float and b.is_integer() and type(a) is int:
                # a whole number written "1.0" (Excel writes "1"): calamine cannot tell them
                # apart; every conversion but a JSON column's makes the same of both (below)
                assert a == b, (number, column, a, b)
                continue
            assert (a, type(a)) == (b, type(b)), (number, column, a, b)


def test_every_kind_of_cell_reads_as_openpyxl_read_it():
    data = _every_kind()
    rows = _calamine_rows(data, ROWS, COLS)
    assert rows is not None
    rows = list(rows)
    _same(rows, _openpyxl(data))
    assert rows[6][1:8] == (2, "ab", " x ", True, 1, "rich text", None)  # formulas' cached values


def test_a_whole_float_converts_as_its_int(app):
    from core.xlsx.columns import Relation, XlsxColumn
    from core.xlsx.read import convert

    class Relations:
        def resolve(self, column, text):
            return text

    choices = {"c": {"1": "one"}}
    with app.app_context(), app.test_request_context("/"):
        for kind in ("text", "integer", "number", "date", "datetime", "time", "duration", "bool",
                     "choice", "relation"):
            column = XlsxColumn("c", "列", kind, choices={"1": "one"},
                                relation=Relation(object, ("name",), ("名称",)))
            for whole in (1, 45000, 0):
                got = []
                for value in (whole, float(whole)):
                    try:
                        got.append(convert(column, value, Relations(), choices))
                    except Exception as exc:  # noqa: BLE001 - the same refusal counts as the same
                        got.append(str(exc))
                if kind == "time" and whole == 0:  # "0.0" in the XML is midnight, "0" no time:
                    continue  # a file of Excel's writes "0" (docs/xlsx.md)
                if kind == "datetime":  # a number is no date-time: the schema refuses both alike
                    assert all(str(g).replace(".", "").isdigit() for g in got), got
                    continue
                assert got[0] == got[1], (kind, whole, got)


def test_a_sheet_of_the_export_writer_reads_as_openpyxl_read_it():
    out = io.BytesIO()
    with SheetWriter(out, "资产卡片", [12] * 6) as sheet:
        sheet.header(["编号", "日期", "时间", "金额", "是否", "备注"])
        sheet.row(["A-1", dt.date(2026, 3, 1), dt.datetime(2026, 3, 1, 9, 30), Decimal("5999.99"), True,
                   " 前后 "])
        sheet.row([None, dt.time(9, 30), None, 12, False, "=1+2"])
        sheet.row(["", None, None, None, None, None])
        sheet.row(["末行", dt.date(1900, 3, 1), dt.time(0, 0), 0.5, None, "控制\x01字符"])
    data = out.getvalue()
    _same(list(_calamine_rows(data, ROWS, COLS)), _openpyxl(data))


def test_a_sheet_starting_right_and_below_keeps_its_row_and_column_numbers():
    wb = Workbook()
    wb.active["C3"], wb.active["D5"], wb.active["E4"] = "x", " y ", 7
    out = io.BytesIO()
    wb.save(out)
    rows = list(_calamine_rows(out.getvalue(), ROWS, COLS))
    _same(rows, _openpyxl(out.getvalue()))
    assert rows[2][2] == "x" and rows[4][3] == " y " and rows[3][4] == 7


def test_an_error_cell_is_read_by_openpyxl(app):
    data = _with_cells(_every_kind(), "B2", '<c r="B2" t="e"><v>#N/A</v></c>')
    assert _calamine_rows(data, ROWS, COLS) is None
    with app.app_context():
        _header, body = read_sheet(io.BytesIO(data), 10 ** 7, ROWS)
    assert body[0] == (2, _openpyxl(data)[1]) and body[0][1][1] == "#N/A"


def test_a_cell_far_right_is_refused_before_the_grid_is_built(app):
    from core.xlsx.limits import UploadRefused

    data = _with_cells(_every_kind(), "B2", '<c r="B2"><v>1</v></c><c r="XFD2"><v>1</v></c>')
    with app.app_context(), pytest.raises(UploadRefused, match="列"):
        _calamine_rows(data, ROWS, COLS)
