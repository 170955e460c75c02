"""The web service, installed through the same hooks as a module: Flask-AppBuilder with every
contributed view, the core's own screens (oversight, API tokens and documents) and the
built-in roles."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.contract import ViewSpec
from core.hookspecs import hookimpl

OVERSIGHT_MENU, OVERSIGHT_LABEL = "Oversight", _l("监督管理")
API_MENU, API_LABEL = "API", _l("接口")


@hookimpl
def register_roles():
    from core.web.security import built_in_roles

    return built_in_roles()


@hookimpl
def register_views():
    from core.web import admin_views as v
    from core.web import api_token_views as t
    from core.web import openapi as o

    oversight = dict(category=OVERSIGHT_MENU, category_label=OVERSIGHT_LABEL, category_icon="fa-eye",
                     position=-1)
    api = dict(category=API_MENU, category_label=API_LABEL, category_icon="fa-plug", position=2)
    return [
        ViewSpec(v.ModuleActivationView, "Module Activation", _l("模块启用"), icon="fa-toggle-on",
                 **oversight),
        ViewSpec(v.FindingView, "Findings", _l("问题清单"), icon="fa-flag", **oversight),
        ViewSpec(v.AuditLogView, "Audit Log", _l("审计日志"), icon="fa-history", **oversight),
        ViewSpec(v.RecordHistoryView, "Record History", menu=False, position=-1),
        ViewSpec(t.ApiTokenView, "API Tokens", _l("我的 API 令牌"), icon="fa-key", **api),
        ViewSpec(o.SwaggerView, "API Documentation", _l("接口文档"), icon="fa-book", **api),
        ViewSpec(t.ApiTokenApi, "ApiTokenApi", menu=False, position=2),
        ViewSpec(v.FindingApi, "FindingApi", menu=False, position=-1),
        ViewSpec(o.OpenApiDocument, "OpenApi", menu=False, position=2),
    ]


@hookimpl(trylast=True)
def init_app(app, state):
    """Last: the other services have prepared what the views need (operations, reports)."""
    from core.web.install import install_web

    install_web(app, state)
