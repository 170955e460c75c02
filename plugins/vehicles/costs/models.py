"""Per-vehicle running costs (运行费用, Art. 29) and the yearly performance evaluation (年度绩效评价).

A cost record (``vehicle_cost``) is one spending on one vehicle: fuel, charging, repair,
maintenance, insurance, tolls, parking. 入账 (an operation) posts it to the catalog's expenditure
ledger under 30231 公务用车运行维护费, so the funds module's 三公经费 count it without importing
this module; 作废 takes the posting back. An evaluation (``vehicle_evaluation``) is one
organisation's year: 评价 (an operation) computes and freezes the figures of each of its vehicles
and of the organisation against the Standards (scoring.py).
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import relationship

from core.api import Model, Versioned, Voidable, local_today

COST_ENTITY = "vehicle_cost"
EVALUATION_ENTITY = "vehicle_evaluation"

COST_KINDS = {
    "fuel": _l("加油"), "charging": _l("充电"), "repair": _l("维修"), "maintenance": _l("保养"),
    "insurance": _l("保险"), "toll": _l("过路过桥"), "parking": _l("停车"), "other": _l("其他"),
}
#: the kinds done at a designated repair shop (定点维修) and at a designated insurer (定点保险)
REPAIR_KINDS = ("repair", "maintenance")
INSURANCE_KINDS = ("insurance",)
#: what the supplier of a cost of these kinds must be designated for (catalog.suppliers)
SUPPLIER_KIND_OF = {"repair": "vehicle_repair", "maintenance": "vehicle_repair",
                    "insurance": "vehicle_insurance"}

GRADES = {"excellent": _l("优秀"), "good": _l("良好"), "pass": _l("合格"), "fail": _l("不合格")}


class VehicleCost(Voidable, Versioned, Model):
    """运行费用: one spending on one vehicle, posted to the ledger by 入账 (Art. 29)."""

    __tablename__ = "vehicles_cost"
    __table_args__ = (
        CheckConstraint("amount > 0", name="ck_vehicles_cost_amount"),
        CheckConstraint("odometer_km is null or odometer_km >= 0", name="ck_vehicles_cost_odometer"),
    )

    id = Column(Integer, primary_key=True)
    vehicle_id = Column(Integer, ForeignKey("vehicles_vehicle.id"), nullable=False, index=True)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    kind = Column(String(16), nullable=False, default="fuel")
    spent_on = Column(Date, nullable=False, default=local_today)
    amount = Column(Numeric(14, 2), nullable=False)
    #: the station, shop or insurer paid (for repair/maintenance/insurance: the shop or insurer)
    supplier = Column(String(128), nullable=False, default="")
    #: 里程表读数 (km) when the cost was incurred; the per-km accounting reads it
    odometer_km = Column(Integer)
    note = Column(Text)
    #: 已入账: set only by the 入账 operation
    posted = Column(Boolean, nullable=False, default=False, server_default="0")
    posted_on = Column(Date)

    vehicle = relationship("Vehicle")
    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        plate = self.vehicle.plate if self.vehicle is not None else ""
        return _("%(plate)s %(kind)s %(day)s", plate=plate, kind=self.kind_label,
                 day=self.spent_on.isoformat() if self.spent_on else "")

    @property
    def kind_label(self) -> str:
        return str(COST_KINDS.get(self.kind, self.kind or ""))

    @property
    def posted_label(self) -> str:
        return str(_l("已入账") if self.posted else _l("待入账"))


class VehicleEvaluation(Voidable, Versioned, Model):
    """年度绩效评价 of one organisation's vehicles for one year (Art. 29); 评价 freezes it."""

    __tablename__ = "vehicles_evaluation"
    __table_args__ = (
        CheckConstraint("year >= 2000 and year <= 2100", name="ck_vehicles_evaluation_year"),
    )

    id = Column(Integer, primary_key=True)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    year = Column(Integer, nullable=False)
    remark = Column(Text)
    #: set by 评价: the frozen figures (per vehicle and the organisation), score and grade
    figures = Column(JSON)
    total_score = Column(Numeric(6, 2))
    grade = Column(String(16))
    evaluated_on = Column(Date)

    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        return _("%(org)s %(year)s 年度公务用车绩效评价", org=self.organization or "", year=self.year or "")

    @property
    def grade_label(self) -> str:
        return str(GRADES.get(self.grade, self.grade or "")) if self.grade else str(_l("未评价"))
