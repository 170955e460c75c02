"""Rules of Art. 17-18 on asset cards."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l

from core.api import Rule
from plugins.assets.models import PRICE_CAP, Asset


def _above_price_cap(asset: Asset, ctx):
    """Art. 17: the unit price may not exceed the price cap in force for the class."""
    asset_class = ctx.related(asset, "asset_class")
    jurisdiction = ctx.value(asset, "jurisdiction_id")
    if asset_class is None or jurisdiction is None or asset.original_value is None:
        return None
    if not asset.quantity or asset.quantity <= 0:
        return None
    cap = ctx.standard(PRICE_CAP, asset_class.code, jurisdiction)
    if cap is None:
        return None
    unit_price = Decimal(asset.original_value) / Decimal(asset.quantity)
    if unit_price <= cap.value:
        return None
    return {"cls": asset_class.name, "price": f"{unit_price:,.2f}", "cap": f"{cap.value:,.2f}"}


def _idle(asset: Asset, ctx):
    """Art. 18: an idle asset should go into the shared pool (公物仓)."""
    return asset.status == "idle"


RULES = [
    Rule(
        key="assets.price_cap", article=17, severity="block", model=Asset,
        message=_l("资产单价 %(price)s 元超过“%(cls)s”现行配置标准的单价上限 %(cap)s 元"),
        check=_above_price_cap,
    ),
    Rule(
        key="assets.idle_to_pool", article=18, severity="flag", model=Asset,
        message=_l("资产处于闲置状态，应纳入公物仓统一调剂使用"),
        check=_idle,
    ),
]
