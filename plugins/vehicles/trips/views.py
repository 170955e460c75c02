"""Screens and REST route of trips and holiday sealing (Art. 26, 29).

出车登记 (with 派车审批 for a shared-platform vehicle and the 回车登记 operation), 应急用车审批,
封存登记 (with 启封登记) and 批量封存: a page and ``POST /api/v1/vehicle_sealing_batch/seal``
over the same service (operations.seal_all).
"""

from __future__ import annotations

import datetime as dt

from flask import flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.api import BaseApi, protect, safe
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from wtforms import DateTimeLocalField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from catalog.holidays import Holiday
from catalog.models import Organization, Person
from core.api import (
    ApprovalViewMixin,
    ScopedInterface,
    ScopedModelView,
    ViewSpec,
    WriteRefused,
    current_scope,
    db,
    scoped,
)
from plugins.vehicles.trips.models import VehicleEmergencyUse, VehicleSealing, VehicleTrip
from plugins.vehicles.trips.operations import seal_all

IN_SERVICE = [["status", FilterEqual, "in_service"]]

TRIP_LABELS = {
    "vehicle": _l("车辆"), "organization": _l("用车单位"), "requester": _l("用车人"), "driver": _l("驾驶员"),
    "purpose": _l("用车事由"), "destination": _l("目的地"), "start_at": _l("出车时间"),
    "end_at": _l("预计回车时间"), "odometer_start": _l("出车里程表读数（公里）"),
    "odometer_recorded": _l("登记时车辆里程（公里）"), "passengers": _l("同乘人员"), "note": _l("备注"),
    "returned": _l("已回车"), "return_label": _l("回车"), "returned_at": _l("回车时间"),
    "odometer_end": _l("回车里程表读数（公里）"), "distance": _l("行驶里程（公里）"),
    "dispatch_label": _l("派车审批"), "void_label": _l("作废"),
}


class VehicleTripView(ApprovalViewMixin, ScopedModelView):
    """出车登记: the clerk registers the trip; a shared-platform vehicle's trip is submitted for
    派车审批 and the bureau approves it; 回车登记 completes it."""

    datamodel = ScopedInterface(VehicleTrip)
    list_title = _l("出车登记")
    show_title = _l("出车登记")
    add_title = _l("新增出车登记")
    edit_title = _l("修改出车登记")
    list_columns = ["vehicle", "requester", "driver", "destination", "start_at", "end_at", "distance",
                    "return_label", "dispatch_label"]
    # a phone tells trips apart by car, departure and whether it is back (docs/display.md, "Phones")
    mobile_columns = ["vehicle", "start_at", "return_label"]
    add_columns = ["vehicle", "requester", "driver", "purpose", "destination", "start_at", "end_at",
                   "odometer_start", "passengers", "note"]
    edit_columns = add_columns
    show_columns = ["vehicle", "organization", "requester", "driver", "purpose", "destination", "start_at",
                    "end_at", "odometer_recorded", "odometer_start", "passengers", "note", "return_label",
                    "returned_at", "odometer_end", "distance", "dispatch_label", "void_label"]
    search_columns = ["vehicle", "destination", "start_at", "returned", "state"]
    order_columns = ["start_at"]
    base_order = ("start_at", "desc")
    label_columns = TRIP_LABELS
    description_columns = {
        "start_at": _l("节假日封存期间（本辖区及上级的节假日安排）不得出车，确需用车的须先经应急用车审批"
                       "（第二十九条）"),
        "odometer_start": _l("不应低于该车最后记录的里程；低于时登记后提示核实（第二十九条）"),
        "vehicle": _l("公务用车平台车辆须提交派车审批，经机关事务管理部门批准后出车（第二十六条）"),
    }
    add_form_query_rel_fields = {"vehicle": IN_SERVICE}
    edit_form_query_rel_fields = add_form_query_rel_fields


