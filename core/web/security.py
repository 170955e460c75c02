"""Roles, the security manager, and module activation in access checks."""

from __future__ import annotations

import re

from flask import g, has_request_context
from flask_appbuilder import expose
from flask_appbuilder.fieldwidgets import BS3TextFieldWidget
from flask_appbuilder.security.sqla.apis import (
    GroupApi,
    PermissionApi,
    PermissionViewMenuApi,
    RoleApi,
    ViewMenuApi,
)
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.sqla.models import User
from flask_appbuilder.security.views import AuthDBView, UserDBModelView
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, bindparam, select
from sqlalchemy.orm import joinedload, relationship
from wtforms import StringField
from wtforms.validators import DataRequired, Optional

from core.contract import Role
from core.display import join_items
from core.fab.adapter import FabViewHooks, KeptBuiltinAnswers, schemas_by_first_use
from core.fab.prepared import prepared
from core.fab.typeahead import TypeaheadViewMixin
from core.scoping import (
    ROLE_ADMIN,
    ROLE_APPROVER,
    ROLE_AUDITOR,
    ROLE_BUREAU_ADMIN,
    ROLE_CLERK,
    ROLE_FINANCE_REVIEWER,
)
from core.tenancy import Organization
from core.web.role_views import JiguanGroupModelView, JiguanRoleModelView, roles_field


class JiguanUser(User):
    """FAB's user, bound to the organisation (hence the jurisdiction) it works for."""

    __tablename__ = "ab_user"
    __table_args__ = {"extend_existing": True}

    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), index=True)
    organization = relationship("Organization", foreign_keys=[organization_id])
    #: When the password last changed (UTC): JWTs issued before are refused (core/web/sessions.py).
    password_changed_on = Column(DateTime)
    #: The interface language chosen in the language menu (a key of ``LANGUAGES``), NULL until
    #: the user chooses one: applied at login and to the user's API requests and background jobs
    #: (core/web/user_locale.py, docs/i18n.md).
    locale = Column(String(16))

    def get_full_name(self) -> str:
        """The name as it is said: 姓 then 名 without a space for a Chinese name ("张建国",
        not FAB's "建国 张"), "first last" otherwise; a unit account may have only a 名."""
        return full_name(self.first_name, self.last_name)

    def __repr__(self) -> str:  # FAB shows users by repr: "修改者", relation fields, history
        return self.get_full_name() or self.username

    @property
    def role_labels(self) -> list[str]:
        """The roles as a reader says them (系统管理员 …), for the REST API beside their keys."""
        return [role_label(role.name) for role in self.roles or []]


#: FAB declares ab_user.email NOT NULL; jiguan's users may have none (stored as NULL, still
#: unique when given; migration 7f0e1a2b3c4d). Set on the shared table so FAB's forms see it.
JiguanUser.__table__.c.email.nullable = True
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def full_name(first_name: str | None, last_name: str | None) -> str:
    first, last = (first_name or "").strip(), (last_name or "").strip()
    if CJK.search(first + last):
        return last + first
    return " ".join(part for part in (first, last) if part)


#: FAB's role of anonymous visitors (``AUTH_ROLE_PUBLIC``).
ROLE_PUBLIC = "Public"
READ = r"^(can_list|can_show|can_get|can_info|can_export|can_history|menu_access)$"
ALL = r".*"
#: Everything except deciding approvals (any stage): a clerk prepares, an approver decides.
ALL_BUT_APPROVE = r"^(?!can_approve).*"
#: The bureau does everything on its records but the finance department's stage of an approval.
ALL_BUT_FINANCE = r"^(?!can_approve_finance$).*"
APPROVE = r"^(can_list|can_show|can_get|can_info|can_export|can_history|can_approve|menu_access)$"
#: The finance department reads records and gives only its own stage (财政部门审核, core/workflow/).
FINANCE = r"^(can_list|can_show|can_get|can_info|can_export|can_history|can_approve_finance|menu_access)$"
#: A user's own things (API tokens): everything but managing other users' (the system admin's).
PERSONAL = r"^(?!can_manage_any$).*"
#: Every logged-in user may read and edit its own profile and password.
PROFILE = [
    [r"^(Jiguan)?UserDBModelView$", r"^(can_userinfo|resetmypassword|userinfoedit)$"],
    [r"^(UserInfoEditView|ResetMyPasswordView)$", r"^can_this_form_(get|post)$"],
]

