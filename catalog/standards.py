"""Standards governance (Art. 11): a lower level's standard is no looser than the one above it.

Art. 11 has each level set its 实物定额 and 服务标准 "根据国家有关规定": within what the level
above set. Which way is looser is the kind's to say (``StandardKind.stricter``): ``"lower"``
for a cap (a county may set a lower price cap, not a higher one), ``"higher"`` for a floor (a
longer minimum service life, a higher target), None where levels may differ freely. Only
numbers compare; a text standard (a service's content and grade) is read by people.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from catalog.models import Jurisdiction, Standard
from core.api import get_state

#: the columns whose change re-decides how a standard stands against the one above it
GOVERNED = ("kind", "key", "value", "jurisdiction_id", "effective_from", "effective_to")


def kind_of(key: str):
    """The registered :class:`~core.contract.StandardKind` of ``key``, or None."""
    found = get_state().standard_kinds.get(key)
    return found[1] if found else None


def compared(standard: Standard):
    """The kind of ``standard`` if it is one a lower level may not loosen, else None."""
    kind = kind_of(standard.kind)
    if kind is None or kind.value_type != "number" or kind.stricter not in ("lower", "higher"):
        return None
    return kind if standard.value is not None else None


def unit_of_kind(standard: Standard, ctx) -> None:
    """A derivation: a standard left without a unit takes its kind's (元, 年, %)."""
    kind = kind_of(standard.kind)
    if kind is not None and not standard.unit and kind.unit:
        standard.unit = kind.unit


def _in_force(row: Standard, day: dt.date) -> bool:
    return row.effective_from <= day and (row.effective_to is None or row.effective_to >= day)


def _above(standard: Standard, ctx) -> tuple[list, dict]:
    """The standards of the same kind and key set by the jurisdictions above ``standard``'s,
    as ``[(row, code)]`` (those written in this flush too), and each code's depth."""
    jurisdiction = ctx.related(standard, "jurisdiction")
    if jurisdiction is None or not jurisdiction.path:
        return [], {}
    codes = jurisdiction.ancestor_codes[:-1]
    if not codes:
        return [], {}
    rows = ctx.session.execute(
        select(Standard, Jurisdiction.code)
        .join(Jurisdiction, Standard.jurisdiction_id == Jurisdiction.id)
        .where(Standard.kind == standard.kind, Standard.key == standard.key, Jurisdiction.code.in_(codes))
    ).all()
    found = {id(row): (row, code) for row, code in rows if row not in ctx.session.deleted}
    for row in ctx.session.new:  # a region's and a county's standard imported together
        if isinstance(row, Standard) and row is not standard \
                and (row.kind, row.key) == (standard.kind, standard.key):
            place = ctx.related(row, "jurisdiction")
            if place is not None and place.code in codes:
                found[id(row)] = (row, place.code)
    return list(found.values()), {code: i for i, code in enumerate(codes)}


def _days(standard: Standard, above: list) -> list[dt.date]:
    """The days of ``standard``'s period on which the standard above it may change: its first
    day and each day a standard above begins or ends within it."""
    start, end = standard.effective_from, standard.effective_to
    days = {start}
    for row, _code in above:
        for day in (row.effective_from, row.effective_to and row.effective_to + dt.timedelta(days=1)):
            if day is not None and day > start and (end is None or day <= end):
                days.add(day)
    return sorted(days)


def looser_than_above(standard: Standard, ctx) -> dict | None:
    """What a rule's message names when ``standard`` is looser than the standard in force above
    it on some day of its period (the nearest jurisdiction above that sets the same kind and key),
    else None."""
    kind = compared(standard)
    if kind is None or standard.effective_from is None:
        return None
    above, depth = _above(standard, ctx)
    if not above:
        return None
    for day in _days(standard, above):
        in_force = [(row, code) for row, code in above if _in_force(row, day) and row.value is not None]
        if not in_force:
            continue
        higher = max(in_force, key=lambda pair: (depth[pair[1]], pair[0].effective_from))[0]
        if (standard.value > higher.value) if kind.stricter == "lower" else (standard.value < higher.value):
            place = ctx.related(higher, "jurisdiction")
            return {
                "kind": kind.label, "above": place.name if place else "",
                "since": higher.effective_from.isoformat(), "higher": higher.value_text,
                "own": standard.value_text,
                "why": _("下级只能从严，不得高于上级标准") if kind.stricter == "lower"
                else _("下级只能从严，不得低于上级标准"),
            }
    return None


def recheck_below(standard: Standard, ctx) -> None:
    """A derivation: when a standard above changes, the standards below it of the same kind and
    key join the flush, so the flag rule finds each that the change left looser (the higher level
    may tighten; the lower one must follow) and closes the findings a loosening settles."""
    if compared(standard) is None:
        return
    if ctx.action == "update" and not ctx.changed(standard, *GOVERNED):
        return
    jurisdiction = ctx.related(standard, "jurisdiction")
    if jurisdiction is None or not jurisdiction.path:
        return
    below = ctx.session.execute(
        select(Standard)
        .join(Jurisdiction, Standard.jurisdiction_id == Jurisdiction.id)
        .where(Standard.kind == standard.kind, Standard.key == standard.key,
               Jurisdiction.path.like(f"{jurisdiction.path}%"), Jurisdiction.id != jurisdiction.id)
    ).scalars()
    for row in below:
        if row is not standard and row not in ctx.session.deleted and row not in ctx.session.dirty:
            flag_modified(row, "value")  # unchanged, but decided again against the new standard above


#: The demo's standards were in force before the demo is loaded: recorded as backdated, with
#: this reason (a demo value), they show the level above what a backdated standard looks like.
DEMO_BACKDATE_REASON = "演示数据：系统启用前已执行的标准，补录入库"
