"""The approval workflow: draft → submitted → approved / rejected, and withdraw.

A model may declare several approval stages (``ApprovalMixin.approval_stages``),
e.g. the bureau's review then the finance department's: each stage has its own
pending state and its own permission, and ``approve`` moves the record to the
next stage's state until the last stage approves it.

A plugin model takes :class:`ApprovalMixin`, its screen ``ApprovalViewMixin``
(core/workflow/approval_views.py).
:func:`transition` is the one way a record changes state: it checks the state
table, the FAB permission on the record's view (``can_edit`` to submit or
withdraw, ``can_approve`` to decide), the row scope and the separation of
duties, then writes a :class:`~core.models.WorkflowEvent` and the record in one
flush, so the change is scope-checked, rule-checked and audited like any other.

Guards in the write pipeline (below, step 5 of ``core.pipeline``) make the workflow hold
on every write path (form, API, import, CLI): ``state`` and its timestamps change only
through :func:`transition`, a submitted or approved record cannot be edited or deleted,
and neither can its lines (rows whose ``Scope`` names it as ``parent``). Only the system
itself (no user: demo loaders, migrations) is exempt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app, has_request_context
from flask_appbuilder import Model
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import Column, DateTime, Index, Integer, String, Text, inspect, select
from sqlalchemy.orm import object_session
from sqlalchemy.orm.exc import StaleDataError

from core.activation import module_active_for_current_user
from core.contract import Guard
from core.errors import EditConflict, WriteRefused, conflict_message
from core.events import column_values, related_target
from core.extensions import db
from core.scoping import current_scope, row_in_write_scope, scope_of_model, scope_violation
from core.state import get_state
from core.versioning import utcnow
from core.workflow.numbering import ensure_number
from core.workflow.operations import allowing


class WorkflowEvent(Model):
    """One step of an approval (draft → submitted → approved/rejected, withdraw)."""

    __tablename__ = "core_workflow_event"
    __table_args__ = (Index("ix_core_workflow_record", "entity", "entity_id"),)

    id = Column(Integer, primary_key=True)
    entity = Column(String(64), nullable=False)
    entity_id = Column(String(64), nullable=False)
    action = Column(String(16), nullable=False)
    from_state = Column(String(16), nullable=False)
    to_state = Column(String(16), nullable=False)
    user_id = Column(Integer)
    username = Column(String(128), nullable=False)
    at = Column(DateTime, nullable=False, default=utcnow)
    comment = Column(Text)


STATE_LABELS = {
    "draft": _l("草稿"),
    "submitted": _l("已提交"),
    "approved": _l("已批准"),
    "rejected": _l("已退回"),
}
#: States in which the record itself may still be edited or deleted.
EDITABLE_STATES = ("draft", "rejected")
WORKFLOW_COLUMNS = ("state", "submitted_at", "decided_at")
#: Documents are numbered and dated in Beijing time (the year of CZ-2026-00001).
BEIJING_OFFSET = dt.timedelta(hours=8)


class WorkflowError(WriteRefused):
    """A transition the workflow refused; ``status`` is 409 (state), 403 (rights) or 422 (input)."""

    status = 409

    def __init__(self, message, status: int | None = None):
        super().__init__(message)
        if status is not None:
            self.status = status


@dataclass(frozen=True)
class Stage:
    """One decision of a staged approval: who decides (``permission``) while the record is in ``state``."""

    key: str
    #: what the stage is, e.g. 机关事务管理部门审核
    label: Any
    #: FAB permission (without ``can_``) the decider needs on the record's view
    permission: str
    #: the record's state while this stage is pending (``String(16)``)
    state: str
    #: how that state reads, e.g. 已审核，待财政审批
    state_label: Any
    #: who decides: ``"bureau"`` / ``"finance"`` of the record's own level, ``"bureau_above"`` the
    #: bureau one level up (a report submitted upward, Art. 15) (core/workflow/deciders.py);
    #: None: whoever holds the permission with the record in scope
    body: str | None = None
    #: the article the stage rests on (17: 第十七条), cited when someone else tries to decide it
    article: int | None = None
    #: ``required(record)``: whether this record needs the stage (None: always); approve passes
    #: over a stage a record does not need (a disposal below the finance threshold)
    required: Callable[[Any], bool] | None = None

    def needed_by(self, record) -> bool:
        return self.required is None or record is None or bool(self.required(record))


#: The stage of a model that declares none: one decision, under ``can_approve``.
SINGLE_STAGE = Stage("approval", _l("审批"), "approve", "submitted", _l("已提交"))


@dataclass(frozen=True)
class Transition:
    action: str
    label: Any
    sources: tuple[str, ...]
    target: str
    #: FAB permission (without ``can_``) the actor needs on the record's view.
    permission: str
    comment_required: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("submit", _l("提交"), ("draft", "rejected"), "submitted", "edit"),
        Transition("withdraw", _l("撤回"), ("submitted",), "draft", "edit", comment_required=True),
        Transition("approve", _l("批准"), ("submitted",), "approved", "approve"),
        Transition("reject", _l("退回"), ("submitted",), "rejected", "approve", comment_required=True),
    )
}


def stages_of(model: type) -> tuple[Stage, ...]:
    """The approval stages of ``model``, in order (one default stage unless it declares its own)."""
    return tuple(getattr(model, "approval_stages", ()) or ()) or (SINGLE_STAGE,)


def is_staged(model: type) -> bool:
    """A model that declares its own stages, even one (a decision of the finance department
    alone, Art. 12): its stage's permission and body decide, not ``can_approve``."""
    return bool(getattr(model, "approval_stages", ()))