#: What each built-in role may do on a view of each access class (see docs/architecture.md).
ACCESS_MATRIX = {
    "records": {
        ROLE_BUREAU_ADMIN: ALL_BUT_FINANCE, ROLE_CLERK: ALL_BUT_APPROVE, ROLE_APPROVER: APPROVE,
        ROLE_AUDITOR: READ, ROLE_FINANCE_REVIEWER: FINANCE,
    },
    "reference": {ROLE_BUREAU_ADMIN: ALL, ROLE_CLERK: READ, ROLE_APPROVER: READ, ROLE_AUDITOR: READ,
                  ROLE_FINANCE_REVIEWER: READ},
    "oversight": {ROLE_BUREAU_ADMIN: ALL, ROLE_APPROVER: READ, ROLE_AUDITOR: READ},
    "audit": {ROLE_BUREAU_ADMIN: READ, ROLE_AUDITOR: READ},
    "everyone": {ROLE_BUREAU_ADMIN: READ, ROLE_CLERK: READ, ROLE_APPROVER: READ, ROLE_AUDITOR: READ,
                 ROLE_FINANCE_REVIEWER: READ},
    "personal": {ROLE_BUREAU_ADMIN: PERSONAL, ROLE_CLERK: PERSONAL, ROLE_APPROVER: PERSONAL,
                 ROLE_AUDITOR: PERSONAL, ROLE_FINANCE_REVIEWER: PERSONAL},
    "admin": {},
}
ROLE_LABELS = {
    ROLE_ADMIN: _l("系统管理员"),
    ROLE_BUREAU_ADMIN: _l("机关事务管理部门管理员"),
    ROLE_APPROVER: _l("审批人"),
    ROLE_CLERK: _l("经办人"),
    ROLE_AUDITOR: _l("审计员（只读）"),
    ROLE_FINANCE_REVIEWER: _l("财政审核人"),
}
ROLE_SCOPES = {ROLE_ADMIN: "all", ROLE_CLERK: "organization"}


def built_in_roles() -> list[Role]:
    """The six built-in roles, as the web service contributes them (``register_roles``)."""
    return [Role(name, label, ROLE_SCOPES.get(name, "jurisdiction"),
                 {access: row[name] for access, row in ACCESS_MATRIX.items() if name in row})
            for name, label in ROLE_LABELS.items()]


def build_roles(named_views: list[tuple[str, str]], menus: dict[str, set[str]],
                roles: dict[str, Role]) -> dict:
    """FAB_ROLES for the contributed roles, from ``(permission view name, access class)`` pairs.

    Roles are regex tables held in memory: checking a permission costs no query, and they
    cannot drift from the code in the database. A role of scope ``all`` holds everything.
    """
    # Public is built in too, and empty: nothing is open without a login, and FAB need not read
    # the Public role's permissions from the database on every API call
    table: dict[str, list] = {ROLE_PUBLIC: []}
    for role in roles.values():
        if role.scope == "all":
            table[role.name] = [[".*", ".*"]]
            continue
        rows = [list(p) for p in PROFILE]
        for name, access in named_views:
            perms = role.access.get(access)
            if perms:
                rows.append([f"^{re.escape(name)}$", perms])
        for menu_name, accesses in menus.items():
            if menu_name and any(role.access.get(a) for a in accesses):
                rows.append([f"^{re.escape(menu_name)}$", r"^menu_access$"])
        table[role.name] = rows
    return table


def role_label(name: str) -> str:
    """A role's label for a reader (系统管理员 …); the name stays the key in FAB_ROLES."""
    if name == ROLE_PUBLIC:
        return _("未登录访客")
    return str(ROLE_LABELS.get(name, name))


def role_labels(roles) -> str:
    return join_items(role_label(role.name) for role in roles or [])


def yes_no(value) -> str:
    return _("是") if value else _("否")


#: The user screens' wording: a bureau's, without FAB's LDAP/OID/OpenID notes (docs/i18n.md).
USER_LABELS = {
    "get_full_name": _l("姓名"), "first_name": _l("名"), "last_name": _l("姓"),
    "username": _l("用户名"), "password": _l("密码"), "conf_password": _l("确认密码"),
    "active": _l("启用"), "email": _l("电子邮箱"), "roles": _l("角色"),
    "organization": _l("所属单位"), "last_login": _l("最近登录时间"), "login_count": _l("登录次数"),
    "fail_login_count": _l("连续登录失败次数"), "created_on": _l("创建时间"), "changed_on": _l("修改时间"),
}
USER_DESCRIPTIONS = {
    "first_name": _l("名，如“建国”；单位账号写账号的名称"),
    "last_name": _l("姓，如“张”；单位账号不填"),
    "username": _l("登录时使用的用户名"),
    "password": _l("登录密码"),
    "conf_password": _l("请再输入一次密码"),
    "active": _l("不再使用的账号请停用，不要删除"),
    "email": _l("选填，用于接收系统通知"),
    "roles": _l("决定用户能做哪些操作"),
    "organization": _l("用户所在单位，决定用户能看到哪些数据"),
}
#: The user form: name in 姓名 order; no group (jiguan's roles are built in) and no LDAP/OID.
USER_FORM = ["last_name", "first_name", "username", "active", "email", "roles", "organization"]


