"""Which rooms are idle (Art. 24): vacant (未配置), not voided, since longer than ``office_idle_days``
(the Standard in force for the room's jurisdiction on the day asked)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from catalog.models import standard_in_force
from core.api import scoped
from plugins.office_space.buildings.models import OfficeBuilding, OfficeRoom
from plugins.office_space.idle.standards import ALL_ROOMS, IDLE_DAYS


@dataclass
class IdleRoom:
    room: OfficeRoom
    since: dt.date
    days: int
    limit: int

    @property
    def due_on(self) -> dt.date:
        return self.since + dt.timedelta(days=self.limit)


def idle_limit(session, jurisdiction, on: dt.date) -> int | None:
    found = standard_in_force(session, IDLE_DAYS, ALL_ROOMS, jurisdiction, on)
    return int(Decimal(found.value)) if found is not None and found.value is not None else None


def idle_rooms(session, scope, today: dt.date) -> list[IdleRoom]:
    """The idle rooms of the viewer's scope, the longest idle first."""
    query = (
        select(OfficeRoom)
        .join(OfficeBuilding, OfficeRoom.building_id == OfficeBuilding.id)
        .where(
            OfficeRoom.status == "vacant",
            OfficeRoom.voided_at.is_(None),
            OfficeRoom.status_since.is_not(None),
            OfficeRoom.status_since < today,
        )
        .order_by(OfficeRoom.status_since, OfficeBuilding.name, OfficeRoom.number)
    )
    limits: dict[int, int | None] = {}
    found = []
    for room in session.execute(scoped(query, OfficeRoom, scope)).scalars():
        if room.jurisdiction_id not in limits:
            limits[room.jurisdiction_id] = idle_limit(session, room.jurisdiction, today)
        limit = limits[room.jurisdiction_id]
        days = (today - room.status_since).days
        if limit is not None and days > limit:
            found.append(IdleRoom(room, room.status_since, days, limit))
    return found
