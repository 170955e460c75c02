"""Department budgets by 定员定额, centrally run items and adjustments (Art. 12).

A department's public expenditure is budgeted by 定员定额: 编制人数 (the 编制 in force on
1 January of the year) × the per-capita quota (a Standard, 元/人·年, keyed by the economic
class). The bureau of a level budgets the centrally run items (集中统筹项目) and allocates
them to the spending units; those allocations become read-only lines of the units' budgets.
Every budget, central item and adjustment is decided by the finance department of the same
level; an approved budget is never edited, it is adjusted.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    func,
    select,
)
from sqlalchemy.orm import relationship

from catalog.expenditures import EconomicClass, economic_class_in_force
from catalog.models import Jurisdiction, Organization, establishment_in_force, standard_in_force
from core.api import ApprovalMixin, Derivation, Model, Stage, Versioned, WorkflowError

#: Standard kind: 定员定额标准 (元/人·年), key = the economic class code (30201 办公费 …).
QUOTA = "funds_per_capita_quota"

BASIS_QUOTA, BASIS_CENTRAL, BASIS_OTHER = "quota", "central", "other"
BASES = {BASIS_QUOTA: _l("定员定额"), BASIS_CENTRAL: _l("集中统筹"), BASIS_OTHER: _l("其他")}

#: The centrally run items of Art. 12 and the economic class each is budgeted under.
CENTRAL_ITEMS = {
    "office_space": (_l("办公用房建设和维修"), "30213"),
    "vehicles": (_l("公务用车配备更新"), "31013"),
    "energy": (_l("节能降碳"), "30206"),
    "reception": (_l("公务接待"), "30217"),
    "logistics": (_l("后勤服务"), "30209"),
}

#: Art. 12: the finance department of the same level reviews budgets, items and adjustments.
FINANCE_STAGE = (
    Stage("finance", _l("财政部门审核"), "approve_finance", "submitted", _l("已提交，待同级财政部门审核"),
          body="finance", article=12),
)


def year_start(year: int) -> dt.date:
    return dt.date(int(year), 1, 1)


def money(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


class Budget(ApprovalMixin, Versioned, Model):
    """部门预算: one organisation's budget of public expenditure for one year."""

    __tablename__ = "funds_budget"
    __table_args__ = (CheckConstraint("year between 2000 and 2100", name="ck_funds_budget_year"),)
    approval_stages = FINANCE_STAGE

    id = Column(Integer, primary_key=True)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False,
                             index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False,
                             index=True)
    year = Column(Integer, nullable=False, index=True)
    note = Column(Text)

    organization = relationship("Organization")
    lines = relationship("BudgetLine", back_populates="budget", cascade="all, delete-orphan",
                         order_by="BudgetLine.id")

    def __repr__(self) -> str:
        org = self.organization.name if self.organization is not None else ""
        return f"{org}{self.year}年度部门预算"

    @property
    def total_amount(self) -> Decimal:
        return sum((money(line.amount) for line in self.lines), Decimal(0))

    @property
    def central_total(self) -> Decimal:
        """What the bureau's approved central items posted into the unit's year (no budget of their own)."""
        from sqlalchemy.orm import object_session

        session = object_session(self)
        if session is None or self.organization_id is None:
            return Decimal(0)
        total = session.execute(select(func.coalesce(func.sum(BudgetLine.amount), 0)).where(
            BudgetLine.organization_id == self.organization_id, BudgetLine.year == self.year,
            BudgetLine.basis == BASIS_CENTRAL, BudgetLine.budget_id.is_(None))).scalar()
        return money(total)

    def on_transition(self, action: str, session) -> None:
        if action == "submit" and not self.lines:
            raise WorkflowError(_("部门预算没有明细，不能提交（《办法》第十二条）"), status=422)


