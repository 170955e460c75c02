"""Which tables belong to which module, and what each plugin installed in the database.

``Model.metadata`` is one per process: it holds the tables of every model ever imported,
including those of plugins another app in the same process loaded (a test app with an
entry-point plugin, say). What belongs to *this* app is the core's tables plus those of its
loaded plugins; migration checks, autogenerate and the install record use that, never the
whole metadata.
"""

from __future__ import annotations

import sys

from flask_appbuilder import Model
from sqlalchemy import JSON, Column, DateTime, Integer, String, UniqueConstraint

from core.versioning import utcnow

#: Packages whose tables are the core branch's (the catalog's too: docs/migrations.md).
CORE_PACKAGES = ("core", "catalog", "flask_appbuilder")
CORE = "core"


class PluginInstall(Model):
    """What one plugin installed in this database, recorded at every upgrade (below).

    When the plugin is gone, its revision in ``alembic_version`` names no script any more:
    this row says whose it was, and what ``jiguan plugins purge KEY`` has to remove.
    """

    __tablename__ = "core_plugin_install"
    __table_args__ = (UniqueConstraint("module_key", name="uq_core_plugin_install_module_key"),)

    id = Column(Integer, primary_key=True)
    module_key = Column(String(64), nullable=False)
    version = Column(String(32), nullable=False)
    #: "built-in", or the distribution and its version ("jiguan-notes 0.1.0").
    source = Column(String(255), nullable=False)
    #: The revisions of its Alembic branch, and the other branches' revisions they depend on.
    revisions = Column(JSON, nullable=False, default=list)
    dependencies = Column(JSON, nullable=False, default=list)
    #: Its tables in creation order, and its entity types (keys in findings, workflow events).
    tables = Column(JSON, nullable=False, default=list)
    entities = Column(JSON, nullable=False, default=list)
    installed_at = Column(DateTime, nullable=False, default=utcnow)
    upgraded_at = Column(DateTime, nullable=False, default=utcnow)

    def __repr__(self) -> str:
        return f"{self.module_key} {self.version} ({self.source})"


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


# --- the record: what each plugin installed -------------------------------------------------


def script_directory():
    """Alembic's scripts of the current app: the core branch and every loaded plugin's."""
    from alembic.script import ScriptDirectory

    from core.cli.migrations import migrate
    from core.cli.setup import MIGRATIONS_DIR

    return ScriptDirectory.from_config(migrate.get_config(str(MIGRATIONS_DIR)))


def parents(script, revision) -> list[str]:
    """The revisions ``revision`` comes after: its down revisions and its ``depends_on``."""
    from alembic.util import to_tuple

    found = list(to_tuple(revision.down_revision, default=()))
    found += [script.get_revision(dep).revision for dep in to_tuple(revision.dependencies, default=())]
    return found


def branch_graph(app, script, key: str) -> dict[str, list[str]]:
    """The revisions of module ``key``'s branch (the scripts in its ``migrations/versions``),
    each with its parents."""
    from pathlib import Path

    from core.plugins import plugin_folder

    folder = plugin_folder(app.extensions["jiguan"].plugins[key].plugin)
    if folder is None:
        return {}
    versions = (folder / "migrations" / "versions").resolve()
    return {rev.revision: parents(script, rev) for rev in script.walk_revisions()
            if rev.path and Path(rev.path).resolve().parent == versions}


def record_installs(app) -> None:
    """Write what each loaded plugin installed into ``core_plugin_install`` (after an upgrade)."""
    import sqlalchemy as sa

    from core.cli.installs import PluginInstall
    from core.extensions import db
    from core.versioning import utcnow

    if not sa.inspect(db.engine).has_table(PluginInstall.__tablename__):
        return  # upgraded to a revision before the record existed
    state = app.extensions["jiguan"]
    script = script_directory()
    rows = {row.module_key: row for row in db.session.execute(sa.select(PluginInstall)).scalars()}
    for key, info in state.plugins.items():
        graph = branch_graph(app, script, key)
        values = dict(
            version=info.module.version, source=info.source, revisions=sorted(graph),
            dependencies=graph, tables=module_tables(app, key),
            entities=sorted(e.key for e in state.entities if e.module == key), upgraded_at=utcnow(),
        )
        row = rows.get(key)
        if row is None:
            db.session.add(PluginInstall(module_key=key, **values))
        else:
            for name, value in values.items():
                setattr(row, name, value)
    db.session.commit()
