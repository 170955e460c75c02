"""Hook specifications: the contract between the core and every plugin.

Built-in modules use exactly these hooks, like any third-party plugin. Hooks
that contribute *return data*; the core collects it (tagging each result with
the module that returned it) and installs it. A plugin never reaches into the
app itself.

Every hook here is called once per ``create_app`` unless its docstring says
otherwise. None is ``firstresult``: each implementation's result is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import datetime as dt

    import click
    from flask import Flask
    from sqlalchemy.orm import Session

    from core.contract import (
        DemoContext,
        Derivation,
        Guard,
        JobKind,
        Module,
        Operation,
        Role,
        Rule,
        StandardKind,
        ViewSpec,
    )
    from core.registry import EntityType
    from core.state import JiguanState
    from core.tenancy import Jurisdiction
    from reports.registry import Report

hookspec = pluggy.HookspecMarker("jiguan")
#: Marks a plugin's hook implementations; plugins import it from ``core.api``.
hookimpl = pluggy.HookimplMarker("jiguan")


@hookspec
def register_module() -> Module:
    """Return the manifest of the module this plugin provides.

    Every plugin implements this hook exactly once. The key must be unique
    among installed plugins: a duplicate stops ``create_app`` with an error
    naming both plugins. ``depends`` lists module keys that must be installed
    (and, per jurisdiction, active) for this module to be enabled.

    :returns: the module's :class:`core.contract.Module` manifest.

    Called first, while the plugin manager is built; the results of every other
    hook are attributed to the module this hook returned.
    """


@hookspec
def register_entity_types() -> Sequence[EntityType]:
    """Return the entity types this module adds to the data catalog (数据目录).

    One registration drives the REST API (``/api/v1/<key>/``), row scoping,
    audit, the catalog page and the generated authorization tests.

    :returns: a sequence of :class:`core.registry.EntityType`.

    Called once per ``create_app``, after every module is registered.
    """


@hookspec
def register_views() -> Sequence[ViewSpec]:
    """Return the views (with their menu entries) this module shows.

    The core adds them to Flask-AppBuilder and hides or refuses them wherever
    the module is inactive. Views cannot be added after start-up (a FAB limit).

    :returns: a sequence of :class:`core.contract.ViewSpec`.

    Called once per ``create_app``, inside an application context.
    """


@hookspec
def register_rules() -> Sequence[Rule]:
    """Return the rules of the Measures this module enforces.

    The core runs them at flush time on every write path (form, API, import,
    CLI). A ``block`` rule refuses the write with its message; a ``flag`` rule
    opens a Finding (问题清单) for the bureau.

    :returns: a sequence of :class:`core.contract.Rule`.

    Called once per ``create_app``.
    """


@hookspec
def register_derivations() -> Sequence[Derivation]:
    """Return what this module derives when its rows are written.

    A derivation sets derived values on the written record and adds dependent rows
    (``ctx.add(row)``: a card's movement record, a stocktake's count lines). The core runs
    them first in the write pipeline, on every write path, before the scope, the rules,
    the guards and the audit — so what they set and add is checked and audited like the
    rest of the flush (docs/architecture.md, "The write pipeline"). A module never listens
    to SQLAlchemy's session events itself.

    :returns: a sequence of :class:`core.contract.Derivation`.

    Called once per ``create_app``.
    """


@hookspec
def register_write_guards() -> Sequence[Guard]:
    """Return checks of a whole flush that run after the rules (step 5 of the pipeline).

    A guard sees every ``(record, action)`` of the flush and refuses it by raising
    :class:`core.errors.WriteRefused` (the approval workflow's lock on submitted records
    is one). Prefer a :class:`~core.contract.Rule` for a rule of the Measures.

    :returns: a sequence of :class:`core.contract.Guard`.

    Called once per ``create_app``.
    """


@hookspec
def register_operations() -> Sequence[Operation]:
    """Return the named operations that change the state of this module's records.

    A state field of an entity type (``EntityType.state_fields``) changes only through an
    operation (or an approval's effect): the generic forms, the REST API's POST/PUT and the
    XLSX import cannot set it. The core installs each operation once and offers it as a
    button on the record's page, ``POST /api/v1/<entity>/<pk>/<key>`` and ``jiguan op``,
    all calling its one service function. An entity type whose ``delete_policy`` is
    ``"void"`` gets a ``void`` (作废) operation from the core unless the module returns its
    own (``core.api.void_operation``, with the module's extra checks).

    :returns: a sequence of :class:`core.contract.Operation`; keys are unique per entity type.

    Called once per ``create_app``, after the entity types are registered.
    """


@hookspec
def register_standard_kinds() -> Sequence[StandardKind]:
    """Return the kinds of catalog Standard this module reads.

    Standards are data (versioned, per jurisdiction), never literals in code;
    the kinds declared here label them on the Standards screen and let the
    catalog refuse a Standard of an unknown kind.

    :returns: a sequence of :class:`core.contract.StandardKind`.

    Called once per ``create_app``.
    """


@hookspec(firstresult=True)
def find_standard(session: Session, kind: str, key: str, jurisdiction: Jurisdiction,
                  on: dt.date) -> Any | None:
    """Return the Standard of ``kind`` and ``key`` in force at ``jurisdiction`` on ``on``.

    What a rule's ``ctx.standard(kind, key, jurisdiction)`` asks: the catalog answers with
    the standard set by the nearest jurisdiction up the tree whose period covers the day, so
    no rule holds a number. The first answer that is not None is taken (``firstresult``).

    :param session: the session of the write being checked.
    :param kind: the standard's kind, e.g. ``asset_price_cap``.
    :param key: what the kind is keyed by, e.g. an asset class code.
    :param jurisdiction: where the record is.
    :param on: the day the standard must be in force.
    :returns: the standard (its ``value``, ``unit`` …), or None when none is in force.

    Called on every ``ctx.standard`` of a rule or a derivation.
    """


@hookspec
def register_reports() -> Sequence[Report]:
    """Return the PDF reports this module offers.

    Each report is offered in 报表中心 (``/reports/``), ``GET /api/v1/reports/``
    and ``jiguan report list`` only to users of jurisdictions where the module is
    active, and refuses to render (404) elsewhere. Report keys are unique across
    modules: a duplicate stops ``create_app``.

    :returns: a sequence of :class:`reports.registry.Report`.

    Called once per ``create_app``, after every module is registered.
    """


@hookspec
def register_cli_commands() -> Sequence[click.Command]:
    """Return click commands to add under ``jiguan``.

    :returns: a sequence of :class:`click.Command` (groups allowed).

    Called once per ``create_app``; the commands run inside an app context.
    """


@hookspec
def register_roles() -> Sequence[Role]:
    """Return the roles this module or service offers users.

    The built-in roles (系统管理员, 机关事务管理部门管理员, 审批人, 经办人, 审计员, 财政审核人)
    come from the web service through this hook; a module adds one it needs (a vehicle
    dispatcher, say) the same way. Each role says what it may do on views of each access
    class and which rows its users see; the core turns them into FAB's in-memory roles.

    :returns: a sequence of :class:`core.contract.Role`; a name taken twice stops start-up.

    Called once per ``create_app``, before the views are installed.
    """


@hookspec
def register_job_kinds() -> Sequence[JobKind]:
    """Return the kinds of background job this module runs (docs/jobs.md).

    The jobs service registers them in the web process and in every worker, so a job
    submitted on one node runs on any other.

    :returns: a sequence of :class:`core.contract.JobKind`; names are unique.

    Called once per ``create_app`` (each worker builds the app too).
    """


@hookspec
def init_app(app: Flask, state: JiguanState) -> None:
    """Install a service into the app, once the contributions of every plugin are collected.

    For services (the web layer installs Flask-AppBuilder with every view, the jobs service
    its backend, the reports service its registry); a module rarely needs it. Implementations
    may use ``tryfirst``/``trylast`` to order themselves.

    :param app: the Flask app being built.
    :param state: what the plugins contributed (``app.extensions["jiguan"]``).

    Called once per ``create_app``, after every ``register_*`` hook and before the CLI
    commands are added.
    """


@hookspec
def load_demo_data(ctx: DemoContext) -> None:
    """Add this module's demo records to ``ctx.session``.

    :param ctx: the demo context: the session and the demo catalog
        (jurisdictions by GB/T 2260 code, organisations by demo key).

    Called by ``jiguan demo`` after the catalog is loaded, once per module in
    dependency order; the core commits after each module.
    """
