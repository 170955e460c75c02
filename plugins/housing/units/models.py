"""Housing units: talent apartments (人才公寓) and turnover housing (周转住房), Art. 25.

A unit is in the bureau's management from its handover (移交): ``organization_id`` is the bureau
(统一组织实施…移交、维修、维护、运营、调配、处置). Its status is a state field: handover, the
tenancies area's check-in and check-out, maintenance and disposal are operations.
"""

from __future__ import annotations

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

from core.api import Model, Versioned, Voidable, local_today

UNIT_ENTITY = "housing_unit"
MAINTENANCE_ENTITY = "housing_unit_maintenance"

UNIT_KINDS = {"turnover": _l("周转住房"), "talent": _l("人才公寓")}

#: 待移交 until the handover is recorded; 空置 ready to allocate; 已入住; 维修中; 已处置
UNIT_STATUSES = {"pending": _l("待移交"), "available": _l("空置可配租"), "occupied": _l("已入住"),
                 "maintenance": _l("维修中"), "disposed": _l("已处置")}


class HousingUnit(Voidable, Versioned, Model):
    """One dwelling (套) of turnover housing or a talent apartment."""

    __tablename__ = "housing_unit"
    __table_args__ = (
        UniqueConstraint("jurisdiction_id", "building", "unit_number", name="uq_housing_unit_number"),
        CheckConstraint("kind in ('turnover', 'talent')", name="ck_housing_unit_kind"),
        CheckConstraint("status in ('pending', 'available', 'occupied', 'maintenance', 'disposed')",
                        name="ck_housing_unit_status"),
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
    #: 接收移交 (an operation): who handed the unit over, the day, the transfer document's number;
    #: the document itself is the unit's attachment 移交文件
    handed_over_by = Column(String(128))
    handed_over_on = Column(Date)
    handover_document_no = Column(String(64))
    #: 处置 (an operation): the disposal decision's document number and the day
    disposal_document_no = Column(String(64))
    disposed_on = Column(Date)

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


MAINTENANCE_KINDS = {"repair": _l("维修"), "maintenance": _l("维护保养")}


class UnitMaintenance(Voidable, Versioned, Model):
    """维修、维护: one repair or maintenance job on a unit, its cost posted by 入账 to the ledger
    under 30213 维修（护）费 (Art. 25: the bureau organises 维修、维护)."""

    __tablename__ = "housing_unit_maintenance"
    __table_args__ = (
        CheckConstraint("cost >= 0", name="ck_housing_unit_maintenance_cost"),
        CheckConstraint("kind in ('repair', 'maintenance')", name="ck_housing_unit_maintenance_kind"),
    )

    id = Column(Integer, primary_key=True)
    unit_id = Column(Integer, ForeignKey("housing_unit.id"), nullable=False, index=True)
    #: the unit's bureau and jurisdiction (the write pipeline copies them from the unit)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    kind = Column(String(16), nullable=False, default="repair")
    done_on = Column(Date, nullable=False, default=local_today)
    #: what was repaired or maintained
    work = Column(Text, nullable=False)
    cost = Column(Numeric(14, 2), nullable=False)
    contractor = Column(String(128), nullable=False, default="")
    note = Column(Text)
    #: 已入账: set only by the 入账 operation
    posted = Column(Boolean, nullable=False, default=False, server_default="0")
    posted_on = Column(Date)

    unit = relationship("HousingUnit")
    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        return f"{self.unit or ''} {self.done_on.isoformat() if self.done_on else ''} {self.kind_label}"

    @property
    def kind_label(self) -> str:
        return str(MAINTENANCE_KINDS.get(self.kind, self.kind or ""))

    @property
    def posted_label(self) -> str:
        return str(_l("已入账") if self.posted else _l("待入账"))
