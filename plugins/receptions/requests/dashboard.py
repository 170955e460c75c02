"""The receptions' home-page item: approved receptions not yet settled (Art. 13, 34)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core.api import DashboardCard, db, scoped
from plugins.receptions.requests.models import Reception, ReceptionSettlement


def unsettled(scope) -> int:
    """Approved receptions without a completed, live settlement: their cost is not in 30217 yet."""
    settled = select(ReceptionSettlement.reception_id).where(
        ReceptionSettlement.completed.is_(True), ReceptionSettlement.voided_at.is_(None)
    )
    query = select(func.count(Reception.id)).where(
        Reception.state == "approved", Reception.id.not_in(settled)
    )
    return db.session.execute(scoped(query, Reception, scope)).scalar_one()


def dashboard_items() -> list:
    return [
        DashboardCard(
            "receptions_unsettled", _l("待结算的公务接待"), unsettled, endpoint="ReceptionView.list"
        )
    ]
