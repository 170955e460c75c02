"""Rules of government procurement (Art. 14 with the Government Procurement Law), on every write.

Each is a finding (flag) for the bureau to review, not a refusal: a specification that names a
brand, a catalogue item bought outside central procurement, a split purchase, a method other
than 公开招标 above its threshold — each may have a reason the record does not show (an approved
change of method, an item bought before the catalogue took it in), and the record of what was
bought must be kept whatever it was. The one refusal is a catalogue item whose period ends
before it starts (the versioned catalogue would otherwise lose the day it applies).
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from catalog.designation import WHAT, designations
from catalog.models import Jurisdiction
from core.api import Rule, join_items
from plugins.funds.procurement.models import CHANNELS, METHODS, CatalogueItem, ProcurementRecord, normalised
from plugins.funds.procurement.splitting import KIND, split_purchase, threshold_key


def _live(record, ctx) -> bool:
    return ctx.value(record, "voided_at") is None


def _designates(record: ProcurementRecord, ctx):
    """第十四条: a specification asks for functions and performance, never a brand, model or origin."""
    if not _live(record, ctx):
        return None
    found = designations(record.item_name, record.specification)
    if not found:
        return None
    return {"name": record.item_name,
            "found": join_items(f"{WHAT.get(what, what)}“{word}”" for what, word in found)}


def catalogue_item_for(ctx, record: ProcurementRecord) -> CatalogueItem | None:
    """The 集中采购目录 item the purchase falls under, in force on its date for its jurisdiction
    (its own or one above): the one the record names, else one of the same name."""
    jurisdiction = ctx.related(record, "jurisdiction")
    day = ctx.value(record, "purchased_on")
    if jurisdiction is None or day is None or not jurisdiction.path:
        return None
    named = ctx.related(record, "catalogue_item")
    query = (select(CatalogueItem).join(Jurisdiction, CatalogueItem.jurisdiction_id == Jurisdiction.id)
             .where(Jurisdiction.code.in_(jurisdiction.ancestor_codes), CatalogueItem.effective_from <= day,
                    (CatalogueItem.effective_to.is_(None)) | (CatalogueItem.effective_to >= day)))
    items = list(ctx.session.execute(query).scalars())
    if named is not None:
        return named if named in items else None
    wanted = normalised(record.item_name)
    return next((item for item in items if normalised(item.name) == wanted), None)


def _outside_central(record: ProcurementRecord, ctx):
    """第十四条: an item of the 集中采购目录 is bought through central procurement."""
    if not _live(record, ctx):
        return None
    if record.method != "self" and record.central:
        return None
    item = catalogue_item_for(ctx, record)
    if item is None:
        return None
    how = METHODS["self"] if record.method == "self" else _l("未通过集中采购")
    return {"name": record.item_name, "item": f"{item.code} {item.name}", "how": how,
            "channel": CHANNELS.get(item.channel, item.channel)}


def _split(record: ProcurementRecord, ctx):
    """第十四条: no 化整为零 to stay under the decentralised or public tender threshold."""
    return split_purchase(record, ctx) if _live(record, ctx) else None


def _method(record: ProcurementRecord, ctx):
    """第十四条 with 政府采购法第二十七条: at or above the public tender threshold, 公开招标."""
    if not _live(record, ctx) or record.method == "public_tender" or record.amount is None:
        return None
    jurisdiction, day = ctx.related(record, "jurisdiction"), ctx.value(record, "purchased_on")
    if jurisdiction is None or day is None:
        return None
    standard = ctx.standard(KIND, threshold_key("public_tender", record.category), jurisdiction, day)
    if standard is None or Decimal(record.amount) < Decimal(standard.value):
        return None
    return {"name": record.item_name, "amount": format(Decimal(record.amount), ",.2f"),
            "limit": format(Decimal(standard.value), ",.2f"),
            "method": METHODS.get(record.method, record.method)}


def _period_reversed(item: CatalogueItem, ctx):
    if item.effective_to is not None and item.effective_from is not None \
            and item.effective_to < item.effective_from:
        return {"start": item.effective_from.isoformat(), "end": item.effective_to.isoformat()}
    return None


RULES = [
    Rule(
        key="funds.procurement_designation", article=14, severity="flag", model=ProcurementRecord,
        message=_l("采购记录“%(name)s”的名称或采购需求（规格）指定或者变相指定了品牌、型号、产地（%(found)s）；"
                   "采购需求应只写明功能、性能等要求，不得指定品牌、型号、产地（第十四条）"),
        check=_designates,
    ),
    Rule(
        key="funds.procurement_central_catalogue", article=14, severity="flag", model=ProcurementRecord,
        message=_l("“%(name)s”属于集中采购目录品目（%(item)s，%(channel)s），却以%(how)s方式购买；"
                   "集中采购目录内的品目应当实行集中采购（第十四条）"),
        check=_outside_central,
    ),
    Rule(
        key="funds.procurement_splitting", article=14, severity="flag", model=ProcurementRecord,
        message=_l("疑似化整为零规避政府采购：本单位 %(days)s 天内分次采购“%(name)s”，与 %(others)s 合计 "
                   "%(total)s 元，达到%(what)s %(limit)s 元，而每次均低于该标准（第十四条）"),
        check=_split,
    ),
    Rule(
        key="funds.procurement_method", article=14, severity="flag", model=ProcurementRecord,
        message=_l("“%(name)s”采购金额 %(amount)s 元，达到公开招标数额标准 %(limit)s 元，"
                   "却采用%(method)s方式；应当公开招标，采用其他方式须经财政部门批准（第十四条）"),
        check=_method,
    ),
    Rule(
        key="funds.procurement_catalogue_period", article=14, severity="block", model=CatalogueItem,
        message=_l("集中采购目录品目的失效日期 %(end)s 早于生效日期 %(start)s"),
        check=_period_reversed,
    ),
]