class JiguanUserDBModelView(TypeaheadViewMixin, FabViewHooks, UserDBModelView):
    """FAB's user screen for a bureau: the organisation every user is bound to (a type-ahead
    box), names in 姓名 order, role labels, e-mail optional, no LDAP/OID or audit-by fields."""

    add_columns = [*USER_FORM, "password", "conf_password"]
    edit_columns = USER_FORM
    show_fieldsets = [
        (_l("账号"), {"fields": ["username", "active", "roles", "organization", "login_count"]}),
        (_l("个人信息"), {"fields": ["get_full_name", "email"], "expanded": True}),
        (_l("登录与修改记录"), {"fields": ["last_login", "fail_login_count", "created_on", "changed_on"],
                          "expanded": False}),
    ]
    user_show_fieldsets = show_fieldsets[:2]
    list_columns = ["get_full_name", "username", "organization", "roles", "active", "email"]
    search_columns = ["first_name", "last_name", "username", "email", "active", "roles", "organization"]
    label_columns = {**UserDBModelView.label_columns, **USER_LABELS}
    description_columns = USER_DESCRIPTIONS
    #: FAB's ab_user.last_name is NOT NULL, so its form would require it: a unit account has no 姓
    add_form_extra_fields = {**UserDBModelView.add_form_extra_fields, "last_name": StringField(
        USER_LABELS["last_name"], description=USER_DESCRIPTIONS["last_name"], validators=[Optional()],
        widget=BS3TextFieldWidget())}
    add_form_extra_fields["roles"] = roles_field(USER_LABELS["roles"], USER_DESCRIPTIONS["roles"])
    edit_form_extra_fields = {"last_name": add_form_extra_fields["last_name"],
                              "roles": add_form_extra_fields["roles"]}
    formatters_columns = {"roles": role_labels, "active": yes_no}
    #: Every user is bound to an organisation: it is what scopes what they see.
    validators_columns = {"roles": [DataRequired()], "organization": [DataRequired()]}
    list_title = _l("用户")
    show_title = _l("查看用户")
    add_title = _l("添加用户")
    edit_title = _l("编辑用户")

    def pre_add(self, item):
        _blank_to_none(item)
        super().pre_add(item)

    def pre_update(self, item):
        _blank_to_none(item)
        super().pre_update(item)


def _blank_to_none(user) -> None:
    """An empty e-mail is no address (NULL): several users may have none."""
    user.email = (user.email or "").strip() or None
    user.last_name = (user.last_name or "").strip()


class JiguanAuthDBView(AuthDBView):
    """FAB's login form; a locked name or address is told so (core/web/login_guard.py)."""

    @property
    def invalid_login_message(self):
        from core.web.login_guard import FAILED, LOCKED

        return LOCKED if g.get("jiguan_login_locked") else FAILED

    @expose("/logout/", methods=["POST"])
    def logout(self):
        """Logout ends the session, a state change: a POST with the CSRF token (the navbar's
        form), never a GET that a link or an image on another page could send."""
        return super().logout()


