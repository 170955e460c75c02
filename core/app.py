"""The application factory."""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from pathlib import Path

import jinja2
from flask import Flask, abort, request
from flask_appbuilder import AppBuilder, IndexView, Model, expose
from flask_appbuilder.api import BaseApi
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core import pipeline  # noqa: F401  (installs the write pipeline)
from core.config import PROJECT_ROOT, DefaultConfig, env_settings
from core.contract import ViewSpec
from core.extensions import db, migrate
from core.operations import install_operations, label_void_columns  # and the guard on every flush
from core.plugins import PluginError, build_plugin_manager, collect
from core.references import resolve_references
from core.security import JiguanSecurityManager, build_roles
from core.setup import MIGRATIONS_DIR
from core.state import JiguanState
from core.versioning import never_reuse_ids

CORE_MENU = "Oversight"
CORE_MENU_LABEL = _l("监督管理")


class HomeView(IndexView):
    index_template = "core/index.html"

    @expose("/")
    def index(self):
        from core.activation import modules_for_current_user
        from core.scoping import current_scope
        from core.state import get_state

        state = get_state()
        active = modules_for_current_user() if current_user.is_authenticated else set()
        return self.render_template(
            self.index_template,
            scope=current_scope(),
            modules=[m for k, m in state.modules.items() if k in active],
        )


def _core_views() -> list[ViewSpec]:
    from core import admin_views as v

    common = dict(category=CORE_MENU, category_label=CORE_MENU_LABEL, category_icon="fa-eye")
    return [
        ViewSpec(v.ModuleActivationView, "Module Activation", _l("模块启用"), icon="fa-toggle-on",
                 **common),
        ViewSpec(v.FindingView, "Findings", _l("问题清单"), icon="fa-flag", **common),
        ViewSpec(v.AuditLogView, "Audit Log", _l("审计日志"), icon="fa-history", **common),
        ViewSpec(v.RecordHistoryView, "Record History", menu=False),
        *_report_views(),
    ]


REPORTS_MENU = "Reports"
REPORTS_MENU_LABEL = _l("报表")


def _report_views() -> list[ViewSpec]:
    from reports import views as r

    return [
        ViewSpec(r.ReportCenterView, "Report Center", _l("报表中心"), icon="fa-print",
                 category=REPORTS_MENU, category_label=REPORTS_MENU_LABEL,
                 category_icon="fa-file-pdf-o"),
        ViewSpec(r.ReportApi, "ReportApi", menu=False),
    ]


def _job_views() -> list[ViewSpec]:
    from core import job_views as j

    return [
        ViewSpec(j.JobView, "My Jobs", _l("我的任务"), icon="fa-tasks"),  # top level: everyone's
        ViewSpec(j.JobApi, "JobApi", menu=False),
    ]


API_MENU = "API"
API_MENU_LABEL = _l("接口")


def _api_views() -> list[ViewSpec]:
    from core import api_token_views as t
    from core import openapi as o

    common = dict(category=API_MENU, category_label=API_MENU_LABEL, category_icon="fa-plug")
    return [
        ViewSpec(t.ApiTokenView, "API Tokens", _l("我的 API 令牌"), icon="fa-key", **common),
        ViewSpec(o.SwaggerView, "API Documentation", _l("接口文档"), icon="fa-book", **common),
        ViewSpec(t.ApiTokenApi, "ApiTokenApi", menu=False),
        ViewSpec(o.OpenApiDocument, "OpenApi", menu=False),
    ]


ERROR_TEXTS = {
    403: (_l("无权访问"), _l("您的角色或权限范围不包括此页面。")),
    404: (_l("页面不存在"), _l("该页面或记录不存在，或不在您的权限范围内，或所属模块未在本辖区启用。")),
    405: (_l("请求方式不被允许"), _l("此地址不接受该请求方式。")),
}


def _register_error_pages(app: Flask) -> None:
    """Chinese error pages inside the layout; APIs answer JSON."""
    from flask import jsonify, render_template

    def handle(error):
        title, message = ERROR_TEXTS[error.code]
        if request.path.startswith("/api/"):
            return jsonify(message=str(message)), error.code
        return render_template("core/error.html", appbuilder=app.appbuilder,
                               base_template=app.appbuilder.base_template, code=error.code,
                               title=title, message=message), error.code

    for code in ERROR_TEXTS:
        app.register_error_handler(code, handle)


def _configure(app: Flask, config: dict | None) -> None:
    app.config.from_object(DefaultConfig)
    app.config.from_pyfile("jiguan.cfg", silent=True)
    app.config.update(env_settings())
    if config:
        app.config.update(config)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'jiguan.db'}"
    app.config["FAB_CREATE_DB"] = False  # the schema belongs to the migrations


