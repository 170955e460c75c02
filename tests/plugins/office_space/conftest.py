"""Fixtures of the buildings tests (Art. 22): ``space`` makes, as the system, a building in 天山区 or
喀什市 with its floors and rooms, persons and, where a test needs one, an organisation of its own
with its establishment (编制), each named with a number no other test uses; afterwards it voids the
rooms and occupancies and removes the standards it recorded, so the demo's figures stay as they are.
(The repairs and idle-space tests keep their own helpers in repairs_helpers.py.)"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from decimal import Decimal

import pytest
from sqlalchemy import select

from catalog.demo import demo_uscc
from catalog.models import Establishment, Organization, Person, Standard
from catalog.standards import DEMO_BACKDATE_REASON
from core.extensions import db
from core.versioning import utcnow
from plugins.office_space.buildings.models import OfficeBuilding, OfficeFloor, OfficeRoom, RoomOccupant

TIANSHAN = "乌鲁木齐市天山区财政局"
TIANSHAN_BUREAU_ORG = "乌鲁木齐市天山区机关事务服务中心"
KASHGAR = "喀什市财政局"
KASHGAR_BUREAU_ORG = "喀什市机关事务管理局"
ART22 = "第二十二条"
_serial = itertools.count()


def unique() -> int:
    return int(time.time() * 1000) % 10**6 * 100 + next(_serial) % 100


def org_named(name: str) -> Organization:
    return db.session.execute(select(Organization).where(Organization.name == name)).scalar_one()


class Space:
    def __init__(self, app):
        self.app = app
        self.rooms: list[int] = []
        self.occupants: list[int] = []
        self.standards: list[int] = []

    def building(self, bureau: str = TIANSHAN_BUREAU_ORG, levels=(1, 2)) -> dict:
        """A building of ``bureau``'s jurisdiction with floors ``levels``: {"id", "floors": {level: id}}."""
        tag = unique()
        with self.app.app_context():
            org = org_named(bureau)
            building = OfficeBuilding(name=f"测试办公楼{tag}", address=f"测试路 {tag} 号",
                                      title_status="unregistered",
                                      organization=org, jurisdiction=org.jurisdiction)
            db.session.add(building)
            floors = {level: OfficeFloor(building=building, level=level, name=f"测试{tag}-{level}层")
                      for level in levels}
            db.session.add_all(floors.values())
            db.session.commit()
            return {"id": building.id, "name": building.name, "floors": {k: v.id for k, v in floors.items()},
                    "floor_names": {k: v.name for k, v in floors.items()}}

    def room(self, building: dict, number: str, area: str, *, org: str | None = None, level: int = 1,
             room_type: str = "office") -> int:
        """A room of the building, used by ``org`` (none: vacant)."""
        with self.app.app_context():
            user = org_named(org) if org else None
            room = OfficeRoom(building_id=building["id"], floor_id=building["floors"][level], number=number,
                              use_area=Decimal(area), room_type=room_type, organization=user,
                              status="in_use" if user else "vacant", status_since=dt.date(2025, 1, 1))
            db.session.add(room)
            db.session.commit()
            self.rooms.append(room.id)
            return room.id

    def person(self, org: str, rank: str = "staff", name: str | None = None) -> int:
        with self.app.app_context():
            person = Person(name=name or f"测试人员{unique()}", rank=rank, title="测试",
                            organization=org_named(org))
            db.session.add(person)
            db.session.commit()
            return person.id

    def organization(self, established: int, ranks=("staff",), parent: str = TIANSHAN) -> str:
        """An organisation in ``parent``'s jurisdiction with ``established`` 编制 and staff of ``ranks``."""
        tag = unique()
        with self.app.app_context():
            near = org_named(parent)
            org = Organization(name=f"测试单位{tag}", org_type="party_government", is_bureau=False,
                               uscc=demo_uscc(900000 + tag % 100000, "party_government",
                                              near.jurisdiction.code[:6]),
                               jurisdiction=near.jurisdiction)
            db.session.add(org)
            db.session.add(Establishment(organization=org, administrative=established, institutional=0,
                                         actual=established, leaders=0, effective_from=dt.date(2020, 1, 1),
                                         decision="测试编办〔2020〕1号", approved_by="测试"))
            for rank in ranks:
                db.session.add(Person(name=f"测试人员{unique()}", rank=rank, title="测试", organization=org))
            db.session.commit()
            return org.name

    def staff(self, org: str) -> list[int]:
        with self.app.app_context():
            return list(db.session.execute(select(Person.id).join(Organization).where(
                Organization.name == org).order_by(Person.id)).scalars())

    def occupant(self, room: int, person: int, since=dt.date(2025, 1, 1)) -> int:
        with self.app.app_context():
            row = RoomOccupant(room_id=room, person_id=person, from_date=since)
            db.session.add(row)
            db.session.commit()
            self.occupants.append(row.id)
            return row.id

    def standard(self, key: str, value: str, code: str = "650102") -> int:
        """A per-person standard set by a jurisdiction (stricter than the region's), as the system."""
        from core.tenancy import Jurisdiction

        with self.app.app_context():
            where = db.session.execute(select(Jurisdiction).where(Jurisdiction.code == code)).scalar_one()
            row = Standard(kind="office_area_per_person", key=key, value=Decimal(value), unit="m²",
                           jurisdiction=where, effective_from=dt.date(2020, 1, 1), basis="测试",
                           backdate_reason=DEMO_BACKDATE_REASON)
            db.session.add(row)
            db.session.commit()
            self.standards.append(row.id)
            return row.id

    def drop_standard(self, pk: int) -> None:
        with self.app.app_context():
            db.session.delete(db.session.get(Standard, pk))
            db.session.commit()
            self.standards.remove(pk)

    def cleanup(self) -> None:
        with self.app.app_context():
            db.session.rollback()
            for pk in list(self.standards):
                db.session.delete(db.session.get(Standard, pk))
            db.session.commit()
            now = utcnow()
            rooms = db.session.execute(
                select(OfficeRoom).where(OfficeRoom.id.in_(self.rooms))).scalars().all()
            occupants = db.session.execute(select(RoomOccupant).where(
                RoomOccupant.room_id.in_(self.rooms))).scalars().all()
            for row in [*occupants, *rooms]:
                if row.voided_at is None:
                    row.voided_at, row.voided_by, row.void_reason = now, "测试", "测试数据"
            db.session.commit()


@pytest.fixture
def space(app):
    made = Space(app)
    yield made
    made.cleanup()
