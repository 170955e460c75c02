"""The flush pipeline: scope check, rules and audit, in the writing transaction.

Every write path (form, API, import, CLI) ends in a flush, so hooking the
session here is what makes "no path can skip it" true.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

from flask import has_app_context
from sqlalchemy import Numeric, event, insert, inspect, update
from sqlalchemy.orm import Session

from core.models import AuditLog, Finding, utcnow
from core.rules import RuleContext, RuleViolation, render_message
from core.scoping import current_scope, row_in_write_scope, scope_of_model, scope_violation
from core.state import state_or_none

PENDING = "jiguan_pending"


def _jsonable(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID | bytes):
        return str(value)
    return value


def _value(attr, value):
    """JSON-safe, with decimals at the column's scale so before/after compare as stored."""
    column = attr.columns[0]
    scale = getattr(column.type, "scale", None)
    if isinstance(column.type, Numeric) and scale is not None and value is not None:
        return f"{decimal.Decimal(value):.{scale}f}"
    return _jsonable(value)


def column_values(obj) -> dict:
    mapper = inspect(obj).mapper
    return {attr.key: _value(attr, getattr(obj, attr.key)) for attr in mapper.column_attrs}


def effective_values(obj) -> dict:
    """Column values as the flush will write them.

    Before a flush, a foreign key set through its relationship (as forms and
    the API do) is not yet copied to the column; take it from the related object.
    """
    values = column_values(obj)
    state = inspect(obj)
    for rel in state.mapper.relationships:
        if rel.direction.name != "MANYTOONE" or len(rel.local_columns) != 1:
            continue
        added = state.attrs[rel.key].history.added
        if added:  # assigned through the relationship in this unit of work
            target = added[0]
            column = next(iter(rel.local_columns)).key
            values[column] = None if target is None else getattr(target, "id", None)
    return values


def related_target(session, obj, name: str):
    """A many-to-one target of ``obj`` as the flush will write it: set as an object, or only as
    its foreign key (the API, an import), or loaded and unchanged."""
    state = inspect(obj)
    rel = state.mapper.relationships[name]
    column = next(iter(rel.local_columns)).key
    added = state.attrs[name].history.added
    if added:
        return added[0]
    ident = getattr(obj, column)
    if not state.attrs[column].history.has_changes():
        target = getattr(obj, name)
        if target is not None:
            return target
    return session.get(rel.mapper.class_, ident) if ident is not None else None


def previous_values(obj) -> dict:
    """Column values as loaded from the database (before this flush's changes)."""
    state = inspect(obj)
    values = {}
    for attr in state.mapper.column_attrs:
        hist = state.attrs[attr.key].history
        if hist.deleted:
            values[attr.key] = _value(attr, hist.deleted[0])
        elif hist.unchanged:
            values[attr.key] = _value(attr, hist.unchanged[0])
        else:
            values[attr.key] = _value(attr, getattr(obj, attr.key))
    return values


def _is_audited(state, model) -> bool:
    if model is AuditLog:
        return False
    return getattr(model, "__audited__", False) or state.entities.for_model(model) is not None


def _changes(session: Session):
    for obj in list(session.new):
        yield obj, "create"
    for obj in list(session.dirty):
        if session.is_modified(obj, include_collections=False):
            yield obj, "update"
    for obj in list(session.deleted):
        yield obj, "delete"


def _scope_values(obj, spec, values) -> tuple:
    org = values.get(spec.organization) if spec and spec.organization else None
    jur = values.get(spec.jurisdiction) if spec and spec.jurisdiction else None
    if spec and spec.organization == "id":
        org = values.get("id")
    return org, jur


@event.listens_for(Session, "before_flush")
def before_flush(session, _flush_context, _instances):
    state = state_or_none()
    if state is None:
        return
    scope = current_scope()
    ctx = RuleContext(session=session, action="", scope=scope, today=dt.date.today())
    pending = []
    with session.no_autoflush:
        for obj, action in _changes(session):
            model = type(obj)
            spec = scope_of_model(model)
            before = previous_values(obj) if action != "create" else None
            if spec is not None and model is not AuditLog:
                after_values = effective_values(obj)
                checks = [after_values] if action != "delete" else []
                if action != "create":
                    checks.append(before)
                for values in checks:
                    if not row_in_write_scope(session, spec, values, scope):
                        raise scope_violation()
            ctx.action = action
            outcomes = []
            for module_key, rule in state.rules_for(model):
                if action not in rule.on:
                    continue
                result = rule.check(obj, ctx)
                if result and rule.severity == "block":
                    raise RuleViolation(rule, render_message(rule, result))
                if rule.severity == "flag":
                    outcomes.append((module_key, rule, render_message(rule, result) if result else None))
            if _is_audited(state, model) or outcomes:
                pending.append((obj, action, before, outcomes))
    session.info[PENDING] = pending


@event.listens_for(Session, "after_flush")
def after_flush(session, _flush_context):
    pending = session.info.pop(PENDING, None)
    if not pending or not has_app_context():
        return
    state = state_or_none()
    scope = current_scope()
    conn = session.connection()
    audit_rows = []
    for obj, action, before, outcomes in pending:
        model = type(obj)
        entity = state.entities.for_model(model)
        entity_key = entity.key if entity else model.__tablename__
        after = column_values(obj) if action != "delete" else None
        values = after or before
        entity_id = str(inspect(obj).identity[0] if inspect(obj).identity else values.get("id"))
        org_id, jur_id = _scope_values(obj, scope_of_model(model), values)
        if _is_audited(state, model):
            audit_rows.append(
                dict(
                    at=utcnow(), user_id=scope.user_id, username=scope.username,
                    entity=entity_key, entity_id=entity_id, action=action,
                    before=before, after=after, organization_id=org_id, jurisdiction_id=jur_id,
                )
            )
        for module_key, rule, message in outcomes:
            _record_finding(conn, module_key, rule, message, entity_key, entity_id, org_id, jur_id)
    if audit_rows:
        conn.execute(insert(AuditLog), audit_rows)


def _record_finding(conn, module_key, rule, message, entity_key, entity_id, org_id, jur_id):
    """Open a finding for a violated flag rule; close the open one once it complies."""
    table = Finding.__table__
    open_match = (
        (table.c.entity == entity_key)
        & (table.c.entity_id == entity_id)
        & (table.c.rule_key == rule.key)
        & (table.c.status == "open")
    )
    existing = conn.execute(table.select().where(open_match)).first()
    if message is None:
        if existing is not None:
            conn.execute(
                update(table).where(open_match).values(
                    status="resolved", closed_at=utcnow(), version=table.c.version + 1,
                    review_note="整改后复核通过（系统自动关闭）",
                )
            )
        return
    if existing is None:
        conn.execute(
            insert(table).values(
                rule_key=rule.key, article=rule.article, module=module_key,
                entity=entity_key, entity_id=entity_id, message=message, status="open",
                opened_at=utcnow(), organization_id=org_id, jurisdiction_id=jur_id, version=1,
            )
        )
