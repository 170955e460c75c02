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
