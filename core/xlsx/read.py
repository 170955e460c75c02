"""Reading an uploaded .xlsx for the import: the file, its headers, and each cell's value.

Kept apart from ``core.xlsx.importer`` (which checks and writes rows): nothing
here writes. Cells become what the entity's marshmallow schema loads: a code
from its label, an id from a natural key (looked up only among the rows the
user may point to), dates and exact numbers from what people type.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from core.display import from_local, join_items
from core.extensions import db
from core.fab.column_types import parse_duration, parse_json, parse_time
from core.scoping import scoped
from core.xlsx.columns import XlsxError

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 10_000


class CellError(Exception):
    pass


#: marshmallow's default messages in the user's language.

def limits():
    config = current_app.config
    return (int(config.get("XLSX_IMPORT_MAX_BYTES") or MAX_BYTES),
            int(config.get("XLSX_IMPORT_MAX_ROWS") or MAX_ROWS))


def load_bytes(source, max_bytes: int) -> bytes:
    """The upload's bytes once they pass every limit of ``core.xlsx.limits`` (size, really an
    .xlsx, decompressed size, members, declared rows and columns, no DTD); nothing parsed yet."""
    from core.xlsx.limits import check_upload

    return check_upload(source, "xlsx", max_bytes=max_bytes)


def _size_from_head(sheet) -> None:
    """openpyxl's ``ReadOnlyWorksheet._get_size``, reading only the head of the sheet.

    openpyxl looks for ``<dimension>`` with end events, so in a sheet without one (what a
    streaming writer such as ``core/xlsx/sheet.py`` writes: it cannot know its size first) it
    parses every row to reach the end of ``<sheetData>`` before the import reads them again:
    a third of the import's reading. ``<dimension>`` comes before ``<sheetData>`` in the
    schema, so start events find it, or find that there is none, at the head of the sheet."""
    from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
    from openpyxl.worksheet.dimensions import SheetDimension
    from openpyxl.xml.functions import iterparse

    src = sheet._get_source()
    try:
        for _event, element in iterparse(src, events=("start",)):
            if element.tag == DIMENSION_TAG:
                boundaries = SheetDimension.from_tree(element).boundaries
                if boundaries is not None:
                    sheet._min_column, sheet._min_row, sheet._max_column, sheet._max_row = boundaries
                return
            if element.tag == DATA_TAG:
                return
    finally:
        src.close()


def _read_only_sheets() -> None:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    if ReadOnlyWorksheet._get_size is not _size_from_head:
        ReadOnlyWorksheet._get_size = _size_from_head


#: An error cell (``#N/A``, ``#DIV/0!``): calamine reads it as empty, openpyxl as its text.
_ERROR_CELL = re.compile(rb"""<c\b[^>]*\bt\s*=\s*["']e["']""")


def _cell(value):
    """A calamine value as openpyxl's read-only mode gives it: empty text is no value, a whole
    number an int (Excel stores every number as a float), a date a date-time at midnight."""
    kind = type(value)
    if kind is str:
        return value or None
    if kind is float:
        return int(value) if value.is_integer() and -1e16 < value < 1e16 else value
    if kind is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    return value


def _calamine_rows(data: bytes, sheet_rows: int, max_cols: int):
    """The first worksheet's rows from row 1, each padded to the sheet's width, or None where
    openpyxl must read it (calamine not installed, a file it refuses, an error cell).

    python-calamine parses in Rust, ~8× less CPU than openpyxl's read-only mode (a fifth of an
    import's CPU); ``tests/catalog/test_xlsx_calamine.py`` compares the two cell by cell."""
    try:
        from python_calamine import CalamineWorkbook, SheetTypeEnum
    except ImportError:  # pragma: no cover - an install without it reads with openpyxl
        return None
    import zipfile

    from core.xlsx.limits import UploadRefused

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and _ERROR_CELL.search(archive.read(name)):
                return None
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        first = next(m.name for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet)
        sheet = book.get_sheet_by_name(first)
        end = sheet.end
        # a grid padded to the last column: a stray cell far right must not allocate its width
        if end is not None and end[1] + 1 > max_cols:
            raise UploadRefused(_("工作表超过 %(max)s 列，请删除多余的列", max=max_cols))
        left = (None,) * sheet.start[1] if end is not None else ()
    except UploadRefused:
        raise
    except Exception:  # noqa: BLE001 - openpyxl reads it, or says it is not a readable xlsx
        return None
    if end is None:
        return iter(())
    # rows from row 1, their cells from the first used column: padded on the left to column A
    return (left + tuple(map(_cell, row)) for row in itertools.islice(sheet.iter_rows(), sheet_rows + 1))


def _openpyxl_rows(data: bytes, sheet_rows: int):
    from openpyxl import load_workbook

    _read_only_sheets()
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    # a bound, so openpyxl never scans a sheet without <dimension> to learn its size
    yield from wb.worksheets[0].iter_rows(max_row=sheet_rows + 1, values_only=True)
    wb.close()


def read_sheet(source, max_bytes: int, max_rows: int):
    """The header row and the data rows (with their Excel row numbers) of the first sheet.

    Besides ``max_rows`` data rows, the sheet may hold at most ``XLSX_IMPORT_MAX_SHEET_ROWS``
    rows, blank ones included (default: ``max_rows`` + 2,000), and ``XLSX_IMPORT_MAX_COLUMNS``
    columns, also when it declares no size.
    """
    from core.xlsx.limits import UploadRefused, setting
    from core.xlsx.limits import sheet_rows as sheet_rows_limit

    data = load_bytes(source, max_bytes)
    sheet_rows, max_cols = sheet_rows_limit(), setting("XLSX_IMPORT_MAX_COLUMNS")
    try:
        rows = _calamine_rows(data, sheet_rows, max_cols)
        rows = rows if rows is not None else _openpyxl_rows(data, sheet_rows)
        header = next(rows, None)
        body = []
        for number, values in enumerate(rows, start=2):
            if number > sheet_rows:
                raise UploadRefused(_("工作表超过 %(max)s 行（含空行），请删除多余的空行或分成几个文件",
                                      max=sheet_rows))
            if len(values) > max_cols:
                raise UploadRefused(_("工作表超过 %(max)s 列，请删除多余的列", max=max_cols))
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if len(body) >= max_rows:
                raise XlsxError(_("行数过多（超过 %(n)s 行），请分成几个文件导入", n=max_rows))
            body.append((number, values))
    except XlsxError:
        raise
    except Exception as exc:  # noqa: BLE001 - zip, XML, openpyxl: all mean "not a readable xlsx"
        raise XlsxError(_("无法读取文件：不是有效的 Excel 工作簿（.xlsx）。"
                          "旧版 .xls 或 CSV 文件请在 Excel 中另存为 .xlsx 后再导入。")) from exc
    if header is not None and len(header) > max_cols:
        raise UploadRefused(_("工作表超过 %(max)s 列，请删除多余的列", max=max_cols))
    if not header or all(blank(v) for v in header):
        raise XlsxError(_("第 1 行应为列名，但它是空的。请使用下载的导入模板。"))
    if not body:
        raise XlsxError(_("文件中没有数据行（第 2 行起每行一条记录）"))
    return header, body


def in_chinese(func):
    """``func()`` in Chinese too: a file filled in Chinese imports for a user reading English."""
    from flask_babel import force_locale, get_locale

    if str(get_locale()).startswith("zh"):
        return None
    with force_locale("zh"):
        return func()


def choice_lookup(columns) -> dict[str, dict]:
    """Per choice column: code, and label as text, → code."""
    def build():
        return {c.name: {**{str(code): code for code in c.choices},
                         **{str(label): code for code, label in c.choices.items()}}
                for c in columns.importable if c.kind == "choice"}

    found = build()
    for name, more in (in_chinese(build) or {}).items():
        found[name] = {**more, **found[name]}
    return found


def _header_key(text) -> str:
    """A header as compared: no spaces, no required mark (the template's * or a typed （必填）)."""
    return re.sub(r"\s+", "", str(text or "")).lstrip("*＊").replace("（必填）", "").replace("(必填)", "")


def match_headers(columns, header, zh_columns=None):
    """Column (or None for a column the import ignores) by position; refuses unknown or missing."""
    lookup, ignored = {}, set()
    by_name = {c.name: c for c in columns.importable}
    for source in filter(None, (zh_columns, columns)):
        for column in source.importable:
            lookup[_header_key(column.header)] = lookup[column.name] = by_name[column.name]
        for column in source.export:  # an export opened, edited and imported back
            if _header_key(column.header) not in lookup:
                ignored.add(_header_key(column.header))
        for column in source.importable:
            for alias in column.aliases:
                lookup.setdefault(alias, by_name[column.name])
    matched, unknown, seen = [], [], set()
    for raw in header:
        text = _header_key(raw)
        if not text:
            matched.append(None)
            continue
        column = lookup.get(text)
        if column is None and text not in ignored and text not in {"id", "ID", "编号"}:
            unknown.append(text)
        if column is not None and column.name in seen:
            raise XlsxError(_("列“%(name)s”出现了两次", name=text))
        if column is not None:
            seen.add(column.name)
        matched.append(column)
    if unknown:
        raise XlsxError(_("无法识别的列：%(names)s。请使用下载的导入模板，不要修改第 1 行的列名。",
                          names=join_items(unknown)))
    missing = [c.header for c in columns.importable if c.required and c.name not in seen]
    if missing:
        raise XlsxError(_("缺少必填列：%(names)s", names=join_items(missing)))
    return matched


def _date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float):  # a date Excel kept as its serial number
        from openpyxl.utils.datetime import from_excel

        return from_excel(value).date()
    found = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", str(value).strip())
    if not found:
        raise CellError(_("不是有效的日期（如 2026-03-01）"))
    try:
        return dt.date(*map(int, found.groups()))
    except ValueError as exc:
        raise CellError(_("不是有效的日期（如 2026-03-01）")) from exc


