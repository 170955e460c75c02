"""The fleet's home-page item: establishments awaiting a decision (Art. 27)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core.api import DashboardCard, db, scoped
from plugins.vehicles.fleet.models import VehicleEstablishment


def pending_establishments(scope) -> int:
    query = select(func.count(VehicleEstablishment.id)).where(
        VehicleEstablishment.state.in_(("submitted", "reviewed"))
    )
    return db.session.execute(scoped(query, VehicleEstablishment, scope)).scalar_one()


def dashboard_items() -> list:
    return [
        DashboardCard(
            "vehicles_pending_establishments",
            _l("待核定的车辆编制"),
            pending_establishments,
            endpoint="VehicleEstablishmentView.list",
        )
    ]
