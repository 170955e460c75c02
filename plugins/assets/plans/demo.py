"""Demo configuration plans of 乌鲁木齐市天山区财政局, one in each step of the approval.

Log in as ``tianshan_clerk`` to edit the draft and submit it, ``tianshan_bureau`` to
review the one awaiting the bureau, ``tianshan_fin_reviewer`` to approve the one awaiting
finance (Art. 17: the bureau and the finance department of 天山区, the plan's own level); the approved plan exports as budget input and its exception line (a computer
above the per-person quantity cap) lets the clerk register that computer's card.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from catalog.models import Standard
from catalog.standards import DEMO_BACKDATE_REASON
from core.api import transition
from plugins.assets.cards.models import Asset, AssetClass
from plugins.assets.plans.models import QUANTITY_CAP_ORG, AssetPlan, AssetPlanLine

ORG = "tianshan_finance"
COMPUTERS, OFFICE, FURNITURE = "2010000", "2020000", "5010000"

#: (organisation, year, title, note, [(class, name, spec, qty, unit, price, reason, exception reason)], steps)
PLANS = [
    (ORG, 2027, "2027 年度办公设备配置计划", "根据 2027 年度工作任务编制，尚在编制中。",
     # the spec names a brand and asks for the same model: the Art. 14 finding of the walk
     [(OFFICE, "激光打印机", "A4 黑白，与现有惠普打印机同型号", 1, "台", "1800", "综合科打印需求增加", None)],
     []),
    (ORG, 2027, "2027 年度家具补充配置计划", "更换使用年限已满且损坏的办公家具。",
     [(FURNITURE, "办公椅", "网布", 1, "把", "600", "原座椅损坏无法修复", None)],
     [("submit", "天山区财政局经办人：请予审核")]),
    (ORG, 2027, "2027 年度打印设备更新计划", "会议室打印复印需求。",
     [(OFFICE, "多功能一体机", "A3 彩色", 1, "台", "4600", "会议材料印制", None)],
     [("submit", "请予审核"), ("approve", "天山区机关事务服务中心：符合配置标准，同意，报财政审批")]),
    (ORG, 2026, "2026 年度新增人员计算机配置计划", "2026 年新增编制人员 1 名。",
     [(COMPUTERS, "便携式计算机", "国产 14 英寸", 1, "台", "5800", "新增编制人员办公使用",
       "新增编制人员 1 名，现有计算机已按人均 1 台配满，无同类闲置资产可调剂"),
      (OFFICE, "激光打印机", "A4 黑白", 1, "台", "1800", "新增人员办公使用", None)],
     [("submit", "请予审核"), ("approve", "天山区机关事务服务中心：超标准配置理由充分，同意"),
      ("approve", "天山区财政局：同意列入 2026 年度部门预算")]),
    # another prefecture's draft: 喀什 (kashgar_clerk) has a plan of its own
    ("kashgar_finance", 2027, "2027 年度喀什市财政局办公设备配置计划", "办公设备更新。",
     [(OFFICE, "激光打印机", "A4 黑白", 1, "台", "1800", "原打印机报废", None)], []),
]


def load(ctx) -> None:
    """Called after the cards are loaded (``plugin.AREAS`` order); the system acts, so rules hold."""
    session = ctx.session
    # a per-organisation cap besides the per-person one: printers and copiers are shared
    session.add(Standard(kind=QUANTITY_CAP_ORG, key=OFFICE, value=Decimal(10), unit="件",
                         jurisdiction=ctx.jurisdictions["650000"], effective_from=dt.date(2023, 1, 1),
                         basis="新财资〔2023〕示例号", backdate_reason=DEMO_BACKDATE_REASON))
    classes = {c.code: c for c in session.execute(select(AssetClass)).scalars()}
    # the story of the exception line: 天山区财政局 uses 2 computers, the cap is 1 per 编制 — written
    # for 编制人数 2 (what the assets tests record); the demo's 编制核定 of the bureau is larger
    org = ctx.organizations[ORG]
    session.add(Asset(
        number=f"ZC-{org.jurisdiction.code}-05090", asset_class=classes[COMPUTERS], name="台式计算机",
        specification="国产 i5/8G/256G", quantity=1, unit="台", original_value=Decimal("4900"),
        acquired_on=dt.date(2021, 9, 1), acquisition_method="existing", funding_source="fiscal",
        location=f"{org.name}办公楼 302 室", custodian=ctx.people.get(f"{ORG}.1"), organization=org,
        jurisdiction=org.jurisdiction, status="in_use"))
    for org_key, year, title, note, lines, steps in PLANS:
        org = ctx.organizations[org_key]
        plan = AssetPlan(organization=org, year=year, title=title, note=note)
        for code, name, spec, qty, unit, price, reason, exception in lines:
            plan.lines.append(AssetPlanLine(
                asset_class=classes[code], name=name, specification=spec, quantity=qty, unit=unit,
                unit_price=Decimal(price), reason=reason, organization=org,
                exception_requested=exception is not None, exception_reason=exception))
        session.add(plan)
        session.flush()
        for action, comment in steps:
            transition(plan, action, comment, view_name="AssetPlanView")
    session.flush()
