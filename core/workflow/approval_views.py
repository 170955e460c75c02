"""The approval workflow on screens: the state and history panel, the buttons, the lock.

A screen of an :class:`~core.workflow.approval.ApprovalMixin` model takes
:class:`ApprovalViewMixin` (before ``ScopedModelView``): ``POST /workflow/<pk>/<action>``
(``can_edit`` to submit or withdraw, ``can_approve`` — or the stage's own permission — to
decide), the panel on the record page, and a submitted or approved record refused on edit
and delete.
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError
from wtforms import HiddenField, TextAreaField

from core.display import join_items
from core.errors import WriteRefused, conflict_message
from core.fab.locking import claim_version
from core.scoping import current_scope, scope_of_model
from core.workflow.approval import (
    TRANSITIONS,
    WORKFLOW_COLUMNS,
    action_label,
    decision_permissions,
    ensure_editable,
    entity_key,
    is_staged,
    last_submitter,
    locked_message,
    pending_states,
    stage_in,
    stages_of,
    state_label,
    step_for,
    transition,
    workflow_history,
)
from core.workflow.deciders import refusal_to_decide
from core.workflow.guide import decision_summary, waiting_for
from core.workflow.numbering import number_of

#: One colour per kind of action, so 批准 and 退回 never look alike (Bootstrap 3 classes).
BUTTON_STYLES = {"submit": "btn-primary", "approve": "btn-primary", "reject": "btn-warning",
                 "withdraw": "btn-default"}
def state_style(state: str | None, model: type) -> str:
    """The Bootstrap label class of a state: draft grey, pending blue, approved green, returned red."""
    if state == "approved":
        return "label-success"
    if state == "rejected":
        return "label-danger"
    if state in pending_states(model):
        return "label-info"
    return "label-default"


def document_label(model: type, pk) -> str:
    """A record's number, or 草稿 <id> before its first submission."""
    return number_of(entity_key(model), pk) or _("草稿 %(id)s", id=pk)


def state_badge(state: str | None, model: type) -> Markup:
    """A state as the coloured label lists and record pages show."""
    return Markup('<span class="label {} workflow-state" data-state="{}">{}</span>').format(
        state_style(state, model), state or "", state_label(state, model))


#: What the confirmation dialog asks before each action.
CONFIRMATIONS = {
    "submit": _l("确定提交“%(record)s”吗？提交后不能再修改，等待审批。"),
    "withdraw": _l("确定撤回“%(record)s”吗？撤回后恢复为草稿，请在意见中说明理由。"),
    "approve": _l("确定%(action)s“%(record)s”吗？批准后立即生效，不能撤销。"),
    "reject": _l("确定%(action)s“%(record)s”吗？请在意见中说明退回理由。"),
}


class WorkflowForm(FlaskForm):
    """The comment box under a record; FlaskForm for the CSRF token."""

    comment = TextAreaField(_l("审批意见"))
    #: the version the user saw: deciding on content that changed meanwhile is a conflict
    version = HiddenField()


def lock_lines(view) -> None:
    """Offer no +/edit/delete on the lines listed on ``view``'s record page (its related views
    whose ``Scope(parent=…)`` is locked with the parent): core/widgets/list.html reads it."""
    g.jiguan_locked_lines = {*g.get("jiguan_locked_lines", ()), *(
        type(related).__name__ for related in getattr(view, "_related_views", ())
        if (spec := scope_of_model(related.datamodel.obj)) is not None and spec.parent
        and spec.locked_with_parent)}


