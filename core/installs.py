"""Which tables belong to which module, and what each plugin installed in the database.

``Model.metadata`` is one per process: it holds the tables of every model ever imported,
including those of plugins another app in the same process loaded (a test app with an
entry-point plugin, say). What belongs to *this* app is the core's tables plus those of its
loaded plugins; migration checks, autogenerate and the install record use that, never the
whole metadata.
"""

from __future__ import annotations

import sys

#: Packages whose tables are the core branch's (the catalog's too: docs/migrations.md).
CORE_PACKAGES = ("core", "catalog", "flask_appbuilder")
CORE = "core"


def plugin_package(plugin) -> str | None:
    """The package a plugin's models live under: ``plugins.land`` for ``plugins.land.plugin``."""
    name = getattr(plugin, "__name__", None) or getattr(plugin, "__module__", None)
    if not isinstance(name, str) or name not in sys.modules:
        return None
    return name if hasattr(sys.modules[name], "__path__") else name.rpartition(".")[0] or name


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _table_modules() -> dict[str, str]:
    """Table name → the module of the model that maps it (or whose relationship uses it)."""
    from flask_appbuilder import Model

    found: dict[str, str] = {}
    for mapper in Model.registry.mappers:
        module = mapper.class_.__module__
        for table in mapper.tables:
            found.setdefault(table.name, module)
        for relation in mapper.relationships:  # association tables (``secondary=``)
            if relation.secondary is not None and hasattr(relation.secondary, "name"):
                found.setdefault(relation.secondary.name, module)
    return found


def table_owners(app) -> dict[str, str | None]:
    """Every table of the metadata → ``"core"``, a loaded module's key, or None (not loaded here)."""
    from flask_appbuilder import Model

    packages = {}
    for key, info in app.extensions["jiguan"].plugins.items():
        package = plugin_package(info.plugin)
        if package and not any(_within(package, core) for core in CORE_PACKAGES):
            packages[package] = key
    modules = _table_modules()
    owners: dict[str, str | None] = {}
    for name in Model.metadata.tables:
        module = modules.get(name)
        if module is None or any(_within(module, core) for core in CORE_PACKAGES):
            owners[name] = CORE  # FAB's association tables map no class of their own
            continue
        matches = [p for p in packages if _within(module, p)]
        owners[name] = packages[max(matches, key=len)] if matches else None
    return owners


def app_tables(app) -> set[str]:
    """The tables of ``app``: the core's and those of the plugins it loaded."""
    return {name for name, owner in table_owners(app).items() if owner is not None}


def module_tables(app, key: str) -> list[str]:
    """The tables of module ``key``, in creation order (referenced tables first)."""
    from flask_appbuilder import Model

    owners = table_owners(app)
    return [t.name for t in Model.metadata.sorted_tables if owners.get(t.name) == key]
