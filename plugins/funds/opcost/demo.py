"""Demo data of the operating-cost area (Art. 15): the evaluation's standards, two years of
ledger rows for the organisations of 天山区, 沙依巴克区 and 喀什市, their office space, and last
year's reports — 天山区 submitted (urumqi_bureau decides), 沙依巴克区 accepted, 喀什市 a draft."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from catalog.expenditures import EconomicClass, economic_class_in_force, post_expenditure
from catalog.models import Standard, establishment_in_force
from catalog.standards import DEMO_BACKDATE_REASON
from core.api import local_today, transition
from plugins.funds.opcost.figures import covered_organizations, refresh
from plugins.funds.opcost.models import OpcostOfficeArea, OpcostReport
from plugins.funds.opcost.scoring import GRADE_KIND, TARGET_KIND, WEIGHT_KIND

BASIS = "演示数据（参照财政部、国管局机关运行经费统计和绩效评价做法拟定，请以本地文件为准）"
STANDARDS = [
    (WEIGHT_KIND, "per_capita_cost", 30, "分"), (WEIGHT_KIND, "per_area_cost", 20, "分"),
    (WEIGHT_KIND, "budget_execution", 30, "分"), (WEIGHT_KIND, "sangong_control", 20, "分"),
    (TARGET_KIND, "per_capita_cost", 20000, "元/人"), (TARGET_KIND, "per_area_cost", 900, "元/m²"),
    (TARGET_KIND, "budget_execution", 95, "%"), (TARGET_KIND, "sangong_control", 0, "%"),
    (GRADE_KIND, "excellent", 90, "分"), (GRADE_KIND, "good", 80, "分"), (GRADE_KIND, "pass", 60, "分"),
]
#: (code, name, yearly amount per person in 元): what a demo organisation spends
SPENDING = [
    ("30201", "办公费", 2600), ("30202", "印刷费", 300), ("30205", "水费", 450), ("30206", "电费", 2100),
    ("30207", "邮电费", 500), ("30208", "取暖费", 2400), ("30209", "物业管理费", 3200),
    ("30211", "差旅费", 2300), ("30213", "维修（护）费", 900), ("30215", "会议费", 600),
    ("30216", "培训费", 700), ("30217", "公务接待费", 650), ("30231", "公务用车运行维护费", 1500),
    ("31002", "办公设备购置", 1200),
]
SOURCE_TYPE = "funds_opcost_demo"


def _classes(session) -> None:
    """The classes the demo books under, where the catalog's classification lacks them."""
    for code, name, _amount in SPENDING:
        if economic_class_in_force(session, code, dt.date(2020, 1, 1)) is None:
            session.add(EconomicClass(code=code, name=name, level=2, effective_from=dt.date(2018, 1, 1),
                                      basis="演示数据（财预〔2017〕98号，请以本地文件为准）"))
    session.flush()


def _book(session, org, year: int, factor: Decimal) -> None:
    est = establishment_in_force(session, org, dt.date(year, 12, 31))
    people = est.actual if est is not None else 10
    for code, _name, per_person in SPENDING:
        post_expenditure(session, source_module="funds", source_type=SOURCE_TYPE,
                         source_id=org.id * 10000 + year, organization=org,
                         spent_on=dt.date(year, 6, 30), economic_code=code,
                         amount=(Decimal(per_person) * people * factor).quantize(Decimal("0.01")),
                         description="演示数据：年度支出汇总")


def load(ctx) -> None:
    session = ctx.session
    region = ctx.jurisdictions["650000"]
    for kind, key, value, unit in STANDARDS:
        session.add(Standard(kind=kind, key=key, value=Decimal(value), unit=unit, jurisdiction=region,
                             effective_from=dt.date(2024, 1, 1), basis=BASIS,
                             backdate_reason=DEMO_BACKDATE_REASON))
    _classes(session)
    year = local_today().year - 1
    plans = [("650102", "tianshan_bureau", Decimal("1.08"), "submit"),
             ("650103", "saybagh_bureau", Decimal("0.95"), "approve"),
             ("653101", "kashgar_bureau", Decimal("1.00"), None)]
    for code, bureau, factor, step in plans:
        jurisdiction = ctx.jurisdictions[code]
        orgs = covered_organizations(session, jurisdiction)
        for index, org in enumerate(orgs):
            _book(session, org, year - 1, Decimal("1.00"))
            _book(session, org, year, factor)
            est = establishment_in_force(session, org, dt.date(year, 12, 31))
            people = est.actual if est is not None else 10
            session.add(OpcostOfficeArea(organization=org, year=year, area=Decimal(people * 24 + index * 15),
                                         note="演示数据"))
        session.flush()
        report = OpcostReport(organization=ctx.organizations[bureau], year=year,
                              budget=Decimal(530000) * len(orgs),
                              remark="演示数据：运行成本总体平稳，能耗支出略有增长。")
        session.add(report)
        session.flush()
        refresh(session, report)
        session.flush()
        if step:
            transition(report, "submit", "请审核本区机关运行成本统计报告")
        if step == "approve":
            transition(report, "approve", "已审核，同意")
    session.flush()
