"""The idle-space items of the bureau's home page (Art. 24): a card counting the idle rooms of the
viewer's scope, and each idle room as an overdue item (闲置办公用房待处置利用) due the day it
passed ``office_idle_days``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import DashboardCard, OverdueItem, OverdueSource, db, local_today
from plugins.office_space.idle.idle import idle_rooms


def idle_count(scope) -> int:
    return len(idle_rooms(db.session, scope, local_today()))


def overdue_idle(scope, today) -> list[OverdueItem]:
    return [
        OverdueItem(
            found.room,
            found.due_on,
            _l(
                "%(area)s 平方米，自 %(since)s 起未配置，已闲置 %(days)s 天（认定标准 %(limit)s 天）",
                area=found.room.use_area,
                since=found.since.isoformat(),
                days=found.days,
                limit=found.limit,
            ),
        )
        for found in idle_rooms(db.session, scope, today)
    ]


def dashboard_items() -> list:
    return [
        DashboardCard("office_space_idle_rooms", _l("闲置办公用房"), idle_count),
        OverdueSource("office_space_idle_overdue", _l("闲置办公用房待处置利用"), overdue_idle),
    ]
