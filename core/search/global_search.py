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
from sqlalchemy import literal, select, union_all

from core.activation import modules_for_current_user
from core.fab.filters import quick_search
from core.fab.interface import hide_voided
from core.state import get_state
from core.xlsx.columns import entity_view

#: Results shown per entity type (a link leads to the type's list with the quick search).
PER_TYPE = 10
#: Longest term searched (a longer one is cut).
TERM_MAX = 100


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


def _matching(entity, view, columns, term: str, limit: int):
    """The query of one type's first ``limit + 1`` matching keys (scope, base filters, newest first)."""
    datamodel = view.datamodel
    labels = {c: datamodel.choice_labels[c] for c in columns if c in datamodel.choice_labels}
    filters = datamodel.get_filters().add_filter(columns[0], quick_search(columns, labels), term)
    joined = filters.get_joined_filters(view._base_filters)
    query = datamodel.apply_all(hide_voided(datamodel.session.query(datamodel.obj), datamodel.obj), joined)
    pk = datamodel.obj.__mapper__.primary_key[0]
    return query.with_entities(pk.label("pk")).order_by(pk.desc()).limit(limit + 1)


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
    parts = [select(literal(i).label("type"), sub.c.pk).select_from(sub)
             for i, sub in ((i, _matching(*t, term, limit).subquery()) for i, t in enumerate(types))]
    found: dict[int, list] = {}
    for index, pk in types[0][1].datamodel.session.execute(union_all(*parts)):
        found.setdefault(index, []).append(pk)
    groups = [_group(*types[i], term, sorted(ids, reverse=True), limit) for i, ids in sorted(found.items())]
    return [group for group in groups if group.rows]
