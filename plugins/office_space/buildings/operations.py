"""Operations on rooms (Art. 22 集中统一管理、配置调剂): 配置, 调剂, 收回 by the bureau of the room's
jurisdiction only; 迁出 of a person by the using organisation; 作废 of a wrong entry.

Each allocation writes a :class:`RoomAllocation` (who, when, from and to whom, the decision) and
sets the room's organisation, status and ``status_since``. An allocation may name the person who
moves in (an occupancy from the same day); a room changing hands ends its occupancies. The
over-standard rules (buildings/rules.py) judge what each writes, as on any write.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from catalog.models import Person
from core.api import Operation, OperationError, current_scope, db, local_today, void_operation
from core.tenancy import Jurisdiction, Organization
from plugins.office_space.buildings.models import OfficeRoom, RoomAllocation, RoomOccupant
from plugins.office_space.buildings.rules import BY_OPERATION


def _orgs_below(room: OfficeRoom) -> list:
    jurisdiction = room.jurisdiction
    if jurisdiction is None:
        return []
    return list(db.session.execute(
        select(Organization).join(Jurisdiction, Organization.jurisdiction_id == Jurisdiction.id)
        .where(Jurisdiction.path.like(f"{jurisdiction.path}%")).order_by(Jurisdiction.path, Organization.name)
    ).scalars())


def organization_choices(room: OfficeRoom) -> list[tuple[int, str]]:
    """The organisations of the room's jurisdiction and below, but the one using it now."""
    return [(org.id, org.name) for org in _orgs_below(room) if org.id != room.organization_id]


def person_choices(room: OfficeRoom) -> list[tuple[int, str]]:
    """The staff of the organisations a room may go to (the person moving in, optional)."""
    orgs = {org.id: org for org in _orgs_below(room)}
    people = db.session.execute(select(Person).where(Person.organization_id.in_(orgs))
                                .order_by(Person.organization_id, Person.id)).scalars()
    return [(p.id, f"{p.name}（{orgs[p.organization_id].name}，{p.rank_label}）") for p in people]


ON = dict(load_default=local_today, metadata={"label": _l("日期")})
DECISION = dict(load_default=None, validate=validate.Length(max=64), metadata={
    "label": _l("决定文号"), "description": _l("机关事务管理部门的配置调剂文件文号")})
NOTE = dict(load_default=None, metadata={"label": _l("备注"), "widget": "textarea"})


class AllocateParams(Schema):
    to_organization_id = fields.Integer(required=True, metadata={
        "label": _l("使用单位"), "choices": organization_choices,
        "invalid": _l("须为本辖区或下级辖区的其他单位")})
    person_id = fields.Integer(load_default=None, allow_none=True, metadata={
        "label": _l("入驻人员"), "choices": person_choices,
        "description": _l("可不填；填写时按该人员的职级核对人均使用面积标准（《办法》第二十二条）")})
    day = fields.Date(**ON)
    decision_no = fields.String(**DECISION)
    note = fields.String(**NOTE)


class TakeBackParams(Schema):
    day = fields.Date(**ON)
    decision_no = fields.String(**DECISION)
    note = fields.String(**NOTE)


class MoveOutParams(Schema):
    to_date = fields.Date(load_default=local_today, metadata={"label": _l("迁出日期")})


def _bureau_only(room: OfficeRoom) -> None:
    """集中统一管理 (Art. 22): only the bureau of the room's jurisdiction allocates its rooms."""
    scope = current_scope()
    if scope.kind == "all":
        return
    org = db.session.get(Organization, scope.organization_id) if scope.organization_id else None
    if (scope.kind != "jurisdiction" or org is None or not org.is_bureau
            or org.jurisdiction_id != room.jurisdiction_id):
        raise OperationError(_("办公用房的配置、调剂和收回由房间所在辖区的机关事务管理部门统一办理"
                               "（《办法》第二十二条）"), 403)


def _end_occupancies(room: OfficeRoom, day: dt.date) -> None:
    rows = db.session.execute(select(RoomOccupant).where(
        RoomOccupant.room_id == room.id, RoomOccupant.voided_at.is_(None))).scalars()
    for row in rows:
        if row.to_date is None or row.to_date > day:
            row.to_date = max(day, row.from_date)


