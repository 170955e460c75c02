"""The data a plugin contributes through its hooks.

Hooks return these plain objects; only the core installs them (see
``core.plugins.install``), so a plugin never touches the app directly.
"""

from __future__ import annotations

from collections.abc import Callable
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
    model: type
    message: Any
    check: Callable[[Any, Any], Any]
    on: tuple[Action, ...] = ("create", "update")


@dataclass(frozen=True)
class StandardKind:
    """A kind of catalog Standard a module reads (quota, cap, per-person area …)."""

    kind: str
    label: Any
    unit: str = ""
    description: str = ""
    articles: tuple[int, ...] = ()


@dataclass
class DemoContext:
    """What ``load_demo_data`` gets: the session and the demo's catalog by key."""

    session: Any
    jurisdictions: dict[str, Any] = field(default_factory=dict)  # by GB/T 2260 code
    organizations: dict[str, Any] = field(default_factory=dict)  # by short demo key
    people: dict[str, Any] = field(default_factory=dict)
