"""The land module's PDF report: 确权登记情况表 (Art. 20-21)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates
from sqlalchemy import select

from catalog.models import Jurisdiction, standard_in_force
from core.api import STANDARD_SIGNATURES, Report, bar_chart, beijing_today, chinese_date, db
from plugins.land.parcels.views import TARGET_KIND, registration_progress


class RegistrationParams(Schema):
    as_of = fields.Date(load_default=beijing_today, metadata={
        "label": _l("统计截止日期"), "description": _l("按该日现行的确权登记目标评价；不得晚于今天"),
    })

    @validates("as_of")
    def _not_future(self, value, **_kw):
        if value > beijing_today():
            raise ValidationError(_("不能晚于今天"))


def _scope_jurisdiction(scope):
    if scope.jurisdiction_id is not None:
        return db.session.get(Jurisdiction, scope.jurisdiction_id)
    return db.session.execute(
        select(Jurisdiction).where(Jurisdiction.parent_id.is_(None)).order_by(Jurisdiction.path).limit(1)
    ).scalar_one_or_none()


def registration_context(params: dict, scope) -> dict:
    as_of = params["as_of"]
    progress = registration_progress(scope)
    codes = [row["code"] for row in progress["rows"]]
    places = {j.code: j for j in db.session.execute(
        select(Jurisdiction).where(Jurisdiction.code.in_(codes))).scalars()} if codes else {}
    for row in progress["rows"]:
        standard = standard_in_force(db.session, TARGET_KIND, "share", places[row["code"]], as_of)
        row["target"] = float(standard.value) if standard is not None else None
        row["below"] = row["target"] is not None and row["share"] * 100 < row["target"]
    home = _scope_jurisdiction(scope)
    target = standard_in_force(db.session, TARGET_KIND, "share", home, as_of) if home else None
    chart = bar_chart(
        [row["name"] for row in progress["rows"]],
        [round(row["share"] * 100, 1) for row in progress["rows"]],
        title=_("各辖区确权登记率"), unit="%", max_value=100.0,
        target=float(target.value) if target is not None else None,
        target_label=_("目标 %(v)s%%", v="%g" % float(target.value)) if target is not None else "",
        width=900,
    )
    return {
        "subtitle_ug": "يەر ھوقۇقىنى تىزىملاش ئەھۋالى جەدۋىلى",
        "period": _("截至 %(date)s", date=chinese_date(as_of)),
        "progress": progress, "target": target, "home": home, "chart": chart,
    }


def reports() -> list[Report]:
    return REPORTS


REPORTS = [
    Report(
        key="land_registration", label=_l("土地确权登记情况表"), params_schema=RegistrationParams,
        build_context=registration_context, template="land/report_registration.html", orientation="landscape",
        signatures=STANDARD_SIGNATURES,
        description=_l("各辖区宗地数、面积、已登记、登记中、未登记及登记率，对照现行目标（第二十、二十一条）"),
    ),
]
