"""Installs Flask-AppBuilder with every contributed view: the web service's ``init_app``.

The kernel has collected what the modules and services contribute (``state.views``, the
entity types, the roles); this builds the REST API of every entity type, the built-in roles
from the views' access classes, the template and translation folders of the plugins, then
FAB itself with each view and its menu entry, CSRF protection and the response headers
(core/web/csrf.py, core/web/headers.py), the one authentication step, the module activation
check on every request and the Chinese error pages.
"""

from __future__ import annotations

import logging

import jinja2
from flask import Flask, abort, jsonify, render_template, request
from flask_appbuilder.api import BaseApi
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core.contract import ViewSpec
from core.extensions import db
from core.home.views import HomeView  # the 工作台 is FAB's index view
from core.plugins import plugin_subfolders
from core.state import JiguanState
from core.web.lazy_views import DeferringAppBuilder, release

ERROR_TEXTS = {
    403: (_l("无权访问"), _l("您的角色或权限范围不包括此页面。")),
    404: (_l("页面不存在"), _l("该页面或记录不存在，或不在您的权限范围内，或所属模块未在本辖区启用。")),
    405: (_l("请求方式不被允许"), _l("此地址不接受该请求方式。")),
    413: (_l("上传的内容过大"), _l("上传的内容过大，超过了系统允许的上限。请压缩或分成几个文件后重新上传。")),
}


class JiguanAppBuilder(DeferringAppBuilder):
    @property
    def app_name(self) -> str:
        """The navbar's and the title's name in the reader's language: the default name is a
        msgid of the catalogue (ئورگان ئىشلىرىنى باشقۇرۇش سۇپىسى in Uyghur); a name an office
        configured itself has no translation and shows as it is."""
        from flask import current_app, has_request_context
        from flask_babel import gettext

        name = current_app.config["APP_NAME"]
        return gettext(name) if has_request_context() and name else name


def _entity_apis(state: JiguanState) -> list[tuple[str, ViewSpec]]:
    """One REST API per entity type (``/api/v1/<key>/``), labelled like its screen."""
    from core.web.views import make_entity_api
    from core.workflow.operations import label_void_columns

    labels = {getattr(getattr(spec.view, "datamodel", None), "obj", None): spec.view.label_columns
              for _m, spec in state.views if getattr(spec.view, "label_columns", None)}
    apis = []
    for entity in state.entities:
        screen = dict(labels.get(entity.model) or {})
        for name, label in list(screen.items()):
            screen.setdefault(f"{name}_id", label)  # a relation labels its foreign key
        label_void_columns(entity, screen)
        state.entity_labels[entity.key] = screen
        apis.append((entity.module, ViewSpec(make_entity_api(entity, screen), entity.key, menu=False)))
    return apis


def add_translation_directories(app: Flask, plugins) -> None:
    """Put the plugins' ``translations/`` folders into ``BABEL_TRANSLATION_DIRECTORIES``.

    In front of the project's own: Flask-Babel merges the folders in order and the later wins
    for a msgid found in both, so a plugin adds its strings but never rewords the core's.
    FAB puts its bundled folder in front of all of them when it starts.
    """
    ours = app.config.get("BABEL_TRANSLATION_DIRECTORIES") or ""
    present = [d for d in ours.split(";") if d]
    extra = [str(d) for d in plugin_subfolders(plugins, "translations") if str(d) not in present]
    if extra:
        app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join([*extra, *present])


def _register_error_pages(app: Flask) -> None:
    """Chinese error pages inside the layout; APIs answer JSON."""

    def handle(error):
        from core.web.input_guard import names_no_record

        code = 404 if error.code == 405 and names_no_record(error) else error.code
        title, message = ERROR_TEXTS[code]
        if request.path.startswith("/api/"):
            return jsonify(message=str(message)), code
        return render_template("core/error.html", appbuilder=app.appbuilder,
                               base_template=app.appbuilder.base_template, code=code,
                               title=title, message=message), code

    for code in ERROR_TEXTS:
        app.register_error_handler(code, handle)

    @app.before_request
    def refuse_large_bodies():
        """A body declared past ``MAX_CONTENT_LENGTH`` answers 413 here, before any view:
        inside an API method under FAB's ``@safe`` the same refusal would become a 500.
        (A chunked body declares no length: Werkzeug cuts it at the limit, and the view
        refuses what is left as malformed, a 400.)"""
        limit = request.max_content_length
        if limit is not None and request.content_length is not None and request.content_length > limit:
            abort(413)


