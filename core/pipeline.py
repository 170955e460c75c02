"""The write pipeline: every flush of every write path (form, API, import, CLI, job,
operation) passes the same steps, in this order, in the writing transaction.

1. **derive** — each module's :class:`~core.contract.Derivation` (derived values, dependent
   rows such as a card's movement record); a row a derivation adds is derived in turn, so
   every row of the flush passes every later step.
2. **fill** — the scope columns a ``Scope`` declares derived: a parent's organisation and
   jurisdiction (``parent``), an organisation's jurisdiction (``derive_jurisdiction``).
   Filled before each round of derivations too, so a derivation sees its row's scope.
3. **scope** — the scope columns before and after the change are within the writer's scope,
   and every foreign key the write sets points to a row the writer may reference.
4. **rules** — the Measures' rules: ``block`` refuses, ``flag`` opens or closes a finding.
5. **guards** — checks of the whole flush registered by services and modules (the approval
   workflow's lock on submitted and approved records and their lines).
6. **audit** — after the flush, in its transaction: one audit row per change with its
   organisation and jurisdiction, and the findings of step 4.

Only the core listens to SQLAlchemy's session events; modules contribute through hooks
(``register_derivations``, ``register_rules``, ``register_write_guards``).
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import event, insert, inspect, select, update
from sqlalchemy.orm import Session

from core.errors import ScopeViolation
from core.events import column_values, effective_values, many_to_one, previous_values, related_target
from core.models import AuditLog, Finding, utcnow
from core.rules import RuleViolation, WriteContext, render_message
from core.scoping import (
    current_scope,
    may_reference,
    row_in_write_scope,
    scope_of_model,
    scope_violation,
)
from core.state import state_or_none

PENDING = "jiguan_pending"
SCRATCH = "jiguan_scratch"


def flush_scratch(session) -> dict:
    """A dict the steps of the current flush share; emptied when the flush ends."""
    return session.info.setdefault(SCRATCH, {})


MEMO = "jiguan_bulk_memo"


@contextmanager
def bulk_memo(session, writes):
    """Open a memo for a bulk write of ``writes`` rows (an import of thousands of rows): the
    reference data its derivations and rules read (``read_memo``) is read once, not per row."""
    session.info[MEMO] = ({}, writes)
    try:
        yield
    finally:
        session.info.pop(MEMO, None)


def read_memo(session, *reads) -> dict | None:
    """The open bulk write's memo for what is read from ``reads`` models, or None: none open, or
    the bulk write writes one of them (what it reads could change under it)."""
    found = session.info.get(MEMO)
    if found is None:
        return None
    memo, writes = found
    if any(issubclass(writes, model) or issubclass(model, writes) for model in reads):
        return None
    return memo


def _changes(session: Session):
    for obj in list(session.new):
        yield obj, "create"
    for obj in list(session.dirty):
        if session.is_modified(obj, include_collections=False):
            yield obj, "update"
    for obj in list(session.deleted):
        yield obj, "delete"


# --- 2. fill -------------------------------------------------------------------------------------


def _organization_of(session, obj, spec):
    if spec.organization == "id":
        return obj
    rel = many_to_one(inspect(obj).mapper, spec.organization)
    if rel is not None:
        return related_target(session, obj, rel.key)
    from core.tenancy import Organization

    ident = getattr(obj, spec.organization)
    return session.get(Organization, ident) if ident is not None else None


def _set_column(session, obj, column: str, value) -> None:
    """Set a scope column; through its relationship when that is loaded or set, so the two agree."""
    state = inspect(obj)
    rel = many_to_one(state.mapper, column)
    if rel is not None and rel.key in state.dict:
        current = state.dict[rel.key]
        if current is not None and inspect(current).identity is not None \
                and inspect(current).identity[0] == value:
            return
        setattr(obj, rel.key, session.get(rel.mapper.class_, value) if value is not None else None)
    elif getattr(obj, column) != value:
        setattr(obj, column, value)


def _fill(session, obj, filled: set) -> None:
    if id(obj) in filled:
        return
    filled.add(id(obj))
    spec = scope_of_model(type(obj))
    if spec is None:
        return
    if spec.parent:
        parent = related_target(session, obj, spec.parent)
        if parent is not None:
            _fill(session, parent, filled)  # a new parent in the same flush first
            pspec = scope_of_model(type(parent))
            values = effective_values(parent)
            if spec.organization and pspec and pspec.organization:
                org = parent.id if pspec.organization == "id" else values.get(pspec.organization)
                _set_column(session, obj, spec.organization, org)
            if spec.jurisdiction and pspec and pspec.jurisdiction:
                _set_column(session, obj, spec.jurisdiction, values.get(pspec.jurisdiction))
                return
    if (spec.derive_jurisdiction or spec.parent) and spec.organization and spec.jurisdiction:
        org = _organization_of(session, obj, spec)
        jurisdiction = effective_values(org).get("jurisdiction_id") if org is not None else None
        if jurisdiction is not None:
            _set_column(session, obj, spec.jurisdiction, jurisdiction)


# --- 3. scope ------------------------------------------------------------------------------------


_REFERENCES: dict = {}


def _reference_targets(mapper):
    """``(column, target model)`` for every foreign key of ``mapper`` to another mapped model."""
    # a reference by entity-type key gains its foreign key at start-up (core.fab.references)
    count = len(mapper.local_table.foreign_keys)
    cached = _REFERENCES.get(mapper)
    if cached is not None and cached[0] == count:
        return cached[1]
    by_table = {m.local_table: m.class_ for m in mapper.registry.mappers}
    found = []
    for attr in mapper.column_attrs:
        column = attr.columns[0]
        for fk in column.foreign_keys:
            target = by_table.get(fk.column.table)
            if target is not None:
                found.append((attr.key, target))
    _REFERENCES[mapper] = (count, found)
    return found


def reference_refused(target) -> ScopeViolation:
    state = state_or_none()
    entity = state.entities.for_model(target) if state else None
    what = entity.label if entity else target.__name__
    return ScopeViolation(_("所选的%(what)s不在您的权限范围内：不能引用本辖区（本单位）以外的记录",
                            what=what))


def check_references(session, obj, action: str, scope, cache: dict, after: dict | None = None) -> None:
    """Every foreign key the write sets points to a row the writer may reference (Art. 4-5).
    ``after``: the row's ``effective_values`` when the caller has them already."""
    spec = scope_of_model(type(obj))
    own = {spec.organization, spec.jurisdiction} if spec else set()
    if after is None:
        after = effective_values(obj)
    before = previous_values(obj) if action == "update" else {}
    for column, target in _reference_targets(inspect(obj).mapper):
        if column in own or after.get(column) is None:
            continue
        if action == "update" and before.get(column) == after.get(column):
            continue  # unchanged: it was allowed when it was written
        tspec = scope_of_model(target)
        if tspec is None or tspec.public:
            continue
        if not may_reference(session, target, after[column], scope, cache):
            raise reference_refused(target)


