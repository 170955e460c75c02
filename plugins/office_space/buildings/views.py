"""Screens of buildings, floors and rooms (Art. 22): 办公楼 (权属登记), 楼层 (平面图), 办公用房房间
(配置、调剂、收回 as operations), 配置调剂记录, 办公室使用人员."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.api import ScopedInterface, ScopedModelView, ViewSpec, choice_field, db
from core.attachments.models import Attachment
from plugins.office_space.buildings.models import (
    ROOM_TYPES,
    TITLE_STATUSES,
    OfficeBuilding,
    OfficeFloor,
    OfficeRoom,
    RoomAllocation,
    RoomOccupant,
)

COMMON_LABELS = {
    "organization": _l("单位"), "jurisdiction": _l("所在辖区"), "note": _l("备注"),
    "building": _l("办公楼"), "floor": _l("楼层"), "room": _l("房间"),
}


class OfficeBuildingView(ScopedModelView):
    """办公楼: the bureau's register of buildings, their parcel and title registration (权属登记)."""

    datamodel = ScopedInterface(OfficeBuilding)
    list_title = _l("办公楼")
    list_columns = ["name", "address", "jurisdiction", "parcel", "title_status_label", "centralised",
                    "floor_area"]
    add_columns = ["name", "address", "parcel", "title_status", "title_certificate", "title_holder",
                   "centralised", "built_year", "last_major_repair_year", "floor_area", "organization",
                   "note"]
    edit_columns = add_columns
    show_columns = ["name", "address", "jurisdiction", "organization", "parcel", "title_status_label",
                    "title_certificate", "title_holder", "centralised", "built_year",
                    "last_major_repair_year", "floor_area", "note"]
    search_columns = ["name", "address", "jurisdiction", "title_status", "centralised"]
    label_columns = {
        **COMMON_LABELS,
        "name": _l("名称"), "address": _l("地址"), "parcel": _l("所在宗地"),
        "title_status": _l("权属登记"), "title_status_label": _l("权属登记"),
        "title_certificate": _l("不动产权证书号"), "title_holder": _l("权利人"),
        "centralised": _l("集中办公区"), "built_year": _l("建成年份"),
        "last_major_repair_year": _l("最近大中修年份"), "floor_area": _l("建筑面积（m²）"),
        "organization": _l("管理单位"),
    }
    description_columns = {
        "parcel": _l("办公楼所在的宗地（土地管理）"),
        "title_status": _l("办公用房应登记至本级机关事务管理部门名下（《办法》第二十二条）"),
    }
    add_form_extra_fields = {"title_status": choice_field(_l("权属登记"), TITLE_STATUSES)}
    edit_form_extra_fields = add_form_extra_fields


class OfficeFloorView(ScopedModelView):
    """楼层: its plan drawing (平面图, an attachment) with each room's number drawn on it."""

    datamodel = ScopedInterface(OfficeFloor)
    list_title = _l("楼层")
    list_columns = ["building", "level", "name", "jurisdiction"]
    add_columns = ["building", "level", "name"]
    edit_columns = add_columns
    show_columns = ["building", "level", "name", "organization", "jurisdiction"]
    search_columns = ["building", "level"]
    show_template = "office_space/floor_show.html"
    label_columns = {**COMMON_LABELS, "level": _l("层号"), "name": _l("楼层名称"),
                     "organization": _l("管理单位")}
    description_columns = {"level": _l("地上 1 层为 1，地下 1 层为 -1")}

    def show_context(self, item, pk) -> dict:
        query = select(Attachment).where(
            Attachment.entity == "office_floor", Attachment.record_id == str(item.id),
            Attachment.kind == "plan", Attachment.content_type.in_(("image/png", "image/jpeg")))
        plan = db.session.execute(query.order_by(Attachment.uploaded_at.desc(), Attachment.id.desc())
                                  .limit(1)).scalar_one_or_none()
        rooms = db.session.execute(
            select(OfficeRoom).where(OfficeRoom.floor_id == item.id, OfficeRoom.voided_at.is_(None))
            .order_by(OfficeRoom.number)).scalars().all()
        return {**super().show_context(item, pk), "plan": plan, "floor_rooms": rooms}


