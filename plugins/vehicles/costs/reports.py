"""Reports of the costs area (Art. 29): 单车运行费用台账 (on the long-ledger renderer) and
公务用车年度绩效评价表 (a form of one evaluation)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates
from sqlalchemy import select

from core.api import (
    STANDARD_SIGNATURES,
    LedgerColumn,
    Report,
    current_scope,
    db,
    ledger_meta,
    local_today,
    render_ledger_pdf,
    scoped,
)
from plugins.vehicles.costs.accounting import km_driven, trip_readings
from plugins.vehicles.costs.models import COST_KINDS, EVALUATION_ENTITY, VehicleCost, VehicleEvaluation
from plugins.vehicles.costs.standards import INDICATORS


def find_vehicle(plate: str, scope=None):
    """The vehicle with ``plate`` (its costs are in ``scope``), or None."""
    from plugins.vehicles.fleet.models import Vehicle

    plate = (plate or "").strip()
    vehicle = db.session.execute(select(Vehicle).where(Vehicle.plate == plate)).scalar_one_or_none()
    if vehicle is None:
        return None
    # the vehicle is visible when the caller may read its organisation's costs
    from catalog.models import Organization

    reach = scoped(select(Organization.id).where(Organization.id == vehicle.organization_id),
                   Organization, scope)
    return vehicle if db.session.execute(reach).first() is not None else None


class LedgerParams(Schema):
    plate = fields.String(required=True, metadata={
        "label": _l("车牌号"), "description": _l("如 新A·D12345；只能打印本单位或本辖区的车辆")})
    year = fields.Integer(load_default=lambda: local_today().year, metadata={"label": _l("年度")})

    @validates("plate")
    def _plate(self, value, **_kw):
        if find_vehicle(value, current_scope()) is None:
            raise ValidationError(_("车辆不存在或不在您的权限范围内"))

    @validates("year")
    def _year(self, value, **_kw):
        if not 2000 <= value <= 2100:
            raise ValidationError(_("年度应在 2000 至 2100 之间"))


def ledger_context(params: dict, scope) -> dict:
    vehicle = find_vehicle(params["plate"], scope)
    year = params["year"]
    if vehicle is None:
        return {"vehicle": None, "rows": [], "period": str(year), "issuer": ""}
    query = scoped(select(VehicleCost).where(
        VehicleCost.vehicle_id == vehicle.id, VehicleCost.voided_at.is_(None),
        VehicleCost.spent_on >= dt.date(year, 1, 1), VehicleCost.spent_on <= dt.date(year, 12, 31))
        .order_by(VehicleCost.spent_on, VehicleCost.id), VehicleCost, scope)
    costs = list(db.session.execute(query).scalars())
    rows, by_kind = [], {}
    for cost in costs:
        rows.append((cost.spent_on, cost.kind_label, cost.supplier or "", cost.odometer_km if cost.odometer_km
                     is not None else "", Decimal(cost.amount), cost.posted_label))
        by_kind[cost.kind] = by_kind.get(cost.kind, Decimal(0)) + Decimal(cost.amount)
    total = sum(by_kind.values(), Decimal(0))
    posted = [c for c in costs if c.posted]
    posted_total = sum((Decimal(c.amount) for c in posted), Decimal(0))
    km = km_driven(costs, trip_readings(db.session, vehicle.id, year))
    per_km = (total / km).quantize(Decimal("0.01")) if km else None
    return {
        "vehicle": vehicle, "year": year, "rows": rows,
        "by_kind": [(str(COST_KINDS[k]), by_kind[k]) for k in COST_KINDS if k in by_kind],
        "total": total, "posted_total": posted_total, "km": km, "per_km": per_km,
        "period": _("%(year)s 年度　%(plate)s %(brand)s%(model)s", year=year, plate=vehicle.plate,
                    brand=vehicle.brand, model=vehicle.model_name),
        "issuer": vehicle.organization.name,
        "orientation": "landscape",
    }


def ledger_columns() -> list[LedgerColumn]:
    return [
        LedgerColumn("day", _("发生日期"), 24, align="center"), LedgerColumn("kind", _("费用类别"), 22),
        LedgerColumn("supplier", _("收款单位")), LedgerColumn("odometer", _("里程表读数（公里）"), 32,
                                                            align="right"),
        LedgerColumn("amount", _("金额（元）"), 30, align="right", fmt=",.2f", sum=True),
        LedgerColumn("posted", _("入账状态"), 20, align="center"),
    ]


def render_ledger(context: dict) -> bytes:
    """Every cost line, 合计, then 其中 per kind and the km and cost per km."""
    totals = {_("其中：%(what)s", what=label): {"amount": value}
              for label, value in context.get("by_kind", [])}
    if context.get("vehicle") is not None:
        totals[_("其中：已入账")] = {"amount": context["posted_total"]}
        if context["per_km"] is not None:
            totals[_("行驶里程 %(km)s 公里，每公里运行费用 %(per_km)s 元", km=context["km"],
                     per_km=context["per_km"])] = {}
        else:
            totals[_("里程读数不足两次，未计算每公里运行费用")] = {}
    title = context["title"] + (_("（草稿）") if context.get("draft") else "")
    return render_ledger_pdf(title, ledger_columns(), context["rows"], totals=totals,
                             meta=ledger_meta(context), subtitle=context["period"], orientation="landscape")


def find_evaluation(key, scope=None) -> VehicleEvaluation | None:
    key = str(key or "").strip()
    if not key.isdigit():
        return None
    query = select(VehicleEvaluation).where(VehicleEvaluation.id == int(key))
    return db.session.execute(scoped(query, VehicleEvaluation, scope)).scalar_one_or_none()


class EvaluationParams(Schema):
    evaluation = fields.String(required=True, metadata={
        "label": _l("绩效评价"), "description": _l("输入评价记录编号；只能打印本单位或本辖区的评价"),
        "record": EVALUATION_ENTITY})

    @validates("evaluation")
    def _exists(self, value, **_kw):
        if find_evaluation(value, current_scope()) is None:
            raise ValidationError(_("绩效评价不存在或不在您的权限范围内"))


def evaluation_context(params: dict, scope) -> dict:
    evaluation = find_evaluation(params["evaluation"], scope)
    if evaluation is None:
        return {"evaluation": None, "period": "", "issuer": ""}
    return {"evaluation": evaluation, "figures": evaluation.figures or {},
            "indicators": {k: str(v) for k, v in INDICATORS.items()},
            "grades": {"excellent": _("优秀"), "good": _("良好"), "pass": _("合格"), "fail": _("不合格")},
            "period": _("%(year)s 年度", year=evaluation.year), "issuer": evaluation.organization.name}


def reports() -> list[Report]:
    return [
        Report(key="vehicles_cost_ledger", label=_l("单车运行费用台账"), params_schema=LedgerParams,
               build_context=ledger_context, template="vehicles/costs_ledger.html",
               orientation="landscape", signatures=STANDARD_SIGNATURES, render_pdf=render_ledger,
               description=_l("一辆公务用车一年的每笔运行费用，按费用类别小计，行驶里程和每公里运行费用"
                              "（单车核算，第二十九条）")),
        Report(key="vehicles_evaluation", label=_l("公务用车年度绩效评价表"), params_schema=EvaluationParams,
               build_context=evaluation_context, template="vehicles/costs_evaluation.html",
               orientation="landscape", signatures=(_l("评价人"), _l("审核人"), _l("单位负责人")),
               prints=EVALUATION_ENTITY,
               description=_l("各车辆和本单位的单车年运行费用、每公里运行费用、定点维修保养占比，得分和评价等级"
                              "（第二十九条）")),
    ]
