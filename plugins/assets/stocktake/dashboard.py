"""Overdue stocktakes: planned for a day gone by and not yet submitted."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.api import OverdueItem, OverdueSource, db, scoped
from plugins.assets.stocktake.models import Stocktake


def overdue_stocktakes(scope, today) -> list[OverdueItem]:
    query = select(Stocktake).where(Stocktake.planned_on < today,
                                    Stocktake.state.in_(("draft", "rejected")))
    rows = db.session.execute(scoped(query, Stocktake, scope).order_by(Stocktake.planned_on)).scalars()
    return [OverdueItem(row, row.planned_on,
                        _l("计划于 %(day)s 盘点，至今未提交（逾期 %(n)s 天）", day=row.planned_on.isoformat(),
                          n=(today - row.planned_on).days))
            for row in rows]


def dashboard_items() -> list:
    return [OverdueSource("assets_stocktake_overdue", _l("资产盘点"), overdue_stocktakes)]