class JiguanSecurityManager(KeptBuiltinAnswers, SecurityManager):
    user_model = JiguanUser
    userdbmodelview = JiguanUserDBModelView
    authdbview = JiguanAuthDBView
    rolemodelview = JiguanRoleModelView
    groupmodelview = JiguanGroupModelView
    #: FAB's login-count charts: English column names, nothing a bureau asked for
    userstatschartview = None
    # FAB's model APIs set up, their schemas built, by their first use (~0.03 s of every start)
    permission_api = schemas_by_first_use(PermissionApi)
    role_api = schemas_by_first_use(RoleApi)
    view_menu_api = schemas_by_first_use(ViewMenuApi)
    permission_view_menu_api = schemas_by_first_use(PermissionViewMenuApi)
    group_api = schemas_by_first_use(GroupApi)

    @property
    def user_api(self):
        """/api/v1/security/users/ as the user screen has it (core/web/user_api.py)."""
        from core.web.user_api import JiguanUserApi

        return schemas_by_first_use(JiguanUserApi)

    def auth_user_db(self, username, password):
        """FAB's check (it hashes a dummy password for unknown names, so both take as long),
        behind the lockout of names and addresses, every failure counted and audited."""
        from core.web import login_guard

        address = login_guard.client_address()
        if login_guard.locked(username or "", address):
            g.jiguan_login_locked = True
            login_guard.record_refused(username or "", address)
            return None
        user = super().auth_user_db(username, password)
        if user is None:
            login_guard.record_failure(username or "", address)
        else:
            login_guard.record_success(username)
        return user

    def add_user(self, username, first_name, last_name, email, role=None, password="", hashed_password="",
                 **kwargs):
        # every creation with a clear-text password (``jiguan fab create-admin``, the CLI, the
        # demo) meets the policy the forms and the API apply
        from flask_appbuilder.exceptions import PasswordComplexityValidationError

        from core.web.passwords import check_password

        if password and not hashed_password:
            try:
                check_password(password, username)
            except PasswordComplexityValidationError as exc:
                raise ValueError(f"{username}: {exc}") from exc
        return super().add_user(username, first_name, last_name, email, role, password=password,
                                hashed_password=hashed_password, **kwargs)

    @staticmethod
    def _shown_here(name: str) -> bool:
        """Whether a view, menu entry or menu category belongs to a module active for the user."""
        from core.activation import module_readable_for_current_user as shown
        from core.state import state_or_none

        state = state_or_none()
        if state is None:
            return True
        if name in state.category_modules:  # a category shows while one of its modules is on
            return any(m is None or shown(m) for m in state.category_modules[name])
        module = state.module_of_name.get(name)
        return module is None or shown(module)

    @staticmethod
    def _read_only_here(permission_name: str, view_name: str) -> bool:
        """Whether the view's module is only readable for the user and this is no read (Art. 5-6)."""
        from core.activation import read_only_modules_for_current_user
        from core.state import state_or_none

        state = state_or_none()
        module = state.module_of_name.get(view_name) if state is not None else None
        if module is None or re.match(READ, permission_name):
            return False
        return module in read_only_modules_for_current_user()

    def user_with_scope(self, pk: int):
        """The user, its roles and groups and the organisation and jurisdiction that make its
        scope, in one query (instead of one lazy load each on every request); active or not.
        Kept for the request: the JWT check reads it first, then the user lookup takes it."""
        kept = g.get("jiguan_loaded_user") if has_request_context() else None
        if kept is not None and kept.id == pk:
            return kept
        statement = self.__dict__.get("_jiguan_user_statement")
        if statement is None:  # built once: the options and the clause cost a tenth of an API call
            model = self.user_model
            statement = self._jiguan_user_statement = (
                select(model)
                .options(joinedload(model.roles), joinedload(model.groups),
                         joinedload(model.organization).joinedload(Organization.jurisdiction))
                .where(model.id == bindparam("pk")))
            statement = self._jiguan_user_statement = prepared(statement, "jiguan_request_user")
        user = self.session.execute(statement, {"pk": pk}).unique().scalar_one_or_none()
        if has_request_context():
            g.jiguan_loaded_user = user
        return user

    def load_user(self, pk):
        user = self.user_with_scope(int(pk))
        if user and user.is_active:
            return user
        return None

    def has_access(self, permission_name: str, view_name: str) -> bool:
        # asked once per menu entry, button and route on a page: answer each once per request
        cache = g.setdefault("jiguan_access", {})
        user = g.get("user")
        key = (getattr(user, "id", None), permission_name, view_name)
        if key not in cache:
            cache[key] = (self._shown_here(view_name) and not self._read_only_here(permission_name, view_name)
                          and super().has_access(permission_name, view_name))
        return cache[key]

    def is_item_public(self, permission_name, view_name) -> bool:
        # FAB reads the Public role and its permissions for every protected API call
        public = g.get("jiguan_public")
        if public is None:
            if self.auth_role_public in self.builtin_roles:
                rows = self.builtin_roles[self.auth_role_public]
                public = [(re.compile(v), re.compile(p)) for v, p in rows]
            else:
                public = [(re.compile(f"^{re.escape(pv.view_menu.name)}$"),
                           re.compile(f"^{re.escape(pv.permission.name)}$"))
                          for pv in self.get_public_permissions()]
            g.jiguan_public = public
        return any(v.match(view_name) and p.match(permission_name) for v, p in public)

    def get_user_menu_access(self, menu_names=None):
        return {name for name in super().get_user_menu_access(menu_names) if self._shown_here(name)}

    def get_user_roles(self, user):
        # roles are read many times per request (menus, buttons): load them once
        cache = g.setdefault("jiguan_roles", {}) if user is not None else {}
        key = getattr(user, "id", None)
        if key is not None and key in cache:
            return cache[key]
        roles = super().get_user_roles(user)
        if key is not None:
            cache[key] = roles
        return roles
