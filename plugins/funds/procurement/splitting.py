"""化整为零 (Art. 14 with 政府采购法第四十一条 of its implementing regulation): purchases of the same
item by one organisation within a period, each under a threshold, together over it.

The same item is the same 集中采购目录 item, else the same normalised name. The period is the
standard ``funds_procurement_threshold`` / ``splitting_window_days`` (days before or after the
purchase); the thresholds are the standards ``decentralised_<category>`` (分散采购限额标准) and
``public_tender_<category>`` (公开招标数额标准). A purchase compared with others is judged over
the rows as this flush leaves them: the pending ones of the session count too, so an import of
three parts flags all three.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from core.api import effective_values, join_items
from plugins.funds.procurement.models import ProcurementRecord, normalised

KIND = "funds_procurement_threshold"
WINDOW_KEY = "splitting_window_days"
#: the columns a splitting decision reads: a change elsewhere leaves the siblings alone
DECIDING = ("organization_id", "purchased_on", "item_name", "catalogue_item_id", "category", "amount",
            "voided_at")


def threshold_key(kind: str, category: str | None) -> str:
    """``decentralised_goods``, ``public_tender_works`` …: the key of a threshold for a category."""
    return f"{kind}_{category or 'goods'}"


def _value(ctx, key: str, jurisdiction, on: dt.date) -> Decimal | None:
    standard = ctx.standard(KIND, key, jurisdiction, on)
    return Decimal(standard.value) if standard is not None and standard.value is not None else None


def _day(value) -> dt.date | None:
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def _money(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def state_of(obj: ProcurementRecord, values: dict | None = None) -> dict:
    """What a splitting decision reads of a record, as this flush writes it (or, given the
    serialised ``values`` of ``ctx.previous``, as it was): dates and amounts as such."""
    if values is None:
        linked = effective_values(obj)  # a foreign key set through its relationship too
        values = {column: getattr(obj, column) for column in DECIDING + ("number",)}
        values.update(organization_id=linked.get("organization_id"),
                      catalogue_item_id=linked.get("catalogue_item_id"))
    return {**values, "purchased_on": _day(values.get("purchased_on")),
            "amount": _money(values.get("amount"))}


def item_key(values: dict) -> tuple:
    if values.get("catalogue_item_id"):
        return ("item", values["catalogue_item_id"])
    return ("name", normalised(values.get("item_name")))


def _nearby(session, org_id: int, start: dt.date, end: dt.date) -> list[tuple[ProcurementRecord, dict]]:
    """The organisation's records dated between ``start`` and ``end`` as this flush leaves them."""
    found = {id(row): row for row in session.execute(select(ProcurementRecord).where(
        ProcurementRecord.organization_id == org_id,
        ProcurementRecord.purchased_on.between(start, end))).scalars()}
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, ProcurementRecord):
            found.setdefault(id(obj), obj)
    result = []
    for obj in found.values():
        if obj in session.deleted:
            continue
        values = state_of(obj)
        day = values.get("purchased_on")
        if values.get("organization_id") == org_id and values.get("voided_at") is None \
                and isinstance(day, dt.date) and start <= day <= end and values.get("amount") is not None:
            result.append((obj, values))
    return result


def split_purchase(record: ProcurementRecord, ctx) -> dict | None:
    """What the finding on ``record`` says, or None: the other parts, their sum and the threshold."""
    values = state_of(record)
    day, org_id, amount = values.get("purchased_on"), values.get("organization_id"), values.get("amount")
    jurisdiction = ctx.related(record, "jurisdiction")
    if values.get("voided_at") is not None or None in (day, org_id, amount, jurisdiction):
        return None
    window = _value(ctx, WINDOW_KEY, jurisdiction, day)
    if window is None:
        return None
    span = dt.timedelta(days=int(window))
    key = item_key(values)
    others = [(obj, v) for obj, v in _nearby(ctx.session, org_id, day - span, day + span)
              if obj is not record and item_key(v) == key]
    for kind, label in (("public_tender", "公开招标数额标准"), ("decentralised", "分散采购限额标准")):
        limit = _value(ctx, threshold_key(kind, values.get("category")), jurisdiction, day)
        if limit is None or amount >= limit:
            continue
        parts = sorted((v["purchased_on"], v.get("number") or "", v["amount"])
                       for _obj, v in others if v["amount"] < limit)
        total = amount + sum(part[2] for part in parts)
        if parts and total >= limit:
            return {"name": values.get("item_name") or "", "others": join_items(
                        f"{number}（{format(part, ',.2f')} 元）" for _day, number, part in parts),
                    "total": format(total, ",.2f"), "what": label, "limit": format(limit, ",.2f"),
                    "days": int(window)}
    return None


def rejoin_siblings(record: ProcurementRecord, ctx) -> None:
    """Bring the purchases ``record`` is (or was) compared with into the flush, unchanged, so the
    splitting rule decides them again (the pattern of catalog/standards.py:recheck_below)."""
    if ctx.action == "delete" or (ctx.action == "update" and not ctx.changed(record, *DECIDING)):
        return
    jurisdiction = ctx.related(record, "jurisdiction")
    states = [state_of(record)] + ([state_of(record, ctx.previous(record))] if ctx.action == "update" else [])
    for values in states:
        day, org_id = values.get("purchased_on"), values.get("organization_id")
        if day is None or org_id is None or jurisdiction is None:
            continue
        window = _value(ctx, WINDOW_KEY, jurisdiction, day)
        if window is None:
            continue
        span = dt.timedelta(days=int(window))
        key = item_key(values)
        for obj, other in _nearby(ctx.session, org_id, day - span, day + span):
            if obj is record or obj in ctx.session.new or obj in ctx.session.dirty:
                continue
            if item_key(other) == key:
                flag_modified(obj, "amount")
