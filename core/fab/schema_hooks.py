"""A marshmallow schema class's hooks found from its classes' own names, not from all of ``dir``.

marshmallow's ``SchemaMeta.resolve_hooks`` runs as each schema class is created: for every name
of ``dir(cls)`` (~150) it finds the class of the MRO that declares it and tries that value's
``__marshmallow_hook__``, an ``AttributeError`` for nearly all: ~0.016 s for the ~185 schema
classes a start makes. Here each class of the MRO is looked at once for the values carrying the
mark (the decorators' ``@pre_load``, ``@validates_schema`` …), and a class's hooks are those of
its names, in ``dir``'s order, whose first declaration in the MRO carries one: the same lists.
"""

from __future__ import annotations

import weakref
from collections import defaultdict

from marshmallow.schema import SchemaMeta

#: marshmallow's original (pinned in core/fab/adapter.py ``FAB_PRIVATE``)
ORIGINAL = SchemaMeta.__dict__["resolve_hooks"]
_marked: weakref.WeakKeyDictionary[type, dict] = weakref.WeakKeyDictionary()


def _marked_in(klass: type) -> dict:
    found = _marked.get(klass)
    if found is None:
        found = _marked[klass] = {name: value.__marshmallow_hook__ for name, value in vars(klass).items()
                                  if hasattr(value, "__marshmallow_hook__")}
    return found


def resolve_hooks(cls) -> dict:
    if type(cls).__dir__ is not type.__dir__:  # a metaclass of its own may list other names
        return ORIGINAL(cls)
    mro = cls.__mro__
    hooks: dict = defaultdict(list)
    names = sorted({name for klass in mro for name in _marked_in(klass)})
    for name in names:
        declaring = next(klass for klass in mro if name in vars(klass))  # as marshmallow's look-up
        config = _marked_in(declaring).get(name)
        for tag, entries in (config or {}).items():
            hooks[tag].extend((name, many, kwargs) for many, kwargs in entries)
    return hooks


def install() -> None:
    """For every schema class created from now on (core/fab/__init__.py, before the modules')."""
    SchemaMeta.resolve_hooks = resolve_hooks
