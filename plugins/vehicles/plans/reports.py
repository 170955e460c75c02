"""年度公务用车配备更新计划表 (one plan) and 公务用车配备更新计划汇总表 (a year's plans in scope), PDF."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates
from sqlalchemy import select

from catalog.models import standard_in_force
from core.api import Report, chinese_date, current_scope, db, scoped, workflow_history
from plugins.vehicles.plans.models import (
    ALL_KEY,
    DISPLACEMENT_CAP,
    NEW_ENERGY_SHARE,
    PLAN_STAGES,
    PRICE_CAP,
    PlanSummary,
    VehiclePlan,
    establishment_check,
    plan_day,
)


def _standard(session, plan, kind, key):
    jurisdiction = plan.jurisdiction or plan.organization.jurisdiction
    found = standard_in_force(session, kind, key, jurisdiction, plan_day(plan.year))
    return Decimal(found.value) if found is not None and found.value is not None else None


def plan_summary(session, plan: VehiclePlan) -> PlanSummary:
    """Per category of the plan: establishment, holdings, the year's additions; the new-energy share
    against its target; each line's caps (what the page and the report show beside the lines)."""
    summary = PlanSummary(share=plan.new_energy_share,
                          target=_standard(session, plan, NEW_ENERGY_SHARE, ALL_KEY))
    seen = {}
    for line in plan.lines:
        if line.category is not None and line.category.id not in seen:
            seen[line.category.id] = line.category
    for category in seen.values():
        summary.establishments.append(establishment_check(session, plan, category))
    summary.caps = {line.id: (_standard(session, plan, PRICE_CAP, line.category.code),
                              _standard(session, plan, DISPLACEMENT_CAP, line.category.code))
                    for line in plan.lines if line.category is not None}
    return summary


class PlanParams(Schema):
    plan_id = fields.Integer(required=True, metadata={
        "label": _l("配备更新计划"), "description": _l("输入计划编号（如 PB-2027-00001）或说明搜索"),
        "record": "vehicle_plan"})

    @validates("plan_id")
    def _readable(self, value, **_kw):
        found = db.session.execute(
            scoped(select(VehiclePlan.id).where(VehiclePlan.id == value), VehiclePlan, current_scope())
        ).scalar()
        if found is None:
            raise ValidationError(_("没有编号为 %(id)s 的配备更新计划，或您无权查看", id=value))


def _history(plan) -> list[dict]:
    label = {"submit": _("提交"), "withdraw": _("撤回"), "approve": _("审核同意"),
             "approve_finance": _("审核同意"), "reject": _("退回")}
    stage_of = {stage.state: stage.label for stage in PLAN_STAGES}
    rows = []
    for event in workflow_history(plan):
        text = label.get(event.action, event.action)
        if event.action in ("approve", "approve_finance", "reject") and event.from_state in stage_of:
            text = f"{text}（{stage_of[event.from_state]}）"
        rows.append(dict(at=event.at, user=event.username, action=text, comment=event.comment or ""))
    return rows


def plan_context(params: dict, scope) -> dict:
    plan = db.session.execute(
        scoped(select(VehiclePlan).where(VehiclePlan.id == params["plan_id"]), VehiclePlan, scope)
    ).scalar_one()
    return {
        "plan": plan, "summary": plan_summary(db.session, plan), "history": _history(plan),
        "period": _("%(year)s 年度", year=plan.year), "issuer": plan.organization.name,
        "printed_on": chinese_date,
    }


class YearParams(Schema):
    year = fields.Integer(required=True, metadata={"label": _l("计划年度"), "description": _l("如 2027")})

    @validates("year")
    def _year(self, value, **_kw):
        if not 2000 <= value <= 2100:
            raise ValidationError(_("年度应为 2000—2100 之间的年份"))


def year_context(params: dict, scope) -> dict:
    """Every plan of the year the caller may read (drafts left out), by organisation."""
    plans = list(db.session.execute(scoped(
        select(VehiclePlan).where(VehiclePlan.year == params["year"], VehiclePlan.state != "draft")
        .order_by(VehiclePlan.jurisdiction_id, VehiclePlan.organization_id, VehiclePlan.id),
        VehiclePlan, scope)).scalars())
    rows = []
    for plan in plans:
        summary = plan_summary(db.session, plan)
        rows.append(dict(plan=plan, summary=summary,
                         new=sum(line.quantity for line in plan.lines if line.action == "new"),
                         renewal=sum(line.quantity for line in plan.lines if line.action == "renewal")))
    vehicles = sum(plan.vehicle_count for plan in plans)
    new_energy = sum(plan.new_energy_count for plan in plans)
    share = (Decimal(new_energy) * 100 / vehicles).quantize(Decimal("0.1")) if vehicles else None
    return {
        "rows": rows, "year": params["year"], "period": _("%(year)s 年度", year=params["year"]),
        "total_budget": sum((plan.budget for plan in plans), Decimal(0)),
        "total_amount": sum((plan.total_amount for plan in plans), Decimal(0)),
        "total_vehicles": vehicles, "total_new_energy": new_energy, "total_share": share,
        "printed_on": chinese_date,
    }


def reports() -> list[Report]:
    return [
        Report(
            key="vehicle_plan", label=_l("年度公务用车配备更新计划表"), params_schema=PlanParams,
            build_context=plan_context, template="vehicles/plans_report.html", orientation="landscape",
            prints="vehicle_plan",
            signatures=(_l("经办人"), _l("单位负责人"), _l("机关事务管理部门"), _l("财政部门")),
            description=_l("计划明细、合计、新能源汽车占比与目标、各类别编制与现有车辆、审批记录（第二十七、二十八条）"),
        ),
        Report(
            key="vehicle_plans_year", label=_l("公务用车配备更新计划汇总表"), params_schema=YearParams,
            build_context=year_context, template="vehicles/plans_year_report.html", orientation="landscape",
            signatures=(_l("经办人"), _l("审核人"), _l("负责人")),
            description=_l("本辖区某年度已提交的配备更新计划：预算、金额、新增与更新车辆、新能源汽车占比（第二十八条）"),
        ),
    ]
