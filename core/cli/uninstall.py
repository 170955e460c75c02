"""After a plugin is uninstalled: name it instead of a bare revision, and purge what it left.

Alembic keeps, per branch, the revision a database is at. A plugin's revision that no
installed script knows any more makes every ``jiguan db`` command fail with "Can't locate
revision". The record of ``core_plugin_install`` (core/cli/installs.py) says whose it was, so
the commands can name the plugin and the two ways out: reinstall it, or purge its data.
The audit trail is append-only and keeps every row the plugin's records ever wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from core.cli.installs import parents, script_directory
from core.extensions import db

ALEMBIC_TABLE = "alembic_version"


class MissingPlugin(RuntimeError):
    """The database holds revisions of plugins that are not loaded."""


class PurgeRefused(RuntimeError):
    """A purge that cannot be done (the plugin is still loaded, nothing is recorded …)."""


def applied_revisions() -> set[str]:
    if not sa.inspect(db.engine).has_table(ALEMBIC_TABLE):
        return set()
    with db.engine.connect() as conn:
        return set(conn.execute(sa.text(f"SELECT version_num FROM {ALEMBIC_TABLE}")).scalars())


def _records() -> dict:
    from core.cli.installs import PluginInstall

    if not sa.inspect(db.engine).has_table(PluginInstall.__tablename__):
        return {}
    rows = db.session.execute(sa.select(PluginInstall)).scalars()
    return {row.module_key: row for row in rows}


def _reinstall_hint(record) -> str:
    if record.source == "built-in":
        return f"它是内置模块：将 {record.module_key} 从 DISABLED_PLUGINS 中移除"
    dist, _sep, version = record.source.partition(" ")
    return f"重新安装它（pip install {dist}=={version}）" if version else f"重新安装 {dist}"


def check_installed(app) -> None:
    """Raise :class:`MissingPlugin` naming every plugin whose revision the database holds in vain."""
    from core.plugins import disabled_plugins

    unknown = applied_revisions() - {rev.revision for rev in script_directory().walk_revisions()}
    if not unknown:
        return
    records, disabled = _records(), dict(disabled_plugins(app.config))
    lines = []
    for revision in sorted(unknown):
        record = next((r for r in records.values() if revision in (r.revisions or ())), None)
        if record is None:
            lines.append(f"数据库的迁移版本 {revision} 不属于任何已加载的模块，也没有安装记录"
                         f"（可能来自记录表出现之前卸载的插件）：重新安装提供它的插件，"
                         f"或按 docs/migrations.md 手工处理 alembic_version。")
            continue
        key = record.module_key
        state = "已停用（DISABLED_PLUGINS）" if key in disabled else "未安装"
        lines.append(f"插件 {key}（{record.source}）{state}，但数据库仍处于它的迁移版本 {revision}。"
                     f"出路：{_reinstall_hint(record) if key not in disabled else '重新启用它'}；"
                     f"或者运行 jiguan plugins purge {key} 删除它的数据表和记录"
                     f"（审计日志只增不改，保留不动）。")
    raise MissingPlugin("\n".join(lines))


# --- purge --------------------------------------------------------------------------------


@dataclass
class PurgePlan:
    """What ``jiguan plugins purge KEY`` removes, counted before anything is removed."""

    record: object
    tables: list[tuple[str, int]] = field(default_factory=list)  # existing tables, their rows
    revisions: list[str] = field(default_factory=list)  # its rows in alembic_version
    versions_after: list[str] = field(default_factory=list)  # alembic_version afterwards
    activations: int = 0
    findings: int = 0
    workflow_events: int = 0


def _ancestors(script, revisions, known: set[str]) -> set[str]:
    seen: set[str] = set()
    stack = [r for r in revisions if r in known]
    while stack:
        revision = stack.pop()
        if revision not in seen:
            seen.add(revision)
            stack += [p for p in parents(script, script.get_revision(revision)) if p in known]
    return seen


def versions_without(record, applied: set[str]) -> list[str]:
    """``alembic_version`` once the plugin's revisions are gone, with what they stood for.

    Alembic stores only heads: a core revision the plugin's branch depends on is not a row of
    its own while the plugin's revision implies it. Dropping the plugin's row alone would move
    the core back; its dependencies in effect come back as rows unless another row implies them.
    """
    script = script_directory()
    known = {rev.revision for rev in script.walk_revisions()}
    graph = record.dependencies or {}
    mine = set(record.revisions or ())
    # the other branches' revisions the applied revisions of the plugin stood on
    standing, stack, seen = set(), [r for r in applied if r in mine], set()
    while stack:
        revision = stack.pop()
        if revision in seen:
            continue
        seen.add(revision)
        for parent in graph.get(revision, ()):
            if parent in mine:
                stack.append(parent)
            else:
                standing.add(parent)
    remaining = applied - mine
    rows = remaining | (standing - _ancestors(script, remaining, known))
    # keep only heads: no row an ancestor of another
    return sorted(r for r in rows
                  if not any(r in _ancestors(script, [o], known) - {o} for o in rows if o != r))


def purge_plan(app, key: str) -> PurgePlan:
    from core.models import Finding, ModuleActivation
    from core.workflow.approval import WorkflowEvent

    if key in app.extensions["jiguan"].plugins:
        source = app.extensions["jiguan"].plugins[key].source
        raise PurgeRefused(f"插件 {key}（{source}）仍在加载：先卸载它，或把它加入 DISABLED_PLUGINS，再清除")
    record = _records().get(key)
    if record is None:
        raise PurgeRefused(f"没有插件 {key} 的安装记录（core_plugin_install），无从得知它的数据表和迁移版本")
    inspector = sa.inspect(db.engine)
    plan = PurgePlan(record=record)
    with db.engine.connect() as conn:
        for table in record.tables or ():
            if inspector.has_table(table):
                quoted = conn.dialect.identifier_preparer.quote(table)
                plan.tables.append((table, conn.execute(sa.text(f"SELECT count(*) FROM {quoted}")).scalar()))
    applied = applied_revisions()
    plan.revisions = sorted(applied & set(record.revisions or ()))
    plan.versions_after = versions_without(record, applied)

    def count(model, clause) -> int:
        return db.session.execute(sa.select(sa.func.count()).select_from(model).where(clause)).scalar()

    plan.activations = count(ModuleActivation, ModuleActivation.module_key == key)
    plan.findings = count(Finding, Finding.module == key)
    plan.workflow_events = count(WorkflowEvent, WorkflowEvent.entity.in_(record.entities or ()))
    return plan


def purge(plan: PurgePlan) -> None:
    """Remove the plugin's tables, its alembic_version rows and its rows in the core's tables.

    One transaction, as the system; the deletions of activations and findings are audited
    like any other. ``core_audit_log`` is append-only and is not touched.
    """
    from core.models import Finding, ModuleActivation
    from core.scoping import SYSTEM, acting_as
    from core.workflow.approval import WorkflowEvent

    record, session = plan.record, db.session
    quote = db.engine.dialect.identifier_preparer.quote
    with acting_as(SYSTEM):
        for table, _rows in reversed(plan.tables):
            session.execute(sa.text(f"DROP TABLE {quote(table)}"))
        session.execute(sa.text(f"DELETE FROM {ALEMBIC_TABLE}"))
        for revision in plan.versions_after:
            session.execute(sa.text(f"INSERT INTO {ALEMBIC_TABLE} (version_num) VALUES (:v)"),
                            {"v": revision})
        for model, clause in ((ModuleActivation, ModuleActivation.module_key == record.module_key),
                              (Finding, Finding.module == record.module_key)):
            for row in session.execute(sa.select(model).where(clause)).scalars():
                session.delete(row)
        session.execute(sa.delete(WorkflowEvent).where(WorkflowEvent.entity.in_(record.entities or ())))
        session.delete(record)
        session.commit()
