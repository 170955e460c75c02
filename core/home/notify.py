"""Notifications: who is told what, when a workflow step is written or an item falls overdue.

The workflow knows nothing of this service: a :class:`~core.contract.Derivation` on
:class:`~core.workflow.approval.WorkflowEvent` (step 1 of the write pipeline) adds the
notifications to the very flush that writes the step, so a refused transition notifies nobody.
Each message is written in its reader's language (the language the user chose, ``ab_user.locale``,
else ``BABEL_DEFAULT_LOCALE``): the actor's own language is not the reader's.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from core.activation import active_modules
from core.contract import Derivation
from core.display.locale import locale_of
from core.events import column_values
from core.extensions import db
from core.home.mail import queue_mail
from core.home.models import Notification
from core.home.records import actor_name, entity_label, load_record, record_name
from core.scoping import SYSTEM, acting_as, row_in_write_scope, scope_for_user, scope_of_model
from core.state import get_state
from core.tenancy import Jurisdiction
from core.workflow.approval import (
    ApprovalMixin,
    WorkflowEvent,
    is_staged,
    last_submitter,
    pending_states,
    stage_in,
    view_name_for,
)
from core.workflow.deciders import candidate_users, refusal_to_decide


def users_who_may(session, record, permission: str, exclude: set[int] = frozenset()) -> list:
    """Active users holding ``permission`` on the record's view, the record in their write scope."""
    model = type(record)
    view_name = view_name_for(model)
    spec = scope_of_model(model)
    values = column_values(record)
    module = get_state().module_of_name.get(view_name) if view_name else None
    sm = current_app.appbuilder.sm
    found, active = [], {}
    for user in candidate_users(session, record):
        if user.id in exclude or view_name is None:
            continue
        scope = scope_for_user(user)
        if spec is not None and not row_in_write_scope(session, spec, values, scope):
            continue
        if module:
            key = (scope.kind, scope.jurisdiction_id)  # one lookup per jurisdiction, not per user
            if key not in active:
                active[key] = active_for(session, scope)
            if module not in active[key]:
                continue
        if sm._has_view_access(user, permission, view_name):
            found.append(user)
    return found


def active_for(session, scope) -> set[str]:
    """The modules active at a user's jurisdiction (computed for that user, not the request's)."""
    if scope.jurisdiction_id is None:
        return set(get_state().modules) if scope.kind == "all" else set()
    return active_modules(session.get(Jurisdiction, scope.jurisdiction_id))


def _add(session, users, kind: str, message, entity: str, ident: str, dedupe: str | None = None):
    """``message``: a function writing the text, called in each reader's language (once per
    language), and the mail with it."""
    texts: dict[str, str] = {}
    for user in users:
        locale = locale_of(user)
        with force_locale(locale):
            if locale not in texts:
                texts[locale] = message()
            session.add(Notification(user_id=user.id, kind=kind, message=texts[locale], entity=entity,
                                     entity_id=ident, dedupe_key=dedupe))
            queue_mail(session, user, kind, texts[locale])


def awaiting_key(entity_key: str, ident: str, state: str, submitted_at) -> str:
    """One "awaits your decision" per user, record, stage and submission: the step's own
    notification and a later ``jiguan notify pending`` never tell a user twice."""
    stamp = submitted_at.isoformat(timespec="seconds") if submitted_at else ""
    return f"awaiting:{entity_key}:{ident}:{state}:{stamp}"


def _tell_deciders(session, record, entity_key: str, ident: str, history, actor: str) -> int:
    """Tell whoever may decide the stage pending now, unless told already; how many were told."""
    model = type(record)
    stage = stage_in(model, record.state)
    if stage is None:
        return 0
    dedupe = awaiting_key(entity_key, ident, record.state, record.submitted_at)
    told = set(session.execute(select(Notification.user_id)
                               .where(Notification.dedupe_key == dedupe)).scalars())
    # the same answer as the decision itself (core/workflow/deciders.py): permission, scope,
    # separation of duties and, where the stage names one, the body of the record's level
    deciders = [user for user in candidate_users(session, record) if user.id not in told
                and refusal_to_decide(record, user, events=history) is None]
    submits = [actor_name(e.user_id, e.username) for e in history if e.action == "submit"]
    user = submits[-1] if submits else actor

    def message() -> str:
        what = f"{entity_label(entity_key)}“{record_name(record)}”"
        if is_staged(model):
            return _("%(what)s待您审批（%(stage)s），提交人：%(user)s",
                     what=what, stage=stage.label, user=user)
        return _("%(what)s待您审批，提交人：%(user)s", what=what, user=user)

    _add(session, deciders, "awaiting", message, entity_key, ident, dedupe)
    return len(deciders)


