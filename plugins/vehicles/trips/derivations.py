"""What a trip derives (Art. 29): the vehicle's last recorded odometer when the trip is
registered, and the vehicle's odometer advanced by 回车登记."""

from __future__ import annotations

from sqlalchemy import func, inspect, select

from core.api import Derivation
from plugins.vehicles.trips.models import VehicleTrip


def _recorded(trip: VehicleTrip, ctx) -> None:
    """The vehicle's odometer as the register had it when the trip was registered."""
    vehicle = ctx.related(trip, "vehicle")
    if vehicle is not None and trip.odometer_recorded is None:
        trip.odometer_recorded = vehicle.odometer_km or 0


def _advance(trip: VehicleTrip, ctx) -> None:
    """回车登记 moves the vehicle's odometer on to the trip's reading (never back)."""
    if not inspect(trip).attrs["returned"].history.has_changes() or not trip.returned:
        return
    vehicle = ctx.related(trip, "vehicle")
    if vehicle is None or trip.odometer_end is None:
        return
    if trip.odometer_end > (vehicle.odometer_km or 0):
        vehicle.odometer_km = trip.odometer_end


def _void_recomputes(trip: VehicleTrip, ctx) -> None:
    """作废 of a returned trip takes its reading off the vehicle: the vehicle's odometer becomes the
    highest 回车 reading of its remaining returned, unvoided trips, never below the reading the
    vehicle had when its first trip was registered. Only when the voided trip's reading is the
    vehicle's current one: a higher reading (a later trip, a correction on the vehicle) stays."""
    if trip.voided_at is None or not trip.returned or trip.odometer_end is None \
            or not ctx.changed(trip, "voided_at"):
        return
    vehicle = ctx.related(trip, "vehicle")
    if vehicle is None or vehicle.odometer_km != trip.odometer_end:
        return
    with ctx.session.no_autoflush:
        highest = ctx.session.scalar(select(func.max(VehicleTrip.odometer_end)).where(
            VehicleTrip.vehicle_id == vehicle.id, VehicleTrip.returned.is_(True),
            VehicleTrip.voided_at.is_(None), VehicleTrip.id != trip.id))
        before = ctx.session.scalar(select(VehicleTrip.odometer_recorded).where(
            VehicleTrip.vehicle_id == vehicle.id).order_by(VehicleTrip.id).limit(1))
    readings = [value for value in (highest, before) if value is not None]
    if readings:
        vehicle.odometer_km = max(readings)


DERIVATIONS = [
    Derivation("vehicles.trip_odometer_recorded", VehicleTrip, _recorded, on=("create",)),
    Derivation("vehicles.trip_advances_odometer", VehicleTrip, _advance, on=("update",)),
    Derivation("vehicles.trip_void_recomputes_odometer", VehicleTrip, _void_recomputes, on=("update",)),
]
