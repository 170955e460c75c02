"""The contract version, deprecations, and plugins disabled before they are imported."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import types
import warnings

import pytest

from core.contract import CONTRACT_VERSION
from core.plugins import PluginError
from tests.conftest import make_app

BROKEN_DIST = {
    "pyproject.toml": """
        [build-system]
        requires = ["setuptools>=64"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "jiguan-broken"
        version = "0.3.0"

        [project.entry-points."jiguan.plugins"]
        broken = "jiguan_broken.plugin"
        misnamed = "jiguan_broken.misnamed"

        [tool.setuptools]
        packages = ["jiguan_broken"]
    """,
    "jiguan_broken/__init__.py": "",
    # a plugin that cannot even be imported: only disabling it by name keeps the app alive
    "jiguan_broken/plugin.py": "raise ImportError('jiguan_broken needs a library that is not installed')\n",
    "jiguan_broken/misnamed.py": """
        from core.api import Module, hookimpl


        @hookimpl
        def register_module():
            return Module(key="something_else", label="名不副实")
    """,
}


def _plugin(key, contract=""):
    from core.api import Module, hookimpl

    @hookimpl
    def register_module():
        return Module(key=key, label=key, depends=("catalog",), contract=contract)

    return types.SimpleNamespace(register_module=register_module)


def test_the_core_has_a_contract_version():
    from core import api

    assert api.CONTRACT_VERSION == CONTRACT_VERSION == "1.0"


def test_builtins_declare_the_contract(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'x.db'}")
    for key, info in app.extensions["jiguan"].plugins.items():
        assert info.module.contract == ">=1.0,<2", key


def test_a_plugin_for_another_contract_stops_the_app():
    with pytest.raises(PluginError) as refused:
        make_app("sqlite://", EXTRA_PLUGINS=[_plugin("canteen", contract=">=2.0,<3")])
    message = str(refused.value)
    assert "插件 canteen" in message and ">=2.0,<3" in message
    assert f"本核心的契约版本为 {CONTRACT_VERSION}" in message


def test_an_unreadable_contract_range_stops_the_app():
    with pytest.raises(PluginError, match="契约版本范围 'one point oh' 无法解析"):
        make_app("sqlite://", EXTRA_PLUGINS=[_plugin("canteen", contract="one point oh")])


def test_a_plugin_within_the_range_loads():
    app = make_app("sqlite://", EXTRA_PLUGINS=[_plugin("canteen", contract=">=1.0,<2")])
    assert "canteen" in app.extensions["jiguan"].plugins


def test_a_deprecated_name_warns_and_still_answers(monkeypatch):
    from core import api
    from core.deprecation import Deprecated, JiguanDeprecationWarning

    monkeypatch.setitem(api.DEPRECATED, "OldScope", Deprecated(api.Scope, "core.api.Scope", "1.1", "2.0"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert api.OldScope is api.Scope
    assert [w.category for w in caught] == [JiguanDeprecationWarning]
    assert "since contract 1.1" in str(caught[0].message) and "removed in 2.0" in str(caught[0].message)
    assert caught[0].filename == __file__  # it points at the plugin's line, not the facade
    with pytest.raises(AttributeError):
        api.NeverExisted  # noqa: B018


def test_a_disabled_builtin_is_not_imported():
    """In a fresh interpreter: DISABLED_PLUGINS=["assets"] never imports plugins.assets."""
    script = textwrap.dedent("""
        import sys
        from core.testing import make_app
        app = make_app("sqlite://", DISABLED_PLUGINS=["vehicles", "assets"])
        assert "assets" not in app.extensions["jiguan"].plugins
        print(sorted(m for m in sys.modules if m.startswith("plugins.assets")))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


@pytest.fixture(scope="module")
def broken_installed(tmp_path_factory):
    """jiguan-broken installed with pip into a private target, on sys.path for this module."""
    src = tmp_path_factory.mktemp("broken-src")
    for name, text in BROKEN_DIST.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(textwrap.dedent(text), encoding="utf-8")
    target = tmp_path_factory.mktemp("broken-site")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-build-isolation", "--target", str(target), str(src)], check=True)
    sys.path.insert(0, str(target))
    yield target
    sys.path.remove(str(target))
    for name in [m for m in sys.modules if m.startswith("jiguan_broken")]:
        del sys.modules[name]


def test_a_disabled_entry_point_is_not_imported_and_listed_as_disabled(broken_installed, tmp_path):
    with pytest.raises(ImportError, match="needs a library"):
        make_app("sqlite://", LOAD_ENTRYPOINT_PLUGINS=["broken"])
    # named and disabled: skipped by its name, never imported
    app = make_app(f"sqlite:///{tmp_path / 'x.db'}", LOAD_ENTRYPOINT_PLUGINS=["broken"],
                   DISABLED_PLUGINS=["broken", "office_space", "land"])
    assert "jiguan_broken.plugin" not in sys.modules
    output = app.test_cli_runner().invoke(args=["plugins", "list"]).output
    assert "broken\t已停用（DISABLED_PLUGINS，未导入）\tjiguan-broken 0.3.0" in output
    assert "land\t已停用（DISABLED_PLUGINS，未导入）\tbuilt-in" in output
    assert "assets\t资产管理\tv0.2.0\tbuilt-in" in output and "contract: >=1.0,<2" in output


def test_an_entry_point_must_be_named_after_its_module(broken_installed):
    with pytest.raises(PluginError, match="入口点名 'misnamed' 与其模块标识 'something_else' 不一致"):
        make_app("sqlite://", LOAD_ENTRYPOINT_PLUGINS=["misnamed"])


def test_an_entry_point_asked_for_by_name_must_be_installed():
    with pytest.raises(PluginError, match="找不到入口点插件：canteen"):
        make_app("sqlite://", LOAD_ENTRYPOINT_PLUGINS=["canteen"])
