"""Tenancies of turnover housing and talent apartments (Art. 25: 调配、运营).

A staff member's organisation applies (入住申请) for one of its people: why they may apply
(新调入 / 新录用), the day of the transfer or recruitment, the declaration that they have no home in
the city (本市无住房), the family size and the kind of unit wanted. The bureau of the same level
decides (one stage, ``body="bureau"``), then allocates (配租, an operation): a :class:`Tenancy` of
one available unit of its jurisdiction, for at most ``housing_tenancy_months`` at the rent
``area × housing_rent_per_m2`` (derived, never typed). 入住, 退房 and 续租 are operations; a renewal is
its own record with the bureau's approval. Past its end (and the checkout days) a checked-in
tenancy is 超期占用.
"""

from __future__ import annotations

import datetime as dt

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
)
from sqlalchemy.orm import relationship

from core.api import ApprovalMixin, Model, Stage, Versioned, Voidable, WorkflowError
from plugins.housing.units.models import UNIT_KINDS

ARTICLE = 25

#: the standards (catalog Standard kinds) this area reads, keyed by the unit kind (turnover/talent)
ELIGIBILITY_YEARS = "housing_eligibility_years"
TENANCY_MONTHS = "housing_tenancy_months"
RENT_PER_M2 = "housing_rent_per_m2"
RENEWALS_MAX = "housing_renewals_max"
CHECKOUT_DAYS = "housing_checkout_days"

REASONS = {"transferred": _l("新调入"), "recruited": _l("新录用"), "other": _l("其他")}
TENANCY_STATUSES = {
    "allocated": _l("已配租，待入住"),
    "checked_in": _l("已入住"),
    "checked_out": _l("已退房"),
}
#: a tenancy holds its unit (and its person) until it is checked out or voided
LIVE_STATUSES = ("allocated", "checked_in")

APPLICATION_STAGES = (
    Stage(
        "bureau",
        _l("机关事务管理部门资格审核"),
        "approve",
        "submitted",
        _l("已提交，待机关事务管理部门审核"),
        body="bureau",
        article=ARTICLE,
    ),
)
RENEWAL_STAGES = (
    Stage(
        "bureau",
        _l("机关事务管理部门审批"),
        "approve",
        "submitted",
        _l("已提交，待机关事务管理部门审批"),
        body="bureau",
        article=ARTICLE,
    ),
)


def _org_fk():
    return Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)


