"""Rules of buildings and rooms (Art. 22), checked on every write path: the forms, ``POST``/``PUT
/api/v1/…``, the XLSX import, the operations (配置, 调剂, 收回, 迁入, 迁出)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from catalog.models import Person
from core.api import Rule, join_items
from core.tenancy import Organization
from plugins.office_space.buildings.measure import fmt, org_figures, room_figures
from plugins.office_space.buildings.models import OfficeRoom, RoomAllocation, RoomOccupant

ROOM_FLAG = "office_space.room_over_standard"
ORG_FLAG = "office_space.organization_over_standard"
#: what puts a room's area into (or out of) an organisation's count
COUNTED = ("organization_id", "status", "room_type", "use_area", "voided_at")


def _room_floor(room: OfficeRoom, ctx):
    """A room's floor is a floor of the room's building."""
    floor = ctx.related(room, "floor")
    if floor is None:
        return None
    building_id = ctx.value(room, "building_id")
    floor_building = ctx.value(floor, "building_id")
    if building_id is not None and floor_building != building_id:
        return {"floor": str(floor), "building": str(ctx.related(room, "building"))}
    return None


def _persons(figures) -> str:
    return join_items(f"{name}（{rank}，{fmt(standard)} m²）" for name, rank, standard in figures.persons)


def _room_over(room: OfficeRoom, ctx):
    """超标准使用 (Art. 22): the room's use area above the sum of its occupants' standards."""
    figures = room_figures(ctx.session, room, ctx.today)
    if figures is None or figures.unknown or figures.over <= 0:
        return None
    return {"org": str(ctx.related(room, "organization") or ""), "room": str(room),
            "area": fmt(figures.area), "allowance": fmt(figures.allowance), "persons": _persons(figures)}


def _org_allocation(room: OfficeRoom, ctx):
    """超标准配备 (Art. 22): a room coming into an organisation's count may not put it above (or
    further above) its allowance; what was over before is flagged, not refused."""
    if ctx.action == "update" and not ctx.changed(room, *COUNTED):
        return None
    org_id = ctx.value(room, "organization_id")
    if org_id is None or ctx.value(room, "room_type") != "office" or ctx.value(room, "status") != "in_use":
        return None
    org = ctx.session.get(Organization, org_id)
    after = org_figures(ctx.session, org, ctx.today)
    if after.allowance is None or after.over <= 0:
        return None
    before = org_figures(ctx.session, org, ctx.today, pending=False)
    if after.over <= before.over:
        return None
    return {"org": org.name, "area": fmt(after.area), "allowance": fmt(after.allowance)}


def _org_over(org: Organization, ctx):
    """超标准配备 (Art. 22): the organisation's office rooms above its allowance."""
    if org.id is None:
        return None
    figures = org_figures(ctx.session, org, ctx.today)
    if figures.allowance is None or figures.over <= 0:
        return None
    return {"org": org.name, "area": fmt(figures.area), "allowance": fmt(figures.allowance),
            "established": figures.established}


def _occupant_room(occupant: RoomOccupant, ctx):
    """Only an office room (办公室用房) in use takes persons, and only the using organisation's staff."""
    if ctx.action == "update" and not ctx.changed(occupant, "room_id", "person_id"):
        return None
    room = ctx.related(occupant, "room")
    person = ctx.related(occupant, "person")
    if room is None or person is None:
        return None
    room_org = ctx.value(room, "organization_id")
    if room.room_type != "office" or room.status != "in_use" or room_org is None:
        return {"problem": _l("%(room)s不是使用中的办公室用房，不能安排人员", room=str(room))}
    if ctx.value(person, "organization_id") != room_org:
        return {"problem": _l("%(person)s不是%(org)s的工作人员，不能使用该单位的办公室",
                              person=person.name, org=str(room.organization))}
    return None


