"""Repairs of office space (Art. 23).

- 日常维修 (``office_daily_repair``): one repair by the using organisation, paid from its own budget;
  入账 (an operation) posts it to the catalog's expenditure ledger under 30213 维修（护）费, 作废
  withdraws the posting.
- 大中修 (``office_major_repair``): an application by the using organisation to the bureau of its
  level (one approval stage, ``body="bureau"``), stating what the work serves; the approval puts it
  into the bureau's yearly 大中修项目规划 of its year (``office_major_repair_plan``); 竣工 records
  the actual cost and day, sets the building's ``last_major_repair_year`` and posts the cost (30213).
- 大中修项目规划: one per bureau (jurisdiction) and year; its lines are the approved applications
  the approvals put into it; 下达 (an operation) issues it and freezes its lines.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship

from core.api import ApprovalMixin, Model, Stage, Versioned, Voidable, join_items, local_today

DAILY_ENTITY = "office_daily_repair"
MAJOR_ENTITY = "office_major_repair"
PLAN_ENTITY = "office_major_repair_plan"

#: 维修（护）费 of the 政府支出经济分类: the funds module's "office_space" budget line (办公用房建设和维修)
REPAIR_ECONOMIC_CODE = "30213"

#: what a repair serves (Art. 23): each application names at least one
PURPOSES = {
    "serves_safety": _l("消除安全隐患"),
    "serves_secrecy": _l("符合保密要求"),
    "serves_function": _l("恢复和完善使用功能"),
    "serves_energy": _l("降低能源消耗"),
}

PLAN_STATUSES = {"draft": _l("编制中"), "issued": _l("已下达")}


class DailyRepair(Voidable, Versioned, Model):
    """日常维修: a repair by the using organisation from its own budget (Art. 23), posted by 入账."""

    __tablename__ = "office_space_daily_repair"
    __table_args__ = (CheckConstraint("amount > 0", name="ck_office_space_daily_repair_amount"),)

    id = Column(Integer, primary_key=True)
    building_id = Column(Integer, ForeignKey("office_space_building.id"), nullable=False, index=True)
    #: the room repaired, where the repair is of one room
    room_id = Column(Integer, ForeignKey("office_space_room.id"), index=True)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    repaired_on = Column(Date, nullable=False, default=local_today)
    work = Column(Text, nullable=False)
    amount = Column(Numeric(14, 2), nullable=False)
    contractor = Column(String(128), nullable=False, default="")
    note = Column(Text)
    #: 已入账: set only by the 入账 operation
    posted = Column(Boolean, nullable=False, default=False, server_default="0")
    posted_on = Column(Date)

    building = relationship("OfficeBuilding")
    room = relationship("OfficeRoom")
    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        where = self.room or self.building or ""
        return _(
            "%(where)s 日常维修 %(day)s",
            where=where,
            day=self.repaired_on.isoformat() if self.repaired_on else "",
        )

    @property
    def posted_label(self) -> str:
        return str(_l("已入账") if self.posted else _l("待入账"))


#: 同级机关事务管理部门 approves a 大中修 (Art. 23)
MAJOR_STAGES = (
    Stage(
        "bureau",
        _l("机关事务管理部门审批"),
        "approve",
        "submitted",
        _l("已提交，待机关事务管理部门审批"),
        body="bureau",
        article=23,
    ),
)


class MajorRepairPlan(Versioned, Model):
    """大中修项目规划: the bureau's yearly plan of major repairs of its level (Art. 23)."""

    __tablename__ = "office_space_major_repair_plan"
    __table_args__ = (
        UniqueConstraint("jurisdiction_id", "year", name="uq_office_space_major_repair_plan_year"),
        CheckConstraint("year >= 2000 and year <= 2100", name="ck_office_space_major_repair_plan_year"),
        CheckConstraint("status in ('draft', 'issued')", name="ck_office_space_major_repair_plan_status"),
    )

    id = Column(Integer, primary_key=True)
    #: the bureau that draws it up
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    year = Column(Integer, nullable=False)
    title = Column(String(128))
    note = Column(Text)
    #: 编制中 / 已下达: set only by the 下达 operation
    status = Column(String(16), nullable=False, default="draft")
    issued_on = Column(Date)
    issued_by = Column(String(64))
    document_number = Column(String(64))

    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")
    applications = relationship(
        "MajorRepairApplication", back_populates="plan", order_by="MajorRepairApplication.id"
    )

    def __repr__(self) -> str:
        return self.title or _("%(year)s 年度大中修项目规划", year=self.year or "")

    @property
    def status_label(self) -> str:
        return str(PLAN_STATUSES.get(self.status, self.status or ""))

    @property
    def lines(self) -> list:
        return [a for a in self.applications if a.state == "approved"]

    @property
    def total_estimate(self) -> Decimal:
        return sum((Decimal(a.estimated_cost or 0) for a in self.lines), Decimal("0.00"))

    @property
    def line_count(self) -> int:
        return len(self.lines)


class MajorRepairApplication(ApprovalMixin, Versioned, Model):
    """大中修申请 by the using organisation to the bureau of its level (Art. 23)."""

    __tablename__ = "office_space_major_repair"
    __table_args__ = (
        CheckConstraint("estimated_cost > 0", name="ck_office_space_major_repair_estimate"),
        CheckConstraint("year >= 2000 and year <= 2100", name="ck_office_space_major_repair_year"),
        CheckConstraint("actual_cost is null or actual_cost > 0", name="ck_office_space_major_repair_actual"),
    )
    approval_stages = MAJOR_STAGES
    #: 大中修
    document_prefix = "DZX"

    id = Column(Integer, primary_key=True)
    building_id = Column(Integer, ForeignKey("office_space_building.id"), nullable=False, index=True)
    #: the rooms concerned, by number (optional: a repair of the whole building names none)
    rooms = Column(String(255))
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    year = Column(Integer, nullable=False)
    scope_of_work = Column(Text, nullable=False)
    estimated_cost = Column(Numeric(14, 2), nullable=False)
    serves_safety = Column(Boolean, nullable=False, default=False, server_default="0")
    serves_secrecy = Column(Boolean, nullable=False, default=False, server_default="0")
    serves_function = Column(Boolean, nullable=False, default=False, server_default="0")
    serves_energy = Column(Boolean, nullable=False, default=False, server_default="0")
    applied_on = Column(Date, nullable=False, default=local_today)
    note = Column(Text)
    #: the yearly plan the approval put it in (state: set by the approval)
    plan_id = Column(Integer, ForeignKey("office_space_major_repair_plan.id"), index=True)
    #: 竣工 (state: set by the operation)
    completed_on = Column(Date)
    actual_cost = Column(Numeric(14, 2))

    building = relationship("OfficeBuilding")
    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")
    plan = relationship("MajorRepairPlan", back_populates="applications")

    def __repr__(self) -> str:
        return f"{self.document_number or self.id or ''} {self.building or ''}"

    @property
    def purposes(self) -> list[str]:
        return [str(label) for field, label in PURPOSES.items() if getattr(self, field)]

    @property
    def purposes_label(self) -> str:
        return join_items(self.purposes)

    @property
    def completion_label(self) -> str:
        if self.completed_on is None:
            return str(_l("未竣工"))
        return _("%(day)s 竣工", day=self.completed_on.isoformat())

    def on_transition(self, action: str, session) -> list[str] | None:
        from plugins.office_space.repairs.major import check_submit, into_plan

        if action == "submit":
            check_submit(session, self)
        elif action == "approve" and self.state == "approved":
            return into_plan(session, self)
        return None
