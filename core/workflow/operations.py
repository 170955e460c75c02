"""Operations: a state change is a named operation with its own rules, never an editable field.

An entity type declares its **state fields** (``EntityType.state_fields``: an asset's status and
custodian, a parcel's registration status …) and its **delete policy**; a module contributes
:class:`~core.contract.Operation`\\ s (``register_operations``). This module holds what every
write path shares:

- :func:`guard_operations` — a guard of the write pipeline (step 5, beside the workflow's): a
  state field set by hand (a form, ``PUT``/``POST``, an import, a direct write) is refused
  unless an operation allows it; a create may choose only the field's ``initial`` values; a
  voided record is read-only; a record whose policy is ``void`` is never deleted.
- :class:`Voidable` — 作废 with who, when and why; the delete policies.

``core/workflow/runner.py`` runs an operation (the one runner behind the button, the REST route
and ``jiguan op``) and builds the 作废 operation.

"By hand" is told from "derived" without depending on the order of the flush listeners: every
``set`` of a state field outside an operation (or an approval's effect, see
``core.workflow.approval.transition``) is noted on the instance — unless it happens *during* a flush,
where only the pipeline's derivations run (a pool entry marks its asset idle). The guard
refuses a noted field whose value really changed.
"""

from __future__ import annotations

import contextlib
import contextvars

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, DateTime, String, Text, event, inspect, select
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.base import PASSIVE_NO_INITIALIZE

from core.contract import Guard, Operation
from core.display import join_items, local_time
from core.errors import WriteRefused
from core.events import many_to_one_by_column
from core.registry import StateField
from core.scoping import current_scope
from core.state import get_state, state_or_none

VOID_COLUMNS = ("voided_at", "voided_by", "void_reason")
#: set on an instance: the state fields set by hand since its last flush
_MARKS = "_jiguan_hand_set"
#: ``session.info``: the instances of a refused flush, whose notes a rollback forgets
_REFUSED = "jiguan_operations_refused"


class OperationError(WriteRefused):
    """An operation refused: 404 unknown, 403 rights, 409 wrong state or voided, 422 parameters."""

    status = 409

    def __init__(self, message, status: int | None = None):
        super().__init__(message)
        if status is not None:
            self.status = status


class StateFieldRefused(WriteRefused):
    """A generic write tried to set a state field (422 on the API, a form or import row error)."""


class DeleteRefused(WriteRefused):
    """The delete policy forbids deleting this record (void it instead)."""

    status = 409


class Voidable:
    """作废 instead of delete: who, when and why. Mix in before ``Model``; the columns need a
    migration in the module's branch."""

    voided_at = Column(DateTime)
    voided_by = Column(String(128))
    void_reason = Column(Text)

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None

    @property
    def void_label(self) -> str:
        if self.voided_at is None:
            return ""
        return _("已作废（%(when)s，%(who)s）：%(why)s", when=local_time(self.voided_at),
                 who=self.voided_by or "", why=self.void_reason or "")


# --- what an entity type declares -------------------------------------------------------------


def entity_of(model):
    state = state_or_none()
    return state.entities.for_model(model) if state is not None else None


def is_voidable(model) -> bool:
    return isinstance(model, type) and issubclass(model, Voidable)


def delete_policy(entity) -> str:
    if entity.delete_policy:
        return entity.delete_policy
    from core.workflow.approval import ApprovalMixin  # imports the views: import late

    return "draft" if issubclass(entity.model, ApprovalMixin) else "allow"


def guarded_fields(entity) -> dict[str, StateField]:
    """The state fields of ``entity`` by column, the void columns included on a voidable type."""
    found = {sf.name: sf for sf in entity.state_fields}
    if is_voidable(entity.model):
        found.update({name: StateField(name, initial=(None,)) for name in VOID_COLUMNS})
    return found


def field_names(entity) -> dict[str, str]:
    """Every attribute that writes a guarded field → that field (a foreign key's relationship too)."""
    guarded = guarded_fields(entity)
    names = {name: name for name in guarded}
    for rel in inspect(entity.model).relationships:
        if rel.direction.name == "MANYTOONE" and len(rel.local_columns) == 1:
            column = next(iter(rel.local_columns)).key
            if column in guarded:
                names[rel.key] = column
    return names


def operations_of(entity_key: str) -> dict[str, Operation]:
    return get_state().operations.get(entity_key, {})


def field_label(entity, name: str) -> str:
    labels = get_state().entity_labels.get(entity.key, {})
    # a foreign key by its relation's label: the screen names the relation (FAB names the column)
    label = (labels.get(name.removesuffix("_id")) if name.endswith("_id") else None) or labels.get(name)
    return str(label) if label is not None else name


