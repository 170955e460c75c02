"""工作台: what awaits the viewer — decisions it holds, its submissions decided or returned,
open findings and overdue items — each in the viewer's scope and active modules."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from core.extensions import db
from core.home.records import actor_name, entity_label, record_name, record_url
from core.models import Finding
from core.rules import article_text
from core.scoping import scoped
from core.state import get_state
from core.workflow.approval import (
    EDITABLE_STATES,
    ApprovalMixin,
    WorkflowEvent,
    action_label,
    entity_id,
    is_staged,
    permitted,
    stages_of,
    view_name_for,
)
from core.workflow.deciders import refusal_to_decide

#: How many rows each to-do list shows (the count card gives the total).
SHOWN = 20
#: A decided submission stays on the home page this long.
DECIDED_DAYS = 30


@dataclass
class Todo:
    """One line of the home page: what, which record (a link), and since when."""

    kind: str
    title: str
    detail: str
    url: str | None
    at: dt.datetime | dt.date | None = None


def _approval_entities(modules: set[str]):
    for entity in get_state().entities:
        if issubclass(entity.model, ApprovalMixin) and entity.module in modules:
            yield entity


def _events_by_record(entity_key: str, ids: list[str]) -> dict[str, list[WorkflowEvent]]:
    found: dict[str, list[WorkflowEvent]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        query = (select(WorkflowEvent)
                 .where(WorkflowEvent.entity == entity_key,
                        WorkflowEvent.entity_id.in_(ids[start:start + 500]))
                 .order_by(WorkflowEvent.id))
        for event in db.session.execute(query).scalars():
            found[event.entity_id].append(event)
    return found


def awaiting_decision(scope, modules: set[str]) -> list[Todo]:
    """Records in a pending stage whose decision the viewer holds: the stage's permission on
    the record's view, the record in scope, not barred by separation of duties, and a member of
    the stage's body of the record's level where it names one (core/workflow/deciders.py)."""
    todos = []
    for entity in _approval_entities(modules):
        model = entity.model
        view_name = view_name_for(model)
        stages = {s.state: s for s in stages_of(model) if permitted(f"can_{s.permission}", view_name)}
        if not stages:
            continue
        query = scoped(select(model).where(model.state.in_(list(stages))), model, scope)
        rows = db.session.execute(query.order_by(model.submitted_at)).scalars().all()
        events = _events_by_record(entity.key, [entity_id(r) for r in rows])
        for row in rows:
            history = events.get(entity_id(row), [])
            # the same answer as the decision itself (core/workflow/deciders.py)
            if refusal_to_decide(row, view_name=view_name, events=history) is not None:
                continue
            submits = [actor_name(e.user_id, e.username) for e in history if e.action == "submit"]
            detail = str(stages[row.state].label) if is_staged(model) else _("待审批")
            if submits:
                detail = _("%(stage)s，提交人：%(user)s", stage=detail, user=submits[-1])
            todos.append(Todo("awaiting", f"{entity_label(entity.key)} {record_name(row)}", detail,
                              record_url(entity.key, entity_id(row)), row.submitted_at))
    return todos


def drafts_to_submit(scope, modules: set[str]) -> list[Todo]:
    """Drafts and returned records of the viewer's own organisation it may submit (``can_edit``)."""
    if scope.organization_id is None:
        return []
    todos = []
    for entity in _approval_entities(modules):
        model = entity.model
        organization = getattr(model, "organization_id", None)
        if organization is None or not permitted("can_edit", view_name_for(model)):
            continue
        query = scoped(select(model).where(model.state.in_(EDITABLE_STATES),
                                           organization == scope.organization_id), model, scope)
        for row in db.session.execute(query.order_by(model.id)).scalars():
            detail = _("已退回，请修改后重新提交") if row.state == "rejected" else _("草稿，尚未提交")
            todos.append(Todo("draft", f"{entity_label(entity.key)} {record_name(row)}", detail,
                              record_url(entity.key, entity_id(row))))
    return todos


def my_decided_submissions(scope, modules: set[str]) -> list[Todo]:
    """The viewer's submissions of the last days that were approved or returned since."""
    if scope.user_id is None:
        return []
    since = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=DECIDED_DAYS)
    keys = {e.key: e for e in _approval_entities(modules)}
    submits = db.session.execute(
        select(WorkflowEvent).where(WorkflowEvent.user_id == scope.user_id,
                                    WorkflowEvent.action == "submit",
                                    WorkflowEvent.entity.in_(list(keys)),
                                    WorkflowEvent.at >= since)
    ).scalars().all()
    latest = {}
    for event in submits:
        key = (event.entity, event.entity_id)
        latest[key] = max(latest.get(key, 0), event.id)
    todos = []
    by_entity = defaultdict(list)
    for entity_key, ident in latest:
        by_entity[entity_key].append(ident)
    for entity_key, ids in by_entity.items():
        model = keys[entity_key].model
        visible = {entity_id(r): r for r in db.session.execute(
            scoped(select(model), model, scope).where(model.id.in_([int(i) for i in ids if i.isdigit()]))
        ).scalars()}
        for ident, events in _events_by_record(entity_key, ids).items():
            record = visible.get(ident)
            decisions = [e for e in events if e.id > latest[(entity_key, ident)]
                         and e.to_state in ("approved", "rejected")]
            if record is None or not decisions:
                continue
            last = decisions[-1]
            detail = _("%(action)s（%(user)s）", action=action_label(last.action, model, last.from_state),
                       user=actor_name(last.user_id, last.username))
            if last.comment:
                detail += _("：%(comment)s", comment=last.comment)
            todos.append(Todo("returned" if last.to_state == "rejected" else "approved",
                              f"{entity_label(entity_key)} {record_name(record)}", detail,
                              record_url(entity_key, ident), last.at))
    todos.sort(key=lambda t: (t.kind != "returned", -(t.at.timestamp() if t.at else 0)))
    return todos


def open_findings(scope) -> tuple[int, list[Todo]]:
    """Open findings (问题清单) of the viewer's organisation or jurisdiction: count and newest."""
    query = scoped(select(Finding).where(Finding.status == "open"), Finding, scope)
    total = db.session.execute(select(db.func.count()).select_from(query.subquery())).scalar_one()
    rows = db.session.execute(query.order_by(Finding.opened_at.desc()).limit(SHOWN)).scalars()
    return total, [Todo("finding", article_text(f.article), f.message,
                        record_url(f.entity, f.entity_id), f.opened_at) for f in rows]


def overdue(scope, sources, today: dt.date) -> list[Todo]:
    """The modules' overdue items (``OverdueSource``) in the viewer's scope, oldest first."""
    found = []
    for source in sources:
        for item in source.find(scope, today):
            entity = get_state().entities.for_model(type(item.record))
            url = record_url(entity.key, entity_id(item.record)) if entity else None
            found.append(Todo("overdue", f"{source.label} {record_name(item.record)}", item.text,
                              url, item.due_on))
    found.sort(key=lambda t: t.at)
    return found
