"""The data a plugin contributes through its hooks.

Hooks return these plain objects; only the core installs them (see
``core.plugins.install``), so a plugin never touches the app directly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

#: The version of the plugin contract: the hooks (``core/hookspecs.py``) and the facade
#: (``core/api.py``). A minor bump adds (a hook, a name, an optional field) and may deprecate;
#: a major bump removes or changes what a plugin relies on (docs/plugins.md, "The contract
#: version"). A plugin states the range it was written for: ``Module(contract=">=1.0,<2")``.
CONTRACT_VERSION = "1.0"

Severity = Literal["block", "flag"]
Action = Literal["create", "update", "delete"]


@dataclass(frozen=True)
class Module:
    """A module's manifest: what it is and which articles of the Measures it serves."""

    key: str
    label: str
    version: str = "0.1.0"
    depends: tuple[str, ...] = ()
    articles: tuple[int, ...] = ()
    description: str = ""
    #: Required modules (the catalog) are active everywhere and cannot be disabled.
    required: bool = False
    #: The contract versions this module works with, a PEP 440 specifier set such as
    #: ``">=1.0,<2"``; a core outside it refuses to start and names the module. Empty: not
    #: declared (accepted, and shown as such by ``jiguan plugins list``).
    contract: str = ""
    #: Whether ``jiguan demo`` enables the module for the whole region. Only the demo reads it:
    #: elsewhere a module with no setting is off until a bureau enables it.
    default_enabled: bool = True


@dataclass(frozen=True)
class ViewSpec:
    """A FAB view to install, with its menu entry.

    ``view`` is the view class (ModelView, BaseView …). ``name`` is the menu
    entry's internal name (also its menu-permission name); ``label`` its shown
    text (a lazy gettext string); ``category`` the menu it sits under. A view
    with ``menu=False`` is installed without a menu entry.
    """

    view: type
    name: str
    label: Any = None
    category: str = ""
    category_label: Any = None
    icon: str = ""
    category_icon: str = ""
    menu: bool = True
    #: The menu bar sorts by position, then by load order: the core's oversight menu comes
    #: first (-1), the modules' (0), then the user's own tasks and the API pages (1).
    position: int = 0


@dataclass(frozen=True)
class Role:
    """A role users can hold (``register_roles``): what it may do, and which rows it sees.

    ``access`` maps each access class of views (``records``, ``reference``, ``oversight``,
    ``audit``, ``everyone``, ``personal`` …; a view's ``access`` attribute names its class) to
    a regular expression of the FAB permissions the role holds on such views
    (``r"^(can_list|can_show)$"``). ``scope`` is the row scope it gives its users:
    ``"jurisdiction"`` (their organisation's jurisdiction and below), ``"organization"``
    (their own organisation) or ``"all"``. Roles are built-in, held in memory, never rows a
    screen could edit.
    """

    name: str
    label: Any
    scope: Literal["all", "jurisdiction", "organization"]
    access: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class JobKind:
    """A kind of background job (``register_job_kinds``, docs/jobs.md).

    ``func(params, progress)`` does the work as the submitting user and returns a
    ``JobResult``; ``label`` is shown in 我的任务; ``validate(params, scope)``, if given, runs
    when the job is submitted and raises (``JobError``/``WriteRefused``) to refuse bad
    parameters before anything is queued.
    """

    name: str
    func: Callable[[dict, Callable[[int], None]], Any]
    label: Any = None
    validate: Callable[[dict, Any], None] | None = None


@dataclass(frozen=True)
class Rule:
    """A rule of the Measures, checked by the core on every write.

    ``check(record, ctx)`` returns a falsy value when the record complies and a
    truthy value when it violates the rule; a ``dict`` result fills the
    placeholders of ``message`` (``%(name)s``). ``severity="block"`` refuses the
    write; ``"flag"`` lets it through and opens a Finding for the bureau.
    """

    key: str
    article: int
    severity: Severity
    model: type | str  # or the key of an entity type of a module this one depends on
    message: Any
    check: Callable[[Any, Any], Any]
    on: tuple[Action, ...] = ("create", "update")


