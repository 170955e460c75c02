"""单车核算 (Art. 29): each vehicle's running costs of a year by kind, the km it drove and the
cost per km.

Only posted (已入账), unvoided costs count: what was booked in the ledger is what the vehicle
cost. The km driven in the year are the highest odometer reading of the year minus the lowest,
the readings being those of the returned, unvoided trips (出车、回车登记) and of the cost records
(a fuel or repair slip carries one); with fewer than two readings the km are unknown and the
cost per km is not computed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from plugins.vehicles.costs.models import COST_KINDS, REPAIR_KINDS, SUPPLIER_KIND_OF, VehicleCost

ZERO = Decimal("0.00")


def year_costs(session, vehicle_id: int, year: int) -> list[VehicleCost]:
    """The posted, unvoided costs of the vehicle in ``year``, by day."""
    return list(session.execute(
        select(VehicleCost).where(
            VehicleCost.vehicle_id == vehicle_id, VehicleCost.posted.is_(True),
            VehicleCost.voided_at.is_(None),
            VehicleCost.spent_on >= dt.date(year, 1, 1), VehicleCost.spent_on <= dt.date(year, 12, 31))
        .order_by(VehicleCost.spent_on, VehicleCost.id)).scalars())


def trip_readings(session, vehicle_id: int, year: int) -> list[int]:
    """The odometer readings of the vehicle's returned, unvoided trips that left in ``year``."""
    from plugins.vehicles.trips.models import VehicleTrip  # the same module's trips area

    rows = session.execute(select(VehicleTrip.odometer_start, VehicleTrip.odometer_end).where(
        VehicleTrip.vehicle_id == vehicle_id, VehicleTrip.returned.is_(True),
        VehicleTrip.voided_at.is_(None), VehicleTrip.start_at >= dt.datetime(year, 1, 1),
        VehicleTrip.start_at < dt.datetime(year + 1, 1, 1)))
    return [reading for row in rows for reading in row if reading is not None]


def km_driven(costs, trips: list[int] = ()) -> int | None:
    """Max − min of the odometer readings among ``costs`` and ``trips``; None with fewer than two."""
    readings = [c.odometer_km for c in costs if c.odometer_km is not None] + list(trips)
    if len(readings) < 2:
        return None
    return max(readings) - min(readings)


def vehicle_figures(session, vehicle, year: int, jurisdiction=None) -> dict:
    """The vehicle's year: total, by kind, km, cost per km, repairs at designated shops."""
    from catalog.suppliers import designated_supplier

    costs = year_costs(session, vehicle.id, year)
    by_kind = {key: ZERO for key in COST_KINDS}
    designated = serviced = 0
    jurisdiction = jurisdiction or vehicle.jurisdiction
    for cost in costs:
        by_kind[cost.kind] = by_kind.get(cost.kind, ZERO) + Decimal(cost.amount)
        if cost.kind in REPAIR_KINDS:
            serviced += 1
            if designated_supplier(session, SUPPLIER_KIND_OF[cost.kind], cost.supplier, jurisdiction,
                                   cost.spent_on) is not None:
                designated += 1
    total = sum(by_kind.values(), ZERO)
    km = km_driven(costs, trip_readings(session, vehicle.id, year))
    per_km = (total / km).quantize(Decimal("0.01")) if km else None
    return {
        "vehicle_id": vehicle.id, "plate": vehicle.plate,
        "name": f"{vehicle.brand}{vehicle.model_name}",
        "total": total, "by_kind": by_kind, "lines": len(costs), "km": km, "per_km": per_km,
        "repairs": serviced, "designated_repairs": designated,
    }


def organization_vehicles(session, organization_id: int, year: int) -> list:
    """The vehicles of the organisation that were in service during ``year`` (not voided)."""
    from plugins.vehicles.fleet.models import Vehicle

    rows = session.execute(
        select(Vehicle).where(Vehicle.organization_id == organization_id, Vehicle.voided_at.is_(None))
        .order_by(Vehicle.plate)).scalars()
    return [v for v in rows if v.disposed_on is None or v.disposed_on >= dt.date(year, 1, 1)]
