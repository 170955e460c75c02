"""The buildings' home-page item: office rooms used above the per-person standard (Art. 22)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, cast, func, select

from core.api import DashboardCard, db, scoped
from core.models import Finding
from plugins.office_space.buildings.models import OfficeRoom
from plugins.office_space.buildings.rules import ROOM_FLAG


def over_standard_rooms(scope) -> int:
    """Live rooms of the viewer's scope with an open 超标准使用 finding."""
    query = (select(func.count(func.distinct(OfficeRoom.id))).join(
        Finding, (Finding.entity == "office_room") & (Finding.entity_id == cast(OfficeRoom.id, String)))
        .where(Finding.status == "open", Finding.rule_key == ROOM_FLAG, OfficeRoom.voided_at.is_(None)))
    return db.session.execute(scoped(query, OfficeRoom, scope)).scalar_one()


def dashboard_items() -> list:
    return [DashboardCard("office_space_over_standard", _l("超标准使用的办公用房"), over_standard_rooms,
                          endpoint="FindingView.list", args=(("_flt_0_article", "22"),))]
