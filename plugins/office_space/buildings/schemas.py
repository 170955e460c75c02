"""Schemas and entity types of buildings, floors and rooms (Art. 22)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, validates
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from core.api import AttachmentKinds, EntityType, Scope, StateField
from plugins.office_space.buildings.models import (
    ROOM_STATUSES,
    ROOM_TYPES,
    TITLE_STATUSES,
    OfficeBuilding,
    OfficeFloor,
    OfficeRoom,
    RoomAllocation,
    RoomOccupant,
)

#: a building is the bureau's; organisations below point their records at it without reading it
BUILDING_SCOPE = Scope(organization="organization_id", jurisdiction="jurisdiction_id",
                       derive_jurisdiction=True, referable_below=True)
#: a floor is its building's (the plan drawing is no approval document, nothing locks)
FLOOR_SCOPE = Scope(organization="organization_id", jurisdiction="jurisdiction_id", parent="building",
                    locked_with_parent=False)
#: a room reads as its user's (none while unallocated: the jurisdiction's pool) in the building's
#: jurisdiction, which a derivation fills from the building
ROOM_SCOPE = Scope(organization="organization_id", jurisdiction="jurisdiction_id")


class OfficeBuildingSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = OfficeBuilding
        include_fk = True
        exclude = ("version",)

    @validates("title_status")
    def _title(self, value, **_kw):
        if value not in TITLE_STATUSES:
            raise ValidationError(_("未知的权属登记状态：%(value)s", value=value))


class OfficeFloorSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = OfficeFloor
        include_fk = True
        exclude = ("version",)


class OfficeRoomSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = OfficeRoom
        include_fk = True
        exclude = ("version",)

    @validates("room_type")
    def _type(self, value, **_kw):
        if value not in ROOM_TYPES:
            raise ValidationError(_("未知的用房类型：%(value)s", value=value))

    @validates("use_area")
    def _area(self, value, **_kw):
        if value is None or value <= 0:
            raise ValidationError(_("使用面积必须大于 0 平方米"))


#: an allocation reads as the organisation receiving the room (giving it back, for 收回)
ALLOCATION_SCOPE = Scope(organization="organization_id", jurisdiction="jurisdiction_id")
#: an occupancy is the using organisation's record, in the room's jurisdiction (a derivation fills both)
OCCUPANT_SCOPE = Scope(organization="organization_id", jurisdiction="jurisdiction_id")


class RoomAllocationSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = RoomAllocation
        include_fk = True
        exclude = ("voided_at", "voided_by", "void_reason")


class RoomOccupantSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = RoomOccupant
        include_fk = True
        exclude = ("version", "voided_at", "voided_by", "void_reason")


def entity_types() -> list[EntityType]:
    return [
        EntityType(
            key="office_building", label=_l("办公楼"), model=OfficeBuilding, scope=BUILDING_SCOPE,
            schema=OfficeBuildingSchema, sharing="conditional", update_cycle=_l("实时"),
            description=_l("机关办公用房所在的办公楼：地址、所在宗地、权属登记、是否集中办公区、"
                           "建成年份和最近一次大中修年份（第二十二、二十三条）"),
            api_columns=("id", "name", "address", "parcel_id", "title_status", "title_certificate",
                         "title_holder_id", "centralised", "built_year", "last_major_repair_year",
                         "floor_area", "organization_id", "jurisdiction_id", "note"),
            attachments=AttachmentKinds(("title", _l("不动产权证书"))),
        ),
        EntityType(
            key="office_floor", label=_l("楼层"), model=OfficeFloor, scope=FLOOR_SCOPE,
            schema=OfficeFloorSchema, sharing="conditional", update_cycle=_l("实时"),
            description=_l("办公楼的楼层及其平面图"),
            api_columns=("id", "building_id", "level", "name", "organization_id", "jurisdiction_id"),
            attachments=AttachmentKinds(("plan", _l("楼层平面图"))),
        ),
        EntityType(
            key="office_room", label=_l("办公用房房间"), model=OfficeRoom, scope=ROOM_SCOPE,
            schema=OfficeRoomSchema, sharing="conditional", update_cycle=_l("实时"),
            description=_l("房间号、使用面积、用房类型和使用单位；配置、调剂、收回由机关事务管理部门"
                           "办理（第二十二条），闲置用房处置利用见第二十四条"),
            api_columns=("id", "building_id", "floor_id", "number", "use_area", "room_type",
                         "organization_id", "jurisdiction_id", "status", "status_since", "plan_x",
                         "plan_y", "note"),
            state_fields=(StateField("organization_id"),
                          StateField("status", initial=("vacant", "in_use"), labels=ROOM_STATUSES),
                          StateField("status_since")),
        ),
        EntityType(
            key="office_room_allocation", label=_l("办公用房配置调剂记录"), model=RoomAllocation,
            scope=ALLOCATION_SCOPE, schema=RoomAllocationSchema, sharing="conditional",
            update_cycle=_l("实时"),
            description=_l("机关事务管理部门对房间的配置、调剂和收回：日期、原使用单位、新使用单位、"
                           "决定文号（第二十二条）；由操作生成，不可修改"),
            api_columns=("id", "room_id", "kind", "from_organization_id", "to_organization_id", "day",
                         "decision_no", "note", "organization_id", "jurisdiction_id"),
            state_fields=(StateField("room_id"), StateField("kind"), StateField("from_organization_id"),
                          StateField("to_organization_id"), StateField("day"),
                          StateField("decision_no"), StateField("organization_id")),
            delete_policy="void",
        ),
        EntityType(
            key="office_room_occupant", label=_l("办公室使用人员"), model=RoomOccupant,
            scope=OCCUPANT_SCOPE, schema=RoomOccupantSchema, sharing="conditional",
            update_cycle=_l("实时"),
            description=_l("使用单位登记的办公室使用人员及起止日期；一人只能使用一处办公室，"
                           "人均使用面积不得超过标准（第二十二条）"),
            api_columns=("id", "room_id", "person_id", "from_date", "to_date", "organization_id",
                         "jurisdiction_id", "note"),
            delete_policy="void",
        ),
    ]