def create_app(config: dict | None = None) -> Flask:
    """Build the app: config layers, plugins, catalog, security, views."""
    # FAB warns about every relation filter of its own group screens at each start
    logging.getLogger("flask_appbuilder.models.filters").setLevel(logging.ERROR)
    instance = os.environ.get("JIGUAN_INSTANCE_PATH") or str(PROJECT_ROOT / "instance")
    app = Flask(
        "jiguan",
        root_path=str(PROJECT_ROOT),
        instance_path=instance,
        instance_relative_config=True,
        template_folder="templates",
        static_folder="core/static",
        static_url_path="/static/jiguan",
    )
    _configure(app, config)
    app.jinja_env.add_extension("jinja2.ext.do")
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))

    pm, plugins = build_plugin_manager(app.config)
    state = JiguanState(pm=pm, plugins=plugins)
    for module_key, entity in collect(pm, "register_entity_types"):
        state.entities.add(replace(entity, module=module_key))
    for module_key, rule in collect(pm, "register_rules"):
        state.rules[rule.model].append((module_key, rule))
    for module_key, derivation in collect(pm, "register_derivations"):
        state.derivations[derivation.model].append((module_key, derivation))
    state.guards = collect(pm, "register_write_guards")
    for module_key, kind in collect(pm, "register_standard_kinds"):
        state.standard_kinds[kind.kind] = (module_key, kind)
    install_operations(state, collect(pm, "register_operations"))
    state.views = collect(pm, "register_views")
    resolve_references(state)  # relations by entity-type key, now that every type is known
    for module_key, report in collect(pm, "register_reports"):
        try:
            state.reports.add(replace(report, module=module_key))
        except ValueError as exc:
            raise PluginError(str(exc)) from exc
    app.extensions["jiguan"] = state
    never_reuse_ids(Model.metadata)  # every plugin's models are imported by now

    from core.views import make_entity_api

    installs: list[tuple[str | None, ViewSpec]] = [(None, spec) for spec in _core_views()]
    installs += state.views
    installs += [(None, spec) for spec in _job_views()]  # 我的任务 last in the menu bar
    installs += [(None, spec) for spec in _api_views()]
    labels = {getattr(getattr(spec.view, "datamodel", None), "obj", None): spec.view.label_columns
              for _m, spec in state.views if getattr(spec.view, "label_columns", None)}
    for entity in state.entities:
        screen = dict(labels.get(entity.model) or {})
        for name, label in list(screen.items()):
            screen.setdefault(f"{name}_id", label)  # a relation labels its foreign key
        label_void_columns(entity, screen)
        state.entity_labels[entity.key] = screen
        installs.append((entity.module, ViewSpec(make_entity_api(entity, screen), entity.key,
                                                 menu=False)))
    named = [(spec.view.class_permission_name or spec.view.__name__, spec.view.access)
             for _m, spec in installs]
    menus: dict[str, set[str]] = {}
    for _module, spec in installs:
        if spec.menu:
            menus.setdefault(spec.name, set()).add(spec.view.access)
            menus.setdefault(spec.category, set()).add(spec.view.access)
    app.config["FAB_ROLES"] = build_roles(named, menus)

    loaders = [app.jinja_loader]
    for info in plugins.values():
        folder = Path(info.plugin.__file__).parent / "templates"
        if folder.is_dir():
            loaders.append(jinja2.FileSystemLoader(str(folder)))
    app.jinja_loader = jinja2.ChoiceLoader(loaders)

    with app.app_context():
        appbuilder = AppBuilder(security_manager_class=JiguanSecurityManager, indexview=HomeView)
        appbuilder.init_app(app, db.session)
        for module_key, spec in installs:
            if issubclass(spec.view, BaseApi):
                view = appbuilder.add_api(spec.view)
            elif spec.menu:
                view = appbuilder.add_view(
                    spec.view, spec.name, label=spec.label or spec.name, icon=spec.icon,
                    category=spec.category, category_label=spec.category_label or "",
                    category_icon=spec.category_icon,
                )
            else:
                view = appbuilder.add_view_no_menu(spec.view)
            entity = state.entities.for_model(getattr(getattr(view, "datamodel", None), "obj", type))
            if entity is not None and not isinstance(view, BaseApi):
                view.extra_args = {**(view.extra_args or {}), "history_entity": entity.key}
                state.entity_endpoints.setdefault(entity.key, f"{view.endpoint}.show")
            if spec.menu and spec.category:
                state.category_modules[spec.category].add(module_key)
            if module_key:
                for name in (view.class_permission_name, type(view).__name__, spec.name):
                    state.module_of_name[name] = module_key
                if view.blueprint is not None:
                    state.module_of_name[view.blueprint.name] = module_key

    from core.auth import init_auth

    init_auth(app)  # one authentication step, before every other (session, JWT, API token)

    @app.before_request
    def refuse_inactive_modules():
        """Views and APIs of a module inactive in the user's jurisdiction do not exist for them."""
        from core.activation import module_active_for_current_user

        module = state.module_of_name.get(request.blueprint or "")
        if module and current_user.is_authenticated and not module_active_for_current_user(module):
            abort(404)

    _register_error_pages(app)

    from core.jobs import init_jobs

    init_jobs(app)

    from core.commands import CORE_COMMANDS

    for command in CORE_COMMANDS:
        app.cli.add_command(command)
    for _module, command in collect(pm, "register_cli_commands"):
        app.cli.add_command(command)
    return app