class ApprovalViewMixin:
    """For a ``ScopedModelView`` of an :class:`ApprovalMixin` model (list it first in the bases).

    Adds ``POST /workflow/<pk>/<action>`` (``can_edit`` for submit/withdraw,
    ``can_approve`` for approve/reject), the state and history panel with the
    buttons on the show page, and refuses to edit or delete a submitted or
    approved record.
    """

    show_template = "core/workflow_show.html"
    #: how ``core.workflow.approval.view_name_for`` finds the approval screen of a model
    is_approval_view = True

    def __init__(self, *args, **kwargs):
        model = self.datamodel.obj
        if is_staged(model):
            # each stage has its own permission, so the route only asks that the user reads the
            # record; transition() checks the permission of the stage pending on it
            self.method_permission_name = {**(self.method_permission_name or {}),
                                           "workflow_decide": "show"}
        super().__init__(*args, **kwargs)
        for permission in ["can_approve", *decision_permissions(model)]:
            if permission not in self.base_permissions:  # a view that listed its own permissions
                self.base_permissions.append(permission)

    def before_init_properties(self):
        labels = {"state": _l("审批状态"), "state_label": _l("审批状态"),
                  "submitted_at": _l("提交时间"), "decided_at": _l("审批时间")}
        self.label_columns = {**labels, **(self.label_columns or {})}
        model = self.datamodel.obj
        # a coloured label per state in lists and on the record (the list widget does not escape Markup)
        self.formatters_columns = {"state": lambda state: state_badge(state, model),
                                   # the document's number (CZ-2026-00001) where the list shows its id
                                   "id": lambda pk: document_label(model, pk),
                                   **(self.formatters_columns or {})}
        super().before_init_properties()

    def after_init_properties(self):
        super().after_init_properties()
        # the state moves only through the workflow, never through the form
        for attr in ("add_columns", "edit_columns"):
            setattr(self, attr, [c for c in getattr(self, attr) or [] if c not in WORKFLOW_COLUMNS])
        # the list shows the state column itself: a coloured label (formatters_columns), sortable
        self.list_columns = ["state" if c == "state_label" else c for c in self.list_columns or []]

    # the edit form and delete ------------------------------------------------------------------

    def pre_update(self, item):
        ensure_editable(item)
        super().pre_update(item)

    def pre_delete(self, item):
        ensure_editable(item)
        super().pre_delete(item)

    def edit_refusal(self, item) -> str | None:
        if not item.is_editable:
            return locked_message(item.state)
        return super().edit_refusal(item)

    # the show page -----------------------------------------------------------------------------

    def show_context(self, item, pk) -> dict:
        # the lines listed on the page of a submitted or approved record offer no +/edit/delete
        # (core/widgets/list.html); the write guard refuses them on every path anyway
        if not item.is_editable:
            lock_lines(self)
        return {**super().show_context(item, pk), "workflow": self.workflow_context(item, pk)}

    def workflow_context(self, item, pk) -> dict:
        model = type(item)
        events = workflow_history(item)
        scope = current_scope()
        actions = []
        for action in TRANSITIONS:
            step = step_for(model, action, item.state, item)
            if item.state not in step.sources:
                continue
            deciding = action in ("approve", "reject")
            if deciding:
                # the one answer to "may this user decide this stage" (core/workflow/deciders.py):
                # not offered to the submitter, an earlier stage's decider, another level's body
                if refusal_to_decide(item, action=action, view_name=self.class_permission_name,
                                     events=events) is not None:
                    continue
            elif not self.appbuilder.sm.has_access(f"can_{step.permission}", self.class_permission_name):
                continue
            if action == "withdraw" and scope.user_id is not None and \
                    last_submitter(events) not in (None, scope.user_id):
                continue  # only the submitter takes a submission back
            endpoint = "workflow_decide" if deciding else "workflow_edit"
            label = action_label(action, model, item.state)
            actions.append(dict(
                action=action, label=label, comment_required=step.comment_required,
                url=url_for(f"{self.endpoint}.{endpoint}", pk=pk, action=action),
                style=BUTTON_STYLES.get(action, "btn-default"),
                confirm=str(CONFIRMATIONS[action]) % {"action": label, "record": str(item)},
            ))
        form = WorkflowForm(formdata=None, version=getattr(item, "version", ""))
        stages = stages_of(model)
        return dict(state=item.state, state_label=state_label(item.state, model), events=events,
                    state_style=state_style(item.state, model), number=item.document_number,
                    actions=actions, form=form,
                    action_label=lambda action, from_state=None: action_label(action, model, from_state),
                    label_of=lambda state: state_label(state, model),
                    stages=stages if len(stages) > 1 else (),
                    # a conditional stage this record does not need (Stage.required), said so
                    skipped={stage.key for stage in stages if not stage.needed_by(item)},
                    pending=stage_in(model, item.state) if len(stages) > 1 else None,
                    waiting=waiting_for(item, self.class_permission_name),
                    reason_actions=join_items(a["label"] for a in actions if a["comment_required"]))

    # the transitions ---------------------------------------------------------------------------

    @expose("/workflow/<pk>/<any(submit, withdraw):action>", methods=["POST"])
    @has_access
    @permission_name("edit")
    def workflow_edit(self, pk, action):
        return self._workflow(pk, action)

    @expose("/workflow/<pk>/<any(approve, reject):action>", methods=["POST"])
    @has_access
    @permission_name("approve")
    def workflow_decide(self, pk, action):
        return self._workflow(pk, action)

    def _workflow(self, pk, action):
        pk = self._deserialize_pk_if_composite(pk)
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            abort(404)  # outside the user's scope: the record does not exist for them
        back = redirect(url_for(f"{self.endpoint}.show", pk=pk))
        form = WorkflowForm()
        if not form.validate_on_submit():
            flash(_("表单已过期，请重试"), "danger")
            return back
        seen = form.version.data
        if seen and hasattr(item, "version") and str(item.version) != seen:
            flash(conflict_message(), "danger")
            return back
        session = self.datamodel.session
        try:
            claim_version(item, seen or None, bump=False)  # compared again by the UPDATE itself
            event = transition(item, action, form.comment.data, view_name=self.class_permission_name)
            session.commit()
        except WriteRefused as exc:
            session.rollback()
            flash(exc.message, "danger")
        except StaleDataError:  # another decision on the record committed first
            session.rollback()
            flash(conflict_message(), "danger")
        except SQLAlchemyError:
            session.rollback()
            flash(_("保存失败：数据库拒绝了此次修改"), "danger")
        else:
            flash(decision_summary(item, action, event, self.class_permission_name), "success")
        return back