def value_label(sf: StateField | None, value) -> str:
    if value is None:
        return _("（空）")
    labels = (sf.labels if sf is not None else None) or {}
    try:
        return str(labels.get(value, value))
    except TypeError:  # a dict or list a client sent where a value belongs: named as sent
        return str(value)


def _changers(entity, name: str) -> list[str]:
    return [str(op.label) for op in operations_of(entity.key).values() if name in op.changes]


def state_field_message(entity, name: str) -> str:
    label = field_label(entity, name)
    if name in VOID_COLUMNS:
        return _("作废信息只能通过“作废”操作填写")
    changers = _changers(entity, name)
    if changers:
        return _("“%(field)s”不能直接修改，只能通过操作改变：%(ops)s", field=label, ops=join_items(changers))
    return _("“%(field)s”建立后不能直接修改（由审批事项改变）", field=label)


def initial_message(entity, sf: StateField, value) -> str:
    allowed = join_items(value_label(sf, v) for v in sf.initial if v is not None) or _("（空）")
    return _("新增%(what)s时“%(field)s”只能是：%(allowed)s；“%(value)s”须通过操作或审批得到",
             what=entity.label, field=field_label(entity, sf.name), allowed=allowed,
             value=value_label(sf, value))


def voided_message(record) -> str:
    return _("记录已作废，不能修改或再办理任何操作（%(label)s）", label=record.void_label)


def delete_refusal(entity) -> str:
    return _("%(what)s有法定的历史记录，不能删除，只能作废：请在记录页面使用“作废”操作并填写原因",
             what=entity.label)


# --- who may set a state field: operations and approval effects ------------------------------

_ALL = object()
_allowed: contextvars.ContextVar[tuple] = contextvars.ContextVar("jiguan_operation_allowed", default=())


@contextlib.contextmanager
def allowing(record=None, names=()):
    """Let ``names`` of ``record`` change in this block (no record: every state field, for the
    effects of an approval decided by ``core.workflow.approval.transition``)."""
    entry = _ALL if record is None else (record, frozenset(names))
    token = _allowed.set((*_allowed.get(), entry))
    try:
        yield
    finally:
        _allowed.reset(token)


def _is_allowed(target, name: str) -> bool:
    return any(entry is _ALL or (entry[0] is target and name in entry[1]) for entry in _allowed.get())


def _noter(name: str):
    def note(target, _value, _old, _initiator):
        session = object_session(target)
        if session is not None and session._flushing:
            return  # a module's own flush step derives it (a pool entry idles its asset)
        if not _is_allowed(target, name):
            target.__dict__.setdefault(_MARKS, set()).add(name)

    return note


_LISTENING: set[tuple[type, str]] = set()


def _listen(entity) -> None:
    for attr, name in field_names(entity).items():
        if (entity.model, attr) not in _LISTENING:  # class attributes: once per process
            event.listen(getattr(entity.model, attr), "set", _noter(name))
            _LISTENING.add((entity.model, attr))


# --- the guard every flush passes --------------------------------------------------------------


def _stored(session, obj, names) -> dict:
    """``names`` of ``obj`` as stored now: from the attribute's history when it was loaded, else
    from the database (an attribute expired by a commit and then set has no old value in memory)."""
    found, unknown = {}, []
    state = inspect(obj)
    for name in names:
        hist = state.attrs[name].history
        if hist.deleted or hist.unchanged:
            found[name] = (hist.deleted or hist.unchanged)[0]
        else:
            unknown.append(name)
    if unknown and state.identity is not None:
        model = type(obj)
        pk = inspect(model).primary_key[0]
        row = session.execute(select(*(getattr(model, n) for n in unknown))
                              .where(pk == state.identity[0])).first()
        found.update(zip(unknown, row or (None,) * len(unknown), strict=True))
    return {name: found.get(name) for name in names}


def _current(obj, name: str):
    """``name`` of ``obj`` as the flush will write it: a foreign key set through its relationship
    is not in its column yet, so take the related row's id."""
    state = inspect(obj)
    for rel in many_to_one_by_column(state.mapper).get(name, ()):  # worked out once per model
        added = state.get_history(rel.key, PASSIVE_NO_INITIALIZE).added
        if added:
            return None if added[0] is None else getattr(added[0], "id", None)
    return getattr(obj, name)


def guard_operations(session) -> None:
    """Refuse hand-set state fields, writes to voided records and forbidden deletes (see module doc)."""
    state = state_or_none()
    if state is None:
        return
    scope = current_scope()
    system = scope.user_id is None and scope.kind == "all"  # demo loaders, migrations may seed any state
    checked = []
    try:
        _check(session, state, system, checked)
    except WriteRefused:
        # kept until the caller rolls back (a retried flush stays refused), then forgotten
        session.info.setdefault(_REFUSED, []).extend(checked)
        raise
    for obj in checked:  # they passed: what is written now is no longer "set by hand"
        obj.__dict__.pop(_MARKS, None)


