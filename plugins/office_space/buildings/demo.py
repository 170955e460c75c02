"""Demo buildings, floors and rooms: a centralised compound in 天山区, the 乌鲁木齐 administrative
centre and the 喀什市 finance building, each with rooms allocated to the organisations of its
jurisdiction and one left unallocated (示例数据); the allocations on record, the persons in the
office rooms, and the per-person standard (党政机关办公用房建设标准 2014, 示例数据，待核实).

天山区财政局's 科员 alone in 201 (30 m², county staff standard 6 m²) is above the standard: it was
so before the standard was recorded, so it is flagged (超标准使用), not refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from catalog.models import Person, Standard
from catalog.standards import DEMO_BACKDATE_REASON
from plugins.office_space.buildings.models import (
    OfficeBuilding,
    OfficeFloor,
    OfficeRoom,
    RoomAllocation,
    RoomOccupant,
)
from plugins.office_space.buildings.rules import BY_OPERATION
from plugins.office_space.buildings.standards import AREA_PER_PERSON, standard_key

#: (key, name, bureau key, parcel name, address, centralised, title, certificate, built,
#:  last major repair, floor area m²)
BUILDINGS = [
    ("tianshan", "天山区政府办公楼", "tianshan_bureau", "天山区政府办公楼", "乌鲁木齐市天山区新华南路 198 号",
     True, "registered", "新(2023)乌鲁木齐市不动产权第0003456号", 2003, 2012, "6800"),
    ("urumqi", "乌鲁木齐市行政中心 A 座", "urumqi_bureau", "乌鲁木齐市行政中心", "乌鲁木齐市水磨沟区南湖路 1 号",
     True, "registered", "新(2020)乌鲁木齐市不动产权第0000881号", 2009, None, "24500"),
    ("kashgar", "喀什市财政局办公楼", "kashgar_bureau", "喀什市财政局办公楼", "喀什市解放北路 66 号",
     False, "in_progress", None, 1998, 2010, "3600"),
]

#: building key → [(floor level, [(room number, use area, type, organisation key or None)])]
ROOMS = {
    "tianshan": [
        (1, [("101", "60", "ancillary", "tianshan_bureau"), ("102", "16", "office", "tianshan_bureau"),
             ("103", "12", "office", "tianshan_bureau")]),
        (2, [("201", "30", "office", "tianshan_finance"), ("202", "18", "office", "tianshan_finance"),
             ("203", "12", "office", "tianshan_finance"), ("204", "40", "service", "tianshan_finance")]),
        (3, [("301", "24", "office", "tianshan_office"), ("302", "15", "office", "tianshan_office"),
             ("303", "20", "office", "tianshan_education"), ("304", "18", "office", None),
             ("305", "10", "equipment", "tianshan_bureau")]),
    ],
    "urumqi": [
        (5, [("501", "24", "office", "urumqi_finance"), ("502", "18", "office", "urumqi_finance"),
             ("503", "9", "office", "urumqi_education"), ("504", "36", "service", "urumqi_education"),
             ("505", "20", "office", None)]),
    ],
    "kashgar": [
        (2, [("201", "24", "office", "kashgar_finance"), ("202", "12", "office", "kashgar_finance"),
             ("203", "9", "office", "kashgar_education"), ("204", "15", "office", None)]),
    ],
}

#: the day the demo's rooms were allocated; an unallocated room has been vacant since
ALLOCATED_ON = dt.date(2024, 1, 1)
VACANT_SINCE = dt.date(2025, 3, 1)


#: 党政机关办公用房建设标准（2014）, m² of 办公室 per person by organ level and rank (NATIONAL.md)
STANDARD_BASIS = "党政机关办公用房建设标准（2014）（示例数据，待核实）"
_REGION = {"provincial_chief": "54", "provincial_deputy": "42", "bureau_chief": "30", "bureau_deputy": "24",
           "division_chief": "18", "division_deputy": "12", "section_chief": "9", "section_deputy": "9",
           "staff": "9"}
_PREFECTURE = {"bureau_chief": "42", "bureau_deputy": "30", "division_chief": "24", "division_deputy": "18",
               "section_chief": "9", "section_deputy": "9", "staff": "9"}
_COUNTY = {"division_chief": "30", "division_deputy": "24", "section_chief": "12", "section_deputy": "9",
           "staff": "6"}
AREA_STANDARDS = {"region": _REGION, "prefecture": _PREFECTURE, "county": _COUNTY, "township": _COUNTY}
STANDARDS_FROM = dt.date(2014, 12, 1)

#: (building key, room number, person: a demo person key of ctx.people or (name, rank, title)) —
#: persons in office rooms since the allocation
OCCUPANTS = [
    ("tianshan", "201", ("古丽娜·示例", "staff", "科员")),              # 30 m² for 6: above the standard
    ("tianshan", "203", "tianshan_finance.0"),                            # 局长 12 m² for 12
    ("tianshan", "202", ("王晓燕·示例", "staff", "科员")),              # 18 m² for 3 × 6
    ("tianshan", "202", ("买买提·示例", "staff", "科员")),
    ("tianshan", "202", ("刘建新·示例", "staff", "科员")),
    ("kashgar", "202", "kashgar_finance.0"),                              # 局长 12 m² for 12
    ("kashgar", "201", ("阿依努尔·示例", "staff", "科员")),             # 24 m² for 4 × 6
    ("kashgar", "201", ("热依汗·示例", "staff", "科员")),
    ("kashgar", "201", ("张志强·示例", "staff", "科员")),
    ("kashgar", "201", ("陈海燕·示例", "staff", "科员")),
]


def _parcel(session, name: str):
    """The land parcel by name, through the reference's model (the land module is never imported)."""
    parcel_model = OfficeBuilding.parcel.property.mapper.class_
    return session.execute(select(parcel_model).where(parcel_model.name == name)).scalars().first()


