"""The repairs' home-page item: 大中修 applications awaiting the bureau's approval (Art. 23)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core.api import DashboardCard, db, scoped
from plugins.office_space.repairs.models import MajorRepairApplication


def awaiting_approval(scope) -> int:
    query = select(func.count(MajorRepairApplication.id)).where(MajorRepairApplication.state == "submitted")
    return db.session.execute(scoped(query, MajorRepairApplication, scope)).scalar_one()


def dashboard_items() -> list:
    return [
        DashboardCard(
            "office_space_major_repairs_pending",
            _l("待审批的大中修申请"),
            awaiting_approval,
            endpoint="MajorRepairApplicationView.list",
        )
    ]
