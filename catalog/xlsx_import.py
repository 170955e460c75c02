"""XLSX import of any entity type: every row checked, all rows or none written.

Each row is read into the type's columns (codes from labels, relations from
natural keys within what the user may point to), validated by the type's
marshmallow schema, then created through the ORM and flushed in its own
SAVEPOINT: the core's flush pipeline (scope, the Measures' rules, audit) runs
on it exactly as on a form, and a refusal only undoes that row, so the import
goes on and reports the errors of every row. If any row failed, the whole
transaction is rolled back: nothing is written.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from catalog.xlsx import XlsxError, columns_for
from core.errors import WriteRefused
from core.extensions import db
from core.scoping import scoped

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 10_000
#: Errors kept in full; past them only counted (a file where every row is wrong).
MAX_ERRORS = 1000


@dataclass
class RowError:
    #: The row number the user sees in Excel (the header is row 1); None for the whole file.
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column:
            return _("第 %(row)s 行“%(column)s”：%(message)s", row=self.row, column=self.column,
                     message=self.message)
        return _("第 %(row)s 行：%(message)s", row=self.row, message=self.message)


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    more_errors: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_error(self, row, column, message) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, column, str(message)))
        else:
            self.more_errors += 1

    def summary(self) -> str:
        if self.ok and self.dry_run:
            return _("检查通过：%(n)s 行均可导入（未写入）", n=self.rows)
        if self.ok:
            return _("导入成功：新增 %(n)s 条记录", n=self.created)
        count = len(self.errors) + self.more_errors
        return _("导入失败：%(rows)s 行中发现 %(n)s 处错误，未写入任何记录。请改正后重新导入。",
                 rows=self.rows, n=count)


class _CellError(Exception):
    pass


#: marshmallow's default messages in the user's language.
_MESSAGES = [
    (r"^Missing data for required field\.$", lambda m: _("必填，不能为空")),
    (r"^Field may not be null\.$", lambda m: _("不能为空")),
    (r"^Not a valid integer\.$", lambda m: _("不是有效的整数")),
    (r"^Not a valid (number|decimal)\.$", lambda m: _("不是有效的数字")),
    (r"^Special numeric values .*$", lambda m: _("不是有效的数字")),
    (r"^Number too large\.$", lambda m: _("数字过大")),
    (r"^Not a valid date\.$", lambda m: _("不是有效的日期（如 2026-03-01）")),
    (r"^Not a valid datetime\.$", lambda m: _("不是有效的日期时间")),
    (r"^Not a valid boolean\.$", lambda m: _("应填“是”或“否”")),
    (r"^Not a valid string\.$", lambda m: _("不是有效的文字")),
    (r"^Longer than maximum length (\d+)\.$", lambda m: _("不能超过 %(n)s 个字", n=m.group(1))),
    (r"^Unknown field\.$", lambda m: _("无法识别的字段")),
]


def _message(text) -> str:
    text = str(text)
    for pattern, make in _MESSAGES:
        found = re.match(pattern, text)
        if found:
            return make(found)
    return text


def _limits():
    config = current_app.config
    return (int(config.get("XLSX_IMPORT_MAX_BYTES") or MAX_BYTES),
            int(config.get("XLSX_IMPORT_MAX_ROWS") or MAX_ROWS))


def _load_bytes(source, max_bytes: int) -> bytes:
    if isinstance(source, str | os.PathLike):
        if os.path.getsize(source) > max_bytes:
            raise XlsxError(_("文件过大（超过 %(mb)s MB），请分成几个文件导入", mb=max_bytes // 1048576))
        with open(source, "rb") as f:
            return f.read()
    data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise XlsxError(_("文件过大（超过 %(mb)s MB），请分成几个文件导入", mb=max_bytes // 1048576))
    return data


def read_sheet(source, max_bytes: int, max_rows: int):
    """The header row and the data rows (with their Excel row numbers) of the first sheet."""
    from openpyxl import load_workbook

    data = _load_bytes(source, max_bytes)
    if not data:
        raise XlsxError(_("文件是空的"))
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        body = []
        for number, values in enumerate(rows, start=2):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if len(body) >= max_rows:
                raise XlsxError(_("行数过多（超过 %(n)s 行），请分成几个文件导入", n=max_rows))
            body.append((number, values))
        wb.close()
    except XlsxError:
        raise
    except Exception as exc:  # noqa: BLE001 - zip, XML, openpyxl: all mean "not a readable xlsx"
        raise XlsxError(_("无法读取文件：不是有效的 Excel 工作簿（.xlsx）。"
                          "旧版 .xls 或 CSV 文件请在 Excel 中另存为 .xlsx 后再导入。")) from exc
    if not header or all(v is None for v in header):
        raise XlsxError(_("第 1 行应为列名，但它是空的。请使用下载的导入模板。"))
    if not body:
        raise XlsxError(_("文件中没有数据行（第 2 行起每行一条记录）"))
    return header, body


def _in_chinese(func):
    """``func()`` in Chinese too: a file filled in Chinese imports for a user reading English."""
    from flask_babel import force_locale, get_locale

    if str(get_locale()).startswith("zh"):
        return None
    with force_locale("zh"):
        return func()


def _choice_lookup(columns) -> dict[str, dict]:
    """Per choice column: code, and label as text, → code."""
    def build():
        return {c.name: {**{str(code): code for code in c.choices},
                         **{str(label): code for code, label in c.choices.items()}}
                for c in columns.importable if c.kind == "choice"}

    found = build()
    for name, more in (_in_chinese(build) or {}).items():
        found[name] = {**more, **found[name]}
    return found


def _match_headers(columns, header, zh_columns=None):
    """Column (or None for a column the import ignores) by position; refuses unknown or missing."""
    lookup, ignored = {}, set()
    for source in filter(None, (zh_columns, columns)):
        by_name = {c.name: c for c in columns.importable}
        for column in source.importable:
            lookup[column.header] = lookup[column.name] = by_name[column.name]
        for column in source.export:  # an export opened, edited and imported back
            if column.header not in lookup:
                ignored.add(column.header)
        for column in source.importable:
            for alias in column.aliases:
                lookup.setdefault(alias, by_name[column.name])
    matched, unknown, seen = [], [], set()
    for raw in header:
        text = re.sub(r"\s+", "", str(raw or "")).lstrip("*＊").replace("（必填）", "")
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
                          names="、".join(unknown)))
    missing = [c.header for c in columns.importable if c.required and c.name not in seen]
    if missing:
        raise XlsxError(_("缺少必填列：%(names)s", names="、".join(missing)))
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
        raise _CellError(_("不是有效的日期（如 2026-03-01）"))
    try:
        return dt.date(*map(int, found.groups()))
    except ValueError as exc:
        raise _CellError(_("不是有效的日期（如 2026-03-01）")) from exc


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


class _Relations:
    """Natural key → id of the rows a new record may point to (the writer's reference scope)."""

    def __init__(self):
        self.cache: dict = {}

    def resolve(self, column, text: str):
        relation = column.relation
        key = (relation.model, text)
        if key not in self.cache:
            self.cache[key] = self._lookup(column, text)
        found = self.cache[key]
        if isinstance(found, str):
            raise _CellError(found)
        return found

    @staticmethod
    def _lookup(column, text: str):
        model = column.relation.model
        for name, label in zip(column.relation.keys, column.relation.key_labels, strict=True):
            attr = getattr(model, name)
            value = int(text) if name == "id" and text.isdigit() else text
            if name == "id" and not isinstance(value, int):
                continue
            query = scoped(select(model.id).where(attr == value), model, for_reference=True).limit(2)
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
                 value=text, keys="、".join(column.relation.key_labels))


