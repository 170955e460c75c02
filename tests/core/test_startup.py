"""A quick start (docs/performance.md, "Start-up"): ``jiguan --help`` from the kept listing,
URL builders and REST schemas made on first use; every command still listed and working."""

from __future__ import annotations

import json

import pytest
from flask import url_for

from core.cli import JiguanGroup, listing

#: a service's, a catalog's, a built-in plugin's (assets), Flask's and an extension's commands
EXPECTED = {"report", "db", "init", "demo", "plugins", "load-divisions", "assets", "run", "shell",
            "routes", "fab"}


def _no_app():
    raise AssertionError("the listing was to be read from the instance folder")


def _help(app_factory) -> str:
    from click.testing import CliRunner

    group = JiguanGroup(create_app=app_factory, help="机关事务管理平台命令行")
    result = CliRunner().invoke(group, ["--help"], prog_name="jiguan", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def instance(tmp_path, monkeypatch):
    monkeypatch.setenv("JIGUAN_INSTANCE_PATH", str(tmp_path))
    return tmp_path


def test_help_lists_every_command_then_from_the_kept_listing(app, instance):
    cold = _help(lambda: app)  # builds (here: is given) the app, keeps the listing
    listed = {line.split()[0] for line in cold.split("Commands:")[1].splitlines() if line.strip()}
    assert EXPECTED <= listed
    assert set(app.cli.list_commands(None)) <= listed  # every plugin's and service's command
    kept = json.loads((instance / listing.FILE_NAME).read_text(encoding="utf-8"))
    assert {item["name"] for item in kept["commands"]} == listed
    assert _help(_no_app) == cold  # the same page without building an app


def test_a_changed_source_or_setting_makes_the_listing_be_rebuilt(app, instance, monkeypatch):
    _help(lambda: app)
    assert listing.read() is not None
    path = instance / listing.FILE_NAME
    kept = json.loads(path.read_text(encoding="utf-8"))
    source = next(f for f in kept["files"] if f.endswith("reports/commands.py"))
    kept["files"][source] -= 1  # as if reports/commands.py had been edited since
    path.write_text(json.dumps(kept), encoding="utf-8")
    assert listing.read() is None
    _help(lambda: app)
    assert listing.read() is not None
    monkeypatch.setenv("JIGUAN_DISABLED_PLUGINS", '["housing"]')  # another set of plugins
    assert listing.read() is None
    path.write_text("{not json", encoding="utf-8")
    monkeypatch.delenv("JIGUAN_DISABLED_PLUGINS")
    assert listing.read() is None  # a damaged file is rebuilt, never misread


def test_a_plugin_command_still_runs_through_the_group(app, instance, tmp_path):
    from click.testing import CliRunner

    _help(lambda: app)
    group = JiguanGroup(create_app=lambda: app)
    out = tmp_path / "directory.pdf"
    result = CliRunner().invoke(group, ["report", "render", "organization_directory", "--as",
                                        "xj_bureau", "-o", str(out)], prog_name="jiguan")
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    listed = CliRunner().invoke(group, ["assets", "--help"], prog_name="jiguan")
    assert listed.exit_code == 0 and "check-proceeds" in listed.output


def test_url_builders_are_compiled_on_first_use(app):
    from werkzeug.routing import Rule

    from core.web.lazy_rules import LazyBuilderRule

    # the views' and APIs' ~1,800 rules; a static folder's one rule may be added before them (a
    # plugin's own, registered by its init_app hook: the assets module's /static/assets)
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static"]
    views = [r for r in rules if not r.rule.startswith("/static/")]
    assert len(views) > 1000 and all(isinstance(r, LazyBuilderRule) for r in views)
    with app.test_request_context():
        for rule in rules[:200]:  # every kind of rule: with and without arguments
            values = {name: 1 for name in rule.arguments}
            plain = Rule(rule.rule, endpoint=rule.endpoint, defaults=rule.defaults)
            plain.bind(app.url_map)
            assert rule.build(values) == plain.build(values), rule.rule
        assert url_for("static", filename="x.js") == "/static/jiguan/x.js"


def test_api_schemas_are_built_on_first_use(app, api_client):
    from core.fab.lazy_schemas import SCHEMAS, DeferredSchemasMixin

    api = next(v for v in app.appbuilder.baseviews
               if isinstance(v, DeferredSchemasMixin) and v.resource_name == "person")
    response = api_client("xj_bureau").get("/api/v1/person/?q=(page_size:2)")
    assert response.status_code == 200 and len(response.get_json()["result"]) == 2
    assert all(name in api.__dict__ for name in SCHEMAS)
    # after_init_model_schemas ran on them: every nullable column accepts null
    columns = api.datamodel.obj.__table__.c
    nullable = [n for n in api.edit_model_schema.fields if n in columns and columns[n].nullable]
    assert all(api.edit_model_schema.fields[n].allow_none for n in nullable)


@pytest.fixture
def viewless(request, app, jiguan_config):
    """The ``app`` fixture's app built again on its database without screens and APIs."""
    from core.extensions import db
    from core.testing.pytest_plugin import plugin_config
    from core.testing.support import make_app

    other = make_app(app.config["SQLALCHEMY_DATABASE_URI"],
                     **{**plugin_config(request.config), **jiguan_config, "WEB_VIEWS": False})
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def test_an_app_without_views_knows_what_a_full_app_knows_of_them(app, viewless):
    from core.state import get_state

    assert len(viewless.url_map._rules) < len(app.url_map._rules) / 10  # no screen, no API
    added = {type(v) for v in viewless.appbuilder.baseviews}
    assert len(added) <= 5 and not any(getattr(v, "datamodel", None) for v in viewless.appbuilder.baseviews)
    with app.app_context():
        full = get_state()
    with viewless.app_context():
        bare = get_state()
    assert bare.module_of_name == full.module_of_name
    assert bare.entity_endpoints == full.entity_endpoints
    assert dict(bare.category_modules) == dict(full.category_modules)
    assert bare.entity_labels.keys() == full.entity_labels.keys()
    assert viewless.config["FAB_ROLES"] == app.config["FAB_ROLES"]  # every role, every permission


def _normalised(html: str) -> str:
    import re

    return re.sub(r"\d{1,2}:\d{2}", "HH:MM", html)  # the generation time, to the minute


def test_every_report_renders_the_same_without_views_for_every_kind_of_user(app, viewless):
    from core.extensions import db
    from core.scoping import acting_as_username
    from core.state import get_state
    from reports.engine import ReportError, render_html, reports_for

    def renders(one, username):
        out = {}
        with one.app_context():
            with acting_as_username(username) as scope:
                offered = [r.key for r in reports_for(scope)]
                for report in get_state().reports:
                    try:
                        out[report.key] = _normalised(render_html(report.key, {}, scope))
                    except ReportError as exc:  # a required parameter, or not for this user
                        out[report.key] = (exc.status, exc.message)
                        db.session.rollback()
            db.session.remove()
        return offered, out

    for username in ("xj_bureau", "kashgar_clerk", "kashgar_fin_reviewer", None):
        full = renders(app, username)
        assert renders(viewless, username) == full, username
        assert full[0] and any(isinstance(v, str) for v in full[1].values())


def test_report_commands_build_an_app_without_views_and_others_a_full_one(app, tmp_path, monkeypatch):
    import sys

    from click.testing import CliRunner

    import core.cli as cli
    from core.testing.support import make_app

    monkeypatch.setenv("JIGUAN_INSTANCE_PATH", str(tmp_path))
    built = []

    def create_app(config):
        built.append(config)
        return make_app(app.config["SQLALCHEMY_DATABASE_URI"],
                        **{k: v for k, v in config.items() if k != "GENERATE_SECRET_KEY"})

    monkeypatch.setattr(cli, "create_app", create_app)
    frozen = []  # the command line's app is frozen out of the cycle collector's passes
    monkeypatch.setattr(cli.gc, "freeze",  # not this session's; by whom, after how many apps
                        lambda: frozen.append((sys._getframe(1).f_code.co_name, len(built))))
    out = tmp_path / "directory.pdf"
    group = cli.JiguanGroup(create_app=cli._make_app)
    result = CliRunner().invoke(group, ["report", "render", "organization_directory", "--as",
                                        "kashgar_clerk", "-o", str(out)], prog_name="jiguan")
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    assert built[-1].get("WEB_VIEWS") is False and ("_frozen", 1) in frozen
    result = CliRunner().invoke(group, ["report", "render", "organization_directory", "--as",
                                        "nobody_at_all", "-o", str(out)], prog_name="jiguan")
    assert result.exit_code != 0 and "找不到用户 nobody_at_all" in result.output
    result = CliRunner().invoke(group, ["assets", "--help"], prog_name="jiguan")
    assert result.exit_code == 0 and "check-proceeds" in result.output
    assert "WEB_VIEWS" not in built[-1]


def test_model_schema_fields_are_made_on_first_use_and_as_before(monkeypatch):
    from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

    from core.fab import lazy_fields
    from core.tenancy import Organization

    assert lazy_fields.installed()

    class OrganizationSchema(SQLAlchemyAutoSchema):
        class Meta:
            model = Organization
            include_fk = True
            exclude = ("version",)

    assert isinstance(OrganizationSchema.__dict__["_declared_fields"], lazy_fields._PendingFields)
    fields = OrganizationSchema().fields  # the first instance makes them
    assert isinstance(OrganizationSchema.__dict__["_declared_fields"], dict)
    assert "name" in fields and "jurisdiction_id" in fields and "version" not in fields

    class WithoutForeignKeys(SQLAlchemyAutoSchema):
        class Meta:
            model = Organization

    class Child(WithoutForeignKeys):  # a subclass reads its parent's fields
        class Meta(WithoutForeignKeys.Meta):
            exclude = ("name",)

    assert "jurisdiction_id" not in WithoutForeignKeys().fields
    assert set(Child().fields) == set(WithoutForeignKeys().fields) - {"name"}
    # the same fields as marshmallow-sqlalchemy makes as the class is created
    monkeypatch.delattr(lazy_fields.SQLAlchemyAutoSchemaMeta, "get_declared_fields")

    class Eager(SQLAlchemyAutoSchema):
        class Meta:
            model = Organization
            include_fk = True
            exclude = ("version",)

    assert isinstance(Eager.__dict__["_declared_fields"], dict)

    def shape(schema):
        return {name: (type(f), f.required, f.allow_none, f.dump_only) for name, f in schema.fields.items()}

    assert shape(Eager()) == shape(OrganizationSchema())


def test_a_lazy_string_answers_for_attributes_as_before_without_translating(app):
    from flask_babel.speaklater import LazyString

    from core.web import lazy_text

    assert LazyString.__getattr__ is lazy_text._getattr
    calls = []

    def text():
        calls.append(1)
        return "模块启用"

    lazy = LazyString(text)

    def answer(getattr_, attr):
        try:
            value = getattr_(lazy, attr)
        except AttributeError:
            return "no"
        return value() if attr in ("upper", "isdigit", "__len__", "__str__") else type(value)

    names = [*dir(str), "_urls", "_permission_name", "_extra", "__setstate__", "__dict__",
             "__name__", "__mro__", "nothing"]
    assert [answer(lazy_text._getattr, n) for n in names] == [answer(lazy_text._original, n) for n in names]
    calls.clear()
    assert not hasattr(lazy, "_urls") and not calls  # answered without translating
    assert lazy.upper() == "模块启用" and calls


def _fresh_python(code: str, instance, **env_extra) -> str:
    """``python -c code`` in a new process of this checkout (no JIGUAN_ setting but its own
    instance folder and ``env_extra``): its standard output; it must exit 0."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("JIGUAN_")}
    env.update(JIGUAN_INSTANCE_PATH=str(instance), **env_extra)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=300, cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_create_app_imports_neither_openpyxl_nor_weasyprint_nor_alembic(tmp_path):
    code = ("import sys\nfrom core.app import create_app\ncreate_app({'GENERATE_SECRET_KEY': True})\n"
            "print(sorted({m.split('.')[0] for m in sys.modules}\n"
            "             & {'openpyxl', 'weasyprint', 'pandas', 'alembic', 'flask_migrate'}))\n")
    assert _fresh_python(code, tmp_path).strip() == "[]"


def test_the_cycle_collector_is_paused_while_the_app_is_built_then_as_it_was(monkeypatch):
    import gc

    import core
    import core.app

    seen = []
    real = core.app._build
    monkeypatch.setattr(core.app, "_build", lambda config: seen.append(gc.isenabled()) or real(config))
    assert gc.isenabled()
    app = core.create_app({"GENERATE_SECRET_KEY": True, "WEB_VIEWS": False,
                           "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.extensions["jiguan"] and seen == [False] and gc.isenabled()
    gc.disable()
    try:
        with pytest.raises(LookupError), core.collector_paused():
            raise LookupError
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()
    with pytest.raises(LookupError), core.collector_paused():
        raise LookupError
    assert gc.isenabled()  # back on after a failure too


def test_the_db_group_is_flask_migrates_extended_imported_when_used(app, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from core.cli.commands import db_group
    from core.cli.db_commands import db_group as real
    from core.config import MIGRATIONS_DIR

    assert app.extensions["migrate"].directory == str(MIGRATIONS_DIR)  # made by the first read:
    assert type(app.extensions["migrate"]).__module__ == "flask_migrate"  # Flask-Migrate's record
    assert app.cli.commands["db"] is db_group  # ours, not Flask-Migrate's bare one
    group = JiguanGroup(create_app=lambda: app)
    monkeypatch.setenv("JIGUAN_INSTANCE_PATH", str(tmp_path))
    result = CliRunner().invoke(group, ["db", "--help"], prog_name="jiguan")
    assert result.exit_code == 0 and "--x-arg" in result.output and "升级数据库" in result.output
    assert db_group.loaded is real and db_group.help == real.help
    assert (db_group.params, db_group.callback, db_group.commands) == (real.params, real.callback,
                                                                       real.commands)


@pytest.fixture
def deferred_and_eager(request, app, jiguan_config, monkeypatch):
    """Two full apps built now on the ``app`` fixture's database: one as every app is (its views
    set up by their first use), one with every view set up as FAB adds it."""
    from core.extensions import db
    from core.testing.pytest_plugin import plugin_config
    from core.testing.support import make_app
    from core.web.lazy_views import DeferringAppBuilder

    def build():
        config = {**plugin_config(request.config), **jiguan_config}
        return make_app(app.config["SQLALCHEMY_DATABASE_URI"], **config)

    deferred = build()
    monkeypatch.setattr(DeferringAppBuilder, "defer_views", False)
    eager = build()
    yield deferred, eager
    for one in (deferred, eager):
        with one.app_context():
            db.session.remove()
            db.engine.dispose()


def _plain(value):
    """What can be compared of a view's attribute across two apps."""
    from flask import Blueprint
    from flask_appbuilder.baseviews import AbstractViewApi
    from flask_babel.speaklater import LazyString

    from core.web.lazy_views import real_class

    if isinstance(value, str | int | float | bool | None):
        return value
    if isinstance(value, LazyString):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(repr(_plain(v)) for v in value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, type):
        return value.__qualname__
    if isinstance(value, Blueprint):
        return ("blueprint", value.name, value.url_prefix)
    if isinstance(value, AbstractViewApi):
        return ("view", real_class(value).__qualname__)
    return type(value).__qualname__  # forms, interfaces, converters: their kind