def _time(value) -> dt.time:
    """A time cell (Excel gives a time, or a date-time or a day fraction if retyped) or text."""
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    if isinstance(value, float) and 0 <= value < 1:
        from openpyxl.utils.datetime import from_excel

        return from_excel(value)  # a day's fraction is a time of day
    try:
        return parse_time(_number_text(value))
    except ValueError as exc:
        raise CellError(str(exc)) from exc


def _duration(value) -> dt.timedelta:
    """A duration typed as text (``1:30``, ``2天 03:30``); a cell Excel turned into a time or a
    duration counts from midnight."""
    if isinstance(value, dt.timedelta):
        return value
    if isinstance(value, dt.time):
        return dt.timedelta(hours=value.hour, minutes=value.minute, seconds=value.second)
    try:
        return parse_duration(_number_text(value))
    except ValueError as exc:
        raise CellError(str(exc)) from exc


def _number_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number(value) -> str:
    """A number typed as text the way people do: "1,200.50", "1 200", "5000元"."""
    text = _number_text(value)
    if isinstance(value, str):
        text = re.sub(r"[,，\s]|元$", "", text)
    return text


class Relations:
    """Natural key → id of the rows a new record may point to (the writer's reference scope:
    for its own organisation and jurisdiction columns the rows it may write, for any other
    link the rows it may reference, as on the form and in the write pipeline)."""

    def __init__(self, scope=None):
        self.cache: dict = {}
        self.own = {scope.organization, scope.jurisdiction} if scope is not None else set()

    def resolve(self, column, text: str):
        relation = column.relation
        mode = True if column.name in self.own else "reference"
        key = (relation.model, mode, text)
        if key not in self.cache:
            self.cache[key] = self._lookup(column, text, mode)
        found = self.cache[key]
        if isinstance(found, str):
            raise CellError(found)
        return found

    @staticmethod
    def _lookup(column, text: str, mode):
        model = column.relation.model
        for name, label in zip(column.relation.keys, column.relation.key_labels, strict=True):
            attr = getattr(model, name)
            value = int(text) if name == "id" and text.isdigit() else text
            if name == "id" and not isinstance(value, int):
                continue
            query = scoped(select(model.id).where(attr == value), model, for_reference=mode).limit(2)
            ids = db.session.execute(query).scalars().all()
            if len(ids) == 1:
                return ids[0]
            if len(ids) > 1:
                others = [k for k in column.relation.key_labels if k != label]
                if others:
                    return _("“%(value)s”对应多条记录，请改填%(other)s", value=text,
                             other=_("或").join(others))
                return _("“%(value)s”对应多条记录，无法确定是哪一条", value=text)
        return _("找不到“%(value)s”，或不在您的权限范围内（按%(keys)s查找）",
                 value=text, keys=join_items(column.relation.key_labels))