def _convert(column, raw, relations: _Relations, choices: dict):
    """A cell's value as the schema loads it; raises _CellError with a message for the user."""
    if column.kind == "relation":
        return relations.resolve(column, _number_text(raw))
    if column.kind == "choice":
        text = _number_text(raw)
        if text in choices.get(column.name, {}):
            return choices[column.name][text]
        raise _CellError(_("“%(value)s”不是可选值（可选：%(values)s）", value=text,
                           values="、".join(str(v) for v in column.choices.values())))
    if column.kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = _number_text(raw).lower()
        if text in ("是", "true", "1", "yes", "y", "√"):
            return True
        if text in ("否", "false", "0", "no", "n", "×"):
            return False
        raise _CellError(_("应填“是”或“否”"))
    if column.kind == "date":
        return _date(raw).isoformat()
    if column.kind == "datetime":
        if isinstance(raw, dt.datetime):
            return raw.isoformat()
        return str(raw).strip()
    if column.kind == "integer":
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        return raw if isinstance(raw, int) and not isinstance(raw, bool) else _number(raw)
    if column.kind == "number":
        return _number(raw)  # a float's shortest text: 5999.99, not 5999.98999…
    if isinstance(raw, dt.datetime | dt.date):
        return raw.isoformat()
    return _number_text(raw)


def _blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