class BudgetLine(Versioned, Model):
    """A line of a department budget: economic class, basis, 编制 × quota, amount.

    A 集中统筹 line has no budget of its own: it is posted by the approval of the bureau's
    central item (``allocation_id``) into the unit's budget of that year, read-only.
    """

    __tablename__ = "funds_budget_line"
    __table_args__ = (CheckConstraint("amount >= 0", name="ck_funds_budget_line_amount"),)

    id = Column(Integer, primary_key=True)
    budget_id = Column(Integer, ForeignKey("funds_budget.id", ondelete="CASCADE"), index=True)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False,
                             index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False,
                             index=True)
    #: the budget's year (derived), or the central item's
    year = Column(Integer, index=True)
    economic_class_id = Column(Integer, ForeignKey("catalog_economic_class.id"), nullable=False,
                               index=True)
    basis = Column(String(16), nullable=False, default=BASIS_OTHER)
    #: 编制人数 and 元/人·年 of a 定员定额 line, as generated (what the amount multiplies)
    quantity = Column(Integer)
    quota = Column(Numeric(14, 2))
    amount = Column(Numeric(14, 2), nullable=False)
    allocation_id = Column(Integer, ForeignKey("funds_central_allocation.id"), index=True)
    note = Column(String(255))

    budget = relationship("Budget", back_populates="lines")
    organization = relationship("Organization")
    economic_class = relationship("EconomicClass")
    allocation = relationship("CentralAllocation", foreign_keys=[allocation_id])

    def __repr__(self) -> str:
        return f"{self.year} {self.economic_class} {self.amount}"

    @property
    def basis_label(self) -> str:
        return str(BASES.get(self.basis, self.basis or ""))

    @property
    def adjusted_total(self) -> Decimal:
        """The approved adjustments of the line (applied on their approval)."""
        return sum((money(a.delta) for a in self.adjustments if a.state == "approved"), Decimal(0))

    @property
    def budget_total(self) -> Decimal:
        return money(self.amount) + self.adjusted_total


class CentralItem(ApprovalMixin, Versioned, Model):
    """集中统筹项目: the bureau's budget of one centrally run item for its level and year."""

    __tablename__ = "funds_central_item"
    __table_args__ = (
        CheckConstraint("year between 2000 and 2100", name="ck_funds_central_item_year"),
        CheckConstraint("amount >= 0", name="ck_funds_central_item_amount"),
    )
    approval_stages = FINANCE_STAGE

    id = Column(Integer, primary_key=True)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False,
                             index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False,
                             index=True)
    year = Column(Integer, nullable=False, index=True)
    item = Column(String(16), nullable=False)
    amount = Column(Numeric(14, 2), nullable=False)
    note = Column(Text)

    organization = relationship("Organization")
    allocations = relationship("CentralAllocation", back_populates="central_item",
                               cascade="all, delete-orphan", order_by="CentralAllocation.id",
                               foreign_keys="CentralAllocation.item_id")

    def __repr__(self) -> str:
        return f"{self.year}年{self.item_label}"

    @property
    def item_label(self) -> str:
        return str(CENTRAL_ITEMS[self.item][0]) if self.item in CENTRAL_ITEMS else (self.item or "")

    @property
    def economic_code(self) -> str | None:
        return CENTRAL_ITEMS[self.item][1] if self.item in CENTRAL_ITEMS else None

    @property
    def allocated_total(self) -> Decimal:
        return sum((money(a.amount) for a in self.allocations), Decimal(0))

    def on_transition(self, action: str, session):
        """Approval posts each allocation as a 集中统筹 line of the unit's budget (Art. 12)."""
        if action == "submit" and not self.allocations:
            raise WorkflowError(_("集中统筹项目没有分配到预算单位，不能提交（《办法》第十二条）"), status=422)
        if action == "submit" and self.allocated_total > money(self.amount):
            raise WorkflowError(_("集中统筹项目“%(item)s”分配合计 %(total)s 元超过项目预算 %(amount)s 元"
                                  "（《办法》第十二条）", item=self.item_label,
                                  total=format(self.allocated_total, ",.2f"),
                                  amount=format(money(self.amount), ",.2f")), status=422)
        if action != "approve":
            return None
        klass = economic_class_in_force(session, self.economic_code, year_start(self.year))
        if klass is None:
            raise WorkflowError(_("支出经济分类 %(code)s 在 %(year)s 年不在有效期内，不能下达集中统筹预算",
                                  code=self.economic_code, year=self.year), status=422)
        for allocation in self.allocations:
            session.add(BudgetLine(
                organization_id=allocation.unit_id, jurisdiction_id=allocation.unit.jurisdiction_id,
                year=self.year, economic_class_id=klass.id, basis=BASIS_CENTRAL,
                amount=money(allocation.amount), allocation=allocation,
                note=_("集中统筹：%(item)s", item=self.item_label)))
        return [_("%(count)s 家预算单位增加集中统筹预算明细", count=len(self.allocations))]


