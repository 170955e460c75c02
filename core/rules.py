"""Rules of the Measures and what every step of the write pipeline sees (``core.pipeline``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import gettext as _

from core.errors import WriteRefused
from core.scoping import UserScope


class RuleViolation(WriteRefused):
    """A ``block`` rule refused the write."""

    def __init__(self, rule, message):
        self.rule = rule
        super().__init__(f"{message}{measures_article(rule.article)}")


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1-999 as the Measures write them: 十七, 二十一, 一百零三."""
    hundreds, rest = divmod(int(n), 100)
    tens, ones = divmod(rest, 10)
    text = _DIGITS[hundreds] + "百" if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    elif hundreds and ones:
        text += "零"
    return text + (_DIGITS[ones] if ones or not text else "")


def article_text(n: int) -> str:
    """The one article style (docs/display.md): 第十七条; Art. 17, 17-ماددا in other languages."""
    pattern = _("第%(numeral)s条")
    return pattern % {"numeral": chinese_number(n) if pattern == "第%(numeral)s条" else n}


def measures_article(n: int) -> str:
    """The citation closing a message: （《办法》第十七条）, (Measures, Art. 17)."""
    return _("（《办法》%(article)s）", article=article_text(n))


@dataclass
class WriteContext:
    """What a derivation, a rule or a guard may use besides the record.

    One context serves one flush: ``scratch`` is a dict the steps of this flush share
    (cleared when the flush ends), ``action`` is the action of the record being looked at.
    """

    session: object
    action: str
    scope: UserScope
    today: dt.date
    scratch: dict = field(default_factory=dict)
    #: model -> (this flush's new rows of it, their positions): ``new_before``
    _new_rows: dict = field(default_factory=dict, repr=False)

    def standard(self, kind: str, key: str, jurisdiction, on: dt.date | None = None):
        """The Standard in force for ``jurisdiction`` (object or id), walking up the tree.

        Asked of the module that keeps the standards (the catalog's ``find_standard``).
        """
        from core.state import get_state
        from core.tenancy import Jurisdiction

        if isinstance(jurisdiction, int):
            jurisdiction = self.session.get(Jurisdiction, jurisdiction)
        if jurisdiction is None:
            return None
        return get_state().pm.hook.find_standard(
            session=self.session, kind=kind, key=key, jurisdiction=jurisdiction, on=on or self.today)

    def get(self, model, ident):
        return self.session.get(model, ident) if ident is not None else None

    def value(self, record, column: str):
        """A column's value as the flush will write it (a foreign key set through its relationship too)."""
        from core.events import effective_value

        return effective_value(record, column)

    def previous(self, record) -> dict:
        """The record's column values as loaded, before this flush's changes."""
        from core.events import previous_values

        return previous_values(record)

    def changed(self, record, *columns: str) -> bool:
        """Whether any of ``columns`` changes in this flush (every column on a new record)."""
        from sqlalchemy import inspect

        state = inspect(record)
        if state.key is None:
            return True
        before, after = self.previous(record), _values(record)
        return any(before.get(c) != after.get(c) for c in columns)

    def related(self, record, name: str):
        """A many-to-one target of ``record``, whether set as an object or as its foreign key."""
        from core.events import related_target

        return related_target(self.session, record, name)

    def add(self, row) -> None:
        """Add a dependent row to the flush; it passes every later step of the pipeline."""
        self.session.add(row)

    def new_before(self, record, model) -> list:
        """The new rows of ``model`` this flush writes before ``record`` (every one when ``record``
        is not among them), in the order they were added.

        A rule that sums, counts or looks for stored rows adds these: rows written in one flush
        (an import's chunk, a receipt of several cards) are judged as if written one after the
        other, so the first row that breaks a cap is refused, as it would be alone. The flush's new
        rows of a type are read once per flush, not once per row.
        """
        rows, where = self._new_rows.get(model, (None, None))
        if rows is None:
            rows = [obj for obj in self.session.new if isinstance(obj, model)]
            where = {id(obj): i for i, obj in enumerate(rows)}
            self._new_rows[model] = (rows, where)
        return rows[:where.get(id(record), len(rows))]


def _values(record) -> dict:
    from core.events import effective_values

    return effective_values(record)


#: The name rules were written against; the same context.
RuleContext = WriteContext


def render_message(rule, result) -> str:
    message = str(rule.message)
    if isinstance(result, dict):
        message = message % result
    return message