def _described(one, view) -> dict:
    with one.test_request_context():
        return {name: _plain(value) for name, value in vars(view).items()}


def _menu(one) -> list:
    def walk(items):
        return [(item.name, str(item.label), item.get_url() if item.baseview or item.href else "",
                 walk(item.childs)) for item in items]

    with one.test_request_context():
        return walk(one.appbuilder.menu.get_list())


def test_views_are_set_up_by_their_first_use_exactly_as_fab_sets_them_up(deferred_and_eager):
    from core.web.lazy_views import is_due, real_class

    deferred, eager = deferred_and_eager
    views, models = deferred.appbuilder.baseviews, eager.appbuilder.baseviews
    due = [v for v in views if is_due(v)]
    assert len(due) > 150 and not any(is_due(v) for v in models)
    # FAB's own too: the home page, the user, role and group screens, the security and menu APIs
    assert {"HomeView", "UtilView", "JiguanUserDBModelView", "JiguanRoleModelView",
            "JiguanGroupModelView", "SecurityApi", "MenuApi"} <= {real_class(v).__name__ for v in due}
    # the same classes (an entity type's API class is made anew by each app, same name)
    assert [real_class(v).__qualname__ for v in views] == [type(v).__qualname__ for v in models]

    def rules(one):
        return sorted((r.rule, r.endpoint, tuple(sorted(r.methods))) for r in one.url_map.iter_rules())

    assert rules(deferred) == rules(eager)
    assert _menu(deferred) == _menu(eager)  # every entry, label and link
    assert all(is_due(v) for v in due)  # neither the rules nor the menu set a view up
    for view, model in zip(views, models, strict=True):
        assert view.base_permissions == model.base_permissions  # the first read sets it up
        assert _described(deferred, view) == _described(eager, model), type(model).__name__
        assert type(view) is real_class(view) and not is_due(view)
    related = [v for v in views if getattr(v, "_related_views", None)]
    assert related  # e.g. a budget's lines, found as FAB finds them
    # FAB names the role screen's related view by the class of the user screen it had added
    roles = next(v for v in views if real_class(v).__name__ == "JiguanRoleModelView")
    assert roles._related_views == [deferred.appbuilder.sm.user_view]
    # the permission FAB's role sync would give each view: the same as the roles were built from
    assert deferred.config["FAB_ROLES"] == eager.config["FAB_ROLES"]


