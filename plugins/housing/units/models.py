"""Housing units: talent apartments (人才公寓) and turnover housing (周转住房), Art. 25.

A unit is in the bureau's management from its handover (移交): ``organization_id`` is the bureau
(统一组织实施…移交、维修、维护、运营、调配、处置). Its status is a state field: handover, the
tenancies area's check-in and check-out, maintenance and disposal are operations.
"""

from __future__ import annotations

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
    UniqueConstraint,
)
from sqlalchemy.orm import relationship

from core.api import Model, Versioned, Voidable

UNIT_KINDS = {"turnover": _l("周转住房"), "talent": _l("人才公寓")}

#: 待移交 until the handover is recorded; 空置 ready to allocate; 已入住; 维修中; 已处置
UNIT_STATUSES = {
    "pending": _l("待移交"),
    "available": _l("空置可配租"),
    "occupied": _l("已入住"),
    "maintenance": _l("维修中"),
    "disposed": _l("已处置"),
}


class HousingUnit(Voidable, Versioned, Model):
    """One dwelling (套) of turnover housing or a talent apartment."""

    __tablename__ = "housing_unit"
    __table_args__ = (
        UniqueConstraint("jurisdiction_id", "building", "unit_number", name="uq_housing_unit_number"),
        CheckConstraint("kind in ('turnover', 'talent')", name="ck_housing_unit_kind"),
        CheckConstraint(
            "status in ('pending', 'available', 'occupied', 'maintenance', 'disposed')",
            name="ck_housing_unit_status",
        ),
        CheckConstraint("area > 0", name="ck_housing_unit_area"),
        CheckConstraint("rooms > 0", name="ck_housing_unit_rooms"),
    )

    id = Column(Integer, primary_key=True)
    kind = Column(String(16), nullable=False, default="turnover")
    #: the estate and building (小区、楼栋), e.g. 天山区周转房小区 3 号楼
    building = Column(String(128), nullable=False)
    #: the unit's number within the building (单元/户号), e.g. 2-301
    unit_number = Column(String(32), nullable=False)
    address = Column(String(255))
    #: 建筑面积 m², what the rent standard multiplies
    area = Column(Numeric(8, 2), nullable=False)
    #: 居室数
    rooms = Column(Integer, nullable=False, default=1)
    #: 配套家具家电, what check-in and check-out inventories are compared with
    furnishing = Column(Text)
    #: the bureau managing it (Art. 25)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    status = Column(String(16), nullable=False, default="pending", index=True)
    status_since = Column(Date)
    note = Column(Text)

    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        return f"{self.building} {self.unit_number}"

    @property
    def kind_label(self) -> str:
        return str(UNIT_KINDS.get(self.kind, self.kind))

    @property
    def status_label(self) -> str:
        return str(UNIT_STATUSES.get(self.status, self.status))
