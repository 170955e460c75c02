"""A mapped attribute's event dispatcher found without a failed attribute look-up.

SQLAlchemy's ``slots_dispatcher.__get__`` (``sqlalchemy.event.base``) asks ``hasattr(obj,
"_slots_dispatch")`` first. On a new mapped attribute (``InstrumentedAttribute``) that slot is
empty, so the read falls to the attribute's ``__getattr__``, which tries its memoized methods,
then its comparator (building the column's annotated clause to ask it), and raises an
``AttributeError`` with a message naming both: once for each of the ~1,350 attributes as the
mappers are configured, ~15 % of that configuration (~0.025 s of every start). Here the slot
itself is read; empty, the dispatcher is made and kept in it as before. The same dispatcher:
no comparator has a ``_slots_dispatch`` (a private name of the event system) to find instead.
"""

from __future__ import annotations

from sqlalchemy.event import base

#: SQLAlchemy's original (pinned in core/fab/adapter.py ``FAB_PRIVATE``)
ORIGINAL = base.slots_dispatcher.__dict__["__get__"]


def _get(self, obj, cls):
    if obj is None:
        return self.dispatch
    try:
        return object.__getattribute__(obj, "_slots_dispatch")  # the slot, no ``__getattr__``
    except AttributeError:
        pass
    disp = self.dispatch._for_instance(obj)
    obj._slots_dispatch = disp
    return disp


def install() -> None:
    """From now on (before any mapper is configured: core/fab/__init__.py)."""
    base.slots_dispatcher.__get__ = _get