def pending_states(model: type) -> tuple[str, ...]:
    return tuple(stage.state for stage in stages_of(model))


def stage_in(model: type, state: str | None) -> Stage | None:
    """The stage pending while a record of ``model`` is in ``state`` (None: nothing pending)."""
    return next((stage for stage in stages_of(model) if stage.state == state), None)


def state_label(state: str | None, model: type | None = None) -> str:
    stage = stage_in(model, state) if model is not None and is_staged(model) else None
    if stage is not None:
        return str(stage.state_label)
    return str(STATE_LABELS.get(state, state or ""))


def action_label(action: str, model: type | None = None, from_state: str | None = None) -> str:
    """The action's label; a decision on a staged record names its stage (批准（财政部门审核）)."""
    label = str(TRANSITIONS[action].label) if action in TRANSITIONS else action
    if model is not None and is_staged(model) and action in ("approve", "reject"):
        stage = stage_in(model, from_state)
        if stage is not None:
            return f"{label}（{stage.label}）"
    return label


def step_for(model: type, action: str, state: str | None, record=None) -> Transition | None:
    """The transition ``action`` means for a record of ``model`` in ``state``.

    A single-stage model uses :data:`TRANSITIONS` as they are. On a staged model
    ``approve`` and ``reject`` take the permission of the stage pending in ``state``
    and ``approve`` leads to the next stage's state (the last one to ``approved``);
    ``withdraw`` works from any pending stage. Given the ``record``, submit and approve pass
    over the stages it does not need (``Stage.required``). Unknown action: None.
    """
    step = TRANSITIONS.get(action)
    if step is None or not is_staged(model):
        return step
    stages = stages_of(model)
    pending = tuple(stage.state for stage in stages)
    if action == "submit":
        first = next((s for s in stages if s.needed_by(record)), stages[0])
        return Transition(step.action, step.label, step.sources, first.state, step.permission)
    if action == "withdraw":
        return Transition(step.action, step.label, pending, step.target, step.permission,
                          step.comment_required)
    stage = stage_in(model, state)
    if stage is None:  # nothing pending: refused on the state, with the first stage's rights
        return Transition(step.action, step.label, pending, step.target, stages[0].permission,
                          step.comment_required)
    target = step.target
    if action == "approve":
        later = [s for s in stages[stages.index(stage) + 1:] if s.needed_by(record)]
        target = later[0].state if later else "approved"
    return Transition(step.action, step.label, (stage.state,), target, stage.permission,
                      step.comment_required)


def decision_permissions(model: type) -> list[str]:
    """Every FAB permission (with ``can_``) that decides some stage of ``model``."""
    return list(dict.fromkeys(f"can_{stage.permission}" for stage in stages_of(model)))


