"""Workflow transitions on the REST API: ``POST /api/v1/<key>/<pk>/workflow/<action>``.

The generated API of every entity type whose model has ``ApprovalMixin`` gets
these routes (``core.web.views.make_entity_api``); they go through the same
``transition()`` as the screen, so permission, scope and separation of duties hold.
On a model with several approval stages, ``approve``/``reject`` decide the stage
pending now, under that stage's permission (checked by ``transition()``).
"""

from __future__ import annotations

from flask import request
from flask_appbuilder import expose
from flask_appbuilder.api import protect, safe
from flask_appbuilder.security.decorators import permission_name
from sqlalchemy.orm.exc import StaleDataError

from core.errors import WriteRefused, conflict_message
from core.fab.locking import claim_version
from core.workflow.approval import (
    action_label,
    decision_permissions,
    is_staged,
    state_label,
    transition,
    workflow_history,
)
from core.workflow.guide import decision_summary, next_deciders, person_name


class ApprovalApiMixin:
    """Body ``{"comment": "…", "version": n}``; answers the new state, the history, the
    ``effects`` of the decision, the ``next_deciders`` and a ``message`` saying all of it."""

    def __init__(self, *args, **kwargs):
        model = self.datamodel.obj
        if is_staged(model):
            # each stage has its own permission: the route asks only that the caller reads the
            # record, transition() checks the permission of the stage pending on it
            self.method_permission_name = {**(self.method_permission_name or {}),
                                           "workflow_decide": "get"}
        super().__init__(*args, **kwargs)
        for permission in ["can_approve", *decision_permissions(model)]:
            if permission not in self.base_permissions:
                self.base_permissions.append(permission)

    @expose("/<int:pk>/workflow/<any(submit, withdraw):action>", methods=["POST"])
    @protect()
    @safe
    @permission_name("put")
    def workflow_edit(self, pk, action):
        return self._workflow(pk, action)

    @expose("/<int:pk>/workflow/<any(approve, reject):action>", methods=["POST"])
    @protect()
    @safe
    @permission_name("approve")
    def workflow_decide(self, pk, action):
        return self._workflow(pk, action)

    def _workflow(self, pk, action):
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            return self.response_404()
        body = request.get_json(silent=True) or {}
        seen = body.get("version")
        if seen is not None and str(item.version) != str(seen):
            return self.response(409, message=conflict_message())
        session = self.datamodel.session
        try:
            claim_version(item, seen, bump=False)  # compared again by the UPDATE itself
            event = transition(item, action, body.get("comment"), view_name=self.class_permission_name)
            session.commit()
        except WriteRefused as exc:
            session.rollback()
            return self.response(exc.status, message=exc.message)
        except StaleDataError:  # another decision on the record committed first
            session.rollback()
            return self.response(409, message=conflict_message())
        model = type(item)
        history = [
            {"action": e.action, "label": action_label(e.action, model, e.from_state),
             "from": e.from_state, "to": e.to_state, "user": e.username,
             "at": e.at.isoformat(), "comment": e.comment}
            for e in workflow_history(item)
        ]
        deciders = next_deciders(item, self.class_permission_name)
        return self.response(200, state=item.state, state_label=state_label(item.state, model),
                             version=item.version, number=item.document_number,
                             history=history, effects=event.effects,
                             next_deciders=[{"username": u.username, "name": person_name(u)}
                                            for u in deciders],
                             message=decision_summary(item, action, event, self.class_permission_name))
