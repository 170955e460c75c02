"""Operations on the generated REST API of every entity type (``core/workflow/operations.py``).

``OperationApiMixin`` (a base of ``ScopedModelRestApi``) gives ``POST /api/v1/<key>/<pk>/<op>``
and ``GET /api/v1/<key>/<pk>/operations`` — the same runner as the record page's button — and
keeps ``PUT``/``POST`` off the state fields and ``DELETE`` off records whose policy is 作废.
"""

from __future__ import annotations

from flask import request
from flask_appbuilder import expose
from flask_appbuilder.api import protect, safe
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from core.errors import WriteRefused, conflict_message
from core.workflow.operations import (
    VOID_COLUMNS,
    delete_policy,
    delete_refusal,
    entity_of,
    field_names,
    guarded_fields,
    initial_message,
    is_voidable,
    operations_of,
    state_field_message,
)
from core.workflow.runner import available, run_operation

#: an operation's screen permission → the REST API's name for it
API_PERMISSIONS = {"edit": "put", "add": "post", "show": "get", "list": "get"}


def api_permission(op) -> str:
    return f"can_{API_PERMISSIONS.get(op.permission, op.permission)}"


def _same(current, sent) -> bool:
    if current is None or sent is None:
        return current is None and sent is None
    return str(current) == str(sent)


class OperationApiMixin:
    """Operations, state fields and the delete policy on a ``ScopedModelRestApi``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        entity = entity_of(self.datamodel.obj)
        for op in operations_of(entity.key).values() if entity is not None else ():
            if api_permission(op) not in self.base_permissions:
                self.base_permissions.append(api_permission(op))

    def may_run(self, op) -> bool:
        permission = api_permission(op)
        return permission in self.base_permissions and self.appbuilder.sm.has_access(
            permission, self.class_permission_name)

    # PUT, POST and DELETE of the generic API ---------------------------------------------------

    def state_field_refusal(self, body, item=None):
        """422 when a PUT (``item``) changes a state field or a POST starts one outside its
        initial values; a PUT that repeats the current value is fine (a GET, edited, sent back)."""
        entity = entity_of(self.datamodel.obj)
        if entity is None or not isinstance(body, dict):
            return None
        names, guarded = field_names(entity), guarded_fields(entity)
        for attr in [k for k in body if k in names]:
            column, value = names[attr], body[attr]
            if item is not None:
                if attr == column and _same(getattr(item, column), value):
                    body.pop(attr)  # unchanged: FAB's edit schema would call it unknown
                    continue
                return self.response_422(message=state_field_message(entity, column))
            sf = guarded[column]
            if column in VOID_COLUMNS and value is not None:
                return self.response_422(message=state_field_message(entity, column))
            if sf.initial is not None and attr == column and value not in sf.initial:
                return self.response_422(message=initial_message(entity, sf, value))
        return None

    def delete_refusal(self, pk):
        entity = entity_of(self.datamodel.obj)
        if entity is None or delete_policy(entity) != "void":
            return None
        if self.datamodel.get(pk, self._base_filters) is None:
            return self.response_404()
        return self.response(409, message=delete_refusal(entity))

    # the operations ----------------------------------------------------------------------------

    def _record(self, pk):
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            return None, self.response(404, message=_("记录不存在或不在您的权限范围内"))
        return item, None

    def _available(self, item) -> list[dict]:
        prefix = f"/api/v1/{self.resource_name}/{item.id}"
        found = [dict(key=op.key, label=str(op.label), kind="operation", url=f"{prefix}/{op.key}",
                      params=op.params is not None) for op in available(item, self.may_run)]
        from core.workflow.approval import TRANSITIONS, ApprovalMixin, action_label, step_for
        from core.workflow.deciders import may_decide

        if isinstance(item, ApprovalMixin):  # the approval transitions, listed alongside
            decides = None  # asked once: the same answer as the decision itself
            for action in TRANSITIONS:
                step = step_for(type(item), action, item.state)
                if item.state in step.sources and action in ("approve", "reject"):
                    decides = may_decide(item) if decides is None else decides
                    if not decides:
                        continue
                if item.state in step.sources:
                    found.append(dict(key=action, label=action_label(action, type(item), item.state),
                                      kind="workflow", url=f"{prefix}/workflow/{action}", params=True))
        return found

    @expose("/<int:pk>/operations", methods=["GET"])
    @protect()
    @safe
    @permission_name("get")
    def operations_list(self, pk):
        """列出记录当前可执行的操作
        ---
        get:
          summary: 列出记录当前可执行的操作（含审批操作）
          parameters:
          - in: path
            schema:
              type: integer
            name: pk
          responses:
            200:
              description: 可执行的操作：key、label、kind（operation / workflow）、url
            404:
              description: 记录不存在或不在您的权限范围内
        """
        item, missing = self._record(pk)
        if missing is not None:
            return missing
        return self.response(200, id=pk, operations=self._available(item),
                             voided=is_voidable(type(item)) and item.is_voided)

    @expose("/<int:pk>/<key>", methods=["POST"])
    @protect()
    @safe
    @permission_name("get")
    def operation(self, pk, key):
        """执行记录的一项操作
        ---
        post:
          summary: 执行记录的一项操作（领用、登记完成、作废等）
          description: 请求体为该操作参数的 JSON 对象，可带 version（乐观锁）。
          parameters:
          - in: path
            schema:
              type: integer
            name: pk
          - in: path
            schema:
              type: string
            name: key
          responses:
            200:
              description: 已执行；result 为记录的最新内容
            403:
              description: 无权执行该操作
            404:
              description: 记录或操作不存在
            409:
              description: 记录当前状态不能执行该操作，或已作废，或已被他人修改
            422:
              description: 参数有误，或违反《办法》的规则
        """
        item, missing = self._record(pk)
        if missing is not None:
            return missing
        entity = entity_of(self.datamodel.obj)
        op = operations_of(entity.key).get(key)
        if op is None:
            return self.response(404, message=_("没有名为“%(key)s”的操作", key=key))
        if not self.may_run(op):
            return self.response(403, message=_("您没有“%(op)s”此记录的权限", op=op.label))
        body = request.get_json(silent=True)
        body = {} if body is None else body
        if not isinstance(body, dict):
            return self.response(400, message=_("请求体应为 JSON 对象"))
        seen = body.pop("version", None)
        if seen is not None and str(getattr(item, "version", "")) != str(seen):
            return self.response(409, message=conflict_message())
        session = self.datamodel.session
        try:
            run_operation(item, key, body, version=seen)
            session.commit()
        except WriteRefused as exc:
            session.rollback()
            return self.response(exc.status, message=exc.message)
        except SQLAlchemyError:
            session.rollback()
            return self.response(422, message=_("保存失败：数据库拒绝了此次修改"))
        return self.response(200, id=pk, operation=key, result=self.show_model_schema.dump(item),
                             version=getattr(item, "version", None),
                             message=_("已办理“%(op)s”", op=op.label), operations=self._available(item))
