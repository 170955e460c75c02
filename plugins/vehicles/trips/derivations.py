"""What a trip derives (Art. 29): the vehicle's last recorded odometer when the trip is
registered, and the vehicle's odometer advanced by 回车登记."""

from __future__ import annotations

from sqlalchemy import inspect

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


DERIVATIONS = [
    Derivation("vehicles.trip_odometer_recorded", VehicleTrip, _recorded, on=("create",)),
    Derivation("vehicles.trip_advances_odometer", VehicleTrip, _advance, on=("update",)),
]
