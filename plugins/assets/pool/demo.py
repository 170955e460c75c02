"""Demo of the shared pool 公物仓 (Art. 18): 乌鲁木齐's and 喀什's pools, a repair, a request."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from core.api import transition
from plugins.assets.cards.models import Asset, AssetClass
from plugins.assets.pool.models import PoolItem, PoolRepair, PoolRequest

#: (number, owner org key, class code, name, spec, unit, value, years old, pool bureau, source, condition)
POOL_ASSETS = [
    ("ZC-650100-P001", "urumqi_education", "2010000", "便携式计算机", "国产 14 英寸（会议保障）", "台",
     "5600", 2, "urumqi_bureau", "big_event", "九成新"),
    ("ZC-650100-P002", "urumqi_finance", "2020000", "多功能一体机", "A3 彩色", "台",
     "4500", 4, "urumqi_bureau", "low_use", "需维修：进纸器故障"),
    ("ZC-650102-P003", "tianshan_office", "5010000", "文件柜", "钢制", "组",
     "900", 5, "urumqi_bureau", "idle", "八成新"),
    ("ZC-653101-P001", "kashgar_education", "2010000", "台式计算机", "国产 i5/16G/512G", "台",
     "5100", 3, "kashgar_bureau", "idle", "八成新"),
    ("ZC-653101-P002", "kashgar_hospital", "5010000", "办公桌", "1.4 米（临时指挥部）", "张",
     "1500", 1, "kashgar_bureau", "temporary_body", "九成新"),
]


def _years_ago(years: int, today: dt.date) -> dt.date:
    return today.replace(year=today.year - years, day=min(today.day, 28))


def load(ctx) -> None:
    """Called after the cards are loaded (``plugin.AREAS`` order)."""
    session = ctx.session
    today = dt.date.today()
    classes = {c.code: c for c in session.execute(select(AssetClass)).scalars()}
    items = {}
    for number, org_key, code, name, spec, unit, value, age, bureau, source, condition in POOL_ASSETS:
        org = ctx.organizations[org_key]
        asset = Asset(acquisition_method="existing", number=number, asset_class=classes[code], name=name,
                      specification=spec,
                      quantity=1, unit=unit, original_value=Decimal(value),
                      acquired_on=_years_ago(age, today), funding_source="fiscal",
                      location=f"{org.name}库房", organization=org, jurisdiction=org.jurisdiction,
                      status="in_use")
        session.add(asset)
        session.flush()
        item = PoolItem(asset=asset, organization=ctx.organizations[bureau], source_kind=source,
                        entered_on=today - dt.timedelta(days=30), condition=condition)
        session.add(item)
        session.flush()
        items[number] = item
    # repair before reuse: the 一体机 is at the repairer's, not yet back
    session.add(PoolRepair(item=items["ZC-650100-P002"], repaired_on=today - dt.timedelta(days=5),
                           description="更换进纸器组件", cost=Decimal("380"),
                           done_by="乌鲁木齐某办公设备维修部",
                           finished=False))
    session.flush()
    # 天山区财政局 asks for the conference laptop; 乌鲁木齐市机关事务管理局 decides
    request = PoolRequest(item=items["ZC-650100-P001"], organization=ctx.organizations["tianshan_finance"],
                          purpose="新增业务岗位办公使用，按“先调剂、后购置”申请调剂", requested_on=today,
                          requested_by=ctx.people.get("tianshan_finance.0"), target_status="in_use")
    session.add(request)
    session.flush()
    transition(request, "submit", comment="请审批")
    session.flush()
    # 喀什市: the desk was mended before it went back on offer; 喀什市教育局 drafts a request
    session.add(PoolRepair(item=items["ZC-653101-P002"], repaired_on=today - dt.timedelta(days=20),
                           description="更换桌腿", cost=Decimal("120"), done_by="喀什某家具维修店",
                           finished=True))
    session.add(PoolRequest(item=items["ZC-653101-P001"], organization=ctx.organizations["kashgar_education"],
                            purpose="教研室办公使用", requested_on=today, target_status="in_use"))
    session.flush()
