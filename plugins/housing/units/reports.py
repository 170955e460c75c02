"""Report of the units area (Art. 25): 周转住房房源清单 — every unit the reader's scope holds, its
status, its handover (who, when, document) and the year's repairs and their cost. The tenancies
area's 周转住房台账 lists who lives where; this list is the bureau's stock of units."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates
from sqlalchemy import func, select

from core.api import (
    STANDARD_SIGNATURES,
    LedgerColumn,
    Report,
    db,
    join_items,
    ledger_meta,
    local_today,
    render_ledger_pdf,
    scoped,
)
from plugins.housing.units.models import UNIT_STATUSES, HousingUnit, UnitMaintenance

ZERO = Decimal("0.00")


class RegisterParams(Schema):
    year = fields.Integer(load_default=lambda: local_today().year, metadata={
        "label": _l("年度"), "description": _l("统计该年度的维修维护次数和费用")})

    @validates("year")
    def _year(self, value, **_kw):
        if not 2000 <= value <= 2100:
            raise ValidationError(_("年度应在 2000 至 2100 之间"))


def register_context(params: dict, scope) -> dict:
    year = params["year"]
    units = list(db.session.execute(scoped(
        select(HousingUnit).where(HousingUnit.voided_at.is_(None))
        .order_by(HousingUnit.jurisdiction_id, HousingUnit.building, HousingUnit.unit_number),
        HousingUnit, scope)).scalars())
    repairs = {unit_id: (count, Decimal(total or 0)) for unit_id, count, total in db.session.execute(
        select(UnitMaintenance.unit_id, func.count(UnitMaintenance.id), func.sum(UnitMaintenance.cost))
        .where(UnitMaintenance.voided_at.is_(None), UnitMaintenance.unit_id.in_([u.id for u in units]),
               UnitMaintenance.done_on >= dt.date(year, 1, 1),
               UnitMaintenance.done_on <= dt.date(year, 12, 31))
        .group_by(UnitMaintenance.unit_id))}
    rows, by_status = [], {}
    for unit in units:
        count, cost = repairs.get(unit.id, (0, ZERO))
        rows.append((unit.organization.name, f"{unit.building} {unit.unit_number}", unit.kind_label,
                     Decimal(unit.area), unit.rooms, unit.status_label,
                     unit.handed_over_on.isoformat() if unit.handed_over_on else "",
                     unit.handover_document_no or "", count, cost))
        by_status[unit.status] = by_status.get(unit.status, 0) + 1
    issuers = sorted({u.organization.name for u in units})
    return {
        "year": year, "rows": rows,
        "by_status": [(str(label), by_status[key]) for key, label in UNIT_STATUSES.items()
                      if key in by_status],
        "total_area": sum((r[3] for r in rows), ZERO), "total_cost": sum((r[9] for r in rows), ZERO),
        "period": _("%(year)s 年度", year=year), "issuer": join_items(issuers) if len(issuers) <= 3 else
        _("%(first)s 等 %(n)s 个单位", first=issuers[0], n=len(issuers)),
        "orientation": "landscape",
    }


def register_columns() -> list[LedgerColumn]:
    return [
        LedgerColumn("bureau", _("管理单位")), LedgerColumn("unit", _("房源")),
        LedgerColumn("kind", _("房源类型"), 20),
        LedgerColumn("area", _("建筑面积（平方米）"), 26, align="right", fmt=",.2f", sum=True),
        LedgerColumn("rooms", _("居室数"), 14, align="right"), LedgerColumn("status", _("状态"), 22),
        LedgerColumn("handed_over_on", _("移交日期"), 22, align="center"),
        LedgerColumn("document", _("移交文件文号"), 40),
        LedgerColumn("repairs", _("维修次数"), 16, align="right", sum=True),
        LedgerColumn("cost", _("维修费用（元）"), 26, align="right", fmt=",.2f", sum=True),
    ]


def render_register(context: dict) -> bytes:
    totals = {_("其中：%(status)s %(n)s 套", status=label, n=n): {}
              for label, n in context.get("by_status", [])}
    title = context["title"] + (_("（草稿）") if context.get("draft") else "")
    return render_ledger_pdf(title, register_columns(), context["rows"], totals=totals,
                             meta=ledger_meta(context), subtitle=context["period"], orientation="landscape")


def reports() -> list[Report]:
    return [
        Report(key="housing_unit_register", label=_l("周转住房房源清单"), params_schema=RegisterParams,
               build_context=register_context, template="housing/units_register.html",
               orientation="landscape", signatures=STANDARD_SIGNATURES, render_pdf=render_register,
               description=_l("本单位或本辖区的人才公寓和周转住房：状态、移交日期和文号、本年度维修次数和费用"
                              "（第二十五条）")),
    ]