def _check(session, state, system: bool, checked: list) -> None:
    with session.no_autoflush:
        for obj in list(session.new):
            entity = state.entities.for_model(type(obj))
            marks = obj.__dict__.get(_MARKS)
            if entity is None or not marks:
                continue
            checked.append(obj)
            if system:
                continue
            guarded = guarded_fields(entity)
            for name in sorted(marks & guarded.keys()):
                sf, value = guarded[name], _current(obj, name)
                if sf.initial is not None and value not in sf.initial:
                    if name in VOID_COLUMNS:
                        raise StateFieldRefused(state_field_message(entity, name))
                    raise StateFieldRefused(initial_message(entity, sf, value))
        for obj in list(session.dirty):
            entity = state.entities.for_model(type(obj))
            if entity is None or not session.is_modified(obj, include_collections=False):
                continue
            if system:
                checked.append(obj)
                continue
            if is_voidable(type(obj)) and _stored(session, obj, ["voided_at"])["voided_at"] is not None:
                raise OperationError(voided_message(obj))
            marks = obj.__dict__.get(_MARKS)
            if not marks:
                continue
            checked.append(obj)
            names = sorted(marks & guarded_fields(entity).keys())
            before = _stored(session, obj, names)
            for name in names:
                if before[name] != _current(obj, name):
                    raise StateFieldRefused(state_field_message(entity, name))
        for obj in list(session.deleted):
            entity = state.entities.for_model(type(obj))
            if entity is None or system:
                continue
            policy = delete_policy(entity)
            if policy == "void":
                raise DeleteRefused(delete_refusal(entity))
            if policy == "draft":
                from core.workflow.approval import EDITABLE_STATES, WorkflowError, locked_message

                loaded = _stored(session, obj, ["state"])["state"]
                if loaded not in EDITABLE_STATES:
                    raise WorkflowError(locked_message(loaded))


#: Step 5 of the write pipeline (core/pipeline.py): after the rules, with the workflow's lock.
OPERATION_GUARDS = (
    Guard("operations.state_fields", lambda _changes, ctx: guard_operations(ctx.session)),
)



@event.listens_for(Session, "after_soft_rollback")
def _forget_marks(session, _previous_transaction):
    """A refused write is rolled back: its notes must not refuse a later, legitimate change."""
    for obj in session.info.pop(_REFUSED, ()):
        obj.__dict__.pop(_MARKS, None)


VOID_LABELS = {"voided_at": _l("作废时间"), "voided_by": _l("作废人"), "void_reason": _l("作废原因")}


def label_void_columns(entity, labels: dict) -> None:
    """Name the void columns in an entity's labels (its history page, its API); the core's
    names win over FAB's, which prettifies unknown columns into the view's class-level labels."""
    if is_voidable(entity.model):
        labels.update(VOID_LABELS)


# --- installing the modules' operations ---------------------------------------------------------


def install_operations(state, contributed: list[tuple[str, Operation]]) -> None:
    """Check and keep the operations (``state.operations``), add the default 作废 of every
    ``void`` type, and note every hand-set of a state field from now on."""
    from dataclasses import replace

    from core.plugins import PluginError
    from core.workflow.runner import void_operation

    for module_key, op in contributed:
        entity = state.entities.get(op.entity)
        if entity is None:
            raise PluginError(f"模块 {module_key!r} 的操作 {op.key!r} 指向未注册的实体类型 {op.entity!r}")
        known = guarded_fields(entity)
        unknown = [name for name in op.changes if name not in known]
        if unknown:
            raise PluginError(f"操作 {op.entity}.{op.key} 改变的字段 {unknown} 不是该实体类型的状态字段")
        ops = state.operations.setdefault(op.entity, {})
        if op.key in ops:
            raise PluginError(f"实体类型 {op.entity!r} 的操作 {op.key!r} 重复注册")
        ops[op.key] = replace(op, module=module_key)
    for entity in state.entities:
        if delete_policy(entity) == "void":
            if not is_voidable(entity.model):
                raise PluginError(f"实体类型 {entity.key!r} 的删除策略为作废，其模型须混入 Voidable")
            state.operations.setdefault(entity.key, {}).setdefault(
                "void", replace(void_operation(entity.key), module=entity.module))
        ops = state.operations.get(entity.key)
        if ops and "void" in ops:  # 作废 is the last button
            ops["void"] = ops.pop("void")
        if guarded_fields(entity):
            _listen(entity)
