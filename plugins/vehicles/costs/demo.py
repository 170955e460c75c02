"""Demo data of the costs area (Art. 29): the standards the evaluation reads, and the running
costs of a vehicle of 天山区财政局 (tianshan_clerk) in November 2026 — fuel, insurance at the
designated insurer, a repair at the designated 天山区汽车综合维修厂 and one at a shop that is not
designated (flagged), all posted to 30231 so the 三公经费 of 天山区财政局 include them, and a
parking fee awaiting 入账; the 2026 evaluation is entered, left for the clerk to run (评价)."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from sqlalchemy import column, insert, table

from catalog.models import Standard
from catalog.standards import DEMO_BACKDATE_REASON
from plugins.vehicles.costs.models import COST_ENTITY, VehicleCost, VehicleEvaluation
from plugins.vehicles.costs.operations import post_cost
from plugins.vehicles.costs.standards import (
    ALL_VEHICLES,
    COST_PER_KM_CAP,
    DESIGNATED_TARGET,
    GRADE_KIND,
    RUNNING_COST_CAP,
    WEIGHT_KIND,
)

BASIS = "演示数据（参照公务用车运行维护费用管理和绩效评价做法拟定，请以本地文件为准）"
STANDARDS = [
    (RUNNING_COST_CAP, ALL_VEHICLES, 30000, "元/辆·年"), (COST_PER_KM_CAP, ALL_VEHICLES, "1.50", "元/公里"),
    (DESIGNATED_TARGET, ALL_VEHICLES, 100, "%"),
    (WEIGHT_KIND, "running_cost", 40, "分"), (WEIGHT_KIND, "cost_per_km", 30, "分"),
    (WEIGHT_KIND, "designated_repairs", 30, "分"),
    (GRADE_KIND, "excellent", 90, "分"), (GRADE_KIND, "good", 80, "分"), (GRADE_KIND, "pass", 60, "分"),
]
ORG = "tianshan_finance"
CLERK = "tianshan_clerk"
#: (kind, day, amount, supplier, odometer, posted, note)
COSTS = [
    ("fuel", dt.date(2026, 11, 3), "420.00", "中国石油新疆销售有限公司", 35210, True, "加油 55 升"),
    ("insurance", dt.date(2026, 11, 5), "3860.00", "中国人民财产保险股份有限公司乌鲁木齐市分公司", None, True,
     "2027 年度交强险和商业险"),
    ("repair", dt.date(2026, 11, 12), "1280.00", "天山区汽车综合维修厂", 35580, True, "更换刹车片"),
    ("fuel", dt.date(2026, 11, 18), "398.50", "中国石油新疆销售有限公司", 35870, True, "加油 52 升"),
    ("repair", dt.date(2026, 11, 24), "650.00", "天山区友好路汽车修理部", 36120, True, "更换雨刮和灯泡"),
    ("parking", dt.date(2026, 11, 28), "60.00", "乌鲁木齐市会展中心停车场", None, False, "外出开会停车"),
]
INVOICE_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>"
               b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _standards(ctx) -> None:
    region = ctx.jurisdictions["650000"]
    for kind, key, value, unit in STANDARDS:
        ctx.session.add(Standard(kind=kind, key=key, value=Decimal(str(value)), unit=unit, jurisdiction=region,
                                 effective_from=dt.date(2024, 1, 1), basis=BASIS,
                                 backdate_reason=DEMO_BACKDATE_REASON))


def _vehicle(ctx, org_key: str = ORG):
    """The organisation's first vehicle in service: the fleet's demo (AREAS order) registered it."""
    from plugins.vehicles.fleet.establishment import vehicles_in_service

    return vehicles_in_service(ctx.session, ctx.organizations[org_key].id)[0]


def attach_invoice(session, cost: VehicleCost, uploaded_by: str = CLERK) -> None:
    """The cost's 发票 as the demo's attachment (the system seeds it, like the records)."""
    attachments = table("core_attachment", column("id"), column("entity"), column("record_id"), column("kind"),
                        column("filename"), column("content_type"), column("size"), column("sha256"),
                        column("storage"), column("uploaded_at"), column("uploaded_by"),
                        column("organization_id"), column("jurisdiction_id"))
    result = session.execute(insert(attachments).returning(attachments.c.id).values(
        entity=COST_ENTITY, record_id=str(cost.id), kind="invoice", filename="发票.pdf",
        content_type="application/pdf", size=len(INVOICE_PDF), sha256=hashlib.sha256(INVOICE_PDF).hexdigest(),
        storage="database", uploaded_at=dt.datetime.now(dt.UTC).replace(tzinfo=None), uploaded_by=uploaded_by,
        organization_id=cost.organization_id, jurisdiction_id=cost.jurisdiction_id))
    contents = table("core_attachment_content", column("attachment_id"), column("data"))
    session.execute(insert(contents).values(attachment_id=result.scalar_one(), data=INVOICE_PDF))


def load(ctx) -> None:
    session = ctx.session
    _standards(ctx)
    vehicle = _vehicle(ctx)
    org = vehicle.organization
    for kind, day, amount, supplier, odometer, posted, note in COSTS:
        cost = VehicleCost(vehicle=vehicle, organization=org, jurisdiction=vehicle.jurisdiction, kind=kind,
                           spent_on=day, amount=Decimal(amount), supplier=supplier, odometer_km=odometer,
                           note=note, posted=posted, posted_on=day + dt.timedelta(days=2) if posted else None)
        session.add(cost)
        session.flush()
        attach_invoice(session, cost)
        if posted:
            post_cost(session, cost)
    # the year's evaluation, entered and waiting for 评价 once December's costs are in
    session.add(VehicleEvaluation(organization=org, jurisdiction=org.jurisdiction, year=2026,
                                  remark="年末评价前请核对全年费用是否均已入账"))
    session.flush()
    _kashgar(ctx)


def _kashgar(ctx) -> None:
    """喀什市财政局: a posted fuel cost of its 桑塔纳 and its 2026 evaluation, so each level reads its
    own costs and never a neighbour's (the authorization matrix)."""
    session = ctx.session
    vehicle = _vehicle(ctx, "kashgar_finance")
    org = vehicle.organization
    cost = VehicleCost(vehicle=vehicle, organization=org, jurisdiction=vehicle.jurisdiction, kind="fuel",
                       spent_on=dt.date(2026, 11, 9), amount=Decimal("356.00"), supplier="中国石油新疆销售有限公司",
                       odometer_km=vehicle.odometer_km, note="92号汽油", posted=True,
                       posted_on=dt.date(2026, 11, 11))
    session.add(cost)
    session.flush()
    attach_invoice(session, cost, "kashgar_clerk")
    post_cost(session, cost)
    session.add(VehicleEvaluation(organization=org, jurisdiction=org.jurisdiction, year=2026,
                                  remark="年末评价前请核对全年费用是否均已入账"))
    session.flush()
