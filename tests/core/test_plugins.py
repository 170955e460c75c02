"""The plugin contract: discovery, manifests, duplicate keys, dependencies, pending hooks."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import pytest
from sqlalchemy import select

from catalog.models import Jurisdiction
from core.activation import set_module
from core.errors import WriteRefused
from core.extensions import db
from core.plugins import PluginError
from core.state import get_state
from tests.conftest import fresh_demo, make_app

HELLO_SRC = Path(__file__).resolve().parent.parent / "fixtures" / "hello_plugin"


@pytest.fixture(scope="module")
def hello_installed(tmp_path_factory):
    """Install the hello distribution with pip (into a private target) and put it on sys.path."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(HELLO_SRC)],
        check=True,
    )
    sys.path.insert(0, str(target))
    yield target
    sys.path.remove(str(target))
    for name in [m for m in sys.modules if m.startswith("jiguan_hello")]:
        del sys.modules[name]


@pytest.fixture(scope="module")
def hello_app(hello_installed, tmp_path_factory):
    # only hello's entry point: other installed plugins stay out of the project's tests
    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('hello') / 'hello.db'}",
                   LOAD_ENTRYPOINT_PLUGINS=["hello"])
    fresh_demo(app)
    return app


def test_entry_point_plugin_is_discovered(hello_app):
    with hello_app.app_context():
        info = get_state().plugins["hello"]
        assert info.source == "jiguan-hello 0.1.0"
        assert info.module.depends == ("land",)
        assert "register_views" in info.hooks and "register_cli_commands" in info.hooks


def test_plugins_list_shows_source_and_hooks(hello_app):
    output = hello_app.test_cli_runner().invoke(args=["plugins", "list"]).output
    assert "hello\t问候（第三方示例）\tv0.1.0\tjiguan-hello 0.1.0" in output
    assert "land\t土地管理\tv0.1.0\tbuilt-in" in output
    assert "hooks: load_demo_data, register_dashboard_items, register_entity_types, register_module" in output


def test_third_party_views_and_commands_are_installed(hello_app):
    from tests.conftest import Browser

    assert hello_app.test_cli_runner().invoke(args=["hello"]).output.strip() == "你好"
    clerk = Browser(hello_app, "tianshan_clerk")
    assert clerk.get("/hello/").get_data(as_text=True) == "你好，机关事务"


def test_dependencies_are_enforced_per_jurisdiction(hello_app):
    with hello_app.app_context():
        region = db.session.execute(select(Jurisdiction).where(Jurisdiction.code == "650000")).scalar_one()
        kashgar = db.session.execute(select(Jurisdiction).where(Jurisdiction.code == "653101")).scalar_one()
        # the demo enabled every module in the region; 喀什市 turns hello and office space, then land, off
        with pytest.raises(WriteRefused, match="被已启用的模块依赖：办公用房、问候"):
            set_module(kashgar, "land", False)
        db.session.rollback()
        set_module(kashgar, "hello", False)
        set_module(kashgar, "office_space", False)
        set_module(kashgar, "land", False)
        with pytest.raises(WriteRefused, match="请先在喀什市启用依赖模块：土地管理"):
            set_module(kashgar, "hello", True)
        db.session.rollback()
        with pytest.raises(WriteRefused, match="被已启用的模块依赖：办公用房、问候"):
            set_module(region, "land", False)
        db.session.rollback()


def _plugin(key, depends=()):
    """A minimal plugin object: a namespace of hook implementations, like a module."""
    from core.api import Module, hookimpl

    @hookimpl
    def register_module():
        return Module(key=key, label=key, depends=depends)

    return types.SimpleNamespace(register_module=register_module)


def test_duplicate_module_key_is_rejected():
    with pytest.raises(PluginError, match="模块标识 'land' 重复"):
        make_app("sqlite://", EXTRA_PLUGINS=[_plugin("land")])


def test_missing_dependency_is_rejected():
    with pytest.raises(PluginError, match="依赖的模块 'canteen' 未安装"):
        make_app("sqlite://", EXTRA_PLUGINS=[_plugin("pool", depends=("canteen",))])


def test_unknown_hook_is_rejected_by_check_pending():
    from pluggy import PluginValidationError

    from core.api import hookimpl

    plugin = _plugin("typo")
    plugin.register_viewz = hookimpl(lambda: [])
    with pytest.raises(PluginValidationError):
        make_app("sqlite://", EXTRA_PLUGINS=[plugin])