class VehicleEmergencyUseView(ApprovalViewMixin, ScopedModelView):
    """应急用车审批: the clerk asks, the bureau of the same level approves (Art. 29)."""

    datamodel = ScopedInterface(VehicleEmergencyUse)
    list_title = _l("应急用车审批")
    show_title = _l("应急用车审批")
    add_title = _l("新增应急用车审批")
    edit_title = _l("修改应急用车审批")
    list_columns = ["vehicle", "holiday", "starts_on", "ends_on", "reason", "state_label", "submitted_at"]
    add_columns = ["vehicle", "holiday", "starts_on", "ends_on", "reason"]
    edit_columns = add_columns
    show_columns = ["vehicle", "organization", "holiday", "starts_on", "ends_on", "reason", "state_label",
                    "submitted_at", "decided_at"]
    search_columns = ["vehicle", "holiday", "state"]
    label_columns = {"vehicle": _l("车辆"), "organization": _l("用车单位"), "holiday": _l("节假日"),
                     "starts_on": _l("用车开始日期"), "ends_on": _l("用车结束日期"), "reason": _l("应急事由")}
    description_columns = {"starts_on": _l("在节假日期间之内；批准后该车在这些日期可以出车，"
                                           "出车仍列入问题清单供核查（第二十九条）")}
    add_form_query_rel_fields = {"vehicle": IN_SERVICE}
    edit_form_query_rel_fields = add_form_query_rel_fields


class VehicleSealingView(ScopedModelView):
    """封存登记 with 启封登记 (operation) and a link to 批量封存."""

    datamodel = ScopedInterface(VehicleSealing)
    list_title = _l("节假日封存登记")
    list_columns = ["holiday", "vehicle", "sealed_at", "sealed_by", "place", "unsealed_at"]
    add_columns = ["holiday", "vehicle", "sealed_at", "sealed_by", "place", "note"]
    edit_columns = add_columns
    show_columns = ["holiday", "vehicle", "organization", "sealed_at", "sealed_by", "place", "unsealed_at",
                    "note", "void_label"]
    search_columns = ["holiday", "vehicle"]
    base_order = ("sealed_at", "desc")
    label_columns = {"holiday": _l("节假日"), "vehicle": _l("车辆"), "organization": _l("单位"),
                     "sealed_at": _l("封存时间"), "sealed_by": _l("封存人"), "place": _l("停放地点"),
                     "unsealed_at": _l("启封时间"), "note": _l("备注"), "void_label": _l("作废")}
    description_columns = {"place": _l("节假日期间定点停放的地点（第二十九条）")}
    add_form_query_rel_fields = {"vehicle": IN_SERVICE}
    edit_form_query_rel_fields = add_form_query_rel_fields
    list_template = "vehicles/trips_sealing_list.html"


# --- 批量封存 -------------------------------------------------------------------------------------


class SealAllForm(FlaskForm):
    holiday = SelectField(_l("节假日"), validators=[DataRequired(message=_l("请选择节假日"))])
    organization = SelectField(_l("单位"), validators=[DataRequired(message=_l("请选择单位"))])
    sealed_at = DateTimeLocalField(_l("封存时间"), format="%Y-%m-%dT%H:%M",
                                   validators=[DataRequired(message=_l("请填写封存时间"))])
    sealed_by = SelectField(_l("封存人"), validators=[DataRequired(message=_l("请选择封存人"))])
    place = StringField(_l("停放地点"),
                        validators=[DataRequired(message=_l("请填写停放地点")), Length(max=255)])


def _organizations():
    return db.session.execute(scoped(select(Organization).order_by(Organization.name), Organization)
                              ).scalars().all()


def _holidays():
    return db.session.execute(scoped(select(Holiday).order_by(Holiday.starts_on.desc()), Holiday)
                              ).scalars().all()


def _people(org_ids):
    return db.session.execute(scoped(select(Person).where(Person.organization_id.in_(org_ids))
                                     .order_by(Person.organization_id, Person.name).limit(2000), Person)
                              ).scalars().all()


def _find(model, value):
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return db.session.execute(scoped(select(model).where(model.id == pk), model)).scalar_one_or_none()


def run_seal_all(holiday_id, organization_id, sealed_at, sealed_by_id, place) -> list[VehicleSealing]:
    holiday, organization = _find(Holiday, holiday_id), _find(Organization, organization_id)
    if holiday is None:
        raise WriteRefused(_("节假日不存在或不在您的权限范围内"))
    if organization is None:
        raise WriteRefused(_("单位不存在或不在您的权限范围内"))
    person = _find(Person, sealed_by_id)
    if person is None:
        raise WriteRefused(_("封存人不存在或不在您的权限范围内"))
    return seal_all(db.session, holiday=holiday, organization=organization, sealed_at=sealed_at,
                    sealed_by=person, place=place)


