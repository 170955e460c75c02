"""Demo repairs (Art. 23), 示例数据.

- The repair standard: 大中修间隔 15 years at the region (党政机关办公用房管理办法（2017），示例数据，待核实).
- 天山区财政局 (tianshan_clerk) applied for the 大中修 of 天山区政府办公楼 in 2027 (last major
  repair 2012: 15 years, allowed); 天山区机关事务服务中心 (tianshan_bureau) approved it, which put it
  into the bureau's 2027 大中修项目规划 (编制中). 天山区教育局's application for its floor awaits
  approval; 喀什市财政局's application for its building awaits 喀什市's bureau, whose 2027 plan is begun.
- 日常维修 of 天山区财政局 and 喀什市财政局, posted to the ledger under 30213.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from catalog.models import Standard
from catalog.standards import DEMO_BACKDATE_REASON
from core.api import transition
from plugins.office_space.buildings.demo import demo_room
from plugins.office_space.buildings.models import OfficeBuilding
from plugins.office_space.repairs.models import (
    DAILY_ENTITY,
    DailyRepair,
    MajorRepairApplication,
    MajorRepairPlan,
)
from plugins.office_space.repairs.operations import _post_ledger
from plugins.office_space.repairs.standards import ALL_BUILDINGS, MAJOR_REPAIR_INTERVAL

BASIS = "党政机关办公用房管理办法（2017）（示例数据，待核实）"
TIANSHAN_BUILDING = "天山区政府办公楼"
KASHGAR_BUILDING = "喀什市财政局办公楼"
VIEW = "MajorRepairApplicationView"


def _building(session, name):
    from sqlalchemy import select

    return session.execute(select(OfficeBuilding).where(OfficeBuilding.name == name)).scalar_one()


def _daily(ctx, org_key, building, number, day, work, amount, contractor):
    org = ctx.organizations[org_key]
    room = demo_room(ctx.session, building.name, number)
    repair = DailyRepair(
        building=building,
        room=room,
        organization=org,
        jurisdiction=org.jurisdiction,
        repaired_on=day,
        work=work,
        amount=Decimal(amount),
        contractor=contractor,
        posted=True,
        posted_on=day + dt.timedelta(days=3),
    )
    ctx.session.add(repair)
    ctx.session.flush()
    _post_ledger(
        ctx.session,
        source_type=DAILY_ENTITY,
        record=repair,
        organization=org,
        day=day,
        amount=repair.amount,
        payee=contractor,
        description=f"日常维修：{work}",
        number=f"RCWX-{repair.id}",
    )


def _application(ctx, org_key, building, year, scope_of_work, cost, **purposes):
    org = ctx.organizations[org_key]
    application = MajorRepairApplication(
        building=building,
        organization=org,
        jurisdiction=org.jurisdiction,
        year=year,
        scope_of_work=scope_of_work,
        estimated_cost=Decimal(cost),
        applied_on=dt.date(2026, 11, 16),
        **purposes,
    )
    ctx.session.add(application)
    ctx.session.flush()
    return application


def load(ctx) -> None:
    session = ctx.session
    session.add(
        Standard(
            kind=MAJOR_REPAIR_INTERVAL,
            key=ALL_BUILDINGS,
            value=Decimal(15),
            unit="年",
            jurisdiction=ctx.jurisdictions["650000"],
            effective_from=dt.date(2017, 12, 1),
            basis=BASIS,
            backdate_reason=DEMO_BACKDATE_REASON,
        )
    )
    session.flush()
    tianshan = _building(session, TIANSHAN_BUILDING)
    kashgar = _building(session, KASHGAR_BUILDING)

    approved = _application(
        ctx,
        "tianshan_finance",
        tianshan,
        2027,
        "外墙保温层脱落修复、屋面防水翻新、消防喷淋系统更换，2—3 层办公区电路改造",
        "1860000",
        serves_safety=True,
        serves_function=True,
        serves_energy=True,
    )
    approved.rooms = "201、202、203、204"
    transition(approved, "submit", "办公楼建成二十余年，外墙和屋面老化，请审批", view_name=VIEW)
    transition(approved, "approve", "同意，编入 2027 年度大中修项目规划", view_name=VIEW)
    pending = _application(
        ctx,
        "tianshan_education",
        tianshan,
        2027,
        "3 层办公区门窗更换为断桥铝节能门窗",
        "268000",
        serves_energy=True,
    )
    pending.rooms = "303"
    transition(pending, "submit", "门窗老化漏风，冬季能耗高，请审批", view_name=VIEW)
    far = _application(
        ctx,
        "kashgar_finance",
        kashgar,
        2027,
        "机要室防护改造、整楼给排水管网更换",
        "742000",
        serves_secrecy=True,
        serves_function=True,
    )
    transition(far, "submit", "机要室须达到保密要求，管网老化，请审批", view_name=VIEW)
    # 喀什市机关事务管理局 has begun its 2027 plan: the approval of 喀什市财政局's application fills it
    bureau = ctx.organizations["kashgar_bureau"]
    session.add(
        MajorRepairPlan(
            organization=bureau,
            jurisdiction=bureau.jurisdiction,
            year=2027,
            title=f"{bureau.name} 2027 年度大中修项目规划",
            note="编制中（示例数据）",
        )
    )

    _daily(
        ctx,
        "tianshan_finance",
        tianshan,
        "201",
        dt.date(2026, 10, 12),
        "办公室空调维修、更换压缩机",
        "2350.00",
        "乌鲁木齐市天山区宏达机电维修部",
    )
    _daily(
        ctx,
        "tianshan_finance",
        tianshan,
        "204",
        dt.date(2026, 11, 5),
        "会议室吊顶修补、墙面粉刷",
        "4800.00",
        "新疆天润建筑装饰工程有限公司",
    )
    _daily(
        ctx,
        "kashgar_finance",
        kashgar,
        "201",
        dt.date(2026, 11, 9),
        "办公室暖气片更换、管道疏通",
        "1680.00",
        "喀什市诚信水暖维修部",
    )
    session.flush()
