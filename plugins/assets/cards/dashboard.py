"""The cards' home-page items: assets held, idle ones, their value by status and by class."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core.api import ChartData, DashboardCard, DashboardChart, db, scoped
from plugins.assets.cards.models import ASSET_STATUSES, Asset, AssetClass

#: The class chart shows the classes holding the most value; the rest are summed as 其他.
TOP_CLASSES = 8
HELD = Asset.status != "disposed"


def _count(scope, *where) -> int:
    query = scoped(select(func.count(Asset.id)).where(HELD, *where), Asset, scope)
    return db.session.execute(query).scalar_one()


def _ten_thousands(value) -> float:
    return round(float(value or 0) / 10000, 2)


def value_by_status(scope) -> ChartData:
    query = scoped(select(Asset.status, func.sum(Asset.original_value)).where(HELD)
                   .group_by(Asset.status), Asset, scope)
    totals = dict(db.session.execute(query).all())
    shown = [code for code in ASSET_STATUSES if totals.get(code)]
    return ChartData(categories=[str(ASSET_STATUSES[c]) for c in shown],
                     series=[(_("原值"), [_ten_thousands(totals[c]) for c in shown])], unit=_("万元"))


def value_by_class(scope) -> ChartData:
    query = scoped(select(AssetClass.name, func.sum(Asset.original_value))
                   .join(AssetClass, Asset.class_id == AssetClass.id).where(HELD)
                   .group_by(AssetClass.name).order_by(func.sum(Asset.original_value).desc()),
                   Asset, scope)
    rows = db.session.execute(query).all()
    top, rest = rows[:TOP_CLASSES], rows[TOP_CLASSES:]
    names = [name for name, _value in top] + ([_("其他")] if rest else [])
    values = [_ten_thousands(v) for _name, v in top]
    if rest:
        values.append(_ten_thousands(sum(v for _n, v in rest)))
    return ChartData(categories=names, series=[(_("原值"), values)], unit=_("万元"))


def dashboard_items() -> list:
    return [
        DashboardCard("assets_held", _l("在册资产"), _count, endpoint="AssetView.list"),
        DashboardCard("assets_idle", _l("闲置资产"), lambda scope: _count(scope, Asset.status == "idle"),
                      endpoint="AssetView.list"),
        DashboardChart("assets_value_by_status", _l("资产原值（按状态）"), value_by_status, kind="pie"),
        DashboardChart("assets_value_by_class", _l("资产原值（按分类）"), value_by_class),
    ]
