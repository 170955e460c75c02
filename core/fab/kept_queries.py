"""A list's queries built once per shape and kept (docs/performance.md, "Near the floor").

FAB assembles a list's query on every request: the scope's clause, the voided rows left out,
the filters, the column options, the order, the limit — and the count's query and the planner
estimate's cache key again. SQLAlchemy's queries are immutable (each step returns a copy), so
a :class:`~core.fab.interface.ScopedInterface` keeps them per *shape*: what the statement is
made of besides the values that change from page to page. The cursor's key is a bound
parameter (``jiguan_seek_0`` …), given to the kept query when it runs.

What is decided per request stays so: the request's user and scope are read on every request,
and the scope's values (kind, organisation, jurisdiction path) are part of the shape, so a user
moved to another organisation reads the other organisation's statement at its next request;
module activation and permissions are checked before a list runs at all (``has_access``).
A filter is part of the shape by its class, column and value, and only the filters whose
statement is a pure function of those (:data:`KEPT_FILTERS`, not on a date column given as
text: ``dateutil`` fills what the text leaves out from today); any other (a relation, a
labelled choice, the quick search, a plugin's own) makes the list build its queries afresh.
An interface class that overrides a step of the assembly does too (:func:`keeps_queries`).

The kept queries live on the app (``app.extensions``), at most :data:`MAX_KEPT` of them.
"""

from __future__ import annotations

import datetime as dt
import decimal

from flask import current_app
from flask_appbuilder.models.sqla import filters as fab

from core.fab import filters as ours
from core.scoping import current_scope

#: The filters whose statement depends only on their class, column and value.
KEPT_FILTERS = frozenset({
    ours.FilterContains, ours.FilterNotContains, ours.FilterStartsWith, ours.FilterEndsWith,
    ours.FilterNotStartsWith, ours.FilterNotEndsWith, ours.FilterEqual, ours.FilterNotEqual,
    ours.FilterGreater, ours.FilterSmaller, ours.FilterIn, ours.FilterNotIn, ours.FilterBefore,
    ours.FilterAfter,
    fab.FilterContains, fab.FilterNotContains, fab.FilterStartsWith, fab.FilterEndsWith,
    fab.FilterNotStartsWith, fab.FilterNotEndsWith, fab.FilterEqual, fab.FilterNotEqual,
    fab.FilterGreater, fab.FilterSmaller, fab.FilterIn, fab.FilterNotIn,
})
#: The steps of a list's assembly; a subclass overriding one builds its queries each time.
STEPS = ("scope_query", "_apply_inner_all", "apply_all", "apply_filters", "get_inner_filters",
         "apply_inner_select_joins", "apply_order_by", "apply_pagination", "eager_options",
         "_plain_row_columns", "_row_query", "get_filters")
#: How many queries an app keeps (all lists, shapes and scopes); then it starts over.
MAX_KEPT = 2000
#: The bound parameters of a cursor's key: ``jiguan_seek_0``, ``jiguan_seek_1``.
SEEK = "jiguan_seek_"

_PLAIN = (str, int, float, bool, decimal.Decimal, dt.date, dt.datetime, type(None))
_UNKEPT = object()
_STORE = "jiguan_kept_queries"
_keeping: dict[type, bool] = {}


def keeps_queries(interface) -> bool:
    """Whether ``interface``'s class assembles a list as ``ScopedInterface`` does."""
    cls = type(interface)
    answer = _keeping.get(cls)
    if answer is None:
        from core.fab.interface import ScopedInterface

        answer = _keeping[cls] = all(getattr(cls, step) is getattr(ScopedInterface, step)
                                     for step in STEPS)
    return answer


def _frozen(value):
    """``value`` as a key, with its type (``1``, ``1.0`` and ``True`` are equal in a dict)."""
    if type(value) in _PLAIN:
        return (type(value), value)
    if type(value) in (list, tuple):
        items = tuple(_frozen(item) for item in value)
        return _UNKEPT if any(item is _UNKEPT for item in items) else (type(value), items)
    return _UNKEPT


def filters_key(interface, filters) -> tuple | None:
    """The request's filters as part of a shape, or None when one of them is not kept."""
    if not filters or not filters.filters:
        return ()
    key = []
    for flt, value in zip(filters.filters, filters.values, strict=True):
        frozen = _frozen(value)
        if type(flt) not in KEPT_FILTERS or frozen is _UNKEPT:
            return None
        column = flt.column_name
        model = flt.datamodel
        if type(value) is not dt.date and type(value) is not dt.datetime and (
                model.is_date(column) or model.is_datetime(column)):
            return None  # parsed from text with today's date filling what it leaves out
        key.append((type(flt), column, frozen))
    return tuple(key)


def list_shape(interface, filters, voided: bool) -> tuple | None:
    """What a list's rows depend on besides its order and page: the scope decided for this
    request, the voided rows shown or not, the filters; None when it is not kept."""
    if not keeps_queries(interface):
        return None
    flt = filters_key(interface, filters)
    if flt is None:
        return None
    scope = current_scope()
    # by class and model, not by object: FAB makes a new interface for each relation field
    return (type(interface), interface.obj, interface.for_reference, voided,
            scope.kind, scope.organization_id, scope.jurisdiction_id, scope.jurisdiction_path, flt)


def kept(key: tuple | None, build):
    """What ``build()`` makes for ``key``, made once per app; built afresh when ``key`` is None."""
    if key is None:
        return build()
    store = current_app.extensions.get(_STORE)
    if store is None:
        store = current_app.extensions[_STORE] = {}
    found = store.get(key, _UNKEPT)
    if found is _UNKEPT:
        found = build()
        if len(store) >= MAX_KEPT:  # many scopes and filters: start over rather than grow
            store.clear()
        store[key] = found
    return found


def kept_query(key: tuple | None, build):
    """``kept`` for a Query: kept without its session (the caller gives the request's)."""
    if key is None:
        return build()
    return kept(key, lambda: build().with_session(None))
