"""The yearly acquisition and renewal plan of official vehicles (年度公务用车配备更新计划, Art. 28).

An organisation plans, for a budget year, the vehicles it will add (新增配备) and the ones it will
renew (更新, naming the vehicle each replaces), within its establishment (Art. 27), the standards
(price and displacement caps of the category) and the purchase money of its department budget
(购置经费预算); domestic brands only, new-energy vehicles preferred (Art. 28). The bureau of the same
level reviews the plan, then the finance department of the same level finances it.

The checks live here as plain functions (:func:`line_check`, :func:`plan_check`) so that the rules,
the submission, the plan's page and the report read one answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    select,
)
from sqlalchemy.orm import relationship

from core.api import ApprovalMixin, Model, Stage, Versioned, WorkflowError
from plugins.vehicles.fleet.establishment import holdings, quota_in_force
from plugins.vehicles.fleet.models import ENERGY_TYPES, NEW_ENERGY

#: Standard kinds (standards.py): caps keyed by category code, renewal thresholds, the share target.
PRICE_CAP = "vehicles_price_cap"
DISPLACEMENT_CAP = "vehicles_displacement_cap"
RENEWAL_YEARS = "vehicles_renewal_years"
RENEWAL_KM = "vehicles_renewal_km"
NEW_ENERGY_SHARE = "vehicles_new_energy_share"
#: the one key of the renewal thresholds and of the share target
ALL_KEY = "all"

ACTIONS = {"new": _l("新增配备"), "renewal": _l("更新")}
#: energy types without an engine: no displacement (排量)
NO_DISPLACEMENT = ("bev", "fcev")
#: states in which a plan counts towards the organisation's year (not a draft, not returned)
LIVE_STATES = ("submitted", "reviewed", "approved")
#: states in which a plan's renewal line holds its vehicle: every state but rejected (已退回), so no
#: other plan may renew the same vehicle (Art. 28)
RENEWAL_HOLDING_STATES = ("draft", "submitted", "reviewed", "approved")

PLAN_STAGES = (
    # Art. 28: the bureau of the same level (同级) draws up / reviews the plan, the finance
    # department of the same level finances it
    Stage("bureau", _l("机关事务管理部门审核"), "approve", "submitted", _l("已提交，待机关事务管理部门审核"),
          body="bureau", article=28),
    Stage("finance", _l("财政部门审核"), "approve_finance", "reviewed", _l("已审核，待财政部门审核"),
          body="finance", article=28),
)


class VehiclePlan(ApprovalMixin, Versioned, Model):
    """年度公务用车配备更新计划 of one organisation for one budget year."""

    __tablename__ = "vehicles_plan"
    __table_args__ = (
        CheckConstraint("year between 2000 and 2100", name="ck_vehicles_plan_year"),
        CheckConstraint("budget >= 0", name="ck_vehicles_plan_budget"),
    )
    approval_stages = PLAN_STAGES
    #: 配备 (PB-2027-00001)
    document_prefix = "PB"

    id = Column(Integer, primary_key=True)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    year = Column(Integer, nullable=False, index=True)
    #: 购置经费预算 (元): the purchase money arranged in the department budget
    budget = Column(Numeric(14, 2), nullable=False, default=0)
    note = Column(Text)

    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")
    lines = relationship("VehiclePlanLine", back_populates="plan", cascade="all, delete-orphan",
                         order_by="VehiclePlanLine.id")

    def __repr__(self) -> str:
        org = self.organization.name if self.organization is not None else ""
        return _("%(org)s %(year)s 年度公务用车配备更新计划", org=org, year=self.year or "")

    @property
    def title(self) -> str:
        return repr(self)

    @property
    def total_amount(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))

    @property
    def vehicle_count(self) -> int:
        return sum(line.quantity or 0 for line in self.lines)

    @property
    def new_energy_count(self) -> int:
        return sum(line.quantity or 0 for line in self.lines if line.energy_type in NEW_ENERGY)

    @property
    def new_energy_share(self) -> Decimal | None:
        """Percent of the plan's vehicles that are new-energy (None without lines)."""
        count = self.vehicle_count
        if not count:
            return None
        return (Decimal(self.new_energy_count) * 100 / count).quantize(Decimal("0.1"))

    def on_transition(self, action: str, session) -> None:
        """Submitting or approving checks every line again: holdings, standards and budget may have moved."""
        if action not in ("submit", "approve", "approve_finance"):
            return
        if not self.lines:
            raise WorkflowError(_("配备更新计划没有明细，不能提交（《办法》第二十八条）"), status=422)
        from plugins.vehicles.plans.rules import refusals  # the rules' own messages

        found = refusals(session, self)
        if found:
            raise WorkflowError(found[0], status=422)


