"""三公经费 (Art. 13): delegations abroad, the 三公 budget, its disclosure.

A delegation (因公出国（境）团组) is approved by the bureau of its organisation's level; after the
return, 回国结算 records the actual cost and posts it to the catalog's expenditure ledger under
30212, with its members as person-times and the delegation as one batch. The disclosure reads
that ledger (30212 / 31013 / 30231 / 30217), so receptions and vehicles count without this
module importing theirs.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship

from core.api import (
    ApprovalMixin,
    Model,
    Stage,
    Versioned,
    Voidable,
    WorkflowError,
    current_scope,
    has_attachment,
)

TRIP_KEY = "funds_outbound_trip"

#: Standard kind (天, key "all"): the days within which a budget or final account is published
#: after its approval (预算法第十四条: 二十日内)
DEADLINE_DAYS = "funds_disclosure_deadline_days"
DEADLINE_KEY = "all"

#: 三公经费 categories in the order of the official table, with the ledger class each reads
CATEGORIES = (
    ("outbound", _l("因公出国（境）费"), "30212"),
    ("vehicle_purchase", _l("公务用车购置费"), "31013"),
    ("vehicle_running", _l("公务用车运行维护费"), "30231"),
    ("reception", _l("公务接待费"), "30217"),
)
DISCLOSURE_KINDS = {"budget": _l("预算"), "final": _l("决算")}

#: Art. 13: the delegation is approved by the office of its organisation's own level. Choice: one
#: stage decided by the 机关事务管理部门 (body "bureau"), which the demo's catalog has at every
#: level; the 外事办 is no organisation type of the catalog yet (docs/funds.md).
TRIP_STAGES = (
    Stage("review", _l("同级机关事务管理部门（外事）审批"), "approve", "submitted",
          _l("已提交，待同级审批"), body="bureau", article=13),
)


def system_acting(scope) -> bool:
    """The system itself (demo loader, migration) seeds records without their papers."""
    return scope.user_id is None and scope.kind == "all"


class OutboundTrip(ApprovalMixin, Voidable, Versioned, Model):
    """因公出国（境）团组: who goes where, why, when, at what budgeted cost; settled after return."""

    __tablename__ = "funds_outbound_trip"
    document_prefix = "YG"  # 因公出国（境）: YG-2026-00001
    approval_stages = TRIP_STAGES
    __table_args__ = (
        CheckConstraint("budget >= 0", name="ck_funds_outbound_trip_budget"),
        CheckConstraint("actual_cost >= 0", name="ck_funds_outbound_trip_actual"),
    )

    id = Column(Integer, primary_key=True)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    name = Column(String(128), nullable=False)  # 团组名称
    leader = Column(String(64), nullable=False)  # 团长
    destinations = Column(String(255), nullable=False)  # 出访国家（地区）
    purpose = Column(Text, nullable=False)  # 出访任务
    departs_on = Column(Date, nullable=False)
    returns_on = Column(Date, nullable=False)
    budget = Column(Numeric(14, 2), nullable=False)  # 预算金额
    # 回国结算 (an operation, after the approval)
    returned_on = Column(Date)
    actual_cost = Column(Numeric(14, 2))
    settled_at = Column(DateTime)
    settlement_note = Column(Text)

    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")
    members = relationship("OutboundMember", back_populates="trip", order_by="OutboundMember.id",
                           cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"{self.document_number or _('草稿 %(id)s', id=self.id)} {self.name}"

    def on_transition(self, action: str, session) -> list[str]:
        """Art. 13: a delegation is submitted with its members and its 任务批件."""
        if action == "submit":
            if not self.members:
                raise WorkflowError(_("出访团组没有列明任何成员，不能提交"), status=422)
            if not system_acting(current_scope()) and \
                    not has_attachment(session, TRIP_KEY, self.id, "mission_approval"):
                raise WorkflowError(_("提交前须上传任务批件（《办法》第十三条）"), status=422)
        return []

    @property
    def days(self) -> int | None:
        """在外天数, counting both the day of departure and of return."""
        if self.departs_on is None or self.returns_on is None:
            return None
        return (self.returns_on - self.departs_on).days + 1

    @property
    def member_count(self) -> int:
        return len(self.members)

    @property
    def settled_label(self) -> str:
        return str(_l("已结算")) if self.settled_at else str(_l("未结算"))


class OutboundMember(Model):
    """团组成员: one person of the delegation (name, post, organisation), the person-times."""

    __tablename__ = "funds_outbound_member"

    id = Column(Integer, primary_key=True)
    trip_id = Column(Integer, ForeignKey("funds_outbound_trip.id", ondelete="CASCADE"), nullable=False,
                     index=True)
    name = Column(String(64), nullable=False)
    post = Column(String(64), nullable=False, default="")  # 职务
    employer = Column(String(128), nullable=False, default="")  # 工作单位
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)

    trip = relationship("OutboundTrip", back_populates="members")

    def __repr__(self) -> str:
        return f"{self.name}（{self.post}）" if self.post else str(self.name)


class SangongBudget(Versioned, Model):
    """三公经费预算: the 财政批复数 of one organisation's year per category, as entered by its clerk
    from the approved department budget (Art. 13), with the day that budget was approved."""

    __tablename__ = "funds_sangong_budget"
    __table_args__ = (
        UniqueConstraint("organization_id", "year", name="uq_funds_sangong_budget_org_year"),
        CheckConstraint("outbound >= 0 AND vehicle_purchase >= 0 AND vehicle_running >= 0 "
                        "AND reception >= 0", name="ck_funds_sangong_budget_amounts"),
    )

    id = Column(Integer, primary_key=True)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    year = Column(Integer, nullable=False)
    approved_on = Column(Date, nullable=False)  # 预算批复日期
    outbound = Column(Numeric(14, 2), nullable=False, default=0)
    vehicle_purchase = Column(Numeric(14, 2), nullable=False, default=0)
    vehicle_running = Column(Numeric(14, 2), nullable=False, default=0)
    reception = Column(Numeric(14, 2), nullable=False, default=0)
    note = Column(Text)

    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        return _("%(year)s 年三公经费预算", year=self.year)

    @property
    def total(self):
        return sum((getattr(self, key) or 0 for key, _label, _code in CATEGORIES), 0)


class SangongDisclosure(Voidable, Versioned, Model):
    """三公经费公开: one organisation's 预算 or 决算 table of a year, its 说明, and where and when it
    was published (公开, an operation); published, its figures are frozen in ``figures``."""

    __tablename__ = "funds_sangong_disclosure"
    __table_args__ = (
        CheckConstraint("kind in ('budget', 'final')", name="ck_funds_sangong_disclosure_kind"),
        CheckConstraint("vehicles_held >= 0", name="ck_funds_sangong_disclosure_vehicles"),
    )

    id = Column(Integer, primary_key=True)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    year = Column(Integer, nullable=False)
    kind = Column(String(8), nullable=False)
    #: 批复日期 of the department budget (预算) or final account (决算): the deadline runs from it
    approved_on = Column(Date, nullable=False)
    #: 年末公务用车保有量, entered until a vehicles module posts it to the catalog
    vehicles_held = Column(Integer)
    explanation = Column(Text)  # 说明: required where the figures differ (Art. 13)
    published_on = Column(Date)
    published_place = Column(String(255))  # 网址或公告栏
    figures = Column(JSON)  # the table as published (``disclosure_table``), frozen

    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        return _("%(year)s 年三公经费%(kind)s公开", year=self.year, kind=self.kind_label)

    @property
    def kind_label(self) -> str:
        return str(DISCLOSURE_KINDS.get(self.kind, self.kind or ""))

    @property
    def status_label(self) -> str:
        if self.published_on:
            return _("已于 %(day)s 公开", day=self.published_on.isoformat())
        return str(_l("未公开"))

    def deadline(self, days: int) -> dt.date | None:
        return self.approved_on + dt.timedelta(days=days) if self.approved_on else None