class ApprovalMixin:
    """Columns of a record that goes through approval; use before ``Versioned, Model``."""

    #: The decisions in order; empty = one decision under ``can_approve`` (see :class:`Stage`).
    approval_stages: tuple[Stage, ...] = ()

    # server_default: the column can be added to a table that already has rows
    state = Column(String(16), nullable=False, default="draft", server_default="draft", index=True)
    submitted_at = Column(DateTime)
    decided_at = Column(DateTime)

    @property
    def state_label(self) -> str:
        return state_label(self.state, type(self))

    @property
    def document_number(self) -> str:
        """The document's number (CZ-2026-00001) from its first submission; "" for a new draft."""
        from core.workflow.numbering import number_of

        return number_of(entity_key(type(self)), entity_id(self)) if inspect(self).key else ""

    @property
    def is_editable(self) -> bool:
        return (self.state or "draft") in EDITABLE_STATES

    def on_transition(self, action: str, session) -> list[str] | None:
        """Apply what ``action`` means for the module, in the flush that moves the state.

        Return what it changed besides the record, as short Chinese sentences (e.g.
        "3 张资产卡片状态改为“已处置”"): the user is told them after the decision
        (``WorkflowEvent.effects``), so no card changes without saying so.

        Called by :func:`transition` after ``state`` has its new value and before the
        flush, so the effects (e.g. approved disposals mark their assets disposed) are
        scope-checked, rule-checked and audited with the transition, and nothing of it is
        written when any part is refused. Override it; raise :class:`WorkflowError` (or
        :class:`~core.errors.WriteRefused`) to refuse the transition with a message.
        """


def locked_message(state: str | None) -> str:
    if state == "approved":
        return _("记录已批准，不能修改或删除")
    return _("记录已提交审批，不能修改或删除；如需修改，请先撤回")


def ensure_editable(record) -> None:
    """Refuse an edit or delete of a record whose approval is pending or given."""
    if not record.is_editable:
        raise WorkflowError(locked_message(record.state))


# --- the record's identity and history ---------------------------------------------------------


def entity_key(model: type) -> str:
    entity = get_state().entities.for_model(model)
    return entity.key if entity else model.__tablename__


def entity_id(record) -> str:
    return ",".join(str(v) for v in inspect(record).mapper.primary_key_from_instance(record))


def workflow_history(record) -> list[WorkflowEvent]:
    """The record's workflow events, oldest first (the caller has checked the record's scope)."""
    session = object_session(record) or db.session
    query = (
        select(WorkflowEvent)
        .where(WorkflowEvent.entity == entity_key(type(record)),
               WorkflowEvent.entity_id == entity_id(record))
        .order_by(WorkflowEvent.id)
    )
    return list(session.execute(query).scalars())


def last_submitter(events: list[WorkflowEvent]) -> int | None:
    submits = [e for e in events if e.action == "submit"]
    return submits[-1].user_id if submits else None


def deciders_since_submit(events: list[WorkflowEvent]) -> set[int]:
    """Who approved a stage of the latest submission: nobody decides two stages of it."""
    since = [i for i, e in enumerate(events) if e.action == "submit"]
    start = since[-1] + 1 if since else 0
    return {e.user_id for e in events[start:] if e.action == "approve" and e.user_id is not None}


def may_not_decide(events: list[WorkflowEvent], user_id: int | None) -> str | None:
    """Separation of duties, per stage: why ``user_id`` may not decide now (None: may)."""
    if user_id is None:
        return None
    if last_submitter(events) == user_id:
        return _("不能审批本人提交的记录")
    if user_id in deciders_since_submit(events):
        return _("已审核过前一环节的人员不能再审批后一环节")
    return None


# --- who may ------------------------------------------------------------------------------------


def view_name_for(model: type) -> str | None:
    """The permission name of the installed approval view of ``model`` (else any view of it)."""
    found = None
    for _module, spec in get_state().views:
        datamodel = getattr(spec.view, "datamodel", None)
        if datamodel is None or not issubclass(model, datamodel.obj):
            continue
        name = spec.view.class_permission_name or spec.view.__name__
        if getattr(spec.view, "is_approval_view", False):
            return name
        found = found or name
    return found


