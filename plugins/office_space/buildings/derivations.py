"""Derived values of buildings, floors and rooms, and the over-standard flags kept true (Art. 22).

- A floor's and a room's jurisdiction (and a floor's managing organisation) are the building's,
  on every write path: a room is in the building's jurisdiction whoever uses it.
- An occupant's organisation and jurisdiction are the room's (the using organisation's record).
- The flags follow what they measure: a move in or out re-checks its room, a room changing hands
  re-checks the organisations giving and receiving it, and a change of the per-person standard
  re-checks the rooms and organisations of its jurisdiction and below (``recheck_rules``: nothing
  of theirs is written).
"""

from __future__ import annotations

from sqlalchemy import select

from catalog.models import Person
from core.api import Derivation, effective_values, recheck_rules, related_target
from core.tenancy import Jurisdiction, Organization
from plugins.office_space.buildings.models import OfficeFloor, OfficeRoom, RoomOccupant
from plugins.office_space.buildings.rules import ORG_FLAG, ROOM_FLAG
from plugins.office_space.buildings.standards import AREA_PER_PERSON


def _follow_building(row, ctx) -> None:
    """The row's jurisdiction is its building's (an object of the flush, or stored)."""
    building = related_target(ctx.session, row, "building")
    if building is None:
        return
    jurisdiction = related_target(ctx.session, building, "jurisdiction")
    if jurisdiction is not None and related_target(ctx.session, row, "jurisdiction") is not jurisdiction:
        row.jurisdiction = jurisdiction
    if isinstance(row, OfficeFloor) and effective_values(row)["organization_id"] is None:
        row.organization = related_target(ctx.session, building, "organization")


def floor_scope(floor: OfficeFloor, ctx) -> None:
    _follow_building(floor, ctx)


def room_scope(room: OfficeRoom, ctx) -> None:
    _follow_building(room, ctx)


def occupant_scope(occupant: RoomOccupant, ctx) -> None:
    room = related_target(ctx.session, occupant, "room")
    if room is None:
        return
    values = effective_values(occupant)
    if values["organization_id"] != room.organization_id and ctx.action == "create":
        occupant.organization_id = room.organization_id
    if values["jurisdiction_id"] != room.jurisdiction_id:
        occupant.jurisdiction_id = room.jurisdiction_id


def occupant_recheck(occupant: RoomOccupant, ctx) -> None:
    room = related_target(ctx.session, occupant, "room")
    if room is not None and room.id is not None:
        recheck_rules(ctx.session, [room], today=ctx.today, keys={ROOM_FLAG})


def room_recheck(room: OfficeRoom, ctx) -> None:
    before, after = ctx.previous(room), effective_values(room)
    orgs = {before.get("organization_id"), after.get("organization_id")} - {None}
    if not orgs or all(before.get(k) == after.get(k) for k in
                       ("organization_id", "status", "room_type", "use_area", "voided_at")):
        return
    rows = [ctx.session.get(Organization, org_id) for org_id in orgs]
    recheck_rules(ctx.session, [row for row in rows if row is not None], today=ctx.today, keys={ORG_FLAG})


def standard_recheck(standard, ctx) -> None:
    values = effective_values(standard)
    if values.get("kind") != AREA_PER_PERSON and ctx.previous(standard).get("kind") != AREA_PER_PERSON:
        return
    jurisdiction = related_target(ctx.session, standard, "jurisdiction")
    if jurisdiction is None or not jurisdiction.path:
        return
    below = select(Jurisdiction.id).where(Jurisdiction.path.like(f"{jurisdiction.path}%"))
    rooms = ctx.session.execute(select(OfficeRoom).where(
        OfficeRoom.jurisdiction_id.in_(below), OfficeRoom.room_type == "office",
        OfficeRoom.organization_id.is_not(None))).scalars().all()
    orgs = ctx.session.execute(select(Organization).where(
        Organization.jurisdiction_id.in_(below),
        Organization.id.in_(select(OfficeRoom.organization_id)))).scalars().all()
    recheck_rules(ctx.session, rooms, today=ctx.today, keys={ROOM_FLAG})
    recheck_rules(ctx.session, orgs, today=ctx.today, keys={ORG_FLAG})


def staff_recheck(row, ctx) -> None:
    """A new establishment decision, or staff joining, leaving or changing rank, moves the
    organisation's allowance (and a person's rank the standard of the room they are in)."""
    values, before = effective_values(row), ctx.previous(row)
    orgs = {values.get("organization_id"), before.get("organization_id")} - {None}
    rows = [org for org in (ctx.session.get(Organization, pk) for pk in orgs) if org is not None]
    if rows:
        recheck_rules(ctx.session, rows, today=ctx.today, keys={ORG_FLAG})
    if isinstance(row, Person) and row.id is not None:
        rooms = ctx.session.execute(select(OfficeRoom).join(
            RoomOccupant, RoomOccupant.room_id == OfficeRoom.id).where(
            RoomOccupant.person_id == row.id, RoomOccupant.voided_at.is_(None))).scalars().all()
        if rooms:
            recheck_rules(ctx.session, rooms, today=ctx.today, keys={ROOM_FLAG})


DERIVATIONS = [
    Derivation("office_space.floor_scope", OfficeFloor, floor_scope),
    Derivation("office_space.room_scope", OfficeRoom, room_scope),
    Derivation("office_space.occupant_scope", RoomOccupant, occupant_scope),
    Derivation("office_space.occupant_recheck", RoomOccupant, occupant_recheck),
    Derivation("office_space.room_recheck", OfficeRoom, room_recheck, on=("update",)),
    Derivation("office_space.standard_recheck", "standard", standard_recheck,
               on=("create", "update", "delete")),
    Derivation("office_space.establishment_recheck", "establishment", staff_recheck,
               on=("create", "update", "delete")),
    Derivation("office_space.staff_recheck", "person", staff_recheck, on=("create", "update", "delete")),
]