def convert(column, raw, relations: Relations, choices: dict):
    """A cell's value as the schema loads it; raises CellError with a message for the user."""
    if column.kind == "relation":
        return relations.resolve(column, _number_text(raw))
    if column.kind == "choice":
        text = _number_text(raw)
        if text in choices.get(column.name, {}):
            return choices[column.name][text]
        message = _("“%(value)s”不是可选值（可选：%(values)s）", value=text,
                    values=join_items(str(v) for v in column.choices.values()))
        raise CellError(f"{message}；{column.refusal}" if column.refusal else message)
    if column.kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = _number_text(raw).lower()
        if text in ("是", "true", "1", "yes", "y", "√"):
            return True
        if text in ("否", "false", "0", "no", "n", "×"):
            return False
        raise CellError(_("应填“是”或“否”"))
    if column.kind == "date":
        return _date(raw).isoformat()
    if column.kind == "datetime":
        if not isinstance(raw, dt.datetime):
            try:
                raw = dt.datetime.fromisoformat(str(raw).strip())
            except ValueError:
                return str(raw).strip()  # the schema says what is wrong with it
        return from_local(raw).isoformat()  # typed in the display zone, kept in UTC
    if column.kind == "time":
        return _time(raw).isoformat()
    if column.kind == "duration":
        return int(_duration(raw).total_seconds())
    if column.kind == "json":
        try:
            return parse_json(raw) if isinstance(raw, str) else raw
        except ValueError as exc:
            raise CellError(str(exc)) from exc
    if column.kind == "integer":
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        return raw if isinstance(raw, int) and not isinstance(raw, bool) else _number(raw)
    if column.kind == "number":
        return _number(raw)  # a float's shortest text: 5999.99, not 5999.98999…
    if isinstance(raw, dt.datetime | dt.date):
        return raw.isoformat()
    return _number_text(raw)


def blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())