def test_a_deferred_view_asked_by_threads_together_is_set_up_once(deferred_and_eager, monkeypatch):
    import threading
    import time

    from flask_appbuilder import ModelView

    from core.web.lazy_views import is_due, real_class

    deferred, eager = deferred_and_eager
    view = next(v for v in deferred.appbuilder.baseviews if is_due(v) and isinstance(v, ModelView))
    cls = real_class(view)
    model = next(v for v in eager.appbuilder.baseviews if type(v) is cls)
    calls, original = [], cls.__init__

    def slow_init(self, *args, **kwargs):
        calls.append(threading.get_ident())
        time.sleep(0.05)  # long enough for every other thread to ask meanwhile
        original(self, *args, **kwargs)

    monkeypatch.setattr(cls, "__init__", slow_init)
    start, seen = threading.Barrier(6), []

    def ask():
        start.wait()
        seen.append(list(view.base_permissions))

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and type(view) is cls
    assert seen == [model.base_permissions] * 6


def test_what_is_set_as_a_view_is_added_reads_the_same_while_another_thread_sets_it_up(
        deferred_and_eager, monkeypatch):
    """The endpoint (the menu's links) read by one request while another's first use runs the
    view's __init__ waits for it, instead of finding the instance bare (an AttributeError, a 500)."""
    import threading
    import time

    from flask_appbuilder import ModelView

    from core.web.lazy_views import is_due, real_class

    deferred, eager = deferred_and_eager
    view = next(v for v in deferred.appbuilder.baseviews if is_due(v) and isinstance(v, ModelView))
    cls = real_class(view)
    model = next(v for v in eager.appbuilder.baseviews if type(v) is cls)
    inside, original = threading.Event(), cls.__init__

    def slow_init(self, *args, **kwargs):
        inside.set()
        time.sleep(0.2)
        original(self, *args, **kwargs)

    monkeypatch.setattr(cls, "__init__", slow_init)
    first_use = threading.Thread(target=lambda: view.base_permissions)
    first_use.start()
    assert inside.wait(5)
    assert (view.endpoint, view.blueprint.name) == (model.endpoint, model.blueprint.name)
    first_use.join()
    assert type(view) is cls


