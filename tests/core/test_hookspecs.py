"""Every hookspec is documented like pytest's and exercised by some test."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from core.plugins import hookspec_modules

#: Every hook, the kernel's and each service's (``SERVICE_HOOKSPECS``), by name.
SPEC_FUNCTIONS = {name: f for specs in hookspec_modules() for name, f in vars(specs).items()
                  if callable(f) and hasattr(f, "jiguan_spec")}
SPECS = list(SPEC_FUNCTIONS)
TESTS = Path(__file__).resolve().parent.parent


def test_there_are_hookspecs():
    assert {"register_module", "register_entity_types", "register_views", "register_rules",
            "load_demo_data"} <= set(SPECS)


@pytest.mark.parametrize("name", SPECS)
def test_hookspec_is_documented(name):
    spec = SPEC_FUNCTIONS[name]
    doc = inspect.getdoc(spec) or ""
    summary = doc.splitlines()[0] if doc else ""
    assert summary and summary[0].isupper() and summary.endswith("."), f"{name}: one-line summary"
    assert re.match(r"^(Return|Add|Check|Register|Build|Load|Install)\b", summary), f"{name}: imperative mood"
    assert "Called" in doc, f"{name}: say when it is called"
    assert ":returns:" in doc or ":param" in doc, f"{name}: document params/returns"
    signature = inspect.signature(spec)
    assert signature.return_annotation is not inspect.Signature.empty, f"{name}: typed return"
    for param in signature.parameters.values():
        assert param.annotation is not inspect.Parameter.empty, f"{name}: typed {param.name}"
        assert f":param {param.name}:" in doc, f"{name}: document {param.name}"


@pytest.mark.parametrize("name", SPECS)
def test_hookspec_is_implemented_by_a_plugin_and_exercised(name):
    from core.plugins import DEFAULT_PLUGINS, SERVICE_PLUGINS

    sources = [Path(__import__(p, fromlist=["x"]).__file__).read_text(encoding="utf-8")
               for p in (*SERVICE_PLUGINS, *DEFAULT_PLUGINS.values())]
    fixture = TESTS / "fixtures" / "hello_plugin" / "jiguan_hello" / "plugin.py"
    sources.append(fixture.read_text(encoding="utf-8"))
    assert any(f"def {name}(" in s for s in sources), f"no plugin implements {name}"
    exercised = {p for p in TESTS.rglob("test_*.py")
                 if p.name != "test_hookspecs.py" and name in p.read_text(encoding="utf-8")}
    # tests exercise a hook through what it contributes; these name the contribution
    contributes = {
        "register_module": "plugins list", "register_entity_types": "entities",
        "register_views": "/landparcelview/", "register_rules": "第二十一条",
        "register_standard_kinds": "standard_kind_known", "register_cli_commands": '["hello"]',
        "load_demo_data": "build_demo",
        "register_reports": "/api/v1/reports/",
        "register_derivations": "a_derived_row", "register_write_guards": "a_guard_refuses",
    }
    marker = contributes.get(name, name)
    exercised |= {p for p in TESTS.rglob("*.py") if p.name != "test_hookspecs.py"
                  and p.name.startswith(("test_", "conftest")) and marker in p.read_text(encoding="utf-8")}
    assert exercised, f"no test exercises {name} (looked for {marker!r})"
