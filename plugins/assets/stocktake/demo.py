"""Demo data of the stocktake area: a submitted stocktake of 天山区财政局 with differences, and a draft."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from catalog.models import Standard
from catalog.standards import DEMO_BACKDATE_REASON
from core.api import transition
from plugins.assets.cards.models import AssetClass
from plugins.assets.stocktake.models import Stocktake, StocktakeSurplus


def load(ctx) -> None:
    session = ctx.session
    today = dt.date.today()
    # 定期清查盘点 (Art. 18): at least once a year — a demo value, not a regional decision
    session.add(Standard(kind="asset_stocktake_period", key="all", value=Decimal(12), unit="月",
                         jurisdiction=ctx.jurisdictions["650000"], effective_from=dt.date(2023, 1, 1),
                         basis="演示数据（示例值，非正式标准）", backdate_reason=DEMO_BACKDATE_REASON))
    org = ctx.organizations["tianshan_finance"]
    counted = Stocktake(organization=org, planned_on=today - dt.timedelta(days=2),
                        counted_on=today - dt.timedelta(days=1), note="年度资产清查盘点")
    session.add(counted)
    session.flush()  # the lines are the organisation's assets now
    lines = [line for line in counted.lines if line.expected_status != "pending_disposal"]
    for line in counted.lines:
        line.found = True
    if len(lines) >= 3:
        lines[0].found = False
        lines[0].note = "办公室搬迁后未找到"
        lines[1].counted_status = "idle" if lines[1].expected_status != "idle" else "in_use"
        lines[1].note = "实际已不再使用"
        lines[2].counted_location = f"{org.name}档案室"
    furniture = session.execute(select(AssetClass).where(AssetClass.code == "5010000")).scalar_one()
    session.add(StocktakeSurplus(stocktake=counted, organization_id=org.id,
                                 jurisdiction_id=org.jurisdiction_id, asset_class=furniture,
                                 name="书柜", specification="木质", quantity=1, unit="组",
                                 estimated_value=Decimal("800"), location=f"{org.name}档案室",
                                 note="无卡片，疑为早年调入未入账"))
    session.flush()
    transition(counted, "submit", "年度盘点完成，请审批差异处理")  # the bureau (urumqi_bureau) decides
    office = ctx.organizations["tianshan_office"]
    session.add(Stocktake(organization=office, planned_on=today + dt.timedelta(days=7),
                          note="季度抽查盘点（待录入）"))
    session.add(Stocktake(organization=org, planned_on=today + dt.timedelta(days=30),
                          note="下季度盘点（待录入）"))
    # 喀什市财政局 counts too (its bureau sees it, 乌鲁木齐 does not)
    kashgar = ctx.organizations["kashgar_finance"]
    kashgar_count = Stocktake(organization=kashgar, planned_on=today, note="年度资产清查盘点（录入中）")
    session.add(kashgar_count)
    session.flush()
    for line in kashgar_count.lines[:2]:
        line.found = True
    session.add(StocktakeSurplus(stocktake=kashgar_count, organization_id=kashgar.id,
                                 jurisdiction_id=kashgar.jurisdiction_id, asset_class=furniture,
                                 name="折叠椅", quantity=4, unit="把", estimated_value=Decimal("320"),
                                 location=f"{kashgar.name}会议室"))
    session.flush()
