"""The labels of a list's code columns (状态、类型 …), wherever a module declared them."""

from __future__ import annotations

from core.fab.column_types import enum_choices, kind_of
from core.state import get_state
from core.workflow.approval import STATE_LABELS, ApprovalMixin, stages_of


def _form_choices(view, name: str) -> dict:
    found: dict = {}
    for attr in ("search_form_extra_fields", "edit_form_extra_fields", "add_form_extra_fields"):
        unbound = (getattr(view, attr, None) or {}).get(name)
        choices = getattr(unbound, "kwargs", {}).get("choices") if unbound is not None else None
        if choices and not callable(choices):  # every code any form knows
            found.update({code: label for code, label in choices if code not in ("", None)})
    return found


def column_choices(view, columns) -> dict[str, dict]:
    """Code → label of each of ``columns`` of ``view`` that holds labelled codes.

    From, in this order (later wins): an Enum's own labels, the approval state's labels, the
    entity type's ``choices`` and its state fields' labels, the screen's select fields.
    """
    model = view.datamodel.obj
    table = model.__table__.c
    entity = get_state().entities.for_model(model)
    found: dict[str, dict] = {}
    for name in columns:
        choices: dict = {}
        column = table.get(name)
        if column is not None and kind_of(column) == "enum":
            choices.update(enum_choices(column))
        if name == "state" and isinstance(model, type) and issubclass(model, ApprovalMixin):
            choices.update(STATE_LABELS)
            choices.update({stage.state: stage.state_label for stage in stages_of(model)})
        if entity is not None:
            choices.update((entity.choices or {}).get(name, {}))
            for state_field in entity.state_fields:
                if state_field.name == name and state_field.labels:
                    choices.update(state_field.labels)
        choices.update(_form_choices(view, name))
        if choices:
            found[name] = choices
    return found
