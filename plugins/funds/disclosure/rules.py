"""Rules of 三公经费 (Art. 13): delegations' dates, the disclosure's 说明, its deadline, its lock."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

from core.api import Rule, effective_values
from plugins.funds.disclosure.figures import differs, organization_table, thawed
from plugins.funds.disclosure.models import DEADLINE_DAYS, DEADLINE_KEY, OutboundTrip, SangongDisclosure

#: what a published disclosure may still change: being voided
VOID_COLUMNS = {"voided_at", "voided_by", "void_reason", "version"}


def _trip_dates(trip: OutboundTrip, ctx):
    """Art. 13: a delegation returns after it leaves; the actual return is after the departure."""
    if trip.departs_on and trip.returns_on and trip.returns_on < trip.departs_on:
        return {"problem": _l("计划回国日期不能早于出发日期")}
    if trip.departs_on and trip.returned_on and trip.returned_on < trip.departs_on:
        return {"problem": _l("实际回国日期不能早于出发日期")}
    return None


def _explanation_missing(disclosure: SangongDisclosure, ctx):
    """Art. 13: a published table whose figures differ from the budget carries its 说明."""
    if ctx.action == "delete" or disclosure.published_on is None or disclosure.voided_at is not None \
            or (disclosure.explanation or "").strip():
        return None
    if disclosure.figures:  # as published (the 公开 operation freezes them in the same flush)
        table = thawed(disclosure.figures)
    else:
        org = ctx.related(disclosure, "organization")
        if org is None:
            return None
        table = organization_table(ctx.session, org, disclosure.year, disclosure.kind)
    return {"kind": disclosure.kind_label} if differs(table) else None


def _due(disclosure: SangongDisclosure, ctx) -> tuple[dt.date, int] | None:
    jurisdiction = ctx.related(disclosure, "jurisdiction") or getattr(
        ctx.related(disclosure, "organization"), "jurisdiction", None)
    if jurisdiction is None or disclosure.approved_on is None:
        return None
    standard = ctx.standard(DEADLINE_DAYS, DEADLINE_KEY, jurisdiction, on=disclosure.approved_on) \
        or ctx.standard(DEADLINE_DAYS, DEADLINE_KEY, jurisdiction)
    if standard is None:
        return None
    days = int(standard.value)
    return disclosure.approved_on + dt.timedelta(days=days), days


def _late(disclosure: SangongDisclosure, ctx):
    """Art. 13 (预算法第十四条): published later than the standard's days after the approval, or
    still unpublished past them (time alone makes that true: the 工作台 lists those)."""
    if ctx.action == "delete" or disclosure.voided_at is not None:
        return None
    due = _due(disclosure, ctx)
    if due is None:
        return None
    day = disclosure.published_on or ctx.today
    if day <= due[0]:
        return None
    when = disclosure.published_on.isoformat() if disclosure.published_on else str(_l("至今未公开"))
    return {"kind": disclosure.kind_label, "approved": disclosure.approved_on.isoformat(),
            "days": due[1], "due": due[0].isoformat(), "when": when}


def _changed_after_publication(disclosure: SangongDisclosure, ctx):
    """Art. 13: what was published stays as published; a wrong one is voided and published anew."""
    if ctx.action != "update":
        return None
    before = ctx.previous(disclosure)
    if before.get("published_on") is None:
        return None
    after = effective_values(disclosure)
    changed = [k for k, v in after.items() if k not in VOID_COLUMNS and before.get(k) != v]
    return {"day": before["published_on"]} if changed else None


RULES = [
    Rule(key="funds.outbound_dates", article=13, severity="block", model=OutboundTrip,
         message=_l("%(problem)s"), check=_trip_dates),
    Rule(key="funds.disclosure_explanation", article=13, severity="block", model=SangongDisclosure,
         message=_l("三公经费%(kind)s数与对比数不一致，公开时必须填写增减变化情况说明"),
         check=_explanation_missing),
    Rule(key="funds.disclosure_deadline", article=13, severity="flag", model=SangongDisclosure,
         message=_l("三公经费%(kind)s于 %(approved)s 批复，应在 %(days)s 日内（%(due)s 前）公开，"
                    "公开日期：%(when)s"),
         check=_late),
    Rule(key="funds.disclosure_locked", article=13, severity="block", model=SangongDisclosure,
         message=_l("三公经费公开表已于 %(day)s 公开，不能再修改；如有错误，请作废后重新公开"),
         check=_changed_after_publication),
]