def _one_room(occupant: RoomOccupant, ctx):
    """A person holds at most one office room at a time: no overlapping periods."""
    if ctx.value(occupant, "voided_at") is not None:
        return None
    person_id, start, end = ctx.value(occupant, "person_id"), occupant.from_date, occupant.to_date
    if person_id is None or start is None:
        return None
    rows = ctx.session.execute(select(RoomOccupant).where(
        RoomOccupant.person_id == person_id, RoomOccupant.voided_at.is_(None))).scalars().all()
    pending = [r for r in list(ctx.session.new) + list(ctx.session.dirty) if isinstance(r, RoomOccupant)]
    for other in {*rows, *pending}:
        if other is occupant or ctx.value(other, "person_id") != person_id or other.voided_at is not None:
            continue
        o_start, o_end = other.from_date, other.to_date
        if o_start is None:
            continue
        if (end is None or o_start < end) and (o_end is None or start < o_end):
            person = ctx.session.get(Person, person_id)
            return {"person": person.name if person else "", "room": str(ctx.related(other, "room"))}
    return None


def _occupant_standard(occupant: RoomOccupant, ctx):
    """超标准使用 (Art. 22): a move in or out may not put the room above (or further above) the
    sum of its occupants' standards."""
    room = ctx.related(occupant, "room")
    if room is None or room.id is None:
        return None
    after = room_figures(ctx.session, room, ctx.today)
    if after is None or after.unknown or after.over <= 0:
        return None
    before = room_figures(ctx.session, room, ctx.today, pending=False)
    if before is not None and after.over <= before.over:
        return None
    return {"org": str(room.organization or ""), "room": room.number, "area": fmt(after.area),
            "allowance": fmt(after.allowance)}


#: set on a RoomAllocation by the room's operations (and the demo): the only writers of the history
BY_OPERATION = "_office_space_by_operation"


def _history_by_operation(allocation: RoomAllocation, ctx):
    """配置调剂记录 are the operations' record: never made or changed by hand (作废 aside)."""
    if ctx.action == "create":
        return None if getattr(allocation, BY_OPERATION, False) else {"what": _l("新增")}
    fixed = ("room_id", "kind", "from_organization_id", "to_organization_id", "day", "decision_no", "note",
             "organization_id", "jurisdiction_id")
    return {"what": _l("修改")} if ctx.changed(allocation, *fixed) else None


RULES = [
    Rule(key="office_space.allocation_history", article=22, severity="block", model=RoomAllocation,
         message=_l("配置调剂记录由房间的“配置”“调剂”“收回”操作生成，不能%(what)s"),
         check=_history_by_operation),
    Rule(key="office_space.room_floor", article=22, severity="block", model=OfficeRoom,
         message=_l("楼层“%(floor)s”不属于办公楼“%(building)s”"), check=_room_floor),
    Rule(key=ROOM_FLAG, article=22, severity="flag", model=OfficeRoom,
         message=_l("%(org)s %(room)s 使用面积 %(area)s m²，"
                    "超过在用人员标准合计 %(allowance)s m²：%(persons)s"),
         check=_room_over),
    Rule(key="office_space.organization_allocation", article=22, severity="block", model=OfficeRoom,
         message=_l("%(org)s办公室用房将达 %(area)s m²，按标准最多 %(allowance)s m²，不能超标准配置"),
         check=_org_allocation),
    Rule(key=ORG_FLAG, article=22, severity="flag", model="organization",
         message=_l("%(org)s办公室用房 %(area)s m²，超过按编制 %(established)s 人核定的 %(allowance)s m²"),
         check=_org_over),
    Rule(key="office_space.occupant_room", article=22, severity="block", model=RoomOccupant,
         message=_l("%(problem)s"), check=_occupant_room),
    Rule(key="office_space.one_room", article=22, severity="block", model=RoomOccupant,
         message=_l("%(person)s已在使用%(room)s，一人只能使用一处办公室"), check=_one_room),
    Rule(key="office_space.occupant_standard", article=22, severity="block", model=RoomOccupant,
         message=_l("%(org)s %(room)s 室 %(area)s m²，按标准最多 %(allowance)s m²"),
         check=_occupant_standard),
]
