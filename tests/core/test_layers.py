"""The thin kernel and its layers (docs/architecture.md, "Layers"): the import contracts hold,
the kernel stays small and FAB-free, and FAB's private methods are overridden in one adapter
whose originals are pinned."""

from __future__ import annotations

import ast
import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _kernel_modules() -> list[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    sources = config["importlinter:contract:kernel"]["source_modules"]
    return [line.strip() for line in sources.splitlines() if line.strip()]


def _kernel_files() -> list[Path]:
    files = [ROOT / (name.replace(".", "/") + ".py") for name in _kernel_modules()]
    return [*files, ROOT / "core" / "__init__.py"]


def test_the_import_contracts_hold():
    linter = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert linter, "import-linter is not installed (pip install -e '.[test]')"
    result = subprocess.run([linter], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "3 kept, 0 broken" in result.stdout


def test_every_kernel_module_is_in_the_contract():
    """A new module in core/ is either the kernel's (and checked) or a service's package."""
    listed = set(_kernel_modules())
    outside = {"core.api", "core.deprecation", "core.wsgi"}  # the facade above everything
    found = {f"core.{p.stem}" for p in (ROOT / "core").glob("*.py") if p.stem != "__init__"}
    assert found - listed - outside == set()


def test_the_kernel_is_thin():
    lines = sum(len(path.read_text(encoding="utf-8").splitlines()) for path in _kernel_files())
    # 2550 until issue 10; then the services' own hookspecs (SERVICE_HOOKSPECS), the per-process
    # copy of the active modules, what an entity type declares for search and attachments, the
    # article style of rule messages and the display day of the pipeline came in; services'
    # hooks and declarations (AttachmentKinds) stay outside; issue 11 added what a standard kind
    # declares (which way is stricter, number or text) and an organisation's own columns (organ
    # level, finance department); their logic lives in the catalog; issue 14 the two built-in
    # plugins' names and what a scope shares below (Scope.shared_up_only, in the read clause);
    # issue 15 the subtree statement kept per jurisdiction (core/scoping.py) and what a bulk write
    # of 500 rows a flush needs of the kernel: a rule's view of its flush's earlier new rows
    # (WriteContext.new_before), the bulk write's memo of reference data (core/pipeline.py), one
    # column's effective value and the columns' scales worked out once (core/events.py); and the
    # factory's pause of the cycle collector while it imports and builds (core/__init__.py), then
    # the stand-ins for third-party modules FAB imports and no start uses (core/lazy_imports.py,
    # 75 lines with the factory's call): they must be in sys.modules before core.app imports
    # FAB, so the kernel's factory installs them, and a kernel module may import no service
    assert lines <= 2900, f"the kernel has grown to {lines} lines: move a service out of it"


#: What the kernel shares with FAB: the declarative base and the SQLAlchemy extension class its
#: security models need (FAB 5: ``get_sqla_class``); nothing of its views.
KERNEL_FAB = {("flask_appbuilder", "Model"), ("flask_appbuilder.utils.legacy", "get_sqla_class")}


def test_the_kernel_takes_only_the_model_base_from_fab():
    """Flask-AppBuilder's view layer is a service's business (core/web, core/fab)."""
    for path in _kernel_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("flask_appbuilder"):
                taken = {(node.module, a.name) for a in node.names}
                assert taken <= KERNEL_FAB, f"{path.name}: from {node.module} import {sorted(taken)}"
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("flask_appbuilder") for a in node.names), path.name


def test_fab_originals_the_adapter_overrides_are_unchanged():
    """An upgraded FAB that changed an overridden private method fails here, naming it."""
    from core.fab.adapter import changed_originals

    assert changed_originals() == [], (
        "Flask-AppBuilder changed what core/fab/adapter.py overrides; review each and record "
        "its new digest in FAB_PRIVATE")


def test_the_pin_notices_a_change(monkeypatch):
    from core.fab import adapter

    monkeypatch.setitem(adapter.FAB_PRIVATE, "ModelView._edit", "0" * 16)
    assert adapter.changed_originals() == ["ModelView._edit"]


def _fab_private_names() -> set[str]:
    from flask_appbuilder import BaseView, IndexView, ModelRestApi, ModelView
    from flask_appbuilder.api import BaseApi
    from flask_appbuilder.api.convert import Model2SchemaConverter
    from flask_appbuilder.baseviews import BaseCRUDView, BaseModelView
    from flask_appbuilder.forms import GeneralModelConverter
    from flask_appbuilder.models.sqla.interface import SQLAInterface
    from flask_appbuilder.security.sqla.manager import SecurityManager

    names = set()
    for cls in (ModelView, ModelRestApi, BaseView, IndexView, BaseModelView, BaseCRUDView, BaseApi,
                SQLAInterface, SecurityManager, GeneralModelConverter, Model2SchemaConverter):
        names |= {n for n in dir(cls) if n.startswith("_") and not n.startswith("__")}
    return names


@pytest.mark.parametrize("package", ["core", "catalog", "plugins", "reports"])
def test_only_the_adapter_overrides_fab_private_methods(package):
    private = _fab_private_names()
    found = []
    for path in (ROOT / package).rglob("*.py"):
        if path == ROOT / "core" / "fab" / "adapter.py" or "template" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                found += [f"{path.relative_to(ROOT)}: {node.name}.{item.name}" for item in node.body
                          if isinstance(item, ast.FunctionDef) and item.name in private]
    assert found == [], "FAB private methods overridden outside core/fab/adapter.py: " + ", ".join(found)
