"""Art. 17 for every way an asset arrives, not only a purchase (flags, never refusals).

The block rules of ``rules.py`` govern purchases (取得方式 购置). Two more ways bring an asset
into an organisation's holdings, and the caps speak of holdings whatever their origin:

- a card paid from the budget (资金来源 财政拨款) but recorded as 其他 / 自建自制 / 接受捐赠 — public
  money all the same: above the price cap or the quantity cap it is a finding
  (``assets.cap_fiscal_acquisition``);
- an asset moved into an organisation — a pool transfer (调剂), a change of organisation by
  any operation, or back to 在用/闲置 from 待处置 when a disposal is withdrawn or rejected: above
  the quantity cap afterwards it is a finding (``assets.holdings_moved_in``). It is one rule on
  the card's update, so every path that moves a card meets it.

A flag rule that answers "complies" closes its open finding, so each check is evaluated on
every write of the card it concerns (the moved-in check only while its finding is open).
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core.api import Rule, format_amount
from core.models import Finding
from plugins.assets.cards.models import ACQUISITION_METHODS, PRICE_CAP, QUANTITY_CAP, Asset, class_standard
from plugins.assets.plans.models import NOT_HELD, QUANTITY_CAP_ORG, headcount, quantity_limit

#: 取得方式 that are no purchase but, funded by the budget, are held against the caps all the same.
FISCAL_NON_PURCHASE = ("other", "self_built", "donation")
MOVED_IN = "assets.holdings_moved_in"


def _held(values: dict) -> bool:
    return values.get("status") not in NOT_HELD and values.get("voided_at") is None


def _now_held(card: Asset) -> bool:
    return _held({"status": card.status, "voided_at": card.voided_at})


def _cards_in_flush(ctx) -> list[Asset]:
    return [c for c in (*ctx.session.new, *ctx.session.dirty) if isinstance(c, Asset)]


def holdings_after_write(ctx, org_id: int, class_id: int) -> int:
    """Pieces of the class the organisation holds once this flush is written: the stored cards
    not touched by the flush, plus the flush's cards as they will be (several cards moved at once
    are all counted, a card moved away is not)."""
    touched = _cards_in_flush(ctx)
    query = select(func.coalesce(func.sum(Asset.quantity), 0)).where(
        Asset.organization_id == org_id, Asset.class_id == class_id,
        Asset.status.not_in(NOT_HELD), Asset.voided_at.is_(None))
    ids = [c.id for c in touched if c.id is not None]
    if ids:
        query = query.where(Asset.id.not_in(ids))
    total = int(ctx.session.execute(query).scalar() or 0)
    for card in touched:  # as the flush will write it
        card_class = ctx.related(card, "asset_class")
        if (ctx.value(card, "organization_id") == org_id and card_class is not None
                and card_class.id == class_id and _now_held(card)):
            total += card.quantity or 0
    return total


def _quantity_excess(asset: Asset, ctx) -> dict | None:
    """The organisation's holdings of the card's class after this write, if above the quantity limit."""
    asset_class = ctx.related(asset, "asset_class")
    org_id = ctx.value(asset, "organization_id")
    jurisdiction = ctx.value(asset, "jurisdiction_id")
    if asset_class is None or org_id is None or jurisdiction is None or not asset.quantity:
        return None
    if not _now_held(asset):
        return None
    per_person = class_standard(ctx.session, QUANTITY_CAP, asset_class, jurisdiction, ctx.today)
    per_org = class_standard(ctx.session, QUANTITY_CAP_ORG, asset_class, jurisdiction, ctx.today)
    if per_person is None and per_org is None:
        return None
    limit = quantity_limit(per_person.value if per_person else None,
                           headcount(ctx.session, org_id, ctx.today), per_org.value if per_org else None)
    if limit is None:  # a per-person cap without a recorded 编制: the purchase rules say so
        return None
    held = holdings_after_write(ctx, org_id, asset_class.id)
    if held <= limit:
        return None
    return {"cls": asset_class.name, "held": held, "limit": limit}


def _price_excess(asset: Asset, ctx) -> dict | None:
    asset_class = ctx.related(asset, "asset_class")
    jurisdiction = ctx.value(asset, "jurisdiction_id")
    if asset_class is None or jurisdiction is None or asset.original_value is None or not asset.quantity:
        return None
    price = Decimal(asset.original_value) / Decimal(asset.quantity)
    cap = class_standard(ctx.session, PRICE_CAP, asset_class, jurisdiction, ctx.today)
    if cap is None or price <= cap.value:
        return None
    return {"cls": asset_class.name, "price": format_amount(price), "cap": format_amount(cap.value)}


def _fiscal_non_purchase(asset: Asset, ctx):
    """Art. 17: a budget-funded card that is no purchase is held against the caps like one."""
    method = ctx.value(asset, "acquisition_method")
    if ctx.value(asset, "funding_source") != "fiscal" or method not in FISCAL_NON_PURCHASE:
        return None
    parts = []
    price = _price_excess(asset, ctx)
    if price:
        parts.append(_("单价 %(price)s 元超过“%(cls)s”单价上限 %(cap)s 元", **price))
    quantity = _quantity_excess(asset, ctx)
    if quantity:
        parts.append(_("“%(cls)s”持有 %(held)s 件，超过数量上限 %(limit)s 件", **quantity))
    if not parts:
        return None
    return {"method": str(ACQUISITION_METHODS[method]), "detail": "；".join(parts)}


def _moved_in(asset: Asset, ctx) -> bool:
    """The write brings the card into an organisation's holdings: a new organisation, or back to a
    held status (a withdrawn or rejected disposal, a card 待处置 taken back into use)."""
    if ctx.action != "update":
        return False
    before = ctx.previous(asset)
    if before.get("organization_id") != ctx.value(asset, "organization_id"):
        return True
    return not _held(before) and _now_held(asset)


def _finding_open(asset: Asset, ctx) -> bool:
    if asset.id is None:
        return False
    return ctx.session.execute(select(Finding.id).where(
        Finding.entity == "asset", Finding.entity_id == str(asset.id), Finding.rule_key == MOVED_IN,
        Finding.status == "open").limit(1)).first() is not None


def _above_cap_after_moving_in(asset: Asset, ctx):
    """Art. 17: holdings stay within the quantity caps on every path an asset arrives by."""
    if not _moved_in(asset, ctx) and not _finding_open(asset, ctx):
        return None
    return _quantity_excess(asset, ctx)


RULES = [
    Rule(
        key="assets.cap_fiscal_acquisition", article=17, severity="flag", model=Asset,
        message=_l("财政拨款资产以“%(method)s”方式入账，但%(detail)s；财政资金形成的资产同样适用配置标准，请核实"),
        check=_fiscal_non_purchase,
    ),
    Rule(
        key=MOVED_IN, article=17, severity="flag", model=Asset,
        message=_l("资产调入或恢复在用后，本单位“%(cls)s”持有 %(held)s 件，超过现行配置标准的数量上限 "
                   "%(limit)s 件，请调剂或处置超出部分"),
        check=_above_cap_after_moving_in, on=("update",),
    ),
]
