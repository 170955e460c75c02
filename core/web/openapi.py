"""The OpenAPI 3 document (``/api/v1/_openapi``) and the Swagger page (``/swagger/``), in Chinese.

FAB builds the document from the APIs' docstrings, in English and with gaps (routes
without a YAML docstring have no responses or path parameters). We build it the same way,
then give every operation a Chinese summary — from the API class's ``openapi_summaries``
(``{method name: lazy string}``), else from the generic operations of every model API below —
Chinese tags, a JSON example body (``openapi_examples``: ``{method name: dict}``) and whatever
OpenAPI 3 requires that FAB left out (responses, path parameters). The Swagger UI assets
come from the ``flask-swagger-ui`` package (swagger-ui-dist) and are served by this app.
"""

from __future__ import annotations

import re
from importlib.resources import files

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app, request, send_from_directory
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.api import BaseApi, ModelRestApi, safe
from flask_appbuilder.api.manager import resolver
from flask_appbuilder.security.decorators import permission_name, protect
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.web.openapi_truth import complete_document, marshmallow_attributes

METHODS = ("get", "post", "put", "patch", "delete")
#: The operations every model API has (FAB's ModelRestApi) and the workflow routes.
MODEL_OPERATIONS = {
    "get_list": _l("查询%(label)s列表（分页、筛选、排序：q 参数，Rison 格式）"),
    "get": _l("读取一条%(label)s"),
    "post": _l("新增%(label)s"),
    "put": _l("修改%(label)s（可附 version 防止覆盖他人修改）"),
    "delete": _l("删除%(label)s"),
    "info": _l("%(label)s接口说明：字段、筛选条件和当前用户的权限"),
    "workflow": _l("%(label)s审批流转：submit 提交、withdraw 撤回、approve 通过、reject 驳回"),
    "operations_list": _l("%(label)s：列出一条记录当前可执行的操作（含审批操作）"),
    "operation": _l("%(label)s：执行一条记录的一项操作（按操作标识 key，如领用、登记完成、作废）"),
}
#: FAB's own APIs.
FAB_OPERATIONS = {
    ("SecurityApi", "login"): _l("登录：用户名和密码换取访问令牌（access_token）和刷新令牌（refresh_token）"),
    ("SecurityApi", "refresh"): _l("用刷新令牌换取新的访问令牌"),
    ("MenuApi", "get_menu_data"): _l("当前用户可见的菜单"),
    ("RoleApi", "add_role_permissions"): _l("为角色设置权限"),
    ("RoleApi", "list_role_permissions"): _l("角色的权限列表"),
    ("RoleApi", "update_role_users"): _l("设置角色的用户"),
    ("RoleApi", "update_role_groups"): _l("设置角色的用户组"),
}
TAGS = {
    "Security": _l("登录与令牌"),
    "Security Permissions": _l("权限"),
    "Security Roles": _l("角色"),
    "Security Users": _l("用户"),
    "Security Resources (View Menus)": _l("资源（视图与菜单）"),
    "Security Permissions on Resources (View Menus)": _l("资源上的权限"),
    "Security Groups": _l("用户组"),
    "Menu": _l("菜单"),
    "Jobs": _l("后台任务"),
    "API Tokens": _l("我的 API 令牌"),
    "Notifications": _l("我的通知"),
    "Findings": _l("问题清单"),
    "OpenAPI": _l("接口文档"),
    "ReportApi": _l("报表"),
    "CatalogApi": _l("数据目录"),
    "XlsxApi": _l("Excel 导入导出"),
    "Search": _l("全局搜索"),
    "AttachmentApi": _l("附件"),
}
SCHEMES = {
    "jwt": _l("访问令牌（JWT）：POST /api/v1/security/login 返回的 access_token，有效期较短"),
    "jwt_refresh": _l("刷新令牌：只用于 POST /api/v1/security/refresh"),
    "api_key": _l("个人 API 令牌（jg_ 开头）：在“我的 API 令牌”页面创建，有效期由您选择"),
}
INTRO = _l(
    "机关事务管理平台的 REST 接口。每个接口与页面使用同一套权限、"
    "数据范围（本辖区或本单位）和模块启用设置。\n\n"
    "**登录方式**：浏览器已登录时直接使用会话；程序调用时在请求头携带 `Authorization: Bearer <令牌>`，"
    "令牌可以是 `POST /api/v1/security/login` 返回的访问令牌，或“我的 API 令牌”页面创建的个人 API 令牌。"
    "点击右侧 **Authorize** 填入令牌即可在本页试用。\n\n"
    "**错误应答**：401 未登录或令牌无效；403 无权执行；404 记录不存在或不在权限范围内、模块未启用；"
    "409 记录已被他人修改；422 数据不符合规定（message 说明原因及《办法》条款）。"
)
_URL_VAR = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


def _api_routes(api: BaseApi):
    """(method name, raw url, HTTP methods) of each route the API registers."""
    for name in dir(api):
        if api.include_route_methods is not None and name not in api.include_route_methods:
            continue
        if name in api.exclude_route_methods:
            continue
        func = getattr(api, name)
        for url, methods in getattr(func, "_urls", ()):
            yield name, url, methods


def _tag(api: BaseApi) -> str:
    tag = api.openapi_spec_tag or type(api).__name__
    return str(TAGS.get(tag, tag))


def _summary(api: BaseApi, name: str, label: str, method: str, path: str) -> str:
    own = getattr(api, "openapi_summaries", None) or {}
    if name in own:
        return str(own[name])
    if (type(api).__name__, name) in FAB_OPERATIONS:
        return str(FAB_OPERATIONS[(type(api).__name__, name)])
    generic = "workflow" if name.startswith("workflow_") else name
    if isinstance(api, ModelRestApi) or generic == "workflow":
        if generic in MODEL_OPERATIONS:
            return str(MODEL_OPERATIONS[generic]) % {"label": label}
    return _("%(label)s：%(method)s %(path)s", label=label, method=method.upper(), path=path)


