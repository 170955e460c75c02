"""The establishment in force and the holdings it bounds (Art. 27): read by the vehicle rules,
the renewal plans and the reports."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from plugins.vehicles.fleet.models import Vehicle, VehicleEstablishment


def quota_in_force(session, organization_id: int, category_id: int, on: dt.date) -> int | None:
    """The approved establishment of the organisation for the category on ``on``; None if none."""
    return session.execute(
        select(VehicleEstablishment.quota)
        .where(VehicleEstablishment.organization_id == organization_id,
               VehicleEstablishment.category_id == category_id,
               VehicleEstablishment.state == "approved",
               VehicleEstablishment.effective_from <= on)
        .order_by(VehicleEstablishment.effective_from.desc(), VehicleEstablishment.id.desc()).limit(1)
    ).scalar_one_or_none()


def holdings(session, organization_id: int, category_id: int, *, exclude_id: int | None = None) -> int:
    """Vehicles of the category the organisation holds (in service, not voided)."""
    query = select(func.count(Vehicle.id)).where(
        Vehicle.organization_id == organization_id, Vehicle.category_id == category_id,
        Vehicle.status == "in_service", Vehicle.voided_at.is_(None))
    if exclude_id is not None:
        query = query.where(Vehicle.id != exclude_id)
    return session.execute(query).scalar_one()


def _pending(session, organization_id: int, category_id: int, exclude) -> tuple[int, set[int]]:
    """Vehicles of this flush (new or changed) held in the organisation and category, and the ids
    of every changed vehicle (their stored rows are not counted: the flush changes them)."""
    from core.api import effective_values

    counted, changed_ids = 0, set()
    for row in (*session.new, *session.dirty):
        if not isinstance(row, Vehicle):
            continue
        if row.id is not None:
            changed_ids.add(row.id)
        if row is exclude:
            continue
        values = effective_values(row)
        status = values.get("status") or "in_service"  # a new row's default, set on insert
        if (values.get("organization_id") == organization_id and values.get("category_id") == category_id
                and status == "in_service" and values.get("voided_at") is None):
            counted += 1
    return counted, changed_ids


def holdings_with_flush(session, organization_id: int, category_id: int, *, exclude=None) -> int:
    """``holdings`` as the flush under way will leave them, ``exclude`` (the vehicle being
    checked) apart: an import of several vehicles counts the ones before it."""
    with session.no_autoflush:
        counted, changed_ids = _pending(session, organization_id, category_id, exclude)
        if exclude is not None and exclude.id is not None:
            changed_ids.add(exclude.id)
        query = select(func.count(Vehicle.id)).where(
            Vehicle.organization_id == organization_id, Vehicle.category_id == category_id,
            Vehicle.status == "in_service", Vehicle.voided_at.is_(None))
        if changed_ids:
            query = query.where(Vehicle.id.not_in(changed_ids))
        return session.execute(query).scalar_one() + counted


def room_problem(session, organization, category, on: dt.date, *, exclude=None) -> dict | None:
    """Art. 27: one more vehicle of ``category`` for ``organization`` stays within its
    establishment in force on ``on`` (none in force = 0); else the message's values."""
    if organization is None or category is None:
        return None
    quota = quota_in_force(session, organization.id, category.id, on) or 0
    held = holdings_with_flush(session, organization.id, category.id, exclude=exclude)
    if held + 1 <= quota:
        return None
    return {"org": organization.name, "category": category.name, "quota": quota, "held": held}


def vehicles_in_service(session, organization_id: int) -> list[Vehicle]:
    """The organisation's vehicles in service (not voided), oldest record first."""
    return list(session.execute(select(Vehicle).where(
        Vehicle.organization_id == organization_id, Vehicle.status == "in_service",
        Vehicle.voided_at.is_(None)).order_by(Vehicle.id)).scalars())
