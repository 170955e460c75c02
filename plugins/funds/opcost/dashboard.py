"""工作台 card of the operating-cost area (Art. 15): reports submitted from below and awaiting the
viewer's bureau; a click opens the roll-up."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from catalog.models import Jurisdiction
from core.api import DashboardCard, db, scoped
from plugins.funds.opcost.models import OpcostReport


def awaiting_from_below(scope) -> int:
    """Submitted reports of the jurisdictions directly below the viewer's (its bureau decides)."""
    query = (select(func.count()).select_from(OpcostReport)
             .join(Jurisdiction, OpcostReport.jurisdiction_id == Jurisdiction.id)
             .where(OpcostReport.state == "submitted"))
    if scope.jurisdiction_id is not None:
        query = query.where(Jurisdiction.parent_id == scope.jurisdiction_id)
    return db.session.execute(scoped(query, OpcostReport, scope)).scalar() or 0


def dashboard_items() -> list:
    return [DashboardCard("funds_opcost_awaiting", _l("待审核的下级运行成本报告"), awaiting_from_below,
                          endpoint="OpcostRollupView.index")]