class VehiclePlanLine(Versioned, Model):
    """One line of the plan: a vehicle to add (新增配备) or a renewal (更新) of a vehicle held."""

    __tablename__ = "vehicles_plan_line"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="ck_vehicles_plan_line_quantity"),
        CheckConstraint("unit_price >= 0", name="ck_vehicles_plan_line_price"),
        CheckConstraint("displacement is null or displacement >= 0",
                        name="ck_vehicles_plan_line_displacement"),
        CheckConstraint("action in ('new', 'renewal')", name="ck_vehicles_plan_line_action"),
    )

    id = Column(Integer, primary_key=True)
    plan_id = Column(Integer, ForeignKey("vehicles_plan.id", ondelete="CASCADE"), nullable=False, index=True)
    #: the plan's, filled by the write pipeline (Scope parent="plan")
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    action = Column(String(16), nullable=False, default="new")
    #: the vehicle a renewal replaces (a vehicle of the same organisation)
    replaces_id = Column(Integer, ForeignKey("vehicles_vehicle.id"), index=True)
    category_id = Column(Integer, ForeignKey("catalog_vehicle_category.id"), nullable=False, index=True)
    brand = Column(String(64), nullable=False)
    model_name = Column(String(64), nullable=False)
    #: 国产汽车 (Art. 28)
    domestic = Column(Boolean, nullable=False, default=True)
    energy_type = Column(String(16), nullable=False, default="petrol")
    #: 排量 in litres; none for a battery-electric or fuel-cell vehicle
    displacement = Column(Numeric(4, 2))
    unit_price = Column(Numeric(14, 2), nullable=False)
    quantity = Column(Integer, nullable=False, default=1)
    reason = Column(Text)

    plan = relationship("VehiclePlan", back_populates="lines")
    replaces = relationship("Vehicle", foreign_keys=[replaces_id])
    category = relationship("VehicleCategory")
    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        return f"{self.brand or ''}{self.model_name or ''} × {self.quantity or 0}"

    @property
    def name(self) -> str:
        return f"{self.brand or ''}{self.model_name or ''}"

    @property
    def amount(self) -> Decimal:
        return Decimal(self.unit_price or 0) * (self.quantity or 0)

    @property
    def action_label(self) -> str:
        return str(ACTIONS.get(self.action, self.action or ""))

    @property
    def energy_label(self) -> str:
        return str(ENERGY_TYPES.get(self.energy_type, self.energy_type or ""))

    @property
    def new_energy(self) -> bool:
        return self.energy_type in NEW_ENERGY

    @property
    def domestic_label(self) -> str:
        return _("是") if self.domestic else _("否")


def plan_day(year: int) -> dt.date:
    """The day the plan is held against: 1 January of its year (the establishment in force then)."""
    return dt.date(int(year), 1, 1)


def adds_to(line, category_id: int, *, line_category=None, replaced=None) -> int:
    """Vehicles the line adds to ``category_id``: a new line its quantity; a renewal none (the new
    vehicle replaces the old), unless it is of another category than the vehicle it replaces."""
    if line_category is None:
        line_category = line.category_id
        if line_category is None:
            line_category = getattr(line.category, "id", None)
    if line_category != category_id:
        return 0
    replaced = replaced if replaced is not None else line.replaces
    if line.action == "renewal" and (replaced is None or replaced.category_id == category_id):
        return 0
    return int(line.quantity or 0)


def year_additions(session, plan: VehiclePlan, category_id: int, *, exclude=None) -> int:
    """What the organisation's year adds to the category: the plan's lines (but ``exclude``) and the
    lines of its other plans of the year under review or approved."""
    total = sum(adds_to(line, category_id) for line in plan.lines if line is not exclude)
    query = (select(VehiclePlanLine).join(VehiclePlan)
             .where(VehiclePlan.organization_id == plan.organization_id, VehiclePlan.year == plan.year,
                    VehiclePlan.state.in_(LIVE_STATES), VehiclePlanLine.category_id == category_id))
    if plan.id is not None:
        query = query.where(VehiclePlan.id != plan.id)
    total += sum(adds_to(line, category_id) for line in session.execute(query).scalars())
    return total


@dataclass
class Establishment:
    """The establishment check of one category for the plan's year (Art. 27, 28)."""

    category: object
    quota: int | None
    held: int
    added: int

    @property
    def over(self) -> bool:
        return self.held + self.added > (self.quota or 0)


def establishment_check(session, plan: VehiclePlan, category, *, line=None, own: int = 0) -> Establishment:
    """Holdings of the category plus the year's additions against the establishment of 1 January."""
    quota = quota_in_force(session, plan.organization_id, category.id, plan_day(plan.year))
    held = holdings(session, plan.organization_id, category.id)
    # ``own``: what ``line`` (being written, its links maybe not yet in their columns) adds
    added = year_additions(session, plan, category.id, exclude=line) + own
    return Establishment(category, quota, held, added)


@dataclass
class PlanSummary:
    """What the plan's page and report show beside the lines."""

    establishments: list = field(default_factory=list)
    share: Decimal | None = None
    target: Decimal | None = None
    #: line id -> (price cap, displacement cap) of its category
    caps: dict = field(default_factory=dict)

    @property
    def share_below(self) -> bool:
        return self.share is not None and self.target is not None and self.share < self.target
