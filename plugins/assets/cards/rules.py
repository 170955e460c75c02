"""Rules of Art. 17 and 18 on asset cards.

A purchase stays within the configuration standards in force (price cap, quantity caps
per person and per organisation, Art. 17) unless the card names the configuration-plan
line under which it was bought and that line's deviation was approved with the plan (Art. 17:
the configuration plan is the one route above a standard; Art. 14 demands strict execution).
The caps govern purchases (取得方式 购置): a surplus found, a donation or what an
organisation already held when it started keeping cards (存量登记) is recorded as it is;
a 存量登记 card acquired within the last year is flagged, since it may be a purchase.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, inspect, select

from core.api import Rule, format_amount, local_today
from plugins.assets.cards.models import PRICE_CAP, QUANTITY_CAP, Asset, class_standard
from plugins.assets.plans.models import (
    NOT_HELD,
    QUANTITY_CAP_ORG,
    AssetPlanLine,
    headcount,
    holdings,
    quantity_limit,
)

#: A 存量登记 card acquired this recently is flagged for a look (Art. 17).
RECENT_DAYS = 365


def _unit_price(asset: Asset) -> Decimal | None:
    if asset.original_value is None or not asset.quantity or asset.quantity <= 0:
        return None
    return Decimal(asset.original_value) / Decimal(asset.quantity)


def _plan_line(asset: Asset, ctx) -> AssetPlanLine | None:
    return ctx.related(asset, "plan_line")


def _approved_line(asset: Asset, ctx) -> AssetPlanLine | None:
    """The card's plan line if it is of an approved plan, the card's organisation and class."""
    line = _plan_line(asset, ctx)
    if line is None or line.plan is None or line.plan.state != "approved":
        return None
    if line.organization_id != ctx.value(asset, "organization_id"):
        return None
    if line.class_id != ctx.value(asset, "class_id"):
        return None
    return line


def _exception_covers(asset: Asset, ctx) -> bool:
    """Art. 17: the purchase is an approved deviation of the configuration plan, at that price at most."""
    line = _approved_line(asset, ctx)
    if line is None or not line.exception_requested:
        return False
    price = _unit_price(asset)
    return price is None or price <= Decimal(line.unit_price)


def _above_price_cap(asset: Asset, ctx):
    """Art. 17: the unit price may not exceed the price cap in force for the class."""
    if not _is_purchase(asset, ctx):
        return None
    asset_class = ctx.related(asset, "asset_class")
    jurisdiction = ctx.value(asset, "jurisdiction_id")
    unit_price = _unit_price(asset)
    if asset_class is None or jurisdiction is None or unit_price is None:
        return None
    cap = class_standard(ctx.session, PRICE_CAP, asset_class, jurisdiction, ctx.today)
    if cap is None or unit_price <= cap.value or _exception_covers(asset, ctx):
        return None
    return {"cls": asset_class.name, "price": format_amount(unit_price), "cap": format_amount(cap.value)}


def _is_purchase(asset: Asset, ctx) -> bool:
    """The configuration standards govern purchases (取得方式 购置), not a surplus found or a transfer."""
    return (ctx.value(asset, "acquisition_method") or "purchase") == "purchase"


def _recent_existing(asset: Asset, ctx):
    """Art. 17: 存量登记 records what was held before; a recent acquisition looks like a purchase."""
    if ctx.value(asset, "acquisition_method") != "existing" or asset.acquired_on is None:
        return None
    return (local_today() - asset.acquired_on).days <= RECENT_DAYS


def _purchase_changed(asset: Asset, ctx) -> bool:
    """A new card, or one whose class or quantity changes: what a purchase adds to the holdings.

    A change of organisation alone is a transfer (无偿划转), not a purchase.
    """
    if ctx.action == "create":
        return True
    attrs = inspect(asset).attrs
    return any(attrs[key].history.has_changes() for key in ("quantity", "class_id", "asset_class"))


def _new_in_this_write(asset: Asset, ctx, org_id: int, class_id: int) -> int:
    """Pieces of the class bought for the organisation by cards added before this one in the same
    flush (a receipt of several cards); the flush's new cards are read once, not once per card."""
    added = getattr(ctx, "_assets_new_purchases", None)
    if added is None:
        added = [(card, ctx.value(card, "organization_id"),
                  getattr(ctx.related(card, "asset_class"), "id", None), card.quantity or 0)
                 for card in ctx.session.new
                 if isinstance(card, Asset) and _is_purchase(card, ctx) and card.status not in NOT_HELD]
        ctx._assets_new_purchases = added
    total = 0
    for card, card_org, card_class, quantity in added:
        if card is asset:
            break  # each card is judged on what precedes it
        if (card_org, card_class) == (org_id, class_id):
            total += quantity
    return total


def _above_quantity_cap(asset: Asset, ctx):
    """Art. 17: the holdings of the class may not exceed the quantity caps in force."""
    if not _is_purchase(asset, ctx) or not _purchase_changed(asset, ctx) or asset.status == "disposed":
        return None
    asset_class = ctx.related(asset, "asset_class")
    org_id = ctx.value(asset, "organization_id")
    jurisdiction = ctx.value(asset, "jurisdiction_id")
    if asset_class is None or org_id is None or jurisdiction is None or not asset.quantity:
        return None
    per_person = class_standard(ctx.session, QUANTITY_CAP, asset_class, jurisdiction, ctx.today)
    per_org = class_standard(ctx.session, QUANTITY_CAP_ORG, asset_class, jurisdiction, ctx.today)
    if per_person is None and per_org is None:
        return None
    people = headcount(ctx.session, org_id, ctx.today)
    limit = quantity_limit(per_person.value if per_person else None, people,
                           per_org.value if per_org else None)
    held = holdings(ctx.session, org_id, asset_class.id, exclude_asset=asset.id)
    held += _new_in_this_write(asset, ctx, org_id, asset_class.id)
    if limit is None or held + asset.quantity <= limit or _exception_covers(asset, ctx):
        return None
    return {"cls": asset_class.name, "held": held, "qty": asset.quantity, "limit": limit}


