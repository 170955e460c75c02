"""The land module's home-page items: parcels to register, registration progress against the target."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from catalog.models import Jurisdiction, standard_in_force
from core.api import ChartData, DashboardCard, DashboardChart, beijing_today, db, scoped
from plugins.land.parcels.models import LandParcel
from plugins.land.parcels.views import TARGET_KIND, registration_progress


def unregistered(scope) -> int:
    query = select(func.count(LandParcel.id)).where(LandParcel.registration_status != "registered")
    return db.session.execute(scoped(query, LandParcel, scope)).scalar_one()


def progress_chart(scope) -> ChartData:
    """Each jurisdiction's registered share, the viewer's own target drawn as a line (Art. 21)."""
    rows = registration_progress(scope)["rows"]
    home = db.session.get(Jurisdiction, scope.jurisdiction_id) if scope.jurisdiction_id else None
    target = standard_in_force(db.session, TARGET_KIND, "share", home, beijing_today()) if home else None
    value = float(target.value) if target is not None else None
    return ChartData(categories=[row["name"] for row in rows],
                     series=[(_("确权登记率"), [round(row["share"] * 100, 1) for row in rows])],
                     unit="%", target=value,
                     target_label=_("目标 %(v)s%%", v="%g" % value) if value is not None else "")


def dashboard_items() -> list:
    return [
        DashboardCard("land_unregistered", _l("未完成确权的宗地"), unregistered,
                      endpoint="LandParcelView.list"),
        DashboardChart("land_registration_progress", _l("确权登记进度（对照目标）"), progress_chart),
    ]
