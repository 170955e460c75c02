"""The role and group screens a bureau reads: role labels (系统管理员 …) instead of role keys, and
what each built-in role may do, by menu entry and action in Chinese (docs/i18n.md).

jiguan's roles are regex tables held in memory (``FAB_ROLES``, core/web/security.py), not rows
of FAB's permission tables: the role screen reads the table, so it shows what is enforced.
Roles are added by code (``register_roles``), so the screen only lists and shows them.
"""

from __future__ import annotations

import re

from flask import current_app
from flask_appbuilder import expose
from flask_appbuilder.fields import QuerySelectMultipleField
from flask_appbuilder.fieldwidgets import Select2ManyWidget
from flask_appbuilder.security.decorators import has_access
from flask_appbuilder.security.views import RoleModelView, UserGroupModelView
from flask_appbuilder.widgets import ListWidget, ShowWidget
from flask_babel import lazy_gettext as _l

from core.display import join_items

#: FAB's and jiguan's permission names as a reader says them; others are shown as their key.
PERMISSION_LABELS = {
    "can_list": _l("查看列表"), "can_show": _l("查看详情"), "can_add": _l("新增"), "can_edit": _l("修改"),
    "can_delete": _l("删除"), "can_export": _l("导出"), "can_history": _l("查看修改历史"),
    "can_approve": _l("审批"), "can_approve_finance": _l("财政审核"), "can_get": _l("接口读取"),
    "can_info": _l("接口说明"), "can_post": _l("接口新增"), "can_put": _l("接口修改"),
    "can_import": _l("导入"), "can_operate": _l("办理业务"), "can_this_form_get": _l("打开表单"),
    "can_this_form_post": _l("提交表单"), "can_userinfo": _l("查看个人信息"),
    "userinfoedit": _l("修改个人信息"), "resetmypassword": _l("修改本人密码"),
    "can_manage_any": _l("管理他人的令牌"), "menu_access": _l("菜单可见"), "can_download": _l("下载"),
    "resetpasswords": _l("重设他人密码"), "copyrole": _l("复制角色"),
}
SCOPE_LABELS = {"all": _l("全部数据"), "jurisdiction": _l("本辖区及下级"), "organization": _l("本单位")}


def role_label(name: str) -> str:
    from core.web.security import role_label as label

    return label(name)


def _menu_labels() -> dict[str, str]:
    """Permission view name -> the label of its menu entry ("宗地台账"), from the app's menu."""
    labels: dict[str, str] = {}

    def walk(items):
        for item in items:
            if item.baseview is not None:
                labels.setdefault(item.baseview.class_permission_name, str(item.label or item.name))
            walk(item.childs)

    walk(current_app.appbuilder.menu.get_list())
    return labels


def readable_permissions(role_name: str) -> list[tuple[str, list[str]]]:
    """(screen label, [actions]) for every registered view the built-in role may use."""
    sm = current_app.appbuilder.sm
    table = sm.builtin_roles.get(role_name)
    if table is None:
        return []
    rows = [(re.compile(view), re.compile(perm)) for view, perm in table]
    labels = _menu_labels()
    result = []
    for view in current_app.appbuilder.baseviews:
        name = getattr(view, "class_permission_name", None)
        if not name:
            continue
        perms = sorted({p for p in getattr(view, "base_permissions", None) or []
                        if any(v.match(name) and r.match(p) for v, r in rows)})
        if not perms:
            continue
        if name in labels:  # screens reached from the menu; their sub-screens and APIs go with them
            result.append((labels[name], [_permission_label(view, p) for p in perms]))
    return sorted(result, key=lambda row: row[0])


def _permission_label(view, permission: str) -> str:
    """A permission as a reader says it; an operation's permission by the operations it allows."""
    if permission in PERMISSION_LABELS:
        return str(PERMISSION_LABELS[permission])
    own = getattr(view, "permission_labels", None) or {}  # a view's own permissions, by label
    if permission in own:
        return str(own[permission])
    from core.workflow.operations import entity_of, operations_of

    datamodel = getattr(view, "datamodel", None)
    entity = entity_of(datamodel.obj) if datamodel is not None else None
    if entity is not None:
        ops = [str(op.label) for op in operations_of(entity.key).values()
               if f"can_{op.permission}" == permission]
        if ops:
            return join_items(dict.fromkeys(ops))
    return permission


def _roles():
    sm = current_app.appbuilder.sm
    return sm.session.query(sm.role_model).order_by(sm.role_model.id)


def roles_field(label, description) -> QuerySelectMultipleField:
    """The user form's role box, listing labels (业务经办人), not role keys (Clerk)."""
    return QuerySelectMultipleField(label, description=description, query_func=_roles,
                                    get_pk_func=lambda role: role.id,
                                    get_label=lambda role: role_label(role.name),
                                    widget=Select2ManyWidget())


class JiguanRoleModelView(RoleModelView):
    """Roles by label; a role's page lists what it may do, screen by screen."""

    list_widget = ListWidget
    show_widget = ShowWidget
    base_permissions = ["can_list", "can_show"]
    list_columns = ["name"]
    show_columns = ["name"]
    search_columns = ["name"]
    label_columns = {"name": _l("角色"), "permissions": _l("权限")}
    formatters_columns = {"name": role_label}
    list_title = _l("角色")
    show_title = _l("查看角色")

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        from flask import abort

        from core.web.security import ROLE_SCOPES

        role = self.datamodel.get(pk, self._base_filters)
        if role is None:
            abort(404)
        self.update_redirect()
        scope = ROLE_SCOPES.get(role.name, "jurisdiction")
        return self.render_template(
            "core/role_show.html", title=self.show_title, role=role, label=role_label(role.name),
            scope=SCOPE_LABELS.get(scope, scope), rows=readable_permissions(role.name),
            appbuilder=self.appbuilder)


class JiguanGroupModelView(UserGroupModelView):
    """FAB's user groups (jiguan assigns roles directly; groups are kept for FAB) in Chinese."""

    label_columns = {"name": _l("名称"), "label": _l("显示名称"), "description": _l("说明"),
                     "users": _l("用户"), "roles": _l("角色")}
    formatters_columns = {"roles": lambda roles: join_items(role_label(r.name) for r in roles or [])}
    add_form_extra_fields = {"roles": roles_field(_l("角色"), "")}
    edit_form_extra_fields = add_form_extra_fields
