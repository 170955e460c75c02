"""The trips' home-page item: trips gone out and not yet returned (回车登记, Art. 29)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core.api import DashboardCard, db, scoped
from plugins.vehicles.trips.models import VehicleTrip


def not_returned(scope) -> int:
    """Live trips without 回车登记 (a shared-platform trip counts once dispatched)."""
    query = select(func.count(VehicleTrip.id)).where(
        VehicleTrip.voided_at.is_(None), VehicleTrip.returned.is_(False),
        VehicleTrip.state.in_(("draft", "approved")))
    return db.session.execute(scoped(query, VehicleTrip, scope)).scalar_one()


def dashboard_items() -> list:
    return [DashboardCard("vehicles_trips_not_returned", _l("待回车登记的出车"), not_returned,
                          endpoint="VehicleTripView.list")]