class CentralAllocation(Versioned, Model):
    """How much of a central item one spending unit receives."""

    __tablename__ = "funds_central_allocation"
    __table_args__ = (CheckConstraint("amount >= 0", name="ck_funds_central_allocation_amount"),)

    id = Column(Integer, primary_key=True)
    item_id = Column(Integer, ForeignKey("funds_central_item.id", ondelete="CASCADE"),
                     nullable=False, index=True)
    #: the item's (the bureau's) organisation and jurisdiction, for row scope
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False,
                             index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False,
                             index=True)
    unit_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    amount = Column(Numeric(14, 2), nullable=False)
    note = Column(String(255))

    central_item = relationship("CentralItem", back_populates="allocations", foreign_keys=[item_id])
    organization = relationship("Organization", foreign_keys=[organization_id])
    unit = relationship("Organization", foreign_keys=[unit_id])

    def __repr__(self) -> str:
        unit = self.unit.name if self.unit is not None else ""
        return f"{unit} {self.amount}"


class BudgetAdjustment(ApprovalMixin, Versioned, Model):
    """预算调整: a change of an approved line by ``delta``, applied only on its approval."""

    __tablename__ = "funds_budget_adjustment"

    id = Column(Integer, primary_key=True)
    line_id = Column(Integer, ForeignKey("funds_budget_line.id"), nullable=False, index=True)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False,
                             index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False,
                             index=True)
    delta = Column(Numeric(14, 2), nullable=False)
    reason = Column(Text, nullable=False)
    #: the day its approval applied it to the line
    applied_on = Column(Date)
    approval_stages = FINANCE_STAGE

    line = relationship("BudgetLine", backref="adjustments")
    organization = relationship("Organization")

    def __repr__(self) -> str:
        return f"{self.line} {self.delta:+}" if self.delta is not None else str(self.line)

    def on_transition(self, action: str, session):
        if action not in ("submit", "approve"):
            return None
        if not approved_line(self.line):
            raise WorkflowError(_("只能调整已批准的预算明细（《办法》第十二条）"), status=422)
        if self.line.budget_total + money(self.delta) < 0:
            raise WorkflowError(_("调整后预算不能为负数（《办法》第十二条）"), status=422)
        if action == "approve":
            from core.api import local_today

            self.applied_on = local_today()
            return [_("预算明细“%(line)s”调整 %(delta)s 元", line=self.line,
                      delta=format(money(self.delta), "+,.2f"))]
        return None


def approved_line(line: BudgetLine | None) -> bool:
    """A line that counts: of an approved budget, or a posted 集中统筹 line."""
    if line is None:
        return False
    if line.basis == BASIS_CENTRAL and line.budget_id is None:
        return line.allocation_id is not None
    return line.budget is not None and line.budget.state == "approved"


def headcount(session, organization_id: int, year: int) -> int | None:
    """编制人数 in force on 1 January of the year; None when no 编制 is recorded (Art. 12)."""
    found = establishment_in_force(session, organization_id, year_start(year))
    return found.established if found is not None else None


def quota_in_force(session, organization: Organization, code: str, year: int) -> Decimal | None:
    jurisdiction = organization.jurisdiction or session.get(Jurisdiction, organization.jurisdiction_id)
    found = standard_in_force(session, QUOTA, code, jurisdiction, year_start(year))
    return Decimal(found.value) if found is not None else None


def quota_codes(session, organization: Organization, year: int) -> list[str]:
    """The economic classes with a quota in force for the organisation on 1 January."""
    from catalog.models import Standard

    codes = session.execute(select(Standard.key).where(Standard.kind == QUOTA).distinct()).scalars()
    return sorted(code for code in codes if quota_in_force(session, organization, code, year) is not None)


def class_choices() -> list:
    """[(code, name)] of the economic classes: the keys a quota may have."""
    from core.api import db

    rows = db.session.execute(select(EconomicClass.code, func.min(EconomicClass.name))
                              .group_by(EconomicClass.code).order_by(EconomicClass.code)).all()
    return [(code, f"{code} {name}") for code, name in rows]


def _derive_line(line: BudgetLine, ctx) -> None:
    """A line takes its budget's year; a 定员定额 line its 编制 and quota in force (Art. 12)."""
    budget = ctx.related(line, "budget")
    if budget is not None:
        line.year = budget.year
    org_id = budget.organization_id if budget is not None else line.organization_id
    if line.basis == BASIS_QUOTA and line.year and org_id is not None:
        org = ctx.session.get(Organization, org_id)
        klass = ctx.related(line, "economic_class")
        if org is not None and klass is not None:
            line.quantity = headcount(ctx.session, org.id, line.year)
            line.quota = quota_in_force(ctx.session, org, klass.code, line.year)


DERIVATIONS = [Derivation("funds.budget_line", BudgetLine, _derive_line)]