def test_the_collector_resumes_with_the_blocks_objects_in_its_oldest_generation():
    import gc

    import core

    with core.collector_paused():
        made = [[] for _ in range(1000)]
    assert gc.isenabled()
    young = {id(o) for o in gc.get_objects(generation=0)}
    assert not any(id(o) in young for o in made)  # no young pass will walk them
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with core.collector_paused():
            [[] for _ in range(1000)]
        assert gc.get_freeze_count() == frozen  # what someone froze stays frozen
    finally:
        gc.unfreeze()


def test_the_wsgi_app_is_frozen_out_of_the_collectors_passes(tmp_path):
    code = ("import gc\nimport core.wsgi\nassert core.wsgi.app.extensions['jiguan']\n"
            "print(gc.get_freeze_count())\n")
    assert int(_fresh_python(code, tmp_path, JIGUAN_SECRET_KEY="k" * 40).strip()) > 100_000


def test_a_view_with_rate_limits_is_set_up_as_it_is_added():
    from flask_appbuilder import BaseView, expose
    from flask_appbuilder.security.decorators import limit

    from core.web.lazy_views import DeferringAppBuilder, is_due, real_class

    class Limited(BaseView):  # FAB registers its limits with Flask-Limiter as it adds it
        @expose("/x")
        @limit("1 per second")
        def x(self):
            return "x"

    class Plain(BaseView):
        @expose("/y")
        def y(self):
            return "y"

    builder = DeferringAppBuilder.__new__(DeferringAppBuilder)
    builder._defer = True
    limited, plain = builder._check_and_init(Limited), builder._check_and_init(Plain)
    assert type(limited) is Limited and not is_due(limited) and limited.limits
    assert is_due(plain) and real_class(plain) is Plain


