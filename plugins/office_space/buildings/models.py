"""Office buildings, their floors and rooms (Art. 22).

集中统一管理: a building is managed by the bureau of its jurisdiction (``organization_id`` is the
bureau or the organisation the bureau entrusted), registered to it (权属登记), and its rooms are
allocated (配置) and reallocated (调剂) by the bureau's operations, never by editing a room: the
room's organisation and status are state fields. A room with no organisation is unallocated
(the jurisdiction's pool), which is where idle space (Art. 24) is found.
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

from core.api import Model, Versioned, Voidable, entity_reference

#: 权属登记 of a building (Art. 22): registered to the bureau, under way, or not yet
TITLE_STATUSES = {"registered": _l("已登记至机关事务管理部门"), "in_progress": _l("登记办理中"),
                  "unregistered": _l("未登记")}

#: 办公用房 by use (党政机关办公用房建设标准): only 办公室用房 counts against the per-person standard
ROOM_TYPES = {"office": _l("办公室用房"), "service": _l("服务用房"), "equipment": _l("设备用房"),
              "ancillary": _l("附属用房")}

#: A room's state; each change is an operation (配置, 调剂, 收回, 出租出借, 处置), never a form
ROOM_STATUSES = {"in_use": _l("使用中"), "vacant": _l("未配置"), "leased": _l("出租出借"),
                 "disposed": _l("已处置")}


class OfficeBuilding(Voidable, Versioned, Model):
    """A building of office space (办公楼) under the bureau's management."""

    __tablename__ = "office_space_building"
    __table_args__ = (
        UniqueConstraint("jurisdiction_id", "name", name="uq_office_space_building_name"),
        CheckConstraint("title_status in ('registered', 'in_progress', 'unregistered')",
                        name="ck_office_space_building_title"),
        CheckConstraint("floor_area is null or floor_area > 0", name="ck_office_space_building_area"),
    )

    id = Column(Integer, primary_key=True)
    name = Column(String(128), nullable=False)
    address = Column(String(255), nullable=False)
    #: the land parcel it stands on (land module), where the bureau has recorded it
    parcel_id = entity_reference("land_parcel")
    #: 权属登记 (Art. 22): to whom and with which certificate
    title_status = Column(String(16), nullable=False, default="unregistered")
    title_certificate = Column(String(64))
    title_holder_id = Column(Integer, ForeignKey("catalog_organization.id"), index=True)
    #: 集中办公区: a compound several organisations share
    centralised = Column(Boolean, nullable=False, default=False)
    built_year = Column(Integer)
    #: the year of the last 大中修 finished, which the interval between major repairs counts from
    last_major_repair_year = Column(Integer)
    #: 建筑面积 m²
    floor_area = Column(Numeric(12, 2))
    #: the managing organisation: the bureau of the jurisdiction (集中统一管理)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    note = Column(Text)

    title_holder = relationship("Organization", foreign_keys=[title_holder_id])
    organization = relationship("Organization", foreign_keys=[organization_id])
    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        return self.name

    @property
    def title_status_label(self) -> str:
        return str(TITLE_STATUSES.get(self.title_status, self.title_status))


class OfficeFloor(Versioned, Model):
    """A floor of a building; its plan drawing (平面图) is an attachment, rooms are marked on it."""

    __tablename__ = "office_space_floor"
    __table_args__ = (UniqueConstraint("building_id", "level", name="uq_office_space_floor_level"),)

    id = Column(Integer, primary_key=True)
    building_id = Column(Integer, ForeignKey("office_space_building.id"), nullable=False, index=True)
    #: 1 for the ground floor, -1 for the first basement
    level = Column(Integer, nullable=False)
    name = Column(String(64))
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)

    building = relationship("OfficeBuilding")
    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        label = self.name or (f"{self.level}F" if self.level > 0 else f"B{-self.level}")
        return f"{self.building} {label}"


