"""What the over-standard rules and reports measure (Art. 22 超标准配备、使用).

- A room's allowance: Σ of its current occupants' standards (``office_area_per_person`` by the
  using organisation's organ level and each person's rank). A room nobody is in is not measured.
- An organisation's allowance (*choice*, the issue is silent on the formula): the standards of
  its staff on the list, highest ranks first, at most 编制人数 (the establishment in force)
  persons, plus (编制人数 − staff counted) × the ``staff`` rank's standard when positive. Its
  office-room area is the use area of its rooms of type 办公室用房 (in use).

Every figure is read as the flush will write it: rows pending in the session count with their
new values, so a rule sees the write it judges and a standard being changed counts at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from catalog.models import RANKS, Establishment, Person, Standard, establishment_in_force, standard_in_force
from core.api import effective_values
from core.tenancy import Jurisdiction, Organization
from plugins.office_space.buildings.models import OfficeRoom, RoomOccupant
from plugins.office_space.buildings.standards import AREA_PER_PERSON, standard_key

ZERO = Decimal("0")
#: ranks from the highest down (the order of catalog.models.RANKS)
RANK_ORDER = {rank: i for i, rank in enumerate(RANKS)}


def live(obj) -> dict:
    """Column values as the flush will write them, as Python values (dates, decimals); a foreign
    key set through its relationship too (``effective_values`` gives them as JSON text)."""
    from sqlalchemy import inspect

    values = {attr.key: getattr(obj, attr.key) for attr in inspect(obj).mapper.column_attrs}
    effective = effective_values(obj)
    for key in values:
        if key.endswith("_id"):
            values[key] = effective[key]
    return values


def _pending(session, model) -> list:
    return [obj for obj in list(session.new) + list(session.dirty) if isinstance(obj, model)]


def _jurisdiction(session, value):
    if value is None or isinstance(value, Jurisdiction):
        return value
    return session.get(Jurisdiction, value)


def area_standard(session, organ_level, rank, jurisdiction, on: dt.date) -> Decimal | None:
    """The per-person standard in force (m²), a standard pending in this flush included."""
    jurisdiction = _jurisdiction(session, jurisdiction)
    if jurisdiction is None:
        return None
    key = standard_key(organ_level, rank)
    codes = jurisdiction.ancestor_codes
    found = standard_in_force(session, AREA_PER_PERSON, key, jurisdiction, on)
    best = None
    if found is not None and found not in session.dirty and found not in session.deleted:
        best = (codes.index(found.jurisdiction.code), found.effective_from, found.value)
    for row in _pending(session, Standard):
        values = live(row)
        if row in session.deleted or values["kind"] != AREA_PER_PERSON or values["key"] != key:
            continue
        where = _jurisdiction(session, values["jurisdiction_id"]) or row.jurisdiction
        if where is None or where.code not in codes or values["effective_from"] > on:
            continue
        if values["effective_to"] is not None and values["effective_to"] < on:
            continue
        candidate = (codes.index(where.code), values["effective_from"], values["value"])
        if best is None or candidate[:2] >= best[:2]:
            best = candidate
    return Decimal(best[2]) if best is not None and best[2] is not None else None


def _current(values: dict, on: dt.date) -> bool:
    return (values.get("voided_at") is None and values["from_date"] is not None and values["from_date"] <= on
            and (values["to_date"] is None or values["to_date"] > on))


def occupants_now(session, room_id, on: dt.date, *, pending: bool = True) -> list[RoomOccupant]:
    """The room's occupants on ``on``: as the flush will write them (``pending``), or as stored."""
    if room_id is None:
        return []
    if not pending:
        rows = session.execute(
            select(RoomOccupant.id, RoomOccupant.person_id, RoomOccupant.from_date, RoomOccupant.to_date,
                   RoomOccupant.voided_at).where(RoomOccupant.room_id == room_id)).mappings().all()
        return [dict(row) for row in rows if _current(dict(row), on)]
    rows = set(session.execute(select(RoomOccupant).where(RoomOccupant.room_id == room_id)).scalars())
    rows.update(row for row in _pending(session, RoomOccupant))
    found = []
    for row in rows:
        values = live(row)
        if values["room_id"] == room_id and row not in session.deleted and _current(values, on):
            found.append({**values, "row": row})
    return found


@dataclass
class RoomFigures:
    area: Decimal
    allowance: Decimal
    persons: list = field(default_factory=list)  # [(name, rank label, standard or None)]
    unknown: bool = False  # a person whose standard is not set: not measured

    @property
    def over(self) -> Decimal:
        return max(self.area - self.allowance, ZERO)