def test_a_view_is_read_without_a_watch_while_fab_adds_it_then_watched(monkeypatch):
    """FAB reads every attribute of a view as it adds it (~140,000 reads a start): through no
    Python ``__getattribute__`` then; once added, the first late read sets the view up."""
    from flask_appbuilder import BaseView, expose

    from core.web.lazy_views import DeferringAppBuilder, is_due, real_class, release

    class Plain(BaseView):
        @expose("/y")
        def y(self):
            return "y"

    made = []
    original = Plain.__init__
    monkeypatch.setattr(Plain, "__init__", lambda self: made.append(self) or original(self))
    builder = DeferringAppBuilder.__new__(DeferringAppBuilder)
    builder._defer = True
    view = builder._check_and_init(Plain)
    assert type(view) is Plain and type(view).__getattribute__ is object.__getattribute__
    assert view.y and view.base_permissions is None and not made  # read as FAB adds it: not set up
    release(view)
    assert is_due(view) and type(view) is not Plain and real_class(view) is Plain  # watching
    assert view.base_permissions == [] and made == [view]  # the first late read set it up (None before)
    assert type(view) is Plain and not is_due(view)


class _Recorder:
    """A blueprint's ``add_url_rule`` as ``_register_urls`` calls it, written down."""

    url_prefix = "/recorded"

    def __init__(self):
        self.rules = []

    def add_url_rule(self, url, endpoint, handler, methods=None):
        self.rules.append((url, endpoint, tuple(methods or ()), handler.__qualname__))


