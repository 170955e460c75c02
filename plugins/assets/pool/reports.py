"""公物仓可调剂资产清单 (Art. 18): the available items of the pools the caller reads."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from catalog.models import Organization
from core.api import STANDARD_SIGNATURES, Report, beijing_today, chinese_date, db, scoped
from plugins.assets.cards.models import Asset
from plugins.assets.pool.models import PoolItem


class PoolListParams(Schema):
    bureau_id = fields.Integer(load_default=None, allow_none=True, metadata={
        "label": _l("机关事务管理部门"), "record": "organization",
        "description": _l("只列该部门的公物仓；不填则列出您可见的全部公物仓"),
    })


def available_items(scope, bureau_id=None) -> list[PoolItem]:
    """Available, unreserved items of the pools ``scope`` reads, by pool then class and number."""
    query = (
        select(PoolItem).join(Asset, Asset.id == PoolItem.asset_id)
        .join(Organization, Organization.id == PoolItem.organization_id)
        .where(PoolItem.status == "available", ~PoolItem.reserved)
        .options(selectinload(PoolItem.asset).selectinload(Asset.asset_class),
                 selectinload(PoolItem.repairs), selectinload(PoolItem.organization))
        .order_by(Organization.name, Asset.number)
    )
    if bureau_id is not None:
        query = query.where(PoolItem.organization_id == bureau_id)
    return list(db.session.execute(scoped(query, PoolItem, scope)).scalars())


def pool_list_context(params: dict, scope) -> dict:
    items = available_items(scope, params.get("bureau_id"))
    pools: dict[int, dict] = {}
    for item in items:
        pool = pools.setdefault(item.organization_id, {"bureau": item.organization.name, "rows": [],
                                                       "count": 0, "value": Decimal(0)})
        pool["rows"].append(item)
        pool["count"] += item.asset.quantity
        pool["value"] += item.asset.original_value
    return {
        "pools": list(pools.values()),
        "total_count": sum(p["count"] for p in pools.values()),
        "total_value": sum((p["value"] for p in pools.values()), Decimal(0)),
        "period": _("截至 %(date)s", date=chinese_date(beijing_today())),
    }


def reports() -> list[Report]:
    return [
        Report(
            key="assets_pool_available", label=_l("公物仓可调剂资产清单"), params_schema=PoolListParams,
            build_context=pool_list_context, template="assets/pool_report.html",
            orientation="landscape", signatures=STANDARD_SIGNATURES,
            description=_l("机关事务管理部门公物仓中可调剂的资产：分类、规格、数量、原值、成新状况、入仓日期（第十八条）"),
        )
    ]
