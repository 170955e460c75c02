"""Operations on the screens and the REST API of every entity type (``core/workflow/operations.py``).

``OperationViewMixin`` (a base of ``ScopedModelView``) gives a record page its 操作 panel and
``/<view>/operation/<pk>/<key>`` — a form built from the operation's parameter schema, with its
confirmation — keeps state fields off the edit form (and the add form to their ``initial``
values), shows voided records read-only and refuses delete where the policy says 作废.
``core/workflow/operation_api.py`` does the same for the REST API. Both call
:func:`core.workflow.runner.run_operation`.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from marshmallow import fields as mfields
from marshmallow import validate
from sqlalchemy.exc import SQLAlchemyError
from wtforms import HiddenField
from wtforms.fields.core import UnboundField

from core.errors import WriteRefused, conflict_message
from core.fab.interface import hide_voided, show_voided  # noqa: F401  (re-exported)
from core.workflow.operations import (
    VOID_COLUMNS,
    delete_policy,
    delete_refusal,
    entity_of,
    field_names,
    guarded_fields,
    is_voidable,
    operations_of,
)
from core.workflow.runner import available, describe_state, dynamic_choices, refusal, run_operation

# --- the form of an operation, from its parameter schema ---------------------------------------


class OperationForm(FlaskForm):
    """The CSRF token and the version the user saw; the fields come from the operation's schema."""

    version = HiddenField()


def _kind(field) -> str:
    if field.metadata.get("widget") == "textarea":
        return "textarea"
    for klass, kind in ((mfields.Date, "date"), (mfields.Boolean, "bool"), (mfields.Integer, "integer"),
                        (mfields.Number, "number")):
        if isinstance(field, klass):
            return kind
    return "text"


def _shown(value) -> str:
    return "" if value is None else str(value)


def form_fields(op, record, values=None) -> list[dict]:
    """The operation's parameters as form rows: name, label, kind, choices, value, help."""
    if op.params is None:
        return []
    rows = []
    for name, field in op.params().fields.items():
        if field.dump_only:
            continue
        meta = field.metadata
        kind, choices = _kind(field), dynamic_choices(field, record)
        if choices is None:
            for validator in field.validators:
                if isinstance(validator, validate.OneOf):
                    labels = meta.get("choices") or {}
                    choices = [(c, str(labels.get(c, c))) for c in validator.choices]
        if values is not None:
            value = values.get(name, "")
        elif callable(meta.get("prefill")):
            value = _shown(meta["prefill"](record))
        else:
            default = field.load_default
            default = default() if callable(default) else default
            value = _shown(None if default is mfields.missing_ else default)
        rows.append(dict(name=name, label=str(meta.get("label", name)),
                         kind="choice" if choices is not None else kind,
                         choices=[(_shown(v), label) for v, label in (choices or [])], value=value,
                         required=bool(field.required), help=str(meta.get("description") or "")))
    return rows


def form_values(op) -> dict:
    """What the form posted, as the schema loads it: blanks are left out, a ticked box is true."""
    raw = {}
    for name, field in op.params().fields.items() if op.params is not None else ():
        value = request.form.get(name, "")
        if isinstance(field, mfields.Boolean):
            raw[name] = value not in ("", "0", "false")
        elif value.strip() and not field.dump_only:
            raw[name] = value.strip()
    return raw


# --- the screens --------------------------------------------------------------------------------