def room_figures(session, room: OfficeRoom, on: dt.date, *, pending: bool = True) -> RoomFigures | None:
    """The room's area against its occupants' standards; None when nobody is in it (or not an office)."""
    values = live(room)
    if values["room_type"] != "office":
        return None
    occupants = occupants_now(session, values["id"], on, pending=pending)
    if not occupants:
        return None
    org = session.get(Organization, values["organization_id"]) if values["organization_id"] else None
    figures = RoomFigures(area=Decimal(values["use_area"]), allowance=ZERO)
    for occupant in occupants:
        person = (session.get(Person, occupant["person_id"]) if occupant["person_id"] is not None
                  else getattr(occupant.get("row"), "person", None))
        standard = area_standard(session, org.organ_level if org else None, person.rank,
                                 values["jurisdiction_id"], on) if person else None
        figures.persons.append((person.name if person else "", person.rank_label if person else "", standard))
        if standard is None:
            figures.unknown = True
        else:
            figures.allowance += standard
    return figures


@dataclass
class OrgFigures:
    organization: Organization
    established: int
    staff_counted: int
    rooms: int
    area: Decimal
    allowance: Decimal | None

    @property
    def over(self) -> Decimal:
        return max(self.area - self.allowance, ZERO) if self.allowance is not None else ZERO

    @property
    def per_head(self) -> Decimal | None:
        return (self.area / self.established).quantize(Decimal("0.01")) if self.established else None


def org_rooms(session, org_id: int, *, pending: bool = True) -> list[dict]:
    """The organisation's office rooms in use (values as the flush will write them, or as stored)."""
    if not pending:
        rows = session.execute(select(OfficeRoom.id, OfficeRoom.use_area).where(
            OfficeRoom.organization_id == org_id, OfficeRoom.room_type == "office",
            OfficeRoom.status == "in_use", OfficeRoom.voided_at.is_(None))).mappings().all()
        return [dict(row) for row in rows]
    rows = set(session.execute(select(OfficeRoom).where(OfficeRoom.organization_id == org_id)).scalars())
    rows.update(_pending(session, OfficeRoom))
    found = []
    for row in rows:
        values = live(row)
        if (values["organization_id"] == org_id and values["room_type"] == "office"
                and values["status"] == "in_use" and values.get("voided_at") is None
                and row not in session.deleted):
            found.append(values)
    return found


def org_allowance(session, org: Organization, on: dt.date) -> tuple[int, int, Decimal | None]:
    """(编制人数, staff counted, allowance m²); allowance None when a standard it needs is not set."""
    establishment = _establishment(session, org, on)
    established = establishment.established if establishment is not None else 0
    # each person's write re-measures this: only the pending rows need their flush values, and a
    # rank's standard is looked up once (docs/performance.md, "Throughput")
    # the stored staff as (rank, id) pairs, not persons: an organisation of 1,500 staff cost
    # 25 ms of CPU a write to load as objects; the pending and deleted persons count as the
    # flush will write them
    pending, deleted = _pending(session, Person), session.deleted
    changed = {p.id for p in [*pending, *deleted] if isinstance(p, Person) and p.id is not None}
    staff = [(rank, ident) for ident, rank in session.execute(
        select(Person.id, Person.rank).where(Person.organization_id == org.id)) if ident not in changed]
    staff += [(p.rank, p.id) for p in pending
              if p not in deleted and live(p)["organization_id"] == org.id]
    staff = sorted(staff, key=lambda p: (RANK_ORDER.get(p[0], len(RANK_ORDER)), p[1] is None, p[1] or 0))
    staff = [rank for rank, _ident in staff[:established]]
    standards: dict = {}

    def standard_of(rank):
        if rank not in standards:
            standards[rank] = area_standard(session, org.organ_level, rank, org.jurisdiction, on)
        return standards[rank]

    total = ZERO
    for rank in staff:
        standard = standard_of(rank)
        if standard is None:
            return established, len(staff), None
        total += standard
    if established > len(staff):
        standard = standard_of("staff")
        if standard is None:
            return established, len(staff), None
        total += standard * (established - len(staff))
    return established, len(staff), total


def _establishment(session, org: Organization, on: dt.date):
    """The establishment in force, one pending in this flush included (a new decision, a correction)."""
    found = establishment_in_force(session, org, on)
    rows = [found] if found is not None else []
    rows += [row for row in _pending(session, Establishment)
             if live(row)["organization_id"] == org.id and row.effective_from is not None]
    rows = [row for row in rows if row not in session.deleted and row.effective_from <= on]
    return max(rows, key=lambda row: row.effective_from) if rows else None


def org_figures(session, org: Organization, on: dt.date, *, pending: bool = True) -> OrgFigures:
    rooms = org_rooms(session, org.id, pending=pending)
    established, counted, allowance = org_allowance(session, org, on)
    area = sum((Decimal(r["use_area"]) for r in rooms), ZERO)
    return OrgFigures(org, established, counted, len(rooms), area, allowance)


def fmt(value) -> str:
    """An area as the messages print it: 30, 12.5."""
    if value is None:
        return "—"
    text = format(Decimal(value).quantize(Decimal("0.01")).normalize(), "f")
    return text
