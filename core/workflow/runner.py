"""Running an operation: the one runner behind the button, the REST route and ``jiguan op``.

:func:`run_operation` checks the write scope, that the record is not voided, that the operation
applies to its state and its parameters, then runs its service with exactly the declared state
fields open (``core.workflow.operations.allowing``) and flushes, so scope, rules and audit apply as to any
write. :func:`void_operation` builds the 作废 of a ``delete_policy="void"`` type.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates
from sqlalchemy.orm import object_session
from sqlalchemy.orm.exc import StaleDataError

from core.contract import FILLED, Operation
from core.errors import EditConflict, conflict_message
from core.events import column_values
from core.extensions import db
from core.fab.locking import claim_version
from core.fab.validation import chinese_message
from core.scoping import current_scope, row_in_write_scope, scope_of_model, scope_violation
from core.versioning import utcnow
from core.workflow.operations import (
    VOID_COLUMNS,
    OperationError,
    allowing,
    entity_of,
    field_label,
    field_names,
    guarded_fields,
    is_voidable,
    operations_of,
    value_label,
    voided_message,
)


def operation_for(record, key: str) -> Operation:
    entity = entity_of(type(record))
    found = operations_of(entity.key).get(key) if entity is not None else None
    if found is None:
        raise OperationError(_("没有名为“%(key)s”的操作", key=key), status=404)
    return found


def _matches(value, allowed) -> bool:
    return value is not None if allowed is FILLED else value in allowed


def applies(op: Operation, record) -> bool:
    if op.when is None:
        return True
    if callable(op.when):
        return bool(op.when(record))
    return all(_matches(getattr(record, name), allowed) for name, allowed in op.when.items())


def _shown_value(record, entity, name: str) -> str:
    """A state field's value as a user reads it: its label, or the linked row's name."""
    value = getattr(record, name)
    sf = guarded_fields(entity).get(name)
    if value is not None and not (sf and sf.labels):
        for attr, column in field_names(entity).items():
            if column == name and attr != name:  # a foreign key: name the linked row
                return str(getattr(record, attr))
    return value_label(sf, value)


def describe_state(record, names=None) -> str:
    """State fields as a user reads them: 资产状态：闲置；保管人：（空） (``names``, else the
    labelled ones)."""
    entity = entity_of(type(record))
    if names is None:
        names = [sf.name for sf in entity.state_fields if sf.labels]
    return "；".join(f"{field_label(entity, n)}：{_shown_value(record, entity, n)}" for n in names)


def refusal(op: Operation, record) -> str | None:
    """Why ``op`` cannot run on ``record`` as it is now (None: it can)."""
    if is_voidable(type(record)) and record.is_voided:
        return voided_message(record)
    if not applies(op, record):
        state = describe_state(record, list(op.when) if isinstance(op.when, dict) else None)
        return _("当前状态（%(state)s）不能执行“%(op)s”", state=state, op=op.label) if state else \
            _("记录当前不能执行“%(op)s”", op=op.label)
    return None


def available(record, may: Callable[[Operation], bool]) -> list[Operation]:
    """The operations of the record's type that apply now and that ``may`` permits, in order."""
    entity = entity_of(type(record))
    if entity is None:
        return []
    return [op for op in operations_of(entity.key).values() if refusal(op, record) is None and may(op)]


def dynamic_choices(field, record) -> list[tuple] | None:
    choices = field.metadata.get("choices")
    if callable(choices):
        return [(value, str(label)) for value, label in choices(record)]
    return None


def load_params(op: Operation, record, raw: dict | None) -> dict:
    """The parameters checked by the operation's schema (and its record-dependent choices)."""
    if op.params is None:
        return {}
    schema = op.params()
    try:
        params = schema.load(raw or {})
    except ValidationError as exc:
        raise OperationError(params_message(schema, exc.messages), status=422) from exc
    for name, field in schema.fields.items():
        choices = dynamic_choices(field, record)
        chosen = params.get(name)
        if choices is not None and chosen is not None and chosen not in {value for value, _label in choices}:
            invalid = field.metadata.get("invalid") or _("不是可选的值")
            raise OperationError(params_message(schema, {name: [str(invalid)]}), status=422)
    return params


def params_message(schema, messages) -> str:
    messages = messages if isinstance(messages, dict) else {"_schema": messages}
    parts = []
    for name, texts in messages.items():
        texts = texts if isinstance(texts, list) else [texts]
        field = schema.fields.get(name)
        label = str(field.metadata.get("label", name)) if field is not None else name
        reason = "；".join(chinese_message(t) for t in texts)
        parts.append(reason if name == "_schema" else f"{label}：{reason}")
    return "；".join(parts)


def run_operation(record, key: str, raw: dict | None = None, version=None):
    """Run operation ``key`` on ``record`` as whoever acts; flush, leave the commit to the caller.

    The caller has checked the permission (the screen, the API and the CLI each on their own
    view); this checks the record's write scope, that it is not voided, that the operation
    applies to its state, the parameters, then runs the service with exactly the declared
    state fields open. Raises :class:`OperationError` (or any ``WriteRefused``).
    """
    op = operation_for(record, key)
    session = object_session(record) or db.session
    spec = scope_of_model(type(record))
    with session.no_autoflush:
        if spec is not None and not row_in_write_scope(session, spec, column_values(record), current_scope()):
            raise scope_violation()
    reason = refusal(op, record)
    if reason:
        raise OperationError(reason)
    params = load_params(op, record, raw)
    claim_version(record, version, bump=False)  # the UPDATE compares the version the user read
    try:
        with allowing(record, op.changes):
            result = op.run(record, params)
            session.flush()
    except StaleDataError as exc:  # another user's write to the record committed first
        raise EditConflict(conflict_message()) from exc
    return result


# --- 作废 ---------------------------------------------------------------------------------------


class VoidParams(Schema):
    reason = fields.String(required=True, metadata={
        "label": _l("作废原因"), "widget": "textarea",
        "description": _l("写明为何作废，例如重复登记、录入错误")})

    @validates("reason")
    def _reason(self, value, **_kw):
        if not (value or "").strip():
            raise ValidationError(_("必须填写作废原因"))


def void_record(record, reason: str) -> None:
    """Mark ``record`` voided by whoever acts, now, for ``reason`` (inside the void operation)."""
    record.voided_at = utcnow()
    record.voided_by = current_scope().username
    record.void_reason = reason.strip()


def void_operation(entity: str, *, refuse: Callable[[object], str | None] | None = None,
                   on_void: Callable[[object, str], None] | None = None, **overrides) -> Operation:
    """The 作废 operation of a ``delete_policy="void"`` type. ``refuse(record)`` may name why a
    record cannot be voided now (still in an open process, say); ``on_void(record, reason)``
    writes what else the module keeps (a line in the record's own history)."""

    def run(record, params):
        problem = refuse(record) if refuse is not None else None
        if problem:
            raise OperationError(problem)
        void_record(record, params["reason"])
        if on_void is not None:
            on_void(record, record.void_reason)
        return record

    spec = dict(key="void", label=_l("作废"), entity=entity, run=run, changes=VOID_COLUMNS,
                params=VoidParams, permission="void", style="danger",
                confirm=_l("作废后记录不再出现在默认列表中，只能查看，不能再修改或办理操作；作废不能撤销。"))
    spec.update(overrides)
    return Operation(**spec)
