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
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click

    from catalog.registry import EntityType
    from core.contract import (
        DemoContext,
        Derivation,
        Guard,
        Module,
        Operation,
        Rule,
        StandardKind,
        ViewSpec,
    )
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

    :returns: a sequence of :class:`catalog.registry.EntityType`.

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
def load_demo_data(ctx: DemoContext) -> None:
    """Add this module's demo records to ``ctx.session``.

    :param ctx: the demo context: the session and the demo catalog
        (jurisdictions by GB/T 2260 code, organisations by demo key).

    Called by ``jiguan demo`` after the catalog is loaded, once per module in
    dependency order; the core commits after each module.
    """