class OfficeRoomView(ScopedModelView):
    """办公用房房间: its use and user; 配置、调剂、收回 are the bureau's operations (Art. 22)."""

    datamodel = ScopedInterface(OfficeRoom)
    list_title = _l("办公用房房间")
    list_columns = ["building", "number", "room_type_label", "use_area", "organization", "status_label"]
    add_columns = ["building", "floor", "number", "use_area", "room_type", "plan_x", "plan_y", "note"]
    edit_columns = add_columns
    show_columns = ["building", "floor", "number", "room_type_label", "use_area", "organization",
                    "jurisdiction", "status_label", "status_since", "plan_x", "plan_y", "note"]
    search_columns = ["building", "number", "room_type", "organization", "status"]
    label_columns = {
        **COMMON_LABELS,
        "number": _l("房间号"), "use_area": _l("使用面积（m²）"), "room_type": _l("用房类型"),
        "room_type_label": _l("用房类型"), "organization": _l("使用单位"), "status": _l("状态"),
        "status_label": _l("状态"), "status_since": _l("状态起始日期"),
        "plan_x": _l("平面图横向位置（%）"), "plan_y": _l("平面图纵向位置（%）"),
    }
    description_columns = {
        "floor": _l("须为该办公楼的楼层"),
        "room_type": _l("办公室用房按人均使用面积标准核对（《办法》第二十二条）"),
        "plan_x": _l("房间号在楼层平面图上的位置，从左起占图宽的百分比"),
        "plan_y": _l("房间号在楼层平面图上的位置，从上起占图高的百分比"),
    }
    add_form_extra_fields = {"room_type": choice_field(_l("用房类型"), ROOM_TYPES)}
    edit_form_extra_fields = add_form_extra_fields


class RoomAllocationView(ScopedModelView):
    """配置调剂记录: written by the room's operations, read here."""

    datamodel = ScopedInterface(RoomAllocation)
    base_permissions = ["can_list", "can_show"]
    list_title = _l("配置调剂记录")
    list_columns = ["day", "room", "kind_label", "from_organization", "to_organization", "decision_no"]
    show_columns = ["day", "room", "kind_label", "from_organization", "to_organization", "decision_no",
                    "note", "jurisdiction"]
    search_columns = ["room", "kind", "day", "to_organization"]
    base_order = ("day", "desc")
    label_columns = {**COMMON_LABELS, "day": _l("日期"), "kind": _l("事项"), "kind_label": _l("事项"),
                     "from_organization": _l("原使用单位"), "to_organization": _l("新使用单位"),
                     "decision_no": _l("决定文号")}


class RoomOccupantView(ScopedModelView):
    """办公室使用人员: the using organisation records who is in which room, from and to when."""

    datamodel = ScopedInterface(RoomOccupant)
    list_title = _l("办公室使用人员")
    list_columns = ["room", "person", "organization", "from_date", "to_date"]
    add_columns = ["room", "person", "from_date", "note"]
    edit_columns = ["room", "person", "from_date", "to_date", "note"]
    show_columns = ["room", "person", "organization", "jurisdiction", "from_date", "to_date", "note"]
    search_columns = ["room", "person", "from_date", "to_date"]
    base_order = ("from_date", "desc")
    label_columns = {**COMMON_LABELS, "person": _l("人员"), "organization": _l("使用单位"),
                     "from_date": _l("迁入日期"), "to_date": _l("迁出日期")}
    description_columns = {
        "room": _l("本单位使用中的办公室用房"),
        "person": _l("一人只能使用一处办公室；人均使用面积不得超过标准（《办法》第二十二条）"),
    }


def view_specs(common: dict) -> list[ViewSpec]:
    return [
        ViewSpec(OfficeBuildingView, "Office Buildings", _l("办公楼"), icon="fa-building", **common),
        ViewSpec(OfficeFloorView, "Office Floors", _l("楼层"), icon="fa-map-o", **common),
        ViewSpec(OfficeRoomView, "Office Rooms", _l("办公用房房间"), icon="fa-th-large", **common),
        ViewSpec(RoomOccupantView, "Office Room Occupants", _l("办公室使用人员"), icon="fa-user", **common),
        ViewSpec(RoomAllocationView, "Office Room Allocations", _l("配置调剂记录"), icon="fa-exchange",
                 **common),
    ]