def _establishment_missing(asset: Asset, ctx):
    """Art. 17: the per-person cap multiplies 编制人数; a purchase by an organisation without a
    recorded establishment cannot be checked against it (no staff count stands in)."""
    if not _is_purchase(asset, ctx) or not _purchase_changed(asset, ctx) or asset.status == "disposed":
        return None
    asset_class = ctx.related(asset, "asset_class")
    org = ctx.related(asset, "organization")
    jurisdiction = ctx.value(asset, "jurisdiction_id")
    if asset_class is None or org is None or jurisdiction is None:
        return None
    if ctx.standard(QUANTITY_CAP, asset_class.code, jurisdiction) is None:
        return None
    if headcount(ctx.session, org.id, ctx.today) is not None:
        return None
    return {"org": org.name, "cls": asset_class.name}


def _plan_line_not_approved(asset: Asset, ctx):
    """Art. 17: a card bought under a plan names an approved line of its organisation and class."""
    line = _plan_line(asset, ctx)
    if line is None:
        return None
    if _approved_line(asset, ctx) is None:
        return {"line": line.name}
    bought = ctx.session.execute(
        select(func.coalesce(func.sum(Asset.quantity), 0))
        .where(Asset.plan_line_id == line.id, Asset.id != (asset.id or 0))
    ).scalar() or 0
    # the cards of this flush before this one (an import's chunk) are bought under the line too
    bought += sum(card.quantity or 0 for card in ctx.new_before(asset, Asset)
                  if _plan_line(card, ctx) is line)
    if bought + (asset.quantity or 0) > line.quantity:
        return {"line": line.name}
    return None


def _jurisdiction_not_organisations(asset: Asset, ctx):
    """Art. 18: the accounts are true — a card sits in its organisation's jurisdiction."""
    org = ctx.related(asset, "organization")
    jurisdiction = ctx.value(asset, "jurisdiction_id")
    if org is None or jurisdiction is None:
        return None
    if org.jurisdiction_id == jurisdiction:
        return None
    return {"org": org.name, "jur": str(org.jurisdiction)}


def _idle(asset: Asset, ctx):
    """Art. 18: an idle asset should go into the shared pool (公物仓) — unless it is there."""
    if asset.status != "idle":
        return False
    from plugins.assets.pool.models import PoolItem  # the pool area builds on the cards

    for item in ctx.session.new:
        if isinstance(item, PoolItem) and item.status == "available" and (
                item.asset is asset or (asset.id is not None and item.asset_id == asset.id)):
            return False
    if asset.id is None:
        return True
    in_pool = ctx.session.execute(select(func.count(PoolItem.id)).where(
        PoolItem.asset_id == asset.id, PoolItem.status == "available")).scalar()
    return not in_pool


RULES = [
    Rule(
        key="assets.existing_recent", article=17, severity="flag", model=Asset,
        message=_l("资产按“存量登记”入账，但取得日期在一年以内，请核实是否为新购置资产（新购置须符合配置标准）"),
        check=_recent_existing,
    ),
    # first: a card that names a plan line is told about that line before any cap
    Rule(
        key="assets.plan_line_approved", article=17, severity="block", model=Asset,
        message=_l("所引用的配置计划明细“%(line)s”未经批准、不属于本单位或本资产分类，或已按批准数量配置完毕"),
        check=_plan_line_not_approved,
    ),
    Rule(
        key="assets.price_cap", article=17, severity="block", model=Asset,
        message=_l("资产单价 %(price)s 元超过“%(cls)s”现行配置标准的单价上限 %(cap)s 元；"
                   "超标准配置须依据经批准的配置计划超标准明细"),
        check=_above_price_cap,
    ),
    Rule(
        key="assets.quantity_cap_establishment", article=17, severity="block", model=Asset,
        message=_l("“%(org)s”尚未登记编制：“%(cls)s”的数量上限按人均标准×编制人数核定，无法核定；"
                   "请先由机关事务管理部门在“编制核定”中登记该单位的编制"),
        check=_establishment_missing,
    ),
    Rule(
        key="assets.quantity_cap", article=17, severity="block", model=Asset,
        message=_l("“%(cls)s”现有 %(held)s 件，再增加 %(qty)s 件将超过现行配置标准的数量上限 %(limit)s 件；"
                   "超标准配置须依据经批准的配置计划超标准明细"),
        check=_above_quantity_cap,
    ),
    Rule(
        key="assets.jurisdiction_of_organization", article=18, severity="block", model=Asset,
        message=_l("资产所在辖区必须与使用单位“%(org)s”所在辖区 %(jur)s 一致"),
        check=_jurisdiction_not_organisations,
    ),
    Rule(
        key="assets.idle_to_pool", article=18, severity="flag", model=Asset,
        message=_l("资产处于闲置状态，应纳入公物仓统一调剂使用"),
        check=_idle,
    ),
]

# every other way an asset arrives (a fiscal card that is no purchase, a move into an
# organisation): flags, in their own module
from plugins.assets.cards.arrivals import RULES as _ARRIVALS  # noqa: E402

RULES += _ARRIVALS