def _example(api: BaseApi, name: str) -> dict | None:
    """A JSON body to show and try (``openapi_examples``; the workflow routes' own)."""
    if name.startswith("workflow_"):
        return {"comment": str(_l("同意")), "version": 1}
    return (getattr(api, "openapi_examples", None) or {}).get(name)


def _path_parameters(url: str) -> list[dict]:
    params = []
    for converter, args, name in _URL_VAR.findall(url):
        schema = {"type": "integer"} if converter == "int" else {"type": "string"}
        if converter == "any":
            schema["enum"] = [a.strip().strip("'\"") for a in args.split(",")]
        params.append({"in": "path", "name": name, "required": True, "schema": schema})
    return params


def _complete(operation: dict, url: str, summary: str, tag: str, secured: bool,
              example: dict | None) -> None:
    operation["summary"] = summary
    if example is not None and "requestBody" not in operation:
        operation["requestBody"] = {"content": {"application/json": {
            "schema": {"type": "object"}, "example": example}}}
    operation["tags"] = [tag]
    declared = {p.get("name") for p in operation.get("parameters", []) if p.get("in") == "path"}
    for param in _path_parameters(url):
        if param["name"] in declared:
            continue
        operation.setdefault("parameters", []).append(param)
    for param in operation.get("parameters", []):
        if param.get("in") == "path":
            enum = next((p["schema"].get("enum") for p in _path_parameters(url)
                         if p["name"] == param.get("name")), None)
            if enum:  # several methods on one route (the workflow actions) share the path
                param["schema"] = {**param.get("schema", {}), "enum": sorted(
                    set(param.get("schema", {}).get("enum", [])) | set(enum))}
    operation.setdefault("responses", {"200": {"description": str(_l("成功"))}})
    if secured:
        operation.setdefault("security", [{"jwt": []}, {"api_key": []}])


def build_spec(version: str) -> dict | None:
    """The OpenAPI document of every API of ``version`` the user's modules have (None if none)."""
    spec = APISpec(
        title=_("机关事务管理平台 接口文档"), version=version, openapi_version="3.0.2",
        info={"description": str(INTRO)},
        plugins=[marshmallow := MarshmallowPlugin(schema_name_resolver=resolver)],
        servers=current_app.config.get("FAB_OPENAPI_SERVERS", [{"url": request.host_url}]),
    )
    marshmallow_attributes(marshmallow)  # how FAB's fields really dump (money as text …)
    from core.activation import modules_for_current_user
    from core.state import get_state

    module_of = get_state().module_of_name
    apis = [v for v in current_app.appbuilder.baseviews if isinstance(v, BaseApi) and v.version == version]
    if not apis:
        return None
    # the APIs of modules inactive in the user's jurisdiction do not exist for them (404)
    active = modules_for_current_user()
    apis = [v for v in apis if module_of.get(v.blueprint.name) in (None, *active)]
    for api in apis:
        api.add_api_spec(spec)
    for name, text in SCHEMES.items():
        if name not in spec.components.security_schemes:
            spec.components.security_scheme(name, {"type": "http", "scheme": "bearer"})
        spec.components.security_schemes[name]["description"] = str(text)
    document = spec.to_dict()
    sm = current_app.appbuilder.sm
    for api in apis:
        tag = _tag(api)
        for name, url, methods in _api_routes(api):
            path = api.path_helper(path=url)
            operations = document["paths"].get(path, {})
            public = type(api) is sm.security_api and name == "login"
            for method in methods:
                operation = operations.get(method.lower())
                if operation is not None:
                    summary = _summary(api, name, tag, method, path)
                    example = _example(api, name)
                    _complete(operation, url, summary, tag, not public, example)
    complete_document(document)  # every status code answered, FAB's answer schemas corrected
    return document


class OpenApiDocument(BaseApi):
    """``GET /api/v1/_openapi``: for logged-in users only, by any path (session, JWT, token)."""

    route_base = "/api"
    class_permission_name = "OpenApi"
    access = "everyone"
    allow_browser_login = True
    openapi_spec_tag = "OpenAPI"
    openapi_summaries = {"get": _l("本接口文档（OpenAPI 3，JSON）")}

    @expose("/<version>/_openapi")
    @protect()
    @safe
    @permission_name("get")
    def get(self, version):
        from flask_babel import get_locale

        from core.activation import modules_for_current_user

        # the APIs cannot change while the app runs: build once per language, host and module set
        key = (version, str(get_locale()), request.host_url, frozenset(modules_for_current_user()))
        cache = current_app.extensions.setdefault("jiguan_openapi", {})
        if key not in cache:
            cache[key] = build_spec(version)
        document = cache[key]
        if document is None:
            return self.response_404()
        return self.response(200, **document)


def _swagger_assets():
    return files("flask_swagger_ui") / "dist"


class SwaggerView(BaseView):
    """接口文档: Swagger UI on the OpenAPI document, its assets served here (no CDN)."""

    route_base = "/swagger"
    default_view = "show"
    access = "everyone"

    @expose("/")
    @has_access
    @permission_name("show")
    def show(self):
        return self.render_template("core/swagger.html",
                                    openapi_url=request.script_root + "/api/v1/_openapi")

    @expose("/assets/<path:filename>")
    def asset(self, filename):
        # static files of the swagger-ui-dist release the package ships (Apache-2.0, LICENSE)
        return send_from_directory(str(_swagger_assets()), filename, max_age=86400)