def _move(room: OfficeRoom, kind: str, to_org_id, params: dict) -> OfficeRoom:
    _bureau_only(room)
    day = params["day"]
    if to_org_id is not None and to_org_id not in dict(organization_choices(room)):
        raise OperationError(_("使用单位须为本辖区或下级辖区的其他单位"), 422)
    person = None
    if params.get("person_id") is not None:
        person = db.session.get(Person, params["person_id"])
        if person is None or person.organization_id != to_org_id:
            raise OperationError(_("入驻人员须为新的使用单位的工作人员"), 422)
    from_org_id = room.organization_id
    _end_occupancies(room, day)
    history = RoomAllocation(
        room=room, kind=kind, from_organization_id=from_org_id, to_organization_id=to_org_id, day=day,
        decision_no=(params.get("decision_no") or "").strip() or None, note=params.get("note"),
        organization_id=to_org_id or from_org_id, jurisdiction_id=room.jurisdiction_id)
    setattr(history, BY_OPERATION, True)
    db.session.add(history)
    room.organization_id = to_org_id
    room.organization = db.session.get(Organization, to_org_id) if to_org_id else None
    room.status = "in_use" if to_org_id else "vacant"
    room.status_since = day
    if person is not None:
        # a person holds one office room: the one held before ends the day before
        held = db.session.execute(select(RoomOccupant).where(
            RoomOccupant.person_id == person.id, RoomOccupant.voided_at.is_(None))).scalars()
        for row in held:
            if row.to_date is None or row.to_date > day:
                row.to_date = max(day, row.from_date)
        db.session.add(RoomOccupant(room=room, person=person, from_date=day,
                                    organization_id=to_org_id, jurisdiction_id=room.jurisdiction_id))
    return room


def allocate(room, params):
    return _move(room, "allocate", params["to_organization_id"], params)


def reallocate(room, params):
    return _move(room, "reallocate", params["to_organization_id"], params)


def take_back(room, params):
    return _move(room, "take_back", None, params)


def move_out(occupant: RoomOccupant, params):
    if params["to_date"] < occupant.from_date:
        raise OperationError(_("迁出日期不能早于迁入日期"), 422)
    occupant.to_date = params["to_date"]
    return occupant


def operations() -> list[Operation]:
    # 配置、调剂、收回 are the bureau's (can_approve): a clerk is not offered them; the bureau of
    # another level holds the permission but is refused by the run (the room's own jurisdiction)
    def state(*statuses):
        return lambda room: room.voided_at is None and room.status in statuses
    return [
        Operation(key="allocate", label=_l("配置"), entity="office_room", run=allocate, params=AllocateParams,
                  changes=("organization_id", "status", "status_since"),
                  when=state("vacant"), permission="approve",
                  description=_l("将未配置的房间配置给本辖区或下级辖区的单位（《办法》第二十二条）"),
                  confirm=_l("房间将由所选单位使用，并记入配置调剂记录。")),
        Operation(key="reallocate", label=_l("调剂"), entity="office_room", run=reallocate,
                  params=AllocateParams, changes=("organization_id", "status", "status_since"),
                  when=state("in_use"), permission="approve",
                  description=_l("将房间从现使用单位调剂给另一单位；原使用人员同日迁出（《办法》第二十二条）"),
                  confirm=_l("房间将改由所选单位使用，原使用人员同日迁出。")),
        Operation(key="take_back", label=_l("收回"), entity="office_room", run=take_back,
                  params=TakeBackParams, changes=("organization_id", "status", "status_since"),
                  when=state("in_use"), style="danger", permission="approve",
                  description=_l("收回房间，列为未配置（《办法》第二十二条）"),
                  confirm=_l("房间将收回为未配置，使用人员同日迁出。")),
        void_operation("office_room"),
        Operation(key="move_out", label=_l("迁出"), entity="office_room_occupant", run=move_out,
                  params=MoveOutParams, when=lambda row: row.voided_at is None and row.to_date is None,
                  description=_l("人员迁出该办公室，记录保留"), confirm=_l("将记录该人员的迁出日期。")),
        void_operation("office_room_occupant"),
    ]