def _routes_both_ways(view) -> tuple[list, list]:
    from flask_appbuilder.api import BaseApi

    from core.fab.adapter import _FAB_ROUTE_SCAN, _register_urls

    original = _FAB_ROUTE_SCAN["BaseApi._register_urls" if isinstance(view, BaseApi)
                               else "BaseView._register_urls"]
    found, state = [], view.__dict__
    kept = state.get("blueprint", found)
    for scan in (original, _register_urls):
        state["blueprint"] = recorder = _Recorder()
        scan(view)
        found.append(recorder.rules)
    if kept is found:
        del state["blueprint"]
    else:
        state["blueprint"] = kept  # the session's app serves on
    return found[0], found[1]


def test_routes_and_hooks_are_found_as_fabs_scan_of_every_attribute_finds_them(app):
    """``patch_route_scan``: every view's and API's routes, hooks and wrapped handlers are those
    FAB's reading of every attribute finds, as FAB adds it (``__init__`` not run) and set up."""
    from flask_appbuilder import BaseView, expose
    from flask_appbuilder.hooks import before_request

    from core.fab.adapter import _FAB_ROUTE_SCAN, _before_request_hooks
    from core.web.lazy_views import real_class

    fab_hooks = _FAB_ROUTE_SCAN["hooks.get_before_request_hooks"]
    with app.test_request_context():
        for view in app.appbuilder.baseviews:
            bare = object.__new__(real_class(view))  # as FAB adds it
            for one in (bare, view):
                assert _before_request_hooks(one) == fab_hooks(one), type(one).__name__
                fab, ours = _routes_both_ways(one)
                assert ours == fab and fab, type(one).__name__

    def guard(self):
        return None

    class Odd(BaseView):  # a route read through a descriptor, hooks on the instance and class
        y = property(lambda self: self.z)
        check = before_request(guard)

        @expose("/z")
        def z(self):
            return "z"

    odd = Odd()
    odd.__dict__["extra"] = before_request(lambda: None)
    assert _before_request_hooks(odd) == fab_hooks(odd) and len(fab_hooks(odd)) == 2
    assert _routes_both_ways(odd)[0] == _routes_both_ways(odd)[1]
    assert [r[1] for r in _routes_both_ways(odd)[1]] == ["y", "z"]


def test_a_mapped_attributes_dispatcher_is_read_from_its_slot_before_the_first_configuration(
        app, tmp_path):
    """core/fab/slots_dispatch.py: installed before ``create_app`` configures the first mapper;
    the dispatcher is the one SQLAlchemy's ``__get__`` gives, made once and kept in the slot."""
    from flask_appbuilder import Model
    from sqlalchemy import event
    from sqlalchemy.event import base
    from sqlalchemy.orm.attributes import QueryableAttribute

    from core.fab.slots_dispatch import ORIGINAL

    code = """import importlib
from sqlalchemy.event import base
mapper = importlib.import_module('sqlalchemy.orm.mapper')
first, configure = [], mapper._configure_registries
def spy(*args, **kwargs):
    first.append(first or base.slots_dispatcher.__get__.__module__)
    return configure(*args, **kwargs)
mapper._configure_registries = spy
from core import create_app
create_app({'GENERATE_SECRET_KEY': True})
print(first[0])
"""
    assert _fresh_python(code, tmp_path).strip() == "core.fab.slots_dispatch"
    assert base.slots_dispatcher.__get__ is not ORIGINAL
    descriptor, read = QueryableAttribute.__dict__["dispatch"], 0
    for mapper in Model.registry.mappers:  # the same object SQLAlchemy's own reads give
        for attr in mapper.class_manager.values():
            assert attr.dispatch is ORIGINAL(descriptor, attr, type(attr)) is attr._slots_dispatch
            read += 1
    assert read > 1000

    class Target:
        __slots__ = ("_slots_dispatch", "__weakref__")

    class TargetEvents(event.Events):
        _dispatch_target = Target

        def touched(self, target):
            """A test event."""

    made, seen = Target(), []
    assert not hasattr(made, "_slots_dispatch")  # the slot empty until the first read
    event.listen(made, "touched", seen.append)
    assert made.dispatch is made._slots_dispatch is made.dispatch  # made once, kept
    made.dispatch.touched(made)
    assert seen == [made]
    other = Target()
    assert type(ORIGINAL(Target.__dict__["dispatch"], other, Target)) is type(made.dispatch)


