"""One numbering scheme for every approval document: prefix, year, sequence (CZ-2026-00001).

A record of an :class:`~core.workflow.approval.ApprovalMixin` model gets its number when it is
first submitted (a draft that is never submitted takes none, so the numbers of a year have no
gaps an auditor would ask about); withdrawing and submitting again keeps it. The sequence is per
document type and year, drawn from ``core_document_counter`` by one
``INSERT … ON CONFLICT DO UPDATE … RETURNING``: PostgreSQL locks the counter's row until the
transaction ends, so two submissions at once never share a number (SQLite locks the database).
The numbers live beside the records in ``core_document_number`` (entity type key, record id),
so no module's table changes. Prefixes: :data:`DEFAULT_PREFIXES`, overridden per entity type by
the setting ``APPROVAL_NUMBER_PREFIXES`` (docs/workflow.md).
"""

from __future__ import annotations

import datetime as dt

from flask import current_app, g, has_app_context, has_request_context
from flask_appbuilder import Model
from sqlalchemy import Column, Integer, String, select

from core.extensions import db

#: 处置 CZ, 盘点 PD, 配置(计划) PZ, 调剂 TJ: pinyin initials, as Chinese offices number their papers.
DEFAULT_PREFIXES = {"disposal": "CZ", "asset_stocktake": "PD", "asset_plan": "PZ", "pool_request": "TJ",
                    "reception": "JD"}  # 公务接待审批单; on main the model says it (document_prefix)
#: The prefix of a document type nobody configured.
FALLBACK_PREFIX = "SP"
DIGITS = 5


class DocumentCounter(Model):
    """The last sequence number given to a document type in a year."""

    __tablename__ = "core_document_counter"

    entity = Column(String(64), primary_key=True)
    year = Column(Integer, primary_key=True, autoincrement=False)
    last = Column(Integer, nullable=False)


class DocumentNumber(Model):
    """The number of one approval document."""

    __tablename__ = "core_document_number"

    entity = Column(String(64), primary_key=True)
    entity_id = Column(String(64), primary_key=True)
    #: found by its number too (报表中心's pickers, a clerk quoting it)
    number = Column(String(32), nullable=False, index=True)


def prefix_of(entity: str) -> str:
    configured = current_app.config.get("APPROVAL_NUMBER_PREFIXES") or {} if has_app_context() else {}
    return configured.get(entity) or DEFAULT_PREFIXES.get(entity) or FALLBACK_PREFIX


def format_number(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}-{year}-{sequence:0{DIGITS}d}"


def next_sequence(session, entity: str, year: int) -> int:
    """The next number of ``entity`` in ``year``, taken atomically (the row stays locked)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - the two supported databases
        raise RuntimeError(f"document numbers need PostgreSQL or SQLite, not {dialect}")
    table = DocumentCounter.__table__
    statement = (insert(table).values(entity=entity, year=year, last=1)
                 .on_conflict_do_update(index_elements=["entity", "year"], set_={"last": table.c.last + 1})
                 .returning(table.c.last))
    return session.execute(statement).scalar_one()


def number_of(entity: str, entity_id) -> str:
    """The number of a record, or "" before its first submission (cached for the request)."""
    cache = g.setdefault("jiguan_document_numbers", {}) if has_request_context() else {}
    key = (entity, str(entity_id))
    if key not in cache:
        cache[key] = db.session.execute(select(DocumentNumber.number).where(
            DocumentNumber.entity == entity, DocumentNumber.entity_id == str(entity_id))).scalar() or ""
    return cache[key]


def record_id_of_number(entity: str, number: str) -> str | None:
    """The id of the ``entity`` record numbered ``number`` (None: no such number); scope is the
    caller's business, as for an id typed by the user."""
    return db.session.execute(select(DocumentNumber.entity_id).where(
        DocumentNumber.entity == entity, DocumentNumber.number == number.strip().upper())).scalar()


def ensure_number(session, entity: str, entity_id: str, on: dt.date) -> str:
    """The record's number, given now (in the caller's transaction) if it has none yet."""
    found = session.execute(select(DocumentNumber.number).where(
        DocumentNumber.entity == entity, DocumentNumber.entity_id == entity_id)).scalar()
    if found:
        return found
    number = format_number(prefix_of(entity), on.year, next_sequence(session, entity, on.year))
    session.add(DocumentNumber(number=number, entity=entity, entity_id=entity_id))
    if has_request_context():
        g.setdefault("jiguan_document_numbers", {})[(entity, entity_id)] = number
    return number
