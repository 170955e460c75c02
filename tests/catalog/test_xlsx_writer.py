"""The streaming export writer (core/xlsx/sheet.py): the cells openpyxl's writer wrote, read back.

Timing lives in benchmarks/xlsx_benchmark.py; here the file itself: typed cells, text kept
as text, styles, widths, the frozen header, and the same cells as the old openpyxl writer.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from openpyxl import load_workbook

from benchmarks.xlsx_variants import write_export_openpyxl
from core.xlsx.sheet import SheetWriter


def _cells(data: bytes):
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    return ws, [[(c.value, c.data_type, c.number_format, bool(c.font.b), c.fill.fgColor.rgb)
                 for c in row] for row in ws.iter_rows()]


def test_cells_are_typed_and_text_stays_text():
    out = io.BytesIO()
    with SheetWriter(out, "资产<卡片>&", [12, 20, 30]) as sheet:
        sheet.header(["名称", "日期", "金额"])
        sheet.row(['=HYPERLINK("http://example.invalid","点我")', dt.date(2026, 3, 1), Decimal("5999.99")])
        sheet.row(["+1 & <b> 换行\n", dt.datetime(2026, 3, 1, 9, 30), 12])
        sheet.row([" 前后空格 ", dt.time(9, 30), 1.5])
        sheet.row(["控制\x01字符", dt.time(9, 30, 15), True])
        sheet.row([None, "末行", float("nan")])
    ws, rows = _cells(out.getvalue())
    assert ws.title == "资产<卡片>&" and ws.freeze_panes == "A2"
    assert [ws.column_dimensions[k].width for k in "ABC"] == [12, 20, 30]
    assert rows[0][0] == ("名称", "s", "General", True, "00DDEBF7")
    formula = rows[1][0]
    assert formula[:2] == ('=HYPERLINK("http://example.invalid","点我")', "s")  # never a formula
    assert rows[1][1][0] == dt.datetime(2026, 3, 1) and rows[1][1][2] == "yyyy-mm-dd"
    assert rows[1][2][:2] == (5999.99, "n")
    assert rows[2][0][0] == "+1 & <b> 换行\n"
    assert rows[2][1][0] == dt.datetime(2026, 3, 1, 9, 30) and rows[2][1][2] == "yyyy-mm-dd h:mm:ss"
    assert rows[3][0][0] == " 前后空格 " and rows[3][1][:3] == (dt.time(9, 30), "d", "hh:mm")
    assert rows[4][0][0] == "控制字符" and rows[4][1][2] == "hh:mm:ss" and rows[4][2][:2] == (True, "b")
    assert [c[0] for c in rows[5]] == [None, "末行", None]


def test_an_export_holds_the_cells_the_openpyxl_writer_wrote(app):
    """Every cell, style and width as the old writer (kept in benchmarks/) wrote them."""
    from core.scoping import acting_as_username
    from core.state import get_state
    from core.xlsx.columns import entity_view
    from core.xlsx.export import list_query, write_export

    with app.app_context(), app.test_request_context("/"), acting_as_username("urumqi_bureau"):
        entity = get_state().entities.get("asset")
        query = list_query(entity_view(entity))
        files = []
        for write in (write_export, write_export_openpyxl):
            out = io.BytesIO()
            files.append((write(entity, query, out), out.getvalue()))
        assert files[0][0] == files[1][0] > 3
        (new_ws, new), (old_ws, old) = _cells(files[0][1]), _cells(files[1][1])
        assert len(new) == files[0][0] + 1
        assert new == old
        assert new_ws.title == old_ws.title and new_ws.freeze_panes == old_ws.freeze_panes == "A2"
        widths = [{k: d.width for k, d in ws.column_dimensions.items()} for ws in (new_ws, old_ws)]
        assert widths[0] == widths[1]


def _cell_of_object(column, row):
    """A cell as the export made it from the entity object before it read plain rows."""
    from core.extensions import db
    from core.fab.column_types import enum_code
    from core.xlsx.columns import cell_value

    if column.kind == "relation":
        ident = getattr(row, column.name)
        related = None if ident is None else db.session.get(column.relation.model, ident)
        return None if related is None else getattr(related, column.relation.keys[0])
    if column.kind == "choice":
        code = enum_code(getattr(row, column.name, None))
        return {k: str(v) for k, v in column.choices.items()}.get(code, code)
    value = getattr(row, column.name, None)
    if column.kind == "computed" and value is not None and not isinstance(
            value, dt.date | int | float | bool | str):
        value = str(value)
    return cell_value(column, value)


def test_plain_rows_hold_the_cells_of_the_entity_objects(app):
    """``export_values`` reads columns and joined keys, not objects: every type's cells are
    still those its objects give (choice labels, related keys, dates, properties), in the list's order."""
    from core.scoping import acting_as_username
    from core.state import get_state
    from core.xlsx.columns import columns_for, entity_view
    from core.xlsx.export import export_values, list_query, plain_query

    with app.app_context(), app.test_request_context("/"), acting_as_username("urumqi_bureau"):
        seen = 0
        for entity in get_state().entities:
            view = entity_view(entity)
            query = list_query(view) if view is not None else plain_query(entity)
            columns = columns_for(entity).export
            expected = [[_cell_of_object(c, row) for c in columns] for row in query.all()]
            assert list(export_values(entity, query)) == expected, entity.key
            seen += bool(expected)
        assert seen > 10