def load(ctx) -> None:
    session = ctx.session
    for key, name, bureau, parcel, address, centralised, title, certificate, built, repaired, area \
            in BUILDINGS:
        org = ctx.organizations[bureau]
        building = OfficeBuilding(
            name=name, address=address, parcel=_parcel(session, parcel), title_status=title,
            title_certificate=certificate, title_holder=org if title == "registered" else None,
            centralised=centralised, built_year=built, last_major_repair_year=repaired,
            floor_area=Decimal(area), organization=org, jurisdiction=org.jurisdiction,
        )
        session.add(building)
        for level, rooms in ROOMS[key]:
            floor = OfficeFloor(building=building, level=level, organization=org,
                                jurisdiction=org.jurisdiction)
            session.add(floor)
            for number, use_area, room_type, user in rooms:
                room = OfficeRoom(
                    building=building, floor=floor, number=number, use_area=Decimal(use_area),
                    room_type=room_type, organization=ctx.organizations[user] if user else None,
                    jurisdiction=org.jurisdiction, status="in_use" if user else "vacant",
                    status_since=ALLOCATED_ON if user else VACANT_SINCE,
                )
                session.add(room)
                if user:
                    history = RoomAllocation(
                        room=room, kind="allocate", to_organization=ctx.organizations[user], day=ALLOCATED_ON,
                        decision_no=f"示例机管〔2024〕{level}号", organization=ctx.organizations[user],
                        jurisdiction=org.jurisdiction, note="示例数据")
                    setattr(history, BY_OPERATION, True)  # the allocations made before the platform
                    session.add(history)
    session.flush()
    _occupants(ctx)
    session.flush()
    _standards(ctx)
    session.flush()


def _occupants(ctx) -> None:
    names = {key: name for key, name, *_rest in BUILDINGS}
    for building, number, who in OCCUPANTS:
        room = demo_room(ctx.session, names[building], number)
        if isinstance(who, str):
            person = ctx.people[who]
        else:
            name, rank, title = who
            person = Person(name=name, rank=rank, title=title, organization=room.organization)
            ctx.session.add(person)
        ctx.session.add(RoomOccupant(room=room, person=person, from_date=ALLOCATED_ON,
                                     organization=room.organization, jurisdiction=room.jurisdiction))


def _standards(ctx) -> None:
    """Recorded after the occupants: what was above the standard before is flagged, not refused."""
    region = ctx.jurisdictions["650000"]
    for level, values in AREA_STANDARDS.items():
        for rank, value in values.items():
            ctx.session.add(Standard(
                kind=AREA_PER_PERSON, key=standard_key(level, rank), value=Decimal(value), unit="m²",
                jurisdiction=region, effective_from=STANDARDS_FROM, basis=STANDARD_BASIS,
                backdate_reason=DEMO_BACKDATE_REASON))


def demo_room(session, building: str, number: str) -> OfficeRoom:
    """A demo room by its building's name and its number (the other areas' demos find theirs so)."""
    return session.execute(
        select(OfficeRoom).join(OfficeBuilding, OfficeRoom.building_id == OfficeBuilding.id)
        .where(OfficeBuilding.name == building, OfficeRoom.number == number)
    ).scalar_one()
