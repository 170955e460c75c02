"""The costs' home-page item: running costs awaiting 入账 (Art. 29).

A cost is posted to the expenditure ledger (30231) by the 入账 operation once its invoice is
attached; until then the 三公经费 figures do not count it. The card counts the unposted, unvoided
costs of the viewer's scope and opens the cost list filtered to them (入账状态 not 已入账).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core.api import DashboardCard, db, scoped
from plugins.vehicles.costs.models import VehicleCost

#: the list's filter "已入账 is not yes" (FAB's second boolean filter, FilterNotEqual)
UNPOSTED_FILTER = (("_flt_1_posted", "y"),)


def awaiting_posting(scope) -> int:
    """Live costs not yet posted (入账) in the viewer's scope."""
    query = select(func.count(VehicleCost.id)).where(
        VehicleCost.voided_at.is_(None), VehicleCost.posted.is_(False))
    return db.session.execute(scoped(query, VehicleCost, scope)).scalar_one()


def dashboard_items() -> list:
    return [DashboardCard("vehicles_costs_unposted", _l("待入账的运行费用"), awaiting_posting,
                          endpoint="VehicleCostView.list", args=UNPOSTED_FILTER)]