class _Filled:
    """In ``Operation.when``: the field must have a value (a custodian, a certificate …)."""

    def __repr__(self) -> str:
        return "FILLED"


FILLED = _Filled()


@dataclass(frozen=True)
class Operation:
    """A named state change of one entity type (领用, 登记完成, 作废 …): never an editable field.

    The core gives it one service function used by a button on the record's page (a form
    built from ``params``, with ``confirm``), ``POST /api/v1/<entity>/<pk>/<key>`` and
    ``jiguan op <entity> <pk> <key>``. ``run(record, params)`` does the work (the caller
    commits); while it runs, exactly the state fields listed in ``changes`` may change on
    the record. Scope, rules and audit apply as to any write. Raise a
    :class:`~core.errors.WriteRefused` to refuse with a Chinese message.
    """

    key: str
    label: Any
    #: the entity type's key (``EntityType.key``)
    entity: str
    run: Callable[[Any, dict], Any]
    #: the state fields (``StateField.name``) it may change on the record
    changes: tuple[str, ...] = ()
    #: a marshmallow ``Schema`` class for the parameters; field ``metadata`` gives the form's
    #: ``label``, ``description``, ``choices`` (a dict, or ``callable(record)`` returning
    #: ``[(value, label)]``) and ``widget="textarea"``
    params: type | None = None
    #: the FAB permission (without ``can_``) on the entity's screen; on its REST API the same
    #: name, except ``edit`` → ``put``
    permission: str = "edit"
    #: the states it applies to, by state field: ``{"status": ("idle", "in_use"),
    #: "custodian_id": (None,)}`` (``None`` means empty; :data:`FILLED` instead of a tuple means
    #: "has a value"), or ``callable(record) -> bool``; ``None``: any state. A refusal names the
    #: fields of the mapping and their values.
    when: Mapping[str, Any] | Callable[[Any], bool] | None = None
    #: shown above the form's button and asked before it runs
    confirm: Any = ""
    description: Any = ""
    #: the button's look: ``primary`` or ``danger``
    style: str = "primary"
    #: Set by the core: the module that registered it.
    module: str = ""


@dataclass(frozen=True)
class Derivation:
    """What a module derives when a row of ``model`` is written: values, dependent rows.

    ``apply(record, ctx)`` runs first in the write pipeline, before the scope is checked,
    on every write path. It sets derived values on ``record`` and adds dependent rows with
    ``ctx.add(row)`` (a movement record for a card); a row it adds goes through the whole
    pipeline too — its own derivations, scope, rules, guards and audit.
    """

    key: str
    model: type | str  # or the key of an entity type of a module this one depends on
    apply: Callable[[Any, Any], None]
    on: tuple[Action, ...] = ("create", "update")


@dataclass(frozen=True)
class Guard:
    """A check of the whole flush that runs after the rules: the approval workflow's lock.

    ``check(changes, ctx)`` gets the flush's ``[(record, action), …]`` and raises
    :class:`core.errors.WriteRefused` to refuse it; nothing of the flush is written then.
    """

    key: str
    check: Callable[[list, Any], None]


@dataclass(frozen=True)
class StandardKind:
    """A kind of catalog Standard a module reads (quota, cap, per-person area …)."""

    kind: str
    label: Any
    unit: str = ""
    description: str = ""
    articles: tuple[int, ...] = ()
    #: what ``Standard.key`` names (资产分类 …) and, called, its ``[(key, label)]``: a key
    #: outside them is refused on every write path, so a typo cannot switch a cap off
    key_label: Any = ""
    key_choices: Callable[[], Any] | None = None
    value_type: str = "number"  # or "text": a 服务标准's 内容和等级 (Art. 11; docs/plugins.md)
    stricter: str | None = None  # "lower" (caps), "higher" (floors): lower levels no looser; None: free


@dataclass
class DemoContext:
    """What ``load_demo_data`` gets: the session and the demo's catalog by key."""

    session: Any
    jurisdictions: dict[str, Any] = field(default_factory=dict)  # by GB/T 2260 code
    organizations: dict[str, Any] = field(default_factory=dict)  # by short demo key
    people: dict[str, Any] = field(default_factory=dict)