def install_web(app: Flask, state: JiguanState) -> None:
    from core.fab import api_docs
    from core.fab.adapter import patch_api_errors, patch_api_jsonschema, patch_route_scan, patch_view_lookup
    from core.fab.references import resolve_references
    from core.web.auth import init_auth
    from core.web.csrf import init_csrf, install_api_guard
    from core.web.headers import init_headers
    from core.web.input_guard import install_input_guard
    from core.web.lazy_rules import install_lazy_rules
    from core.web.lazy_text import install_lazy_text
    from core.web.list_rows import list_rows, mobile_hidden
    from core.web.menu_cache import install_menu_cache
    from core.web.page_fragments import install_page_fragments
    from core.web.security import JiguanSecurityManager, build_roles
    from core.web.settings import install_settings
    from core.web.translations import install_request_domain

    install_settings(app)  # the service's defaults, under whatever the app was given
    with_views = app.config["WEB_VIEWS"]
    if not with_views:  # a command line's app (core/cli): FAB's own screens and APIs neither
        app.config["FAB_ADD_SECURITY_VIEWS"] = app.config["FAB_ADD_SECURITY_API"] = False
    install_lazy_rules(app)  # ~1,800 rules: their URL builders compiled on first use
    install_lazy_text()  # FAB's view set-up asks lazy strings for attributes no string has
    if proxies := int(app.config["TRUSTED_PROXIES"]):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    # FAB warns about every relation filter of its own group screens at each start
    logging.getLogger("flask_appbuilder.models.filters").setLevel(logging.ERROR)
    patch_api_jsonschema()
    patch_api_errors()  # a value the database refuses is the client's 400, not FAB's 500
    patch_view_lookup()  # the templates' permission filters: one look-up, not a loop over ~190 views
    patch_route_scan()  # each view's routes and hooks found without reading its ~700 attributes
    api_docs.install()  # the API document's operations parsed once per docstring, not per API
    resolve_references(state)  # relations by entity-type key, now that every type is known
    installs = sorted(state.views, key=lambda item: item[1].position) + _entity_apis(state)
    named = [(spec.view.class_permission_name or spec.view.__name__, spec.view.access)
             for _m, spec in installs]
    menus: dict[str, set[str]] = {}
    for _module, spec in installs:
        if spec.menu:
            menus.setdefault(spec.name, set()).add(spec.view.access)
            menus.setdefault(spec.category, set()).add(spec.view.access)
    app.config["FAB_ROLES"] = build_roles(named, menus, state.roles)

    app.jinja_env.add_extension("jinja2.ext.do")
    install_menu_cache(app)
    app.jinja_env.globals["jiguan_list_rows"] = list_rows  # a list page's rows
    app.jinja_env.globals["jiguan_mobile_hidden"] = mobile_hidden  # … and the columns a phone hides
    loaders = [app.jinja_loader]
    loaders += [jinja2.FileSystemLoader(str(f)) for f in plugin_subfolders(state.plugins, "templates")]
    app.jinja_loader = jinja2.ChoiceLoader(loaders)
    add_translation_directories(app, state.plugins)  # before FAB's BabelManager reads them

    init_csrf(app)  # before FAB: it exempts its API blueprints and refuses GET mutations then
    init_headers(app)
    install_page_fragments(app)  # after csrf_token, csp_nonce and the menu: they become its slots
    with app.app_context():
        appbuilder = JiguanAppBuilder(security_manager_class=JiguanSecurityManager,
                                      indexview=HomeView, base_template="core/base.html")
        appbuilder.init_app(app, db.session)
        install_request_domain(app)  # FAB has set Flask-Babel up
        with appbuilder.deferring():  # each view set up by its first use (core/web/lazy_views.py)
            for module_key, spec in installs:
                if with_views:
                    _add(appbuilder, state, module_key, spec)
                else:
                    _record(state, module_key, spec, endpoint=spec.view.__name__,
                            permission_name=_permission_name(spec.view), blueprint=spec.view.__name__)

    init_auth(app)  # one authentication step, before every other (session, JWT, API token)
    install_api_guard(app)  # then the API's CSRF header and JSON-only bodies
    from core.web.user_locale import install_user_locale

    install_user_locale(app)  # the user's remembered language, once the user is known

    @app.before_request
    def refuse_inactive_modules():
        """Views and APIs of a module inactive in the user's jurisdiction do not exist for them."""
        from core.activation import module_readable_for_current_user

        module = state.module_of_name.get(request.blueprint or "")
        if module and current_user.is_authenticated and not module_readable_for_current_user(module):
            abort(404)  # read-only from below (Art. 5-6) passes; has_access refuses its writes

    install_input_guard(app)  # after authentication and activation: 401/404 first
    _register_error_pages(app)


def _add(appbuilder, state: JiguanState, module_key: str | None, spec: ViewSpec) -> None:
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
    # read from the class (what the view's __init__ makes of it), not from the view: it is set
    # up by its first use, and until release() nothing read of it sets it up
    entity = _record(state, module_key, spec, endpoint=view.endpoint,
                     permission_name=_permission_name(spec.view),
                     blueprint=view.blueprint.name if view.blueprint is not None else None)
    if entity is not None and not issubclass(spec.view, BaseApi):
        view.extra_args = {**(view.extra_args or {}), "history_entity": entity.key}
    release(view)


def _permission_name(view_class) -> str:
    """The view's ``class_permission_name`` as FAB's ``__init__`` sets it."""
    return view_class.class_permission_name or view_class.__name__


def _record(state: JiguanState, module_key: str | None, spec: ViewSpec, *, endpoint: str,
            permission_name: str, blueprint: str | None):
    """What the core keeps of an added view (its module by every name, its entity's record
    page, its menu category's modules), the same whether the view is added or, in an app
    without views (``WEB_VIEWS``), only named as FAB would name it; its entity type, if any."""
    entity = state.entities.for_model(getattr(getattr(spec.view, "datamodel", None), "obj", type))
    if entity is not None and not issubclass(spec.view, BaseApi):
        state.entity_endpoints.setdefault(entity.key, f"{endpoint}.show")
    if spec.menu and spec.category:
        state.category_modules[spec.category].add(module_key)
    if module_key:
        for name in (permission_name, spec.view.__name__, spec.name):
            state.module_of_name[name] = module_key
        if blueprint is not None:
            state.module_of_name[blueprint] = module_key
    return entity