def _jur_fk():
    return Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, the last day of a shorter month when the day does not exist."""
    month0 = day.month - 1 + int(months)
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


class TenancyApplication(ApprovalMixin, Voidable, Versioned, Model):
    """入住申请: an organisation applies for one of its people; the bureau checks eligibility."""

    __tablename__ = "housing_tenancy_application"
    __table_args__ = (
        CheckConstraint("family_size >= 1", name="ck_housing_application_family"),
        CheckConstraint(
            "reason in ('transferred', 'recruited', 'other')", name="ck_housing_application_reason"
        ),
        CheckConstraint("unit_kind in ('turnover', 'talent')", name="ck_housing_application_kind"),
    )
    approval_stages = APPLICATION_STAGES
    document_prefix = "ZF"

    id = Column(Integer, primary_key=True)
    organization_id = _org_fk()
    jurisdiction_id = _jur_fk()
    #: 申请人 (a catalog Person of the organisation)
    person_id = Column(Integer, ForeignKey("catalog_person.id"), nullable=False, index=True)
    reason = Column(String(16), nullable=False, default="transferred")
    #: 调入或录用日期
    event_on = Column(Date, nullable=False)
    #: 本市无住房 declared (with the 无房证明 as an attachment)
    no_home = Column(Boolean, nullable=False, default=False, server_default="0")
    family_size = Column(Integer, nullable=False, default=1)
    unit_kind = Column(String(16), nullable=False, default="turnover")
    note = Column(Text)
    #: 配租日期, set by the allocation (an operation)
    allocated_on = Column(Date)

    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")
    person = relationship("Person")

    def __repr__(self) -> str:
        name = self.person.name if self.person is not None else ""
        # the number first: one person may have applied before (a returned, a voided application)
        return _("%(number)s %(name)s的入住申请", number=self.document_number or "", name=name).strip()

    @property
    def reason_label(self) -> str:
        return str(REASONS.get(self.reason, self.reason or ""))

    @property
    def unit_kind_label(self) -> str:
        return str(UNIT_KINDS.get(self.unit_kind, self.unit_kind or ""))

    @property
    def allocation_label(self) -> str:
        return _("已配租（%(day)s）", day=self.allocated_on.isoformat()) if self.allocated_on else _("未配租")


class Tenancy(Voidable, Versioned, Model):
    """租住: one unit let to one person of an organisation for a period, at the computed rent."""

    __tablename__ = "housing_tenancy"
    __table_args__ = (
        CheckConstraint("end_on >= start_on", name="ck_housing_tenancy_period"),
        CheckConstraint(
            "status in ('allocated', 'checked_in', 'checked_out')", name="ck_housing_tenancy_status"
        ),
        CheckConstraint("renewals >= 0", name="ck_housing_tenancy_renewals"),
    )

    id = Column(Integer, primary_key=True)
    unit_id = Column(Integer, ForeignKey("housing_unit.id"), nullable=False, index=True)
    application_id = Column(Integer, ForeignKey("housing_tenancy_application.id"), index=True)
    #: the tenant's organisation (the record is theirs and the bureau's)
    organization_id = _org_fk()
    jurisdiction_id = _jur_fk()
    person_id = Column(Integer, ForeignKey("catalog_person.id"), nullable=False, index=True)
    start_on = Column(Date, nullable=False)
    #: 租期截止日; moved on only by an approved renewal
    end_on = Column(Date, nullable=False)
    #: 月租金 = 建筑面积 × 租金标准 of the unit's kind (derived)
    monthly_rent = Column(Numeric(10, 2))
    rent_per_m2 = Column(Numeric(8, 2))
    status = Column(String(16), nullable=False, default="allocated", server_default="allocated", index=True)
    renewals = Column(Integer, nullable=False, default=0, server_default="0")
    checked_in_on = Column(Date)
    #: 入住物品清单: one line per item, "物品 数量 状况"
    checkin_inventory = Column(Text)
    #: what the check-in inventory lacks against the unit's furnishing (derived by the operation)
    checkin_differences = Column(Text)
    checked_out_on = Column(Date)
    checkout_inventory = Column(Text)
    #: 损坏、缺失情况 noted at check-out
    damages = Column(Text)
    note = Column(Text)

    unit = relationship("HousingUnit")
    application = relationship("TenancyApplication")
    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")
    person = relationship("Person")

    def __repr__(self) -> str:
        unit = f"{self.unit.building} {self.unit.unit_number}" if self.unit is not None else ""
        name = self.person.name if self.person is not None else ""
        return _("%(unit)s（%(name)s）", unit=unit, name=name)

    @property
    def status_label(self) -> str:
        return str(TENANCY_STATUSES.get(self.status, self.status or ""))

    @property
    def period_text(self) -> str:
        if self.start_on is None or self.end_on is None:
            return ""
        return _("%(start)s至%(end)s", start=self.start_on.isoformat(), end=self.end_on.isoformat())


class TenancyRenewal(ApprovalMixin, Voidable, Versioned, Model):
    """续租申请: a new end for a checked-in tenancy; approved by the bureau, it moves the end on."""

    __tablename__ = "housing_tenancy_renewal"

    approval_stages = RENEWAL_STAGES
    document_prefix = "XZ"

    id = Column(Integer, primary_key=True)
    tenancy_id = Column(Integer, ForeignKey("housing_tenancy.id"), nullable=False, index=True)
    organization_id = _org_fk()
    jurisdiction_id = _jur_fk()
    #: the tenancy's end when the renewal was asked (derived)
    previous_end_on = Column(Date)
    new_end_on = Column(Date, nullable=False)
    reason = Column(Text, nullable=False)

    tenancy = relationship("Tenancy")
    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        return _(
            "%(number)s %(tenancy)s 续租至 %(end)s",
            number=self.document_number or "",
            tenancy=self.tenancy or "",
            end=self.new_end_on.isoformat() if self.new_end_on else "",
        ).strip()

    def on_transition(self, action: str, session) -> list[str] | None:
        """Approval moves the tenancy's end on and counts the renewal (the rules have checked it)."""
        if action not in ("submit", "approve"):
            return None
        tenancy = self.tenancy
        if tenancy is None or tenancy.voided_at is not None or tenancy.status != "checked_in":
            raise WorkflowError(_("只有已入住的租住才能续租（《办法》第二十五条）"), status=409)
        if action == "submit":
            return None
        tenancy.end_on = self.new_end_on
        tenancy.renewals = (tenancy.renewals or 0) + 1
        return [
            _("租期延长至 %(end)s（第 %(n)s 次续租）", end=self.new_end_on.isoformat(), n=tenancy.renewals)
        ]
