"""Configuration plans (资产配置计划, Art. 17, 18) and the checks of a plan line.

A plan is what an organisation asks to buy in a year; each line is checked against
the configuration standards in force for the organisation's jurisdiction, its current
holdings and the pool items (公物仓) it may request, to be reused first (Art. 18). The plan is
reviewed by the bureau, then approved by the finance department (two approval stages).
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
    func,
    select,
)
from sqlalchemy.orm import relationship

from catalog.models import Jurisdiction, Organization, establishment_in_force
from core.api import ApprovalMixin, Model, Stage, Versioned, WorkflowError
from plugins.assets.cards.models import PRICE_CAP, QUANTITY_CAP, Asset, AssetClass, class_standard

#: Standard kind: how many items of a class one organisation may hold (key = class code).
QUANTITY_CAP_ORG = "asset_quantity_cap_per_organization"
#: Asset statuses that no longer count as holdings: disposed, or on the way out (an approved
#: purchase usually replaces an asset whose disposal is pending: 以旧换新).
NOT_HELD = ("disposed", "pending_disposal")
#: How many pool items a line lists by name (the count is always complete).
POOL_SHOWN = 5

PLAN_STAGES = (
    # Art. 17: the bureau and the finance department of the organisation's own level (同级) review
    Stage("review", _l("机关事务管理部门审核"), "approve", "submitted", _l("已提交，待机关事务管理部门审核"),
          body="bureau", article=17),
    Stage("finance", _l("财政部门审核"), "approve_finance", "reviewed", _l("已审核，待财政审批"),
          body="finance", article=17),
)


class AssetPlan(ApprovalMixin, Versioned, Model):
    """A configuration plan (资产配置计划) of one organisation for one budget year."""

    __tablename__ = "assets_plan"
    __table_args__ = (CheckConstraint("year between 2000 and 2100", name="ck_assets_plan_year"),)
    approval_stages = PLAN_STAGES

    id = Column(Integer, primary_key=True)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False,
                             index=True)
    year = Column(Integer, nullable=False, index=True)
    title = Column(String(128), nullable=False)
    note = Column(Text)

    organization = relationship("Organization")
    lines = relationship("AssetPlanLine", back_populates="plan", cascade="all, delete-orphan",
                         order_by="AssetPlanLine.id")

    def __repr__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        """The title with its year once: "2026 年度配置计划", not "2026 2026 年度配置计划"."""
        title = self.title or ""
        return title if str(self.year) in title else f"{self.year} {title}".strip()

    @property
    def total_amount(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))

    def on_transition(self, action: str, session) -> None:
        """Submitting or approving checks the lines again: standards and holdings may have moved."""
        if action not in ("submit", "approve"):
            return
        if not self.lines:
            raise WorkflowError(_("配置计划没有明细，不能提交"), status=422)
        for line in self.lines:
            check = check_line(session, line)
            if check is not None and check.blocked:
                raise WorkflowError(_("配置计划明细“%(name)s”超过现行配置标准，"
                                      "且未申请超标准配置或未填写理由（《办法》第十七条）",
                                      name=line.name), status=422)


class AssetPlanLine(Versioned, Model):
    """One item of a plan: class, name, quantity, unit price, reason, and an exception request."""

    __tablename__ = "assets_plan_line"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="ck_assets_plan_line_quantity"),
        CheckConstraint("unit_price >= 0", name="ck_assets_plan_line_price"),
    )

    id = Column(Integer, primary_key=True)
    plan_id = Column(Integer, ForeignKey("assets_plan.id", ondelete="CASCADE"), nullable=False,
                     index=True)
    #: the plan's organisation and its jurisdiction, kept on the line for row scope and for
    #: the findings of the line's flags (set from the plan, never by the client)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False,
                             index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False,
                             index=True)
    class_id = Column(Integer, ForeignKey("assets_class.id"), nullable=False, index=True)
    name = Column(String(128), nullable=False)
    specification = Column(String(255))
    quantity = Column(Integer, nullable=False, default=1)
    unit = Column(String(16), nullable=False, default="台")
    unit_price = Column(Numeric(14, 2), nullable=False)
    reason = Column(Text)
    #: 超标准配置: the line asks to exceed a standard, with its reason; approving the plan
    #: approves the deviation (Art. 17 — Art. 14 itself demands strict execution of the standards)
    exception_requested = Column(Boolean, nullable=False, default=False, server_default="0")
    exception_reason = Column(Text)

    plan = relationship("AssetPlan", back_populates="lines")
    asset_class = relationship("AssetClass")
    organization = relationship("Organization")

    def __repr__(self) -> str:
        # how the asset form offers the line to a card: the plan, then the item
        plan = f"{self.plan.display_title}：" if self.plan is not None else ""
        return f"{plan}{self.name} × {self.quantity}"

    @property
    def amount(self) -> Decimal:
        return Decimal(self.unit_price or 0) * (self.quantity or 0)


@dataclass
class LineCheck:
    """What a reviewer reads next to a plan line."""

    price_cap: Decimal | None = None
    per_person_cap: Decimal | None = None
    #: 编制人数 of the establishment in force (None: no 编制 recorded for the organisation)
    headcount: int | None = 0
    per_org_cap: Decimal | None = None
    holdings: int = 0
    #: this line plus the plan's other lines of the same class
    requested: int = 0
    quantity_limit: int | None = None
    over_price: bool = False
    over_quantity: bool = False
    #: pool items (公物仓) of the class the organisation may request: reuse them first (Art. 18)
    pool_count: int = 0
    pool_items: list = field(default_factory=list)
    exception_requested: bool = False
    exception_reason: str | None = None

    @property
    def exceeds(self) -> bool:
        return self.over_price or self.over_quantity

    @property
    def establishment_missing(self) -> bool:
        """A per-person cap applies but the organisation has no 编制 recorded (Art. 17)."""
        return self.per_person_cap is not None and self.headcount is None

    @property
    def blocked(self) -> bool:
        """Above a standard without an exception request and its reason (Art. 17)."""
        return self.exceeds and not (self.exception_requested and self.exception_reason)

    @property
    def exception(self) -> bool:
        """Above a standard by a deviation request: the plan's reviewers decide on it (Art. 17)."""
        return self.exceeds and self.exception_requested

    @property
    def reuse_first(self) -> bool:
        """Pool items of the class the organisation may request: reuse them before buying (Art. 18)."""
        return self.pool_count > 0