def _check_scope(session, obj, action: str, scope, cache: dict) -> None:
    spec = scope_of_model(type(obj))
    if spec is None or type(obj) is AuditLog or scope.kind == "all":
        return
    checks = [] if action == "delete" else [effective_values(obj)]
    if action != "create":
        checks.append(previous_values(obj))
    for values in checks:
        if not row_in_write_scope(session, spec, values, scope):
            raise scope_violation()
    if action != "delete":
        check_references(session, obj, action, scope, cache, after=checks[0])


# --- the listeners -------------------------------------------------------------------------------


def _is_audited(state, model) -> bool:
    if model is AuditLog:
        return False
    return getattr(model, "__audited__", False) or state.entities.for_model(model) is not None


@event.listens_for(Session, "before_flush")
def run_pipeline(session, _flush_context, _instances):
    state = state_or_none()
    if state is None:
        return
    scope = current_scope()
    zone = ZoneInfo(current_app.config.get("DISPLAY_TIMEZONE") or "Asia/Shanghai")  # docs/display.md
    ctx = WriteContext(session=session, action="", scope=scope, today=dt.datetime.now(zone).date(),
                       scratch=flush_scratch(session))
    with session.no_autoflush:
        # 1-2. derive to a fixed point, filling each round's scope columns first
        seen: dict[int, tuple] = {}
        filled: set[int] = set()
        while True:
            batch = [(obj, action) for obj, action in _changes(session) if id(obj) not in seen]
            if not batch:
                break
            for obj, action in batch:
                seen[id(obj)] = (obj, action)
                if action != "delete":
                    _fill(session, obj, filled)
            for obj, action in batch:
                ctx.action = action
                for _module, derivation in state.derivations_for(type(obj)):
                    if action in derivation.on:
                        derivation.apply(obj, ctx)
        changes = [(obj, action) for obj, action in _changes(session)]
        refill: set[int] = set()
        for obj, action in changes:  # a derivation may have moved a parent after its lines
            if action != "delete":
                _fill(session, obj, refill)
        # 3-4. scope, then rules
        cache: dict = {}
        pending = []
        for obj, action in changes:
            model = type(obj)
            _check_scope(session, obj, action, scope, cache)
            before = previous_values(obj) if action != "create" else None
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
        # 5. guards of the whole flush
        for _module, guard in state.guards:
            guard.check(changes, ctx)
    session.info[PENDING] = pending