def permitted(permission: str, view_name: str | None) -> bool:
    """Whether whoever acts holds FAB ``permission`` on ``view_name`` (module activation included)."""
    scope = current_scope()
    if scope.user_id is None:
        return scope.kind == "all"  # the system itself (CLI, demo loaders) acts for the office
    if view_name is None:
        return False
    sm = current_app.appbuilder.sm
    if has_request_context() and getattr(current_user, "id", None) == scope.user_id:
        return sm.has_access(permission, view_name)
    # acting_as(user) outside its own request (CLI, jobs): same roles, same activation
    user = db.session.get(sm.user_model, scope.user_id)
    if user is None or not user.is_active:
        return False
    module = get_state().module_of_name.get(view_name)
    if module and not module_active_for_current_user(module):
        return False
    return sm._has_view_access(user, permission, view_name)


# --- the transition -----------------------------------------------------------------------------

_MARK = "_jiguan_workflow_transition"


def transition(record, action: str, comment: str | None = None, *, view_name: str | None = None):
    """Move ``record`` along the workflow by ``action``; flush, leave the commit to the caller.

    :param record: an instance of a model with :class:`ApprovalMixin`, loaded in a session.
    :param action: ``submit``, ``withdraw``, ``approve`` or ``reject`` (on a staged record
        ``approve``/``reject`` decide the stage pending now, see :func:`step_for`).
    :param comment: the actor's note; required to reject.
    :param view_name: permission name of the record's view; looked up from the installed
        views when omitted.
    :returns: the :class:`~core.models.WorkflowEvent` written; its ``effects`` lists what the
        module's ``on_transition`` reported it changed.
    :raises WorkflowError: wrong state, missing comment, missing permission, own submission,
        a withdrawal by someone other than the submitter.
    :raises ScopeViolation: the record is outside the actor's scope.
    """
    model = type(record)
    current = record.state or "draft"
    step = step_for(model, action, current, record)
    if step is None:
        raise WorkflowError(_("未知的审批操作：%(action)s", action=action), status=422)
    label = action_label(action, model, current)
    if current not in step.sources:
        raise WorkflowError(
            _("当前状态“%(state)s”不能执行“%(action)s”", state=state_label(current, model),
              action=step.label)
        )
    comment = (comment or "").strip() or None
    if step.comment_required and not comment:
        raise WorkflowError(_("“%(action)s”时必须填写意见", action=step.label), status=422)

    session = object_session(record) or db.session
    scope = current_scope()
    view_name = view_name or view_name_for(model)
    if action in ("approve", "reject"):
        # who decides: permission, scope, separation of duties, the stage's body of the record's level
        from core.workflow.deciders import refusal_to_decide

        refusal = refusal_to_decide(record, action=action, view_name=view_name)
        if refusal is not None:
            raise refusal
    if not permitted(f"can_{step.permission}", view_name):
        raise WorkflowError(_("您没有“%(action)s”此记录的权限", action=label), status=403)
    spec = scope_of_model(model)
    # the flush checks the written row too; checking first refuses before anything is staged
    with session.no_autoflush:
        if inspect(record).key is None:
            session.flush()  # a new record is saved as a draft first, to have an id
        if spec is not None and not row_in_write_scope(session, spec, column_values(record), scope):
            raise scope_violation()
        if action == "withdraw" and scope.user_id is not None and \
                last_submitter(workflow_history(record)) not in (None, scope.user_id):
            # the submitter takes its own submission back; a decider returns it (退回) instead
            raise WorkflowError(_("只有提交人可以撤回；审批人如不同意，请“退回”并说明理由"), status=403)

    now = utcnow()
    record.state = step.target
    if action == "submit":
        record.submitted_at, record.decided_at = now, None
    elif action == "withdraw":
        record.submitted_at = None
    else:
        record.decided_at = now
    entry = WorkflowEvent(
        entity=entity_key(model), entity_id=entity_id(record), action=action,
        from_state=current, to_state=step.target, user_id=scope.user_id,
        username=scope.username, at=now, comment=comment,
    )
    session.add(entry)
    setattr(record, _MARK, action)
    try:
        if action == "submit":
            # the document's number (CZ-2026-00001), given at its first submission, dated in
            # Beijing time; after the mark: its query flushes the record's new state
            ensure_number(session, entity_key(model), entity_id(record), (now + BEIJING_OFFSET).date())
        with allowing():  # an approval's effects may move state fields (core/workflow/operations.py)
            effects = record.on_transition(action, session)
            session.flush()
    except StaleDataError as exc:
        raise EditConflict(conflict_message()) from exc
    finally:
        delattr(record, _MARK)
    #: what the transition changed besides the record (not stored: the records' own history has it)
    entry.effects = [str(effect) for effect in effects or ()]
    return entry


