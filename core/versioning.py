"""Optimistic locking and timestamps shared by every model."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Integer
from sqlalchemy.orm import declared_attr


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Versioned:
    """Optimistic locking: a stale edit fails instead of overwriting (SQLAlchemy version_id_col)."""

    version = Column(Integer, nullable=False, default=1)

    @property
    def lock_version(self) -> int:
        """The version the edit form carries back, to detect a stale edit."""
        return self.version

    @lock_version.setter
    def lock_version(self, _value) -> None:
        pass  # the form writes it back; the view hands it to ``core.fab.locking.claim_version``

    @declared_attr
    def __mapper_args__(cls):
        return {"version_id_col": cls.version}


def never_reuse_ids(metadata) -> None:
    """Make SQLite never hand a deleted row's id to a new row (AUTOINCREMENT).

    Without it SQLite reuses the highest id after a delete, and the audit trail
    of the deleted record would run on into the new one. PostgreSQL sequences
    never reuse ids. The migrations create their tables the same way.
    """
    for table in metadata.tables.values():
        if [c.key for c in table.primary_key.columns] == ["id"]:
            table.dialect_options["sqlite"]["autoincrement"] = True
