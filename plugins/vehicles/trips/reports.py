"""公务用车使用情况月报 and 节假日封存登记表 (Art. 29: 使用登记、统计报告、节假日封存停驶)."""

from __future__ import annotations

import datetime as dt
from calendar import monthrange

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from catalog.holidays import Holiday, holidays_between
from core.api import Report, beijing_today, chinese_date, current_scope, db, scoped
from plugins.vehicles.fleet.models import Vehicle
from plugins.vehicles.trips.models import VehicleEmergencyUse, VehicleSealing, VehicleTrip
from plugins.vehicles.trips.rules import trip_days


class MonthParams(Schema):
    year = fields.Integer(load_default=lambda: beijing_today().year, metadata={"label": _l("年度")})
    month = fields.Integer(load_default=lambda: beijing_today().month, metadata={"label": _l("月份")})

    @validates("year")
    def _year(self, value, **_kw):
        if not 2000 <= value <= 2100:
            raise ValidationError(_("年度应在 2000 至 2100 之间"))

    @validates("month")
    def _month(self, value, **_kw):
        if not 1 <= value <= 12:
            raise ValidationError(_("月份应在 1 至 12 之间"))


def month_rows(scope, year: int, month: int) -> list[dict]:
    """Per vehicle of the scope: the live trips starting in the month, their kilometres (returned
    trips), the days the vehicle was out within the month and the trips on a holiday period."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, monthrange(year, month)[1])
    vehicles = db.session.execute(scoped(
        select(Vehicle).where(Vehicle.voided_at.is_(None)).options(selectinload(Vehicle.organization))
        .order_by(Vehicle.organization_id, Vehicle.plate), Vehicle, scope)).scalars().all()
    trips = db.session.execute(scoped(
        select(VehicleTrip).where(VehicleTrip.voided_at.is_(None),
                                  VehicleTrip.start_at >= dt.datetime.combine(first, dt.time()),
                                  VehicleTrip.start_at < dt.datetime.combine(last + dt.timedelta(days=1),
                                                                             dt.time()))
        .order_by(VehicleTrip.start_at), VehicleTrip, scope)).scalars().all()
    by_vehicle: dict[int, list[VehicleTrip]] = {}
    for trip in trips:
        by_vehicle.setdefault(trip.vehicle_id, []).append(trip)
    rows = []
    for vehicle in vehicles:
        own = by_vehicle.get(vehicle.id, [])
        days: set[dt.date] = set()
        on_holiday = 0
        holidays = holidays_between(db.session, vehicle.jurisdiction, first, last + dt.timedelta(days=31))
        for trip in own:
            start, end = trip_days(trip)
            day = start
            while day <= end:
                if first <= day <= last:
                    days.add(day)
                day += dt.timedelta(days=1)
            if any(h.starts_on <= end and start <= h.ends_on for h in holidays):
                on_holiday += 1
        rows.append({"vehicle": vehicle, "trips": len(own),
                     "km": sum(t.distance or 0 for t in own if t.returned),
                     "open": sum(1 for t in own if not t.returned),
                     "days": len(days), "on_holiday": on_holiday})
    return rows


def month_context(params: dict, scope) -> dict:
    rows = month_rows(scope, params["year"], params["month"])
    return {"rows": rows, "year": params["year"], "month": params["month"],
            "period": _("%(year)s年%(month)s月", year=params["year"], month=params["month"]),
            "total_trips": sum(r["trips"] for r in rows), "total_km": sum(r["km"] for r in rows),
            "total_days": sum(r["days"] for r in rows), "total_holiday": sum(r["on_holiday"] for r in rows)}


def _holiday(holiday_id, scope):
    return db.session.execute(scoped(select(Holiday).where(Holiday.id == holiday_id), Holiday, scope)
                              ).scalar_one_or_none()


class SealingParams(Schema):
    holiday_id = fields.Integer(required=True, metadata={
        "label": _l("节假日"), "description": _l("节假日编号")})

    @validates("holiday_id")
    def _readable(self, value, **_kw):
        if _holiday(value, current_scope()) is None:
            raise ValidationError(_("节假日不存在或不在您的权限范围内"))


def sealing_context(params: dict, scope) -> dict:
    holiday = _holiday(params["holiday_id"], scope)
    if holiday is None:
        return {"holiday": None, "rows": [], "emergencies": [], "trips": []}
    rows = db.session.execute(scoped(
        select(VehicleSealing).where(VehicleSealing.holiday_id == holiday.id,
                                     VehicleSealing.voided_at.is_(None))
        .order_by(VehicleSealing.organization_id, VehicleSealing.sealed_at), VehicleSealing, scope)
    ).scalars().all()
    emergencies = db.session.execute(scoped(
        select(VehicleEmergencyUse).where(VehicleEmergencyUse.holiday_id == holiday.id,
                                          VehicleEmergencyUse.state != "draft")
        .order_by(VehicleEmergencyUse.starts_on), VehicleEmergencyUse, scope)).scalars().all()
    start = dt.datetime.combine(holiday.starts_on, dt.time())
    end = dt.datetime.combine(holiday.ends_on + dt.timedelta(days=1), dt.time())
    candidates = db.session.execute(scoped(
        select(VehicleTrip).where(VehicleTrip.voided_at.is_(None), VehicleTrip.start_at < end)
        .order_by(VehicleTrip.start_at), VehicleTrip, scope)).scalars().all()
    trips = [t for t in candidates if (t.returned_at or t.end_at) >= start]
    return {"holiday": holiday, "rows": rows, "emergencies": emergencies, "trips": trips,
            "period": _("%(start)s 至 %(end)s", start=chinese_date(holiday.starts_on),
                        end=chinese_date(holiday.ends_on))}


def reports() -> list[Report]:
    return [
        Report(
            key="vehicle_monthly_use", label=_l("公务用车使用情况月报"), params_schema=MonthParams,
            build_context=month_context, template="vehicles/trips_monthly_report.html",
            orientation="landscape", signatures=(_l("填报人"), _l("审核人"), _l("单位负责人")),
            description=_l("按车辆统计当月出车次数、行驶里程、使用天数和节假日出车次数（第二十九条）"),
        ),
        Report(
            key="vehicle_sealing_register", label=_l("节假日封存登记表"), params_schema=SealingParams,
            build_context=sealing_context, template="vehicles/trips_sealing_report.html",
            orientation="landscape", signatures=(_l("封存登记人"), _l("审核人"), _l("单位负责人")),
            description=_l("一个节假日的公务用车封存：车辆、封存时间、封存人、停放地点、启封时间，"
                           "以及应急用车审批和期间出车（第二十九条）"),
        ),
    ]