def headcount(session, organization_id: int, on: dt.date | None = None) -> int | None:
    """编制人数 (行政编制 + 事业编制) of the establishment in force, which per-person standards
    multiply — not the staff on the list; None when no 编制 is recorded."""
    found = establishment_in_force(session, organization_id, on)
    return found.established if found is not None else None


def holdings(session, organization_id: int, class_id: int, exclude_asset: int | None = None) -> int:
    """Items of the class the organisation holds now (its cards neither disposed nor pending disposal)."""
    query = select(func.coalesce(func.sum(Asset.quantity), 0)).where(
        Asset.organization_id == organization_id, Asset.class_id == class_id,
        Asset.status.not_in(NOT_HELD), Asset.voided_at.is_(None))
    if exclude_asset is not None:
        query = query.where(Asset.id != exclude_asset)
    return int(session.execute(query).scalar() or 0)


def pool_items_to_reuse(session, class_id: int, organization: Organization, limit: int | None = None):
    """(count, first ``limit``) pool items of the class the organisation may request (Art. 18).

    Which pools it may request from is the pool's own rule (``assets.pool_request_jurisdiction``,
    ``pool.models.requestable_items``): pointing elsewhere would send it to items it cannot have.
    """
    from plugins.assets.pool.models import requestable_items  # the pool area builds on the plans'

    return requestable_items(session, organization, class_id, limit)


def caps(session, asset_class: AssetClass, jurisdiction: Jurisdiction, on: dt.date | None = None) -> dict:
    """The configuration standards in force for the class (Art. 17): price, per person, per organisation
    (each inherited from the nearest ancestor class that has one, ``class_standard``)."""
    found = {}
    for name, kind in (("price", PRICE_CAP), ("per_person", QUANTITY_CAP), ("per_org", QUANTITY_CAP_ORG)):
        standard = class_standard(session, kind, asset_class, jurisdiction, on)
        found[name] = Decimal(standard.value) if standard is not None else None
    return found


def quantity_limit(per_person, people: int | None, per_org) -> int | None:
    """The smaller of per person × 编制人数 and the per-organisation cap; without a recorded
    编制 the per-person cap cannot be applied (a rule says so instead)."""
    limits = []
    if per_person is not None and people is not None:
        limits.append(int(per_person * people))
    if per_org is not None:
        limits.append(int(per_org))
    return min(limits) if limits else None


def check_line(session, line: AssetPlanLine, *, organization_id=None, class_id=None,
               on: dt.date | None = None, pool_shown: int = POOL_SHOWN,
               pending: int = 0) -> LineCheck | None:
    """The line's checks against the standards in force, holdings, pool items to reuse (None: incomplete).

    ``pending``: what lines of the same plan and class written in the same flush before this one
    ask for (not stored yet, so the sum of the plan's other lines does not see them)."""
    organization_id = organization_id or line.organization_id
    class_id = class_id or line.class_id
    organization = session.get(Organization, organization_id) if organization_id else None
    asset_class = session.get(AssetClass, class_id) if class_id else None
    if organization is None or asset_class is None or line.quantity is None:
        return None
    jurisdiction = organization.jurisdiction or session.get(Jurisdiction, organization.jurisdiction_id)
    found = caps(session, asset_class, jurisdiction, on)
    people = headcount(session, organization.id, on)
    check = LineCheck(price_cap=found["price"], per_person_cap=found["per_person"], headcount=people,
                      per_org_cap=found["per_org"], exception_requested=bool(line.exception_requested),
                      exception_reason=(line.exception_reason or "").strip() or None)
    check.holdings = holdings(session, organization.id, asset_class.id)
    others = 0
    if line.plan_id is not None:
        query = select(func.coalesce(func.sum(AssetPlanLine.quantity), 0)).where(
            AssetPlanLine.plan_id == line.plan_id, AssetPlanLine.class_id == asset_class.id)
        if line.id is not None:
            query = query.where(AssetPlanLine.id != line.id)
        others = int(session.execute(query).scalar() or 0)
    check.requested = others + pending + int(line.quantity)
    check.quantity_limit = quantity_limit(found["per_person"], people, found["per_org"])
    check.over_quantity = (check.quantity_limit is not None
                           and check.holdings + check.requested > check.quantity_limit)
    check.over_price = (found["price"] is not None and line.unit_price is not None
                        and Decimal(line.unit_price) > found["price"])
    check.pool_count, check.pool_items = pool_items_to_reuse(session, asset_class.id, organization,
                                                             pool_shown)
    return check
