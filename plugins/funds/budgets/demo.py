"""Demo budgets (Art. 12): quotas, 天山区财政局's approved 2026 budget from its 编制, the 天山区
bureau's central items allocated, one adjustment waiting for tianshan_fin_reviewer, and a budget
in some state in 乌鲁木齐市 (submitted) and 喀什市 (approved, an adjustment drafted, a central item
waiting)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

import catalog.expenditures as expenditures
from catalog.expenditures import EconomicClass
from catalog.models import Standard
from catalog.standards import DEMO_BACKDATE_REASON
from core.api import transition
from plugins.funds.budgets.models import (
    QUOTA,
    Budget,
    BudgetAdjustment,
    CentralAllocation,
    CentralItem,
)
from plugins.funds.budgets.operations import generate

YEAR = 2026
BASIS = "演示数据（参照自治区本级公用经费定额，请以本地文件为准）"
#: the demo quotas, 元/人·年, by economic class
QUOTAS = {"30201": 3000, "30207": 800, "30209": 2000, "30211": 4000, "30215": 500, "30216": 600}
#: the classes the budgets use, if the catalog's classification is not loaded yet
CLASSES = {
    "302": ("商品和服务支出", None), "310": ("资本性支出", None),
    "30201": ("办公费", "302"), "30206": ("电费", "302"), "30207": ("邮电费", "302"),
    "30209": ("物业管理费", "302"), "30211": ("差旅费", "302"), "30213": ("维修（护）费", "302"),
    "30215": ("会议费", "302"), "30216": ("培训费", "302"), "30217": ("公务接待费", "302"),
    "31013": ("公务用车购置", "310"),
}


def ensure_classes(session) -> None:
    """The economic classes the demo budgets name (the catalog's loader when it has one)."""
    loader = getattr(expenditures, "load_economic_classes", None)
    have = set(session.execute(select(EconomicClass.code)).scalars())
    if loader is not None and not have:  # the catalog's demo did not load them yet
        loader(session)
        have = set(session.execute(select(EconomicClass.code)).scalars())
    rows = {}
    for code, (name, parent) in CLASSES.items():
        if code in have:
            continue
        rows[code] = EconomicClass(code=code, name=name, level=1 if parent is None else 2,
                                   effective_from=dt.date(2018, 1, 1), basis="演示数据（参照财预〔2017〕98号）")
        if parent is not None:
            rows[code].parent = rows.get(parent) or session.execute(
                select(EconomicClass).where(EconomicClass.code == parent)).scalars().first()
        session.add(rows[code])
    session.flush()


def _budget(ctx, org_key: str, steps: tuple) -> Budget:
    org = ctx.organizations[org_key]
    budget = Budget(organization=org, jurisdiction_id=org.jurisdiction_id, year=YEAR,
                    note="演示数据：按 1 月 1 日编制人数 × 定员定额标准生成")
    ctx.session.add(budget)
    ctx.session.flush()
    generate(budget, ctx.session)
    ctx.session.flush()
    for action, comment in steps:
        transition(budget, action, comment, view_name="BudgetView")
    return budget


def load(ctx) -> None:
    session = ctx.session
    ensure_classes(session)
    for code, value in QUOTAS.items():
        session.add(Standard(kind=QUOTA, key=code, value=Decimal(value), unit="元/人·年",
                             jurisdiction=ctx.jurisdictions["650000"], effective_from=dt.date(2024, 1, 1),
                             basis=BASIS, backdate_reason=DEMO_BACKDATE_REASON))
    session.flush()
    approved = (("submit", "请审核"), ("approve", "同意"))
    tianshan = _budget(ctx, "tianshan_finance", approved)
    _budget(ctx, "urumqi_finance", (("submit", "请审核"),))
    kashgar = _budget(ctx, "kashgar_finance", approved)
    # the 天山区 bureau's centrally run items, allocated to the district's units and approved;
    # 喀什市's office space item waits for kashgar_fin_reviewer
    for bureau_key, item, amount, shares, steps in (
        ("tianshan_bureau", "reception", 120000, (("tianshan_finance", 30000), ("tianshan_office", 50000),
                                                  ("tianshan_education", 40000)), approved),
        ("tianshan_bureau", "logistics", 200000, (("tianshan_finance", 60000),
                                                  ("tianshan_office", 80000)), ()),
        ("kashgar_bureau", "office_space", 300000, (("kashgar_finance", 300000),),
         (("submit", "请审核"),)),
    ):
        bureau = ctx.organizations[bureau_key]
        central = CentralItem(organization=bureau, jurisdiction_id=bureau.jurisdiction_id, year=YEAR,
                              item=item, amount=Decimal(amount), note="演示数据")
        for unit, share in shares:
            central.allocations.append(CentralAllocation(
                unit=ctx.organizations[unit], amount=Decimal(share), organization_id=bureau.id,
                jurisdiction_id=bureau.jurisdiction_id))
        session.add(central)
        session.flush()
        for action, comment in steps:
            transition(central, action, comment, view_name="CentralItemView")
    session.flush()
    # one adjustment of the approved budget waits for tianshan_fin_reviewer
    office = next(line for line in tianshan.lines if line.economic_class.code == "30201")
    adjustment = BudgetAdjustment(line=office, delta=Decimal(5000), organization_id=office.organization_id,
                                  jurisdiction_id=office.jurisdiction_id,
                                  reason="演示数据：新增办公场所，办公费调增")
    session.add(adjustment)
    session.flush()
    transition(adjustment, "submit", "请审核", view_name="BudgetAdjustmentView")
    # and a draft one in 喀什市: 培训费 cut
    training = next(line for line in kashgar.lines if line.economic_class.code == "30216")
    session.add(BudgetAdjustment(line=training, delta=Decimal(-2000), organization_id=training.organization_id,
                                 jurisdiction_id=training.jurisdiction_id, reason="演示数据：培训计划压减"))
    session.flush()
