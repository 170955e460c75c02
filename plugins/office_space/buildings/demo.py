"""Demo buildings, floors and rooms: a centralised compound in 天山区, the 乌鲁木齐 administrative
centre and the 喀什市 finance building, each with rooms allocated to the organisations of its
jurisdiction and one left unallocated (示例数据)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from plugins.office_space.buildings.models import OfficeBuilding, OfficeFloor, OfficeRoom

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
    session.flush()


def demo_room(session, building: str, number: str) -> OfficeRoom:
    """A demo room by its building's name and its number (the other areas' demos find theirs so)."""
    return session.execute(
        select(OfficeRoom).join(OfficeBuilding, OfficeRoom.building_id == OfficeBuilding.id)
        .where(OfficeBuilding.name == building, OfficeRoom.number == number)
    ).scalar_one()
