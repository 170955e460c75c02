"""Parcel screens and the registration-progress view (Art. 20-21)."""

from __future__ import annotations

from decimal import Decimal

from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from catalog.models import Jurisdiction, standard_in_force
from core.api import (
    ScopedInterface,
    ScopedModelView,
    ViewSpec,
    choice_field,
    current_scope,
    db,
    local_today,
    scoped,
)
from plugins.land.parcels.models import LAND_USES, REGISTRATION_STATUSES, LandParcel

TARGET_KIND = "land_registration_target"


class LandParcelView(ScopedModelView):
    datamodel = ScopedInterface(LandParcel)
    list_title = _l("土地宗地")
    list_columns = ["name", "jurisdiction", "organization", "area", "land_use_label",
                    "status_label", "certificate_no", "title_holder"]
    add_columns = ["name", "jurisdiction", "organization", "location", "area", "land_use",
                   "registration_status", "certificate_no", "title_holder", "in_compound", "note"]
    edit_columns = add_columns
    show_columns = ["name", "jurisdiction", "organization", "location", "area",
                    "land_use_label", "status_label", "certificate_no", "title_holder",
                    "in_compound", "note"]
    search_columns = ["name", "jurisdiction", "organization", "registration_status", "land_use",
                      "certificate_no"]
    label_columns = {
        "name": _l("宗地名称"), "jurisdiction": _l("所在辖区"), "organization": _l("使用单位"),
        "location": _l("坐落"), "area": _l("面积（平方米）"), "land_use": _l("用途"),
        "land_use_label": _l("用途"), "registration_status": _l("确权登记状态"),
        "status_label": _l("确权登记状态"), "certificate_no": _l("不动产权证书号"),
        "title_holder": _l("权利人"), "in_compound": _l("集中统一办公区"), "note": _l("备注"),
    }
    add_form_extra_fields = {
        "land_use": choice_field(_l("用途"), LAND_USES),
        "registration_status": choice_field(_l("确权登记状态"), REGISTRATION_STATUSES),
    }
    edit_form_extra_fields = add_form_extra_fields


def registration_progress(scope=None) -> dict:
    """Parcels, area and registration status per jurisdiction, within ``scope``."""
    registered = LandParcel.registration_status == "registered"
    in_progress = LandParcel.registration_status == "in_progress"
    query = (
        select(
            Jurisdiction.code, Jurisdiction.name, Jurisdiction.path,
            func.count(LandParcel.id),
            func.coalesce(func.sum(LandParcel.area), 0),
            func.sum(case((registered, 1), else_=0)),
            func.sum(case((in_progress, 1), else_=0)),
            func.coalesce(func.sum(case((registered, LandParcel.area), else_=0)), 0),
        )
        .join(Jurisdiction, LandParcel.jurisdiction_id == Jurisdiction.id)
        .group_by(Jurisdiction.code, Jurisdiction.name, Jurisdiction.path)
        .order_by(Jurisdiction.path)
    )
    rows = []
    total = dict(parcels=0, area=Decimal(0), registered=0, in_progress=0, unregistered=0,
                 registered_area=Decimal(0))
    for code, name, path, count, area, reg, prog, reg_area in db.session.execute(
        scoped(query, LandParcel, scope)
    ):
        row = dict(code=code, name=name, depth=path.count("/") - 2, parcels=count,
                   area=Decimal(area), registered=int(reg or 0), in_progress=int(prog or 0),
                   registered_area=Decimal(reg_area))
        row["unregistered"] = count - row["registered"] - row["in_progress"]
        row["share"] = row["registered"] / count if count else 0.0
        rows.append(row)
        for key in ("parcels", "area", "registered", "in_progress", "unregistered",
                    "registered_area"):
            total[key] += row[key]
    total["share"] = total["registered"] / total["parcels"] if total["parcels"] else 0.0
    return {"rows": rows, "total": total}


class RegistrationProgressView(BaseView):
    """确权登记进度: per jurisdiction, against the target the catalog sets."""

    route_base = "/land/progress"
    default_view = "index"
    access = "everyone"

    @expose("/")
    @has_access
    @permission_name("list")
    def index(self):
        scope = current_scope()
        target = None
        if scope.jurisdiction_id is not None:
            jurisdiction = db.session.get(Jurisdiction, scope.jurisdiction_id)
            target = standard_in_force(db.session, TARGET_KIND, "share", jurisdiction,
                                       local_today())
        return self.render_template(
            "land/progress.html", progress=registration_progress(scope), target=target
        )


def view_specs(common: dict) -> list[ViewSpec]:
    return [
        ViewSpec(LandParcelView, "Land Parcels", _l("宗地台账"), icon="fa-th", **common),
        ViewSpec(RegistrationProgressView, "Land Registration Progress",
                 _l("确权登记进度"), icon="fa-tasks", **common),
    ]
