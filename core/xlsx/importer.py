"""XLSX import of any entity type: every row checked, all rows or none written.

Each row is read into the type's columns (codes from labels, relations from
natural keys within what the user may point to), validated by the type's
marshmallow schema, then created through the ORM and flushed, ``CHUNK`` checked
rows at a time, in a SAVEPOINT: the core's flush pipeline (scope, the Measures' rules,
audit) runs on every row exactly as on a form, and a rule that counts stored rows counts
the chunk's rows before the one it judges (``WriteContext.new_before``). If a chunk is refused it is undone
and its rows are flushed one by one, each in its own SAVEPOINT, so the import goes
on and reports the errors of every row. If any row failed, the whole
transaction is rolled back: nothing is written.
"""

from __future__ import annotations

import gc
import io
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from core.errors import WriteRefused
from core.extensions import db
from core.fab.column_schemas import auto_schema
from core.fab.validation import chinese_message
from core.pipeline import bulk_memo
from core.xlsx.columns import XlsxError, columns_for
from core.xlsx.read import (
    CellError,
    Relations,
    blank,
    choice_lookup,
    convert,
    in_chinese,
    limits,
    load_bytes,
    match_headers,
    read_sheet,
)

#: Rows written per flush: one INSERT and one audit INSERT for them. A rule that sums, counts or
#: looks for stored rows also counts the new rows of its flush before the row it judges
#: (``WriteContext.new_before``), so a chunk is judged as its rows one after the other would be
#: (docs/performance.md, "XLSX at 100,000 rows").
CHUNK = 500
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


_message = chinese_message


class _Importer:
    def __init__(self, entity, result: ImportResult):
        self.entity = entity
        self.columns = columns_for(entity)
        self.result = result
        self.relations = Relations(entity.scope)
        self.choices = choice_lookup(self.columns)
        # a type without a schema loads its rows through one built from its columns, so every
        # column type arrives as the model takes it (a time, an enum member, a JSON value)
        self.schema = entity.schema() if entity.schema else auto_schema(entity.model)()
        table = entity.model.__table__
        names = {c.name for c in self.columns.importable}
        unique = {c.key for c in table.c if c.unique}
        for constraint in table.constraints:
            cols = list(getattr(constraint, "columns", []))
            if type(constraint).__name__ == "UniqueConstraint" and len(cols) == 1:
                unique.add(cols[0].key)
        self.unique = {name: {} for name in unique & names}
        self.headers = {c.name: c.header for c in self.columns.importable}
        # a column the import does not offer is the model's to fill (a line's organisation comes
        # from its application): the schema must not require it of the file
        offered = {column.name for column in self.columns.importable}
        self.not_offered = tuple(name for name in getattr(self.schema, "fields", ()) if name not in offered)
        self.links = [(c.name, c.relation.model) for c in self.columns.importable if c.kind == "relation"]
        #: checked rows (number, data, loaded) not yet written
        self.pending: list = []

    def row(self, number: int, matched, values) -> None:
        data, failed = {}, set()
        for column, raw in zip(matched, values, strict=False):
            if column is None:
                continue
            if blank(raw):
                if column.required:
                    self.result.add_error(number, column.header, _("必填，不能为空"))
                    failed.add(column.name)
                continue
            try:
                data[column.name] = convert(column, raw, self.relations, self.choices)
            except CellError as exc:
                self.result.add_error(number, column.header, str(exc))
                failed.add(column.name)
        loaded = self._validate(number, data, failed)
        if failed or loaded is None or not self._unique(number, data):
            return
        self.pending.append((number, data, loaded))
        if len(self.pending) >= CHUNK:
            self.write_pending()

    def _validate(self, number, data, failed):
        if self.schema is None:
            return data
        from marshmallow import ValidationError

        not_offered = self.not_offered
        try:
            if getattr(self.schema.opts, "load_instance", False):
                return self.schema.load(data, session=db.session, partial=not_offered)
            return self.schema.load(data, partial=not_offered)
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
        """Unique values repeated in the file; those already in the database: ``_in_database``."""
        ok = True
        for name, seen in self.unique.items():
            value = data.get(name)
            if value is None:
                continue
            if value in seen:
                self.result.add_error(number, self.headers[name], _("“%(value)s”与第 %(row)s 行重复",
                                                                    value=value, row=seen[value]))
                ok = False
                continue
            seen[value] = number
        return ok

    def _in_database(self, rows) -> list:
        """The rows whose unique values no row in the database holds: one query per column per chunk."""
        model, refused = self.entity.model, set()
        for name in self.unique:
            values = {data[name] for _n, data, _l in rows if data.get(name) is not None}
            if not values:
                continue
            column = getattr(model, name)
            taken = set(db.session.execute(select(column).where(column.in_(values))).scalars())
            for number, data, _loaded in rows:
                if data.get(name) in taken:
                    self.result.add_error(number, self.headers[name],
                                          _("“%(value)s”已存在", value=data[name]))
                    refused.add(number)
        return [row for row in rows if row[0] not in refused]

    def write_pending(self) -> None:
        """Write the checked rows of a chunk in one flush (one INSERT per chunk, the pipeline's
        scope, rules and audit on every row of it); if the flush refuses, write them one by one
        to tell which rows and why."""
        rows, self.pending = self._in_database(self.pending), []
        if not rows:
            return
        session = db.session
        _begin(session)
        savepoint = session.begin_nested()
        try:
            with _holding(session):
                self._preload(rows)
                session.add_all([self._record(loaded) for _n, _d, loaded in rows])
                session.flush()
        except (WriteRefused, ValueError, SQLAlchemyError):
            if savepoint.is_active:
                savepoint.rollback()
            for number, _data, loaded in rows:
                self._write(number, loaded)
        else:
            savepoint.commit()
            self.result.created += len(rows)

    def _preload(self, rows) -> None:
        """Load the rows the chunk points to (its organisations, classes, jurisdictions) by one
        SELECT per link, held for the flush: each rule's ``session.get`` then finds them, where it
        loaded them one by one (~150 statements a chunk of 500 asset rows)."""
        session, held = db.session, db.session.info[HOLD]
        for name, model in self.links:
            ids = {data[name] for _n, data, _l in rows if data.get(name) is not None}
            if ids:  # those still in the identity map too: it holds them weakly
                with session.no_autoflush:
                    held.extend(session.execute(select(model).where(model.id.in_(ids))).scalars())

    def _record(self, loaded):
        return loaded if isinstance(loaded, self.entity.model) else self.entity.model(**loaded)

    def _write(self, number, loaded) -> None:
        session = db.session
        _begin(session)
        savepoint = session.begin_nested()
        try:
            session.add(self._record(loaded))
            with _holding(session):
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