class SealAllView(BaseView):
    """批量封存: every vehicle in service of an organisation sealed for a holiday at once."""

    route_base = "/vehicles/sealing"
    default_view = "seal_all"
    access = "records"

    @expose("/seal_all", methods=["GET", "POST"])
    @has_access
    @permission_name("add")
    def seal_all(self):
        scope = current_scope()
        form = SealAllForm()
        orgs = _organizations()
        form.holiday.choices = [("", _("请选择"))] + [(str(h.id), str(h)) for h in _holidays()]
        form.organization.choices = [(str(o.id), o.name) for o in orgs]
        if not form.organization.data and scope.organization_id:
            form.organization.data = str(scope.organization_id)
        if request.method == "GET" and request.args.get("holiday_id"):
            form.holiday.data = request.args["holiday_id"]
        names = {o.id: o.name for o in orgs}
        form.sealed_by.choices = [("", _("请选择"))] + [
            (str(p.id), p.name if len(orgs) == 1 else f"{p.name}（{names.get(p.organization_id, '')}）")
            for p in _people([o.id for o in orgs])]
        if request.method == "POST" and form.validate():
            try:
                rows = run_seal_all(form.holiday.data, form.organization.data, form.sealed_at.data,
                                    form.sealed_by.data, form.place.data)
                db.session.commit()
            except WriteRefused as exc:
                db.session.rollback()
                flash(exc.message, "danger")
            except SQLAlchemyError:
                db.session.rollback()
                flash(_("保存失败：数据库拒绝了此次修改"), "danger")
            else:
                flash(_("已批量封存 %(n)s 辆车", n=len(rows)) if rows
                      else _("该单位没有需要封存的在用车辆（均已登记封存）"), "success")
                return redirect(url_for("VehicleSealingView.list"))
        elif request.method == "POST":
            for errors in form.errors.values():
                for error in errors:
                    flash(str(error), "danger")
        return self.render_template("vehicles/trips_seal_all.html", form=form, title=_("批量封存"))


class SealingBatchApi(BaseApi):
    """``POST /api/v1/vehicle_sealing_batch/seal``: 批量封存 over REST, same service as the page."""

    resource_name = "vehicle_sealing_batch"
    access = "records"
    allow_browser_login = True
    openapi_spec_tag = "节假日封存"
    openapi_summaries = {"seal": _l("批量封存：单位全部在用车辆登记节假日封存")}
    openapi_examples = {"seal": {"holiday_id": 1, "organization_id": 1, "sealed_at": "2026-09-30T18:00",
                                 "sealed_by_id": 1, "place": "机关大院停车场"}}

    @expose("/seal", methods=["POST"])
    @protect()
    @safe
    @permission_name("post")
    def seal(self):
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return self.response(400, message=_("请求体应为 JSON 对象"))
        try:
            sealed_at = dt.datetime.fromisoformat(str(body.get("sealed_at") or ""))
        except ValueError:
            return self.response(422, message=_("“封存时间”应为日期时间，例如 2026-09-30T18:00"))
        try:
            rows = run_seal_all(body.get("holiday_id"), body.get("organization_id"),
                                sealed_at.replace(tzinfo=None), body.get("sealed_by_id"),
                                str(body.get("place") or ""))
            db.session.commit()
        except WriteRefused as exc:
            db.session.rollback()
            return self.response(exc.status or 422, message=exc.message)
        except SQLAlchemyError:
            db.session.rollback()
            return self.response(422, message=_("保存失败：数据库拒绝了此次修改"))
        return self.response(201, sealed=[row.id for row in rows], count=len(rows))


def view_specs(common: dict) -> list[ViewSpec]:
    return [
        ViewSpec(VehicleTripView, "Vehicle Trips", _l("出车登记"), icon="fa-road", **common),
        ViewSpec(VehicleEmergencyUseView, "Vehicle Emergency Uses", _l("应急用车审批"), icon="fa-ambulance",
                 **common),
        ViewSpec(VehicleSealingView, "Vehicle Sealings", _l("节假日封存登记"), icon="fa-lock", **common),
        ViewSpec(SealAllView, "Vehicle Seal All", _l("批量封存"), menu=False, **common),
        ViewSpec(SealingBatchApi, "vehicle_sealing_batch", menu=False),
    ]