def test_every_schema_class_has_the_hooks_marshmallows_look_up_gives(app):
    """core/fab/schema_hooks.py: the same hooks, in the same order, as ``resolve_hooks`` reading
    every name of ``dir(cls)`` finds, for every schema class of the app and for shadowed ones."""
    from marshmallow import Schema, fields, post_dump, pre_load, validates_schema
    from marshmallow.schema import SchemaMeta

    from core.fab.schema_hooks import ORIGINAL, resolve_hooks

    assert SchemaMeta.resolve_hooks is resolve_hooks  # installed as core.fab loads

    class Base(Schema):
        name = fields.String()

        @pre_load
        def trim(self, data, **kwargs):
            return data

        @post_dump(pass_many=True)
        def wrap(self, data, many, **kwargs):
            return data

    class Mixin:
        @validates_schema
        def check(self, data, **kwargs):
            pass

    class Shadowing(Mixin, Base):
        wrap = None  # no longer a hook here

        @pre_load
        def another(self, data, **kwargs):
            return data

    found, stack = {Base, Shadowing}, [Schema]
    while stack:  # every schema class made so far (the modules', FAB's, marshmallow's)
        for sub in stack.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                stack.append(sub)
    hooked = 0
    for cls in found:  # (a used schema's ``_hooks``, a defaultdict, gained empty lists)
        assert resolve_hooks(cls) == ORIGINAL(cls), cls.__qualname__
        assert {k: v for k, v in cls._hooks.items() if v} == ORIGINAL(cls), cls.__qualname__
        hooked += bool(ORIGINAL(cls))
    assert hooked > 50
    hooks = {tag: [entry[0] for entry in found] for tag, found in Shadowing._hooks.items() if found}
    assert hooks == {"pre_load": ["another", "trim"], "validates_schema": ["check"]}  # dir's order
    assert [entry[:2] for entry in Base._hooks["post_dump"]] == [("wrap", True)]


def test_fabs_own_rest_apis_are_set_up_and_build_their_schemas_by_first_use(deferred_and_eager, app,
                                                                           api_client):
    """FAB's model APIs build their schemas from what ``__init__`` works out as they are added; the
    security manager's (users, roles, groups, permissions …) are subclasses of the same name that
    build them by first use as jiguan's do (``schemas_by_first_use``), and so are set up by it."""
    from flask_appbuilder import ModelRestApi
    from flask_appbuilder.security.sqla.apis import GroupApi, RoleApi

    from core.fab.lazy_schemas import SCHEMAS, DeferredSchemasMixin
    from core.web.lazy_views import _deferrable, is_due
    from core.web.openapi import OpenApiDocument
    from core.web.user_api import JiguanUserApi, JiguanUserPostSchema
    from core.web.views import ScopedModelRestApi

    assert not any(map(_deferrable, (GroupApi, RoleApi, JiguanUserApi)))
    assert _deferrable(ScopedModelRestApi) and _deferrable(OpenApiDocument)
    fresh = deferred_and_eager[0]
    fabs = [v for v in fresh.appbuilder.baseviews if type(v).__module__.startswith("flask_appbuilder")
            and isinstance(v, ModelRestApi) or isinstance(v, JiguanUserApi)]
    assert {type(v).__name__ for v in fabs} == {"PermissionApi", "RoleApi", "JiguanUserApi",
                                                "ViewMenuApi", "PermissionViewMenuApi", "GroupApi"}
    assert all(isinstance(v, DeferredSchemasMixin) for v in fabs)
    assert all(is_due(v) for v in fabs)  # not set up by the start
    users = next(v for v in fabs if isinstance(v, JiguanUserApi))
    assert isinstance(users.add_model_schema, JiguanUserPostSchema)  # the class's own, kept
    roles = next(v for v in app.appbuilder.baseviews if isinstance(v, RoleApi))
    response = api_client("admin").get("/api/v1/security/roles/?q=(page_size:100)")
    assert response.status_code == 200 and response.get_json()["count"] > 3
    assert not is_due(roles) and all(name in roles.__dict__ for name in SCHEMAS)
    with fresh.test_request_context():
        for view in fabs:  # the schemas FAB's own class builds as it is added
            fab_class = next(c for c in type(view).__mro__[1:] if not issubclass(c, DeferredSchemasMixin))
            plain = fab_class()
            plain._init_model_schemas()
            for name in SCHEMAS:
                ours, theirs = getattr(view, name), getattr(plain, name)
                assert type(ours).__name__ == type(theirs).__name__, (fab_class.__name__, name)
                assert list(ours.fields) == list(theirs.fields), (fab_class.__name__, name)


#: A module each deferred package or module imports as it is executed, and nothing at start does
UNEXECUTED = ("sqlalchemy_utils.functions", "jsonschema.validators", "referencing", "yaml.loader",
              "PIL.TiffTags", "segno", "dateutil.parser._parser")