class OperationViewMixin:
    """Operations, state fields, voiding and the delete policy on a ``ScopedModelView``."""

    operation_template = "core/operation.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        entity = entity_of(self.datamodel.obj)
        if entity is None:
            return
        if "can_edit" in self.base_permissions:  # a writable screen offers the operations
            for op in operations_of(entity.key).values():
                if f"can_{op.permission}" not in self.base_permissions:
                    self.base_permissions.append(f"can_{op.permission}")
        if getattr(entity.model, "__jiguan_read_only__", None):  # written by its module only
            for permission in ("can_add", "can_edit", "can_delete"):
                if permission in self.base_permissions:
                    self.base_permissions.remove(permission)
        if delete_policy(entity) == "void" and "can_delete" in self.base_permissions:
            self.base_permissions.remove("can_delete")  # no delete button, no bulk delete

    def after_init_properties(self):
        super().after_init_properties()
        entity = entity_of(self.datamodel.obj)
        if entity is None:
            return
        names, guarded = field_names(entity), guarded_fields(entity)
        # a state field never on the edit form; on the add form only with its initial values
        self.edit_columns = [c for c in self.edit_columns or [] if c not in names]
        self.add_columns = [c for c in self.add_columns or [] if names.get(c) not in VOID_COLUMNS]
        extra = dict(self.add_form_extra_fields or {})
        for attr, column in names.items():
            unbound, initial = extra.get(attr), guarded[column].initial
            if initial is None or not isinstance(unbound, UnboundField) or "choices" not in unbound.kwargs:
                continue
            choices = [(v, label) for v, label in unbound.kwargs["choices"] if v in initial]
            extra[attr] = UnboundField(unbound.field_class, *unbound.args,
                                       **{**unbound.kwargs, "choices": choices})
        self.add_form_extra_fields = extra

    def may_run(self, op) -> bool:
        permission = f"can_{op.permission}"
        return permission in self.base_permissions and self.appbuilder.sm.has_access(
            permission, self.class_permission_name)

    # the record page --------------------------------------------------------------------------

    def show_context(self, item, pk) -> dict:
        return {**super().show_context(item, pk), "operations": self.operations_context(item, pk)}

    def render_template(self, template, **kwargs):
        if template == self.list_template and is_voidable(self.datamodel.obj):
            args = {k: v for k, v in request.args.to_dict(flat=False).items() if k != "voided"}
            if not show_voided():
                args["voided"] = "1"
            kwargs["voided_toggle"] = dict(showing=show_voided(),
                                           url=url_for(f"{self.endpoint}.list", **args))
        return super().render_template(template, **kwargs)

    def operations_context(self, item, pk) -> dict:
        actions = [dict(key=op.key, label=str(op.label), style=op.style, help=str(op.description or ""),
                        url=url_for(f"{self.endpoint}.operation", pk=pk, key=op.key))
                   for op in available(item, self.may_run)]
        return dict(actions=actions, voided=is_voidable(type(item)) and item.is_voided, item=item)

    # the operation's page ---------------------------------------------------------------------

    @expose("/operation/<pk>/<key>", methods=["GET", "POST"])
    @has_access
    @permission_name("show")
    def operation(self, pk, key):
        """One operation on one record: its form, its confirmation, then the service."""
        pk = self._deserialize_pk_if_composite(pk)
        item = self.datamodel.get(pk, self._base_filters)
        entity = entity_of(self.datamodel.obj)
        op = operations_of(entity.key).get(key) if item is not None and entity is not None else None
        if op is None:
            abort(404)  # no such record in the user's scope, or no such operation
        if not self.may_run(op):
            abort(403)
        back = url_for(f"{self.endpoint}.show", pk=pk)
        reason = refusal(op, item)
        if reason:
            flash(reason, "danger")
            return redirect(back)
        form, values = OperationForm(), None
        if request.method == "POST":
            values = request.form
            if not form.validate_on_submit():
                flash(_("表单已过期，请重试"), "danger")
            elif form.version.data and str(getattr(item, "version", "")) != form.version.data:
                flash(conflict_message(), "danger")
            elif self._run(item, op):
                return redirect(back)
        else:
            form.version.data = str(getattr(item, "version", ""))
        return self.render_template(
            self.operation_template, op=op, record=item, state=describe_state(item), form=form,
            fields=form_fields(op, item, values), back=back,
            title=_("%(op)s：%(record)s", op=op.label, record=item))

    def _run(self, item, op) -> bool:
        session = self.datamodel.session
        try:
            run_operation(item, op.key, form_values(op), version=request.form.get("version") or None)
            session.commit()
        except WriteRefused as exc:
            session.rollback()
            flash(exc.message, "danger")
            return False
        except SQLAlchemyError:
            session.rollback()
            flash(_("保存失败：数据库拒绝了此次修改"), "danger")
            return False
        flash(_("已办理“%(op)s”：%(record)s", op=op.label, record=item), "success")
        return True

    # voided records are read-only; the delete policy -------------------------------------------

    @expose("/edit/<pk>", methods=["GET", "POST"])
    @has_access
    def edit(self, pk):
        """FAB's edit, except that a voided record is read-only: back to its page, saying why."""
        item = self.datamodel.get(self._deserialize_pk_if_composite(pk), self._base_filters)
        if item is not None and is_voidable(type(item)) and item.is_voided:
            from core.workflow.operations import voided_message

            flash(voided_message(item), "danger")
            return redirect(url_for(f"{self.endpoint}.show", pk=pk))
        return super().edit(pk)

    @expose("/delete/<pk>", methods=["POST"])
    def delete(self, pk):
        """FAB's delete, POST only (with the CSRF token, core/web/csrf.py): a GET — a link, an
        ``<img>`` on a foreign page — deletes nothing (405). Where the entity's policy is 作废,
        refused with the reason."""
        entity = entity_of(self.datamodel.obj)
        if entity is None or delete_policy(entity) != "void" or not current_user.is_authenticated:
            return super().delete(pk)
        item = self.datamodel.get(self._deserialize_pk_if_composite(pk), self._base_filters)
        if item is None:
            abort(404)
        flash(delete_refusal(entity), "danger")
        return redirect(url_for(f"{self.endpoint}.show", pk=pk))

    delete._permission_name = "delete"