class _Importer:
    def __init__(self, entity, result: ImportResult):
        self.entity = entity
        self.columns = columns_for(entity)
        self.result = result
        self.relations = _Relations()
        self.choices = _choice_lookup(self.columns)
        self.schema = entity.schema() if entity.schema else None
        table = entity.model.__table__
        names = {c.name for c in self.columns.importable}
        unique = {c.key for c in table.c if c.unique}
        for constraint in table.constraints:
            cols = list(getattr(constraint, "columns", []))
            if type(constraint).__name__ == "UniqueConstraint" and len(cols) == 1:
                unique.add(cols[0].key)
        self.unique = {name: {} for name in unique & names}
        self.headers = {c.name: c.header for c in self.columns.importable}

    def row(self, number: int, matched, values) -> None:
        data, failed = {}, set()
        for column, raw in zip(matched, values, strict=False):
            if column is None:
                continue
            if _blank(raw):
                if column.required:
                    self.result.add_error(number, column.header, _("必填，不能为空"))
                    failed.add(column.name)
                continue
            try:
                data[column.name] = _convert(column, raw, self.relations, self.choices)
            except _CellError as exc:
                self.result.add_error(number, column.header, str(exc))
                failed.add(column.name)
        loaded = self._validate(number, data, failed)
        if failed or loaded is None or not self._unique(number, data):
            return
        self._write(number, loaded)

    def _validate(self, number, data, failed):
        if self.schema is None:
            return data
        from marshmallow import ValidationError

        try:
            return self.schema.load(data, session=db.session) if getattr(
                self.schema.opts, "load_instance", False) else self.schema.load(data)
        except ValidationError as exc:
            messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
            for name, texts in messages.items():
                if name in failed:  # already reported from the cell itself
                    continue
                texts = texts if isinstance(texts, list) else [texts]
                column = None if name == "_schema" else self.headers.get(name, name)
                for text in texts:
                    self.result.add_error(number, column, _message(text))
            return None

    def _unique(self, number, data) -> bool:
        model, ok = self.entity.model, True
        for name, seen in self.unique.items():
            value = data.get(name)
            if value is None:
                continue
            header = self.headers[name]
            if value in seen:
                self.result.add_error(number, header, _("“%(value)s”与第 %(row)s 行重复",
                                                        value=value, row=seen[value]))
                ok = False
                continue
            seen[value] = number
            if db.session.execute(select(model.id).where(getattr(model, name) == value)
                                  .limit(1)).first() is not None:
                self.result.add_error(number, header, _("“%(value)s”已存在", value=value))
                ok = False
        return ok

    def _write(self, number, loaded) -> None:
        session = db.session
        _begin(session)
        savepoint = session.begin_nested()
        try:
            record = loaded if isinstance(loaded, self.entity.model) else self.entity.model(**loaded)
            session.add(record)
            session.flush()
        except WriteRefused as exc:
            message = exc.message
        except ValueError as exc:  # a model validator (@validates)
            message = str(exc)
        except IntegrityError as exc:
            detail = str(exc.orig).splitlines()[0][:200]
            message = _("与已有记录冲突或缺少必填关联（%(detail)s）", detail=detail)
        except SQLAlchemyError:
            message = _("数据库拒绝了此行")
        else:
            savepoint.commit()
            self.result.created += 1
            return
        if savepoint.is_active:
            savepoint.rollback()
        self.result.add_error(number, None, message)


def _begin(session) -> None:
    """Make sure the outer transaction is really open before the first SAVEPOINT.

    pysqlite starts a transaction only before a data-changing statement, so on
    SQLite a SAVEPOINT issued first would itself be the outermost transaction and
    its RELEASE would commit the row: the all-or-nothing promise would break.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        raw = connection.connection.dbapi_connection
        if not raw.in_transaction:
            connection.exec_driver_sql("BEGIN")


def import_xlsx(entity, source, *, dry_run: bool = False, progress=None) -> ImportResult:
    """Import the rows of an .xlsx file (a path or a binary file object) as new ``entity`` rows.

    Runs as whoever is acting (the request's user, or ``acting_as`` in the CLI);
    commits only if every row passed, else rolls back. ``progress(done, total)``
    is called after each row. Raises ``XlsxError`` for a file
    it cannot read at all.
    """
    max_bytes, max_rows = _limits()
    header, body = read_sheet(source, max_bytes, max_rows)
    matched = _match_headers(columns_for(entity), header,
                             _in_chinese(lambda: columns_for(entity)))
    result = ImportResult(rows=len(body), dry_run=dry_run)
    importer = _Importer(entity, result)
    session = db.session
    try:
        for done, (number, values) in enumerate(body, start=1):
            importer.row(number, matched, values)
            if progress:
                progress(done, len(body))
    except BaseException:
        session.rollback()
        raise
    if result.ok and not dry_run:
        session.commit()
    else:
        session.rollback()
        if not result.ok:
            result.created = 0
    return result
