"""Keyset (seek) pagination: a deep page costs what the first does (docs/performance.md, "Deep pages").

``OFFSET 500000`` reads and drops every earlier row. A cursor instead names the boundary row of
a page by its sort key and id; the next page is the rows after it in the list's order
(``WHERE number > :v … LIMIT 26``, ``(status, id) < (:v, :id)``), which the sort column's
index finds directly. The previous
page is the rows before the first one, read in the reversed order and turned back; "last" is
the reversed order's first page. Page numbers are then carried, not counted: shown as "约".
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import decimal
import json
import math
from dataclasses import dataclass, field
from urllib.parse import urlencode

from flask import request
from flask_babel import gettext as _
from sqlalchemy import Index, UniqueConstraint, tuple_

from core.display.locale import format_number


class CursorError(ValueError):
    """A cursor the client sent that cannot be read back (edited, truncated, another list's)."""

    def __init__(self):
        self.message = _("翻页位置（cursor）无效，请从第一页重新浏览")
        super().__init__(self.message)


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: after (or, ``before``, ahead of) the row whose key is ``key``."""

    order: str
    direction: str
    key: tuple = ()  # empty with ``before``: the last page
    before: bool = False
    page: int = 1  # the number of the page it leads to, as shown
    approximate: bool = False


def encode(cursor: Cursor) -> str:
    """The opaque token of ``cursor`` (base64 of JSON): a client passes it back as it is."""
    data = {"o": cursor.order, "d": cursor.direction, "k": [_jsonable(v) for v in cursor.key],
            "b": int(cursor.before), "p": cursor.page, "a": int(cursor.approximate)}
    raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(token: str) -> Cursor:
    """The cursor of ``token``; :class:`CursorError` for anything that is not one we made."""
    try:
        if len(token) > 2000:
            raise ValueError
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        order, direction, key = data["o"], data["d"], data["k"]
        page, before, approx = data["p"], data["b"], data["a"]
        if (not isinstance(order, str) or direction not in ("asc", "desc") or not isinstance(key, list)
                or len(key) > 2 or before not in (0, 1) or approx not in (0, 1)
                or type(page) is not int or not 1 <= page <= 10**9 or (not key and not before)):
            raise ValueError
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError):
        raise CursorError() from None
    return Cursor(order, direction, tuple(key), bool(before), page, bool(approx))


def _jsonable(value):
    if isinstance(value, dt.date | decimal.Decimal):
        return str(value)  # datetime and date as ISO text
    return value


def _typed(column, value):
    """``value`` from a cursor as the Python type of ``column``, or ValueError."""
    kind = _python_type(column)
    if kind is int and type(value) is int and -2**63 <= value < 2**63 or kind is bool and type(value) is bool:
        return value
    if kind is float and type(value) in (int, float):
        return float(value)
    if kind is str and isinstance(value, str) and len(value) <= 1000:
        return value
    if not isinstance(value, str):
        raise ValueError
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    if kind is decimal.Decimal:
        number = decimal.Decimal(value)
        if not number.is_finite():
            raise ValueError
        return number
    raise ValueError


#: The column types a cursor holds (as JSON numbers, booleans or ISO / decimal text).
KEY_TYPES = (int, bool, float, str, dt.date, dt.datetime, decimal.Decimal)


def _python_type(column):
    try:
        return column.type.python_type
    except NotImplementedError:
        return None


def key_columns(model, order_column: str) -> list | None:
    """The columns a cursor of ``model`` sorted by ``order_column`` holds, or None (OFFSET then).

    Only sorts an index serves: the primary key, or a NOT NULL column that leads an index (a
    NULL has no place in ``>``); a unique column is a key by itself, another is followed by
    the primary key, which breaks ties as FAB's order does.
    """
    table = getattr(model, "__table__", None)
    pks = model.__mapper__.primary_key
    if table is None or len(pks) != 1 or "." in order_column:
        return None
    pk = pks[0]
    column = model.__mapper__.columns.get(order_column)
    if column is None or column.table is not table:
        return None
    if column is pk:
        return [pk]
    if column.nullable or _python_type(column) not in KEY_TYPES:
        return None  # a NULL has no place in ">"; other types have no JSON form here
    indexes = [ix for ix in (*table.indexes, *table.constraints)
               if isinstance(ix, Index | UniqueConstraint) and len(ix.columns)]
    if column.unique or any(list(ix.columns) == [column]
                            and (isinstance(ix, UniqueConstraint) or ix.unique) for ix in indexes):
        return [column]
    if column.index or any(list(ix.columns)[0] is column for ix in indexes):
        return [column, pk]
    return None


def typed_key(columns, cursor: Cursor) -> tuple:
    """The cursor's key as the columns' types; :class:`CursorError` if it does not fit them."""
    if cursor.before and not cursor.key:
        return ()
    if len(cursor.key) != len(columns):
        raise CursorError()
    try:
        return tuple(_typed(c, v) for c, v in zip(columns, cursor.key, strict=True))
    except (ValueError, TypeError, ArithmeticError):
        raise CursorError() from None


def seek_condition(model, columns, key: tuple, greater: bool):
    """The rows past ``key`` in the order of ``columns`` (upwards when ``greater``)."""
    attrs = [getattr(model, model.__mapper__.get_property_by_column(c).key) for c in columns]

    def past(attr, value):
        return attr > value if greater else attr < value

    if len(attrs) == 1:
        return past(attrs[0], key[0])
    # a row comparison: PostgreSQL starts the (column, id) index scan at the key itself, where
    # "col <= v AND (col < v OR id < i)" would scan, and drop, every row tying on v past it
    return past(tuple_(*attrs), tuple_(*key))


def row_key(model, columns, row) -> tuple:
    return tuple(getattr(row, model.__mapper__.get_property_by_column(c).key) for c in columns)


@dataclass
class Paging:
    """Where a page of a keyset list is, and the cursors to its neighbours and the last page."""

    page: int
    pages: int
    approximate: bool
    prev: str | None = None
    next: str | None = None
    last: str | None = None
    urls: dict = field(default_factory=dict)

    def position(self) -> str:
        page, pages = format_number(self.page), format_number(self.pages)
        if self.approximate:
            return _("约第 %(page)s 页，共约 %(pages)s 页", page=page, pages=pages)
        return _("第 %(page)s 页，共 %(pages)s 页", page=page, pages=pages)


def paging(model, columns, cursor: Cursor | None, order: str, direction: str, rows, more: bool,
           offset_page: int, count, page_size: int) -> Paging:
    """The page's position and its cursors. ``more``: rows lie beyond the page in the direction
    it was read (ahead of it for a previous or last page)."""
    before = bool(cursor and cursor.before)
    at_start = (before and not more) or (not cursor and not offset_page)
    at_end = (not before and not more) or (before and not cursor.key)
    inexact = bool(getattr(count, "approximate", False) or getattr(count, "capped", False))
    pages = max(1, math.ceil(int(count) / page_size))
    if at_start:
        number, approximate = 1, inexact
    elif cursor:
        number, approximate = cursor.page, inexact or cursor.approximate
    else:
        number, approximate = offset_page + 1, inexact
    if at_end and not at_start and cursor and not cursor.key:
        number = pages  # the last page
    pages = max(pages, number)
    result = Paging(number, pages, approximate)

    def token(key, back, page, approx=approximate):
        return encode(Cursor(order, direction, tuple(key), back, page, approx))

    if rows and not at_start:
        result.prev = token(row_key(model, columns, rows[0]), True, max(1, number - 1))
    if rows and not at_end:
        result.next = token(row_key(model, columns, rows[-1]), False, number + 1)
        # the last page holds page_size rows, not the remainder: numbers before it are approximate
        result.last = token((), True, pages, True)
    return result


def link(arg: str, token: str | None, page_arg: str) -> str:
    """The list's URL with ``arg`` set to ``token`` (removed when None) and no page number."""
    args = request.args.copy()
    args.pop(arg, None)
    args.pop(page_arg, None)
    if token is not None:
        args[arg] = token
    encoded = urlencode(list(args.items(multi=True)))
    return request.path + ("?" + encoded if encoded else "")
