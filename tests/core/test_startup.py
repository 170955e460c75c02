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

    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static"]
    assert rules and all(isinstance(r, LazyBuilderRule) for r in rules)
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