class OfficeRoom(Voidable, Versioned, Model):
    """A room: its use area (使用面积) and type; the organisation it is allocated to.

    ``organization_id`` and ``status`` are state fields: the bureau's operations allocate
    (配置), reallocate (调剂) and take back (收回) a room; ``status_since`` is the day of the last
    change, from which idle time is counted. The jurisdiction is the building's.
    """

    __tablename__ = "office_space_room"
    __table_args__ = (
        UniqueConstraint("building_id", "number", name="uq_office_space_room_number"),
        CheckConstraint("use_area > 0", name="ck_office_space_room_area"),
        CheckConstraint("room_type in ('office', 'service', 'equipment', 'ancillary')",
                        name="ck_office_space_room_type"),
        CheckConstraint("status in ('in_use', 'vacant', 'leased', 'disposed')",
                        name="ck_office_space_room_status"),
    )

    id = Column(Integer, primary_key=True)
    building_id = Column(Integer, ForeignKey("office_space_building.id"), nullable=False, index=True)
    floor_id = Column(Integer, ForeignKey("office_space_floor.id"), index=True)
    number = Column(String(32), nullable=False)
    use_area = Column(Numeric(10, 2), nullable=False)
    room_type = Column(String(16), nullable=False, default="office")
    #: the organisation using it; none while unallocated (a state field: operations set it)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    status = Column(String(16), nullable=False, default="vacant", index=True)
    status_since = Column(Date)
    #: where the room's number is drawn on its floor's plan, in % of the drawing's width/height
    plan_x = Column(Numeric(5, 2))
    plan_y = Column(Numeric(5, 2))
    note = Column(Text)

    building = relationship("OfficeBuilding")
    floor = relationship("OfficeFloor")
    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        return f"{self.building} {self.number}"

    @property
    def room_type_label(self) -> str:
        return str(ROOM_TYPES.get(self.room_type, self.room_type))

    @property
    def status_label(self) -> str:
        return str(ROOM_STATUSES.get(self.status, self.status))


#: 配置调剂 (Art. 22): what an allocation record did to the room
ALLOCATION_KINDS = {"allocate": _l("配置"), "reallocate": _l("调剂"), "take_back": _l("收回")}


class RoomAllocation(Voidable, Model):
    """One allocation of a room by the bureau (配置, 调剂, 收回): who/when/to whom, with the decision.

    Written only by the room's operations; never edited or deleted (the room's history). Its
    organisation is the one receiving the room (the one giving it back for 收回)."""

    __tablename__ = "office_space_room_allocation"
    __table_args__ = (
        CheckConstraint("kind in ('allocate', 'reallocate', 'take_back')",
                        name="ck_office_space_allocation_kind"),
    )

    id = Column(Integer, primary_key=True)
    room_id = Column(Integer, ForeignKey("office_space_room.id"), nullable=False, index=True)
    kind = Column(String(16), nullable=False)
    from_organization_id = Column(Integer, ForeignKey("catalog_organization.id"), index=True)
    to_organization_id = Column(Integer, ForeignKey("catalog_organization.id"), index=True)
    day = Column(Date, nullable=False)
    decision_no = Column(String(64))
    note = Column(Text)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)

    room = relationship("OfficeRoom")
    from_organization = relationship("Organization", foreign_keys=[from_organization_id])
    to_organization = relationship("Organization", foreign_keys=[to_organization_id])
    organization = relationship("Organization", foreign_keys=[organization_id])
    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        return f"{self.room} {self.kind_label} {self.day}"

    @property
    def kind_label(self) -> str:
        return str(ALLOCATION_KINDS.get(self.kind, self.kind))


class RoomOccupant(Voidable, Versioned, Model):
    """A person in an office room from a day (to a day): the using organisation's record.

    A person holds at most one office room at a time; moving out end-dates the row (迁出), it is
    never deleted. Only rooms of type 办公室用房 take occupants."""

    __tablename__ = "office_space_room_occupant"
    __table_args__ = (
        CheckConstraint("to_date is null or to_date >= from_date", name="ck_office_space_occupant_dates"),
    )

    id = Column(Integer, primary_key=True)
    room_id = Column(Integer, ForeignKey("office_space_room.id"), nullable=False, index=True)
    person_id = Column(Integer, ForeignKey("catalog_person.id"), nullable=False, index=True)
    from_date = Column(Date, nullable=False)
    #: the day the person moved out (a state field: the 迁出 operation sets it)
    to_date = Column(Date)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    note = Column(Text)

    room = relationship("OfficeRoom")
    person = relationship("Person")
    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        return f"{self.person} @ {self.room}"