# --- the guard on every flush -------------------------------------------------------------------


def _loaded(obj, key: str):
    hist = inspect(obj).attrs[key].history
    if hist.deleted:
        return hist.deleted[0]
    if hist.unchanged:
        return hist.unchanged[0]
    return getattr(obj, key)


def guard_workflow(changes, ctx) -> None:
    """``state`` and its timestamps move only through :func:`transition`; a submitted or
    approved record is not edited or deleted."""
    scope = ctx.scope
    if scope.user_id is None and scope.kind == "all":
        return  # the system itself: demo loaders and migrations may seed any state
    moved = _("审批状态只能通过“提交”“撤回”“批准”“退回”操作改变")
    for obj, action in changes:
        if not isinstance(obj, ApprovalMixin) or hasattr(obj, _MARK):
            continue
        if action == "create":
            if (obj.state or "draft") != "draft" or obj.submitted_at or obj.decided_at:
                raise WorkflowError(moved)
            continue
        if action == "update":
            attrs = inspect(obj).attrs
            if any(attrs[key].history.has_changes() for key in WORKFLOW_COLUMNS):
                raise WorkflowError(moved)
        loaded = _loaded(obj, "state")
        if loaded not in EDITABLE_STATES and not (action == "update" and _operation_only(obj)):
            raise WorkflowError(locked_message(loaded))


def _operation_only(obj) -> bool:
    """An update of a decided record made by a named operation on its declared state fields
    alone (作废, a delegation's 回国结算): a form, PUT or import still cannot touch it."""
    from core.workflow.operations import _is_allowed

    changed = [attr.key for attr in inspect(obj).attrs
               if attr.key != "version" and attr.history.has_changes()]
    return bool(changed) and all(_is_allowed(obj, key) for key in changed)


def lines_locked_message(parent, state: str | None) -> str:
    if state == "approved":
        return _("“%(document)s”已批准，不能增删或修改其明细", document=parent)
    return _("“%(document)s”已提交审批，不能增删或修改其明细；如需修改，请先撤回", document=parent)


def guard_lines(changes, ctx) -> None:
    """A row of a submitted or approved document (``Scope(parent=…)``) is not added, changed,
    moved out or removed, except by the document's own transition."""
    scope = ctx.scope
    if scope.user_id is None and scope.kind == "all":
        return
    from core.scoping import scope_of_model

    session = ctx.session
    for obj, action in changes:
        spec = scope_of_model(type(obj))
        if spec is None or not spec.parent or not spec.locked_with_parent:
            continue
        parents = []
        if action != "delete":
            parents.append(related_target(session, obj, spec.parent))
        if action != "create":  # the document it was in: a line does not leave a locked one
            rel = inspect(obj).mapper.relationships[spec.parent]
            column = next(iter(rel.local_columns)).key
            before = _loaded(obj, column)
            parents.append(session.get(rel.mapper.class_, before) if before is not None else None)
        for parent in parents:
            if not isinstance(parent, ApprovalMixin) or hasattr(parent, _MARK):
                continue
            if parent in session.deleted:
                continue  # the document itself goes: guard_workflow decides on it
            loaded = _loaded(parent, "state") if inspect(parent).key else parent.state
            if (loaded or "draft") not in EDITABLE_STATES:
                raise WorkflowError(lines_locked_message(parent, loaded))


#: The workflow's guards, step 5 of the write pipeline (core/pipeline.py).
WORKFLOW_GUARDS = (
    Guard("workflow.state", guard_workflow),
    Guard("workflow.lines", guard_lines),
)



__all__ = [
    "EDITABLE_STATES",
    "SINGLE_STAGE",
    "STATE_LABELS",
    "TRANSITIONS",
    "ApprovalMixin",
    "Stage",
    "Transition",
    "WorkflowError",
    "ensure_editable",
    "stages_of",
    "state_label",
    "step_for",
    "transition",
    "workflow_history",
]