def _history(session, event) -> list[WorkflowEvent]:
    query = (select(WorkflowEvent).where(WorkflowEvent.entity == event.entity,
                                         WorkflowEvent.entity_id == event.entity_id)
             .order_by(WorkflowEvent.id))
    return [*session.execute(query).scalars(), event]


def notify_workflow_step(event: WorkflowEvent, ctx) -> None:
    """A submission (or a stage passed) tells the next deciders; a final decision tells the
    submitter. Runs in the flush that writes ``event``."""
    session = ctx.session
    record = load_record(session, event.entity, event.entity_id)
    if not isinstance(record, ApprovalMixin):  # gone, or an event written by hand (a migration)
        return
    model = type(record)
    history = _history(session, event)
    submitter = last_submitter(history)
    if event.to_state in pending_states(model):
        _tell_deciders(session, record, event.entity, event.entity_id, history,
                       actor_name(event.user_id, event.username))
    elif event.action in ("approve", "reject") and submitter is not None:
        user = db.session.get(current_app.appbuilder.sm.user_model, submitter)

        def message() -> str:
            what = f"{entity_label(event.entity)}“{record_name(record)}”"
            if event.to_state == "approved":
                return _("您提交的%(what)s已批准（%(user)s）", what=what,
                         user=actor_name(event.user_id, event.username))
            return _("您提交的%(what)s被退回（%(user)s）：%(comment)s",
                     what=what, user=actor_name(event.user_id, event.username),
                     comment=event.comment or "")

        kind = "approved" if event.to_state == "approved" else "rejected"
        _add(session, [user] if user else [], kind, message, event.entity, event.entity_id)


WORKFLOW_NOTICE = Derivation("home.workflow_notice", WorkflowEvent, notify_workflow_step, on=("create",))


def notify_pending() -> int:
    """Tell the deciders of every record pending now who have not been told (the demo, or a
    database that had records pending before notifications existed). Returns how many."""
    from core.workflow.approval import entity_id

    session = db.session
    written = 0
    tables = sa_inspect(session.connection())
    with acting_as(SYSTEM):
        for entity in get_state().entities:
            model = entity.model
            # a table not created yet (a test's own model, added after the demo) holds nothing
            if not issubclass(model, ApprovalMixin) or not tables.has_table(model.__tablename__):
                continue
            rows = session.execute(select(model).where(model.state.in_(pending_states(model)))
                                   .order_by(model.submitted_at)).scalars().all()
            for row in rows:
                ident = entity_id(row)
                history = list(session.execute(
                    select(WorkflowEvent).where(WorkflowEvent.entity == entity.key,
                                                WorkflowEvent.entity_id == ident)
                    .order_by(WorkflowEvent.id)).scalars())
                written += _tell_deciders(session, row, entity.key, ident, history, actor_name(None, None))
    session.commit()
    return written


def notify_overdue(sources, today: dt.date) -> int:
    """Tell every user who may act on an overdue record (``can_edit`` on its view, in scope),
    once per record and due date however often it runs. Returns the notifications written."""
    state = get_state()
    session = db.session
    written = 0
    with acting_as(SYSTEM):
        items = [(source, item) for source in sources for item in source.find(None, today)]
    for source, item in items:
        entity = state.entities.for_model(type(item.record))
        if entity is None:
            continue
        ident = ",".join(str(v) for v in db.inspect(item.record).identity)
        dedupe = f"overdue:{source.key}:{entity.key}:{ident}:{item.due_on.isoformat()}"
        told = set(session.execute(select(Notification.user_id)
                                   .where(Notification.dedupe_key == dedupe)).scalars())
        users = users_who_may(session, item.record, "can_edit", told)

        def message(source=source, item=item) -> str:
            what = f"{source.label}“{record_name(item.record)}”"
            return _("%(what)s已逾期：%(text)s", what=what, text=item.text)

        _add(session, users, "overdue", message, entity.key, ident, dedupe)
        written += len(users)
    session.commit()
    return written
