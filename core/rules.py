"""Rules of the Measures, run by the core on every write (see ``core.events``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.errors import WriteRefused
from core.scoping import UserScope


class RuleViolation(WriteRefused):
    """A ``block`` rule refused the write."""

    def __init__(self, rule, message):
        self.rule = rule
        super().__init__(f"{message}（《办法》第 {rule.article} 条）")


@dataclass
class RuleContext:
    """What a rule's check may use besides the record."""

    session: object
    action: str
    scope: UserScope
    today: dt.date

    def standard(self, kind: str, key: str, jurisdiction, on: dt.date | None = None):
        """The Standard in force for ``jurisdiction`` (object or id), walking up the tree."""
        from catalog.models import Jurisdiction, standard_in_force

        if isinstance(jurisdiction, int):
            jurisdiction = self.session.get(Jurisdiction, jurisdiction)
        if jurisdiction is None:
            return None
        return standard_in_force(self.session, kind, key, jurisdiction, on or self.today)

    def get(self, model, ident):
        return self.session.get(model, ident) if ident is not None else None

    def value(self, record, column: str):
        """A column's value as the flush will write it (a foreign key set through its relationship too)."""
        from core.events import effective_values

        return effective_values(record)[column]

    def related(self, record, name: str):
        """A many-to-one target of ``record``, whether set as an object or as its foreign key."""
        from core.events import related_target

        return related_target(self.session, record, name)


def render_message(rule, result) -> str:
    message = str(rule.message)
    if isinstance(result, dict):
        message = message % result
    return message
