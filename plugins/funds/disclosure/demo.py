"""Demo of 三公经费 (Art. 13).

天山区财政局 (``tianshan_clerk``): this year's 三公 budget, a delegation settled after its return
(so the ledger has its 30212 row), one awaiting 天山区机关事务服务中心 (``tianshan_bureau``), a
draft, the 预算 disclosure published in time and the 决算 disclosure drafted. 乌鲁木齐市财政局 has
a budget too, so ``urumqi_bureau``'s roll-up shows the city's level and 天山区 below it.
天山区教育局's 预算 disclosure is overdue (工作台: 逾期未公开的三公经费); 喀什市财政局 has
its own delegation and budget (rows beside, which 乌鲁木齐's roll-up leaves out). Receptions
(30217) come from the receptions module's demo.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from catalog.expenditures import EconomicClass, economic_class_in_force
from catalog.models import Standard
from catalog.standards import DEMO_BACKDATE_REASON
from core.api import run_operation, transition
from plugins.funds.disclosure.figures import frozen, organization_table
from plugins.funds.disclosure.models import (
    DEADLINE_DAYS,
    DEADLINE_KEY,
    OutboundMember,
    OutboundTrip,
    SangongBudget,
    SangongDisclosure,
)

#: the 三公 classes, if the catalog's seed of the classification is not loaded (财预〔2017〕98号)
CLASSES = (("30212", "因公出国（境）费用"), ("30217", "公务接待费"), ("30231", "公务用车运行维护费"),
           ("31013", "公务用车购置"))


def _classes(session, day: dt.date) -> None:
    for code, name in CLASSES:
        if economic_class_in_force(session, code, day) is None:
            session.add(EconomicClass(code=code, name=name, level=2, effective_from=dt.date(2018, 1, 1),
                                      basis="财预〔2017〕98号（演示数据）"))
    session.flush()


def _trip(session, org, name, leader, places, purpose, leaves, days, budget, members):
    trip = OutboundTrip(organization=org, name=name, leader=leader, destinations=places, purpose=purpose,
                        departs_on=leaves, returns_on=leaves + dt.timedelta(days=days - 1),
                        budget=Decimal(budget))
    trip.members = [OutboundMember(name=n, post=p, employer=org.name) for n, p in members]
    session.add(trip)
    session.flush()
    return trip


def load(ctx) -> None:
    session = ctx.session
    today = dt.date.today()
    year = today.year
    _classes(session, dt.date(year, 1, 1))
    session.add(Standard(kind=DEADLINE_DAYS, key=DEADLINE_KEY, value=Decimal(20), unit="天",
                         jurisdiction=ctx.jurisdictions["650000"], effective_from=dt.date(2023, 1, 1),
                         basis="演示数据（参照预算法第十四条“批复后二十日内公开”，请以本地文件为准）",
                         backdate_reason=DEMO_BACKDATE_REASON))
    tianshan = ctx.organizations["tianshan_finance"]
    approved_on = dt.date(year, 1, 20)
    session.add_all([
        SangongBudget(organization=tianshan, year=year - 1, approved_on=dt.date(year - 1, 1, 18),
                      outbound=Decimal("80000"), vehicle_purchase=Decimal("0"),
                      vehicle_running=Decimal("60000"), reception=Decimal("30000")),
        SangongBudget(organization=tianshan, year=year, approved_on=approved_on, outbound=Decimal("60000"),
                      vehicle_purchase=Decimal("0"), vehicle_running=Decimal("55000"),
                      reception=Decimal("25000"), note="部门预算批复文件：天财预〔演示〕1号"),
        SangongBudget(organization=ctx.organizations["urumqi_finance"], year=year,
                      approved_on=dt.date(year, 1, 15), outbound=Decimal("120000"),
                      vehicle_purchase=Decimal("250000"), vehicle_running=Decimal("90000"),
                      reception=Decimal("40000")),
        SangongBudget(organization=ctx.organizations["kashgar_finance"], year=year,
                      approved_on=dt.date(year, 1, 25), outbound=Decimal("50000"),
                      vehicle_purchase=Decimal("0"), vehicle_running=Decimal("70000"),
                      reception=Decimal("30000")),
    ])

    session.flush()

    # settled: approved by 天山区机关事务服务中心, back, cost booked in the ledger (30212)
    done = _trip(session, tianshan, "天山区财政局赴哈萨克斯坦财政管理考察团", "王建国", "哈萨克斯坦",
                 "考察预算绩效管理经验", dt.date(year, 5, 10), 6, "52000",
                 [("王建国", "局长"), ("李娜", "预算股股长"), ("阿依古丽·买买提", "科员")])
    transition(done, "submit", comment="任务批件已附")
    transition(done, "approve", comment="同意出访")
    session.flush()
    run_operation(done, "settle", {"returned_on": done.returns_on.isoformat(), "actual_cost": "48650.00",
                                   "note": "国际旅费、住宿费、伙食费据实结算"})
    # awaiting 天山区机关事务服务中心
    pending = _trip(session, tianshan, "天山区财政局赴吉尔吉斯斯坦交流团", "张伟", "吉尔吉斯斯坦",
                    "交流国库集中支付经验", today + dt.timedelta(days=30), 5, "40000",
                    [("张伟", "副局长"), ("周敏", "国库股股长")])
    transition(pending, "submit", comment="请审批")
    _trip(session, tianshan, "天山区财政局赴乌兹别克斯坦培训团", "刘洋", "乌兹别克斯坦", "参加财政管理培训",
          today + dt.timedelta(days=60), 8, "45000", [("刘洋", "科员")])
    # 喀什市财政局's own delegation, approved and settled (a row beside 乌鲁木齐)
    kashgar = ctx.organizations["kashgar_finance"]
    far = _trip(session, kashgar, "喀什市财政局赴巴基斯坦考察团", "艾买提·吐尔逊", "巴基斯坦",
                "考察口岸财政保障", dt.date(year, 4, 2), 5, "36000", [("艾买提·吐尔逊", "局长"), ("马丽", "科员")])
    transition(far, "submit")
    transition(far, "approve", comment="同意")
    session.flush()
    run_operation(far, "settle", {"returned_on": far.returns_on.isoformat(), "actual_cost": "35200.00"})

    # 天山区财政局: the 预算 table published within the 20 days (frozen as published), the 决算 drafted
    table = organization_table(session, tianshan, year, "budget")
    table["vehicles_held"] = 6
    session.add_all([
        SangongDisclosure(organization=tianshan, year=year, kind="budget", approved_on=approved_on,
                          vehicles_held=6, explanation="因公出国（境）费、公务接待费较上年压减，落实过紧日子要求。",
                          published_on=approved_on + dt.timedelta(days=12),
                          published_place="http://www.xjtsq.gov.cn/czj/yjsgk/", figures=frozen(table)),
        SangongDisclosure(organization=tianshan, year=year, kind="final", approved_on=today,
                          vehicles_held=6),
        # overdue: approved in January, still unpublished
        SangongDisclosure(organization=ctx.organizations["tianshan_education"], year=year, kind="budget",
                          approved_on=dt.date(year, 1, 22), vehicles_held=3),
        SangongDisclosure(organization=kashgar, year=year, kind="budget", approved_on=dt.date(year, 1, 25),
                          vehicles_held=4),
    ])
    session.flush()