@event.listens_for(Session, "after_flush")
def write_audit(session, _flush_context):
    """6. The audit rows and findings, in the flush's transaction."""
    pending = session.info.pop(PENDING, None)
    if not pending or not has_app_context():
        return
    state = state_or_none()
    scope = current_scope()
    conn = session.connection()
    jurisdiction_of: dict = {}
    audit_rows = []
    for obj, action, before, outcomes in pending:
        model = type(obj)
        entity = state.entities.for_model(model)
        entity_key = entity.key if entity else model.__tablename__
        after = column_values(obj) if action != "delete" else None
        values = after or before
        identity = inspect(obj).identity
        entity_id = str(identity[0] if identity else values.get("id"))
        org_id, jur_id = scope_values(conn, scope_of_model(model), values, jurisdiction_of)
        if _is_audited(state, model):
            audit_rows.append(
                dict(
                    at=utcnow(), user_id=scope.user_id, username=scope.username,
                    entity=entity_key, entity_id=entity_id, action=action,
                    before=before, after=after, organization_id=org_id, jurisdiction_id=jur_id,
                )
            )
        for module_key, rule, message in outcomes:
            if message is None and action == "create":
                continue  # a new row has no open finding to close: no SELECT per flag rule per row
            record_finding(conn, module_key, rule, message, entity_key, entity_id, org_id, jur_id)
    if audit_rows:
        conn.execute(insert(AuditLog), audit_rows)


@event.listens_for(Session, "after_flush_postexec")
def _end_of_flush(session, _flush_context):
    session.info.pop(SCRATCH, None)


def scope_values(conn, spec, values: dict, jurisdiction_of: dict) -> tuple:
    """The organisation and jurisdiction of a row: its own columns, a jurisdiction from its
    organisation when it declares none (so the trail and findings of every row are scoped)."""
    if spec is None:
        return None, None
    org = values.get("id") if spec.organization == "id" else (
        values.get(spec.organization) if spec.organization else None)
    jur = values.get("id") if spec.jurisdiction == "id" else (
        values.get(spec.jurisdiction) if spec.jurisdiction else None)
    if jur is None and org is not None:
        if org not in jurisdiction_of:
            from core.tenancy import Organization

            table = Organization.__table__
            jurisdiction_of[org] = conn.execute(
                select(table.c.jurisdiction_id).where(table.c.id == org)).scalar()
        jur = jurisdiction_of[org]
    return org, jur


def record_finding(conn, module_key, rule, message, entity_key, entity_id, org_id, jur_id):
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