def test_create_app_leaves_the_deferred_modules_unexecuted_and_they_work_after_it(tmp_path):
    """``core.create_app`` defers what FAB imports and no start uses (core/lazy_imports.py)."""
    code = f"""import sys
from core import create_app
app = create_app({{'GENERATE_SECRET_KEY': True}})
print(sorted(n for n in {UNEXECUTED!r} if n in sys.modules))
import sqlalchemy_utils
from sqlalchemy_utils import database_exists
from sqlalchemy_utils.types.uuid import UUIDType
assert sqlalchemy_utils.UUIDType is UUIDType and callable(database_exists)
import yaml
from apispec import yaml_utils
assert yaml_utils.load_yaml_from_docstring('x\\n---\\nget:\\n  summary: s') == {{'get': {{'summary': 's'}}}}
assert yaml.safe_load('a: [1]') == {{'a': [1]}}
import PIL
from PIL import Image, ImageOps
assert PIL.Image is Image is sys.modules['PIL.Image'] and 'autocontrast' in dir(ImageOps)
assert Image.new('RGB', (2, 3)).size == (2, 3)
from flask_appbuilder.models.sqla import filters
import dateutil.parser
assert filters.parser is dateutil.parser and filters.parser.parse('2026-12-07').day == 7
from flask_appbuilder import api
try:
    schema = {{'type': 'object', 'properties': {{'page': {{'type': 'integer'}}}}}}
    api.jsonschema.validate({{'page': 'x'}}, schema)
except api.jsonschema.ValidationError as error:
    print(str(error).splitlines()[0])
"""
    assert _fresh_python(code, tmp_path).splitlines() == ["[]", "'x' is not of type 'integer'"]


def test_the_command_line_defers_them_before_flask_loads_fabs_command_group(tmp_path):
    """Flask imports the ``flask.commands`` entry points (FAB's ``fab``: all of FAB) before the app."""
    code = ("import atexit, sys\nfrom core.cli import main\n"
            f"atexit.register(lambda: print(sorted(n for n in {UNEXECUTED!r} if n in sys.modules)))\n"
            "sys.argv = ['jiguan', 'report', 'list']\nmain()\n")
    assert _fresh_python(code, tmp_path).splitlines()[-1] == "[]"


def test_a_malformed_q_still_gets_fabs_message(rest):
    """jsonschema, deferred, validates a REST list's ``q`` as before (FAB's 400 and message)."""
    response = rest("tianshan_clerk", "jwt").get("/api/v1/asset/?q=(order_direction:sideways)")
    assert response.status_code == 400
    assert response.get_json()["message"].endswith(  # after jiguan's 请求参数无效：
        "Not a valid rison schema 'sideways' is not one of ['asc', 'desc']")


def test_a_deferred_module_read_by_threads_together_is_executed_once(tmp_path, monkeypatch):
    import sys
    import threading

    from core import lazy_imports

    (tmp_path / "jiguan_lazy_probe.py").write_text(
        "import time\ntime.sleep(0.05)\nvalue = 42\n\n"
        "def __getattr__(name):  # its own, kept\n"
        "    if name == 'dynamic':\n        return 7\n    raise AttributeError(name)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        lazy_imports.defer(["jiguan_lazy_probe", "jiguan_lazy_probe"])  # a name deferred is skipped
        module = sys.modules["jiguan_lazy_probe"]
        import jiguan_lazy_probe  # noqa: F401 (an import neither executes it)

        assert "value" not in vars(module) and module.__file__.endswith("jiguan_lazy_probe.py")
        calls, loader = [], module.__spec__.loader
        original = loader.exec_module
        monkeypatch.setattr(loader, "exec_module", lambda m: (calls.append(1), original(m))[1])
        start, seen = threading.Barrier(6), []

        def read():
            start.wait()
            seen.append(module.value)

        threads = [threading.Thread(target=read) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert calls == [1] and seen == [42] * 6
        assert module.dynamic == 7 and "value" in dir(module)
        with pytest.raises(AttributeError):
            module.missing  # noqa: B018
    finally:
        sys.modules.pop("jiguan_lazy_probe", None)


def test_the_brands_are_compiled_by_their_first_use_and_a_broken_file_still_stops_the_start(tmp_path):
    import re

    from catalog.designation import designations, load_terms

    terms = load_terms()
    assert "brands" not in vars(terms)
    assert designations("联想台式计算机", terms=terms) == [("品牌", "联想")]
    assert "brands" in vars(terms)
    for text, error in (("[brands]\nnames = [1]\n", TypeError),
                        ('[[patterns]]\nlabel = "产地"\nregex = "(("\n', re.error),
                        ("[brands\n", ValueError)):
        (tmp_path / "terms.toml").write_text(text, encoding="utf-8")
        with pytest.raises(error):
            load_terms(str(tmp_path / "terms.toml"))
