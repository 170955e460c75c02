"""How a name of the plugin contract is retired (docs/plugins.md, "The contract version").

A deprecated name keeps working for the rest of its major contract version: reading it
from ``core.api`` returns the replacement and warns once per call site with a
:class:`JiguanDeprecationWarning` naming the replacement, the version that deprecated it
and the version that removes it. The next major contract version removes it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any


class JiguanDeprecationWarning(DeprecationWarning):
    """A name of the plugin contract that the next major contract version removes.

    A ``DeprecationWarning``, so pytest shows it in a plugin's test run; make it an error
    there with ``-W error::core.deprecation.JiguanDeprecationWarning``.
    """


@dataclass(frozen=True)
class Deprecated:
    """An old name of the facade: what replaces it, since when, until when."""

    value: Any
    replacement: str
    since: str
    removed_in: str


def resolve(module: str, table: dict[str, Deprecated], name: str):
    """A module's ``__getattr__`` for its deprecated names: warn, then answer the replacement."""
    entry = table.get(name)
    if entry is None:
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    warnings.warn(
        f"{module}.{name} is deprecated since contract {entry.since} and is removed in "
        f"{entry.removed_in}: use {entry.replacement}",
        JiguanDeprecationWarning, stacklevel=3,
    )
    return entry.value