HOLD = "jiguan_import_hold"


@event.listens_for(Session, "loaded_as_persistent")
def _hold_loaded(session, instance) -> None:
    held = session.info.get(HOLD)
    if held is not None:
        held.append(instance)


class _holding:
    """Keep the rows a flush loads (the organisations, jurisdictions and classes its rows point
    to) until the flush ends: the session's identity map holds rows weakly, so each rule's
    ``session.get`` of the same organisation would read it again. Only for one flush: a row held
    longer keeps the collections it loaded, and a later flush's rule that counts one (a
    reception's companions, Art. 34) would see it as it was before."""

    def __init__(self, session):
        self.session = session

    def __enter__(self):
        self.session.info[HOLD] = []

    def __exit__(self, *exc):
        self.session.info.pop(HOLD, None)
        return False


@contextmanager
def _out_of_collector_sight():
    """Every object alive when the rows start (the app, the sheet's rows) moved out of the cycle
    collector's sight for the import (``gc.freeze``): the rows the import holds made its full
    passes walk them again and again as they grew, ~26 % of the CPU of 10,000 rows
    (docs/performance.md, "The import, third pass"). Only refcounting frees what the block frees
    of them, so they are handed back after it, unless something froze before (the command line
    freezes its app for the whole command)."""
    ours = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        yield
    finally:
        if ours:
            gc.unfreeze()


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


def _refuse_read_only(entity) -> None:
    """A type its module alone writes (``__jiguan_read_only__``, docs/plugins.md) imports nothing."""
    message = getattr(entity.model, "__jiguan_read_only__", None)
    if message:
        raise XlsxError(message)


def read_upload(stream) -> bytes:
    """An uploaded file's bytes, refused past ``XLSX_IMPORT_MAX_BYTES`` without reading it all."""
    return load_bytes(stream, limits()[0])


def check_file(entity, data: bytes) -> int:
    """Open the file and match its headers as the import will (raises ``XlsxError``); its data rows.

    A request does this before handing a big file to a background job, so a file
    that cannot be imported at all is refused at once, not minutes later.
    """
    _refuse_read_only(entity)
    max_bytes, max_rows = limits()
    header, body = read_sheet(io.BytesIO(data), max_bytes, max_rows)
    match_headers(columns_for(entity), header, in_chinese(lambda: columns_for(entity)))
    return len(body)


def import_xlsx(entity, source, *, dry_run: bool = False, progress=None) -> ImportResult:
    """Import the rows of an .xlsx file (a path or a binary file object) as new ``entity`` rows.

    Runs as whoever is acting (the request's user, or ``acting_as`` in the CLI);
    commits only if every row passed, else rolls back. ``progress(done, total)``
    is called after each row. Raises ``XlsxError`` for a file
    it cannot read at all.
    """
    _refuse_read_only(entity)
    max_bytes, max_rows = limits()
    header, body = read_sheet(source, max_bytes, max_rows)
    matched = match_headers(columns_for(entity), header,
                             in_chinese(lambda: columns_for(entity)))
    result = ImportResult(rows=len(body), dry_run=dry_run)
    importer = _Importer(entity, result)
    session = db.session
    try:
        # the standards and other reference data the rules read, read once for the whole file
        with bulk_memo(session, entity.model), _out_of_collector_sight():
            for done, (number, values) in enumerate(body, start=1):
                importer.row(number, matched, values)
                if progress:
                    progress(done, len(body))
            importer.write_pending()
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
