"""The global search (全局搜索): one term across the entity types of the user's active modules.

Each entity type is searched in the columns it declares (``EntityType.search_fields``, else
its list screen's quick-search columns), through its list screen's interface: the same row
scope, the same base filters (a list that hides disposed cards hides them here too) and the
same filters (a status label finds its code). Only types whose module the user sees
(``core.activation``) and whose list the user may open are searched; each result links to
its record page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, url_for
from sqlalchemy import func, literal, select, union_all

from core.activation import modules_for_current_user
from core.fab.filters import codes_containing, like_pattern, quick_search
from core.fab.interface import hide_voided, show_voided
from core.scoping import current_scope
from core.state import get_state
from core.xlsx.columns import entity_view

#: Results shown per entity type (a link leads to the type's list with the quick search).
PER_TYPE = 10
#: Longest term searched (a longer one is cut).
TERM_MAX = 100
#: Matches of a type collected before they are ordered newest first. Ordering the statement
#: itself lets the planner walk the primary key backwards until enough rows match, which reads
#: millions of rows when the matches are old (docs/performance.md, "Growth"); past this many
#: the term is common, matches are dense, and that walk is what finds the newest fast.
CANDIDATES = 1000
#: The parameter the kept statement binds the term's pattern to.
PATTERN = "search_pattern"
#: Statements kept per app, then all forgotten: one per user scope, set of types searched and
#: labelled codes the term finds (most terms find none), a few dozen on a real server.
KEPT = 256


@dataclass
class Group:
    """The results of one entity type."""

    key: str
    label: str
    rows: list[dict] = field(default_factory=list)
    #: More rows matched than are shown.
    more: bool = False
    #: The type's list, quick-searched with the same term.
    list_url: str = ""

    def as_json(self) -> dict:
        return {"key": self.key, "label": self.label, "more": self.more, "list_url": self.list_url,
                "results": self.rows}


def searched_types() -> list[tuple]:
    """``(entity, view, columns)`` for every type the current user may search, in load order."""
    sm = current_app.appbuilder.sm
    readable = modules_for_current_user()
    found = []
    for entity in get_state().entities:
        if entity.module not in readable or entity.search_fields == ():
            continue
        view = entity_view(entity)
        if view is None or not sm.has_access("can_list", view.class_permission_name):
            continue
        columns = list(entity.search_fields) if entity.search_fields else view.quick_columns
        if columns:
            found.append((entity, view, columns))
    return found


def _subtitle(row, view, columns) -> str:
    shown = []
    choices = view.datamodel.choice_labels
    for name in columns:
        value = getattr(row, name, None)
        if value in (None, ""):
            continue
        shown.append(str(choices.get(name, {}).get(value, value)))
    return " · ".join(shown)


def _scoped_matches(view, columns, term: str, bind: str | None = None):
    """One type's rows matching ``term``: the list's scope, base filters and quick search."""
    datamodel = view.datamodel
    labels = {c: datamodel.choice_labels[c] for c in columns if c in datamodel.choice_labels}
    filters = datamodel.get_filters().add_filter(columns[0], quick_search(columns, labels, bind), term)
    joined = filters.get_joined_filters(view._base_filters)
    return datamodel.apply_all(hide_voided(datamodel.session.query(datamodel.obj), datamodel.obj), joined)


def _matching(entity, view, columns, term: str, limit: int):
    """The newest ``limit + 1`` of the first ``CANDIDATES + 1`` matching keys, and how many those were."""
    pk = view.datamodel.obj.__mapper__.primary_key[0]
    found = (_scoped_matches(view, columns, term, PATTERN).with_entities(pk.label("pk")).order_by(None)
             .limit(CANDIDATES + 1).subquery())
    return select(found.c.pk, func.count().over().label("n")).order_by(found.c.pk.desc()).limit(limit + 1)


def _newest(entity, view, columns, term: str, limit: int) -> list:
    """The newest ``limit + 1`` matching keys of a common term, by the primary key's order."""
    pk = view.datamodel.obj.__mapper__.primary_key[0]
    query = _scoped_matches(view, columns, term).with_entities(pk).order_by(pk.desc()).limit(limit + 1)
    return [ident for (ident,) in query]


def _group(entity, view, columns, term: str, ids: list, limit: int) -> Group:
    """The group of one type from its matching keys (newest first): the rows loaded by key."""
    datamodel = view.datamodel
    pk = datamodel.obj.__mapper__.primary_key[0]
    rows = []
    if ids:
        rows = datamodel.session.query(datamodel.obj).filter(pk.in_(ids[:limit])).order_by(pk.desc()).all()
    endpoint = get_state().entity_endpoints.get(entity.key) or f"{view.endpoint}.show"
    group = Group(entity.key, str(entity.label), more=len(ids) > limit,
                  list_url=url_for(f"{view.endpoint}.list", q=term))
    for row in rows:
        ident = datamodel.get_pk_value(row)
        group.rows.append({"id": ident, "title": str(row), "summary": _subtitle(row, view, columns),
                           "url": url_for(endpoint, pk=ident)})
    return group


def _shape(types: list, term: str, limit: int) -> tuple | None:
    """All the statement of :func:`_statement` depends on but the term's pattern (None: not kept)."""
    codes = []
    for _entity, view, columns in types:
        if any(callable(value) for value in view._base_filters.values):
            return None  # a base filter computed per request (FAB's ``Filter…Function``)
        labels = view.datamodel.choice_labels
        codes.append(tuple((c, tuple(codes_containing(term, labels[c]))) for c in columns if c in labels))
    scope = current_scope()
    return (tuple(entity.key for entity, _view, _columns in types), scope.kind, scope.organization_id,
            scope.jurisdiction_path, show_voided(), limit, CANDIDATES, tuple(codes))


def _statement(types: list, term: str, limit: int):
    """Every type's matches in one statement, the term's pattern bound as ``PATTERN``.

    Built once per shape (:func:`_shape`) and kept: building it (dozens of scoped, filtered
    queries) was most of a search's CPU: 60 → 11 ms (docs/performance.md, "Throughput").
    """
    shape = _shape(types, term, limit)
    kept = current_app.extensions.setdefault("jiguan_search_statements", {})
    statement = kept.get(shape) if shape is not None else None
    if statement is None:
        parts = [select(literal(i).label("type"), sub.c.pk, sub.c.n).select_from(sub)
                 for i, sub in ((i, _matching(*t, term, limit).subquery()) for i, t in enumerate(types))]
        statement = union_all(*parts)
        if shape is not None:
            if len(kept) >= KEPT:
                kept.clear()
            kept[shape] = statement
    return statement


def global_search(term: str, limit: int = PER_TYPE) -> list[Group]:
    """The groups of results for ``term`` (only types with a match), in the modules' order."""
    term = term.replace("\x00", "").strip()[:TERM_MAX]
    if not term:
        return []
    types = searched_types()
    if not types:
        return []
    # one statement finds every type's matches (most types have none): a round trip per type
    # cost more than the search itself on a busy server (docs/performance.md, "Throughput")
    statement = _statement(types, term, limit)
    found: dict[int, list] = {}
    common = set()
    session = types[0][1].datamodel.session
    for index, pk, candidates in session.execute(statement, {PATTERN: like_pattern(term)}):
        found.setdefault(index, []).append(pk)
        if candidates > CANDIDATES:
            common.add(index)
    for index in common:  # dense matches: the newest are near the end of the key
        found[index] = _newest(*types[index], term, limit)
    groups = [_group(*types[i], term, sorted(ids, reverse=True), limit) for i, ids in sorted(found.items())]
    return [group for group in groups if group.rows]
