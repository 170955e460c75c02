"""Rules of trips, emergency use and holiday sealing (Art. 26, 29), on every write path.

The trips' rules run on every write of a trip: the add form, REST POST/PUT, the XLSX import,
the dispatch decisions and 回车登记 (which may carry the trip into a holiday). None reads a
number: the holiday periods are catalog data (``catalog.holidays``), the odometer is the
vehicle's own.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from catalog.holidays import holidays_between
from core.api import Rule
from plugins.vehicles.trips.models import (
    VehicleEmergencyUse,
    VehicleSealing,
    VehicleTrip,
    period_text,
)


def _day(value) -> dt.date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, dt.datetime) else value


def trip_days(trip: VehicleTrip) -> tuple[dt.date, dt.date] | None:
    first = _day(trip.start_at)
    last = _day(trip.returned_at or trip.end_at)
    if first is None or last is None:
        return None
    return first, max(first, last)


def approved_emergencies(session, vehicle_id: int | None) -> list[VehicleEmergencyUse]:
    if vehicle_id is None:
        return []
    with session.no_autoflush:
        return list(session.execute(
            select(VehicleEmergencyUse).where(VehicleEmergencyUse.vehicle_id == vehicle_id,
                                              VehicleEmergencyUse.state == "approved")
            .order_by(VehicleEmergencyUse.id)).scalars())


def sealed_periods(session, trip: VehicleTrip, vehicle) -> list[tuple]:
    """(holiday, first day, last day, covering approval or None) for each holiday period of the
    vehicle's jurisdiction or above the trip overlaps."""
    days = trip_days(trip)
    if days is None or vehicle is None:
        return []
    jurisdiction = vehicle.jurisdiction
    with session.no_autoflush:
        holidays = holidays_between(session, jurisdiction, *days)
    approvals = approved_emergencies(session, vehicle.id) if holidays else []
    found = []
    for holiday in holidays:
        first, last = max(days[0], holiday.starts_on), min(days[1], holiday.ends_on)
        cover = next((a for a in approvals if a.covers(first, last)), None)
        found.append((holiday, first, last, cover))
    return found


def _live(trip, ctx) -> bool:
    return trip.voided_at is None and ctx.action != "delete"


def _sealed_without_approval(trip: VehicleTrip, ctx):
    """第二十九条: 节假日封存停驶 — no trip on a holiday without an approved emergency use."""
    if not _live(trip, ctx):
        return None
    vehicle = ctx.related(trip, "vehicle")
    for holiday, _first, _last, cover in sealed_periods(ctx.session, trip, vehicle):
        if cover is None:
            return {"period": period_text(holiday)}
    return None


def _sealed_with_approval(trip: VehicleTrip, ctx):
    """第二十九条: a trip on a sealed holiday with its emergency approval passes, flagged."""
    if not _live(trip, ctx):
        return None
    vehicle = ctx.related(trip, "vehicle")
    for holiday, first, last, cover in sealed_periods(ctx.session, trip, vehicle):
        if cover is not None:
            return {"period": period_text(holiday), "number": cover.document_number or f"#{cover.id}",
                    "days": _("%(first)s至%(last)s", first=first.isoformat(), last=last.isoformat())}
    return None


def _odometer_backwards(trip: VehicleTrip, ctx):
    """第二十九条: 回车里程不得小于出车里程."""
    if not _live(trip, ctx) or trip.odometer_end is None or trip.odometer_start is None:
        return None
    if trip.odometer_end < trip.odometer_start:
        return {"end": trip.odometer_end, "start": trip.odometer_start}
    return None


def _odometer_below_record(trip: VehicleTrip, ctx):
    """第二十九条 (flag): the trip starts below the vehicle's last recorded odometer."""
    if not _live(trip, ctx) or trip.odometer_recorded is None or trip.odometer_start is None:
        return None
    if trip.odometer_start < trip.odometer_recorded:
        return {"start": trip.odometer_start, "recorded": trip.odometer_recorded}
    return None


def _not_dispatched(trip: VehicleTrip, ctx):
    """第二十六条: a shared-platform vehicle goes out only once the bureau has dispatched it."""
    if not _live(trip, ctx) or not trip.returned:
        return None
    vehicle = ctx.related(trip, "vehicle")
    if vehicle is not None and vehicle.shared_platform and trip.state != "approved":
        return {"plate": vehicle.plate}
    return None


def _vehicle_out_of_service(record, ctx):
    """第二十九条: only a vehicle in service is used, sealed or lent for an emergency — checked
    when the record is written and when it is moved to another vehicle (a record of a vehicle
    disposed of later stays editable)."""
    if getattr(record, "voided_at", None) is not None:
        return None
    if ctx.action != "create" and not (ctx.action == "update" and ctx.changed(record, "vehicle_id")):
        return None
    vehicle = ctx.related(record, "vehicle")
    if vehicle is not None and (vehicle.status != "in_service" or vehicle.voided_at is not None):
        return {"plate": vehicle.plate}
    return None


def _holiday_of_vehicle(record, ctx):
    """第二十九条: the holiday is one of the vehicle's jurisdiction or above."""
    holiday, vehicle = ctx.related(record, "holiday"), ctx.related(record, "vehicle")
    if holiday is None or vehicle is None or getattr(record, "voided_at", None) is not None:
        return None
    with ctx.session.no_autoflush:
        periods = holidays_between(ctx.session, vehicle.jurisdiction, holiday.starts_on, holiday.ends_on)
    if holiday not in periods:
        return {"holiday": period_text(holiday), "plate": vehicle.plate}
    return None


def _emergency_outside_holiday(use: VehicleEmergencyUse, ctx):
    """第二十九条: an emergency use is asked for days of the sealed holiday."""
    holiday = ctx.related(use, "holiday")
    if holiday is None or use.starts_on is None or use.ends_on is None:
        return None
    if use.starts_on < holiday.starts_on or use.ends_on > holiday.ends_on:
        return {"holiday": period_text(holiday)}
    return None


def _sealed_twice(sealing: VehicleSealing, ctx):
    """第二十九条: a vehicle is sealed once for a holiday (void the wrong registration first)."""
    if sealing.voided_at is not None or ctx.action == "delete":
        return None
    holiday_id, vehicle_id = ctx.value(sealing, "holiday_id"), ctx.value(sealing, "vehicle_id")
    if holiday_id is None or vehicle_id is None:
        return None
    twice = any(ctx.value(other, "holiday_id") == holiday_id and ctx.value(other, "vehicle_id") == vehicle_id
                and other.voided_at is None
                for other in ctx.new_before(sealing, VehicleSealing))  # earlier in this flush (an import)
    with ctx.session.no_autoflush:
        other = twice or ctx.session.execute(
            select(VehicleSealing.id).where(VehicleSealing.holiday_id == holiday_id,
                                            VehicleSealing.vehicle_id == vehicle_id,
                                            VehicleSealing.voided_at.is_(None),
                                            VehicleSealing.id != (sealing.id or 0))).first()
    if other is not None:
        vehicle = ctx.related(sealing, "vehicle")
        return {"plate": vehicle.plate if vehicle is not None else ""}
    return None


def _unsealed_before(sealing: VehicleSealing, ctx):
    """第二十九条: 启封时间不得早于封存时间."""
    if sealing.unsealed_at is not None and sealing.sealed_at is not None and \
            sealing.unsealed_at < sealing.sealed_at:
        return {"sealed": f"{sealing.sealed_at:%Y-%m-%d %H:%M}"}
    return None


SEALED_MESSAGE = _l("%(period)s期间公务用车封存停驶，无应急用车审批不得出车")

RULES = [
    Rule(key="vehicles.trip_holiday_sealed", article=29, severity="block", model=VehicleTrip,
         message=SEALED_MESSAGE, check=_sealed_without_approval),
    Rule(key="vehicles.trip_holiday_emergency", article=29, severity="flag", model=VehicleTrip,
         message=_l("%(period)s封存期间出车（%(days)s），已有应急用车审批 %(number)s，请核实用车情况"),
         check=_sealed_with_approval),
    Rule(key="vehicles.trip_odometer_end", article=29, severity="block", model=VehicleTrip,
         message=_l("回车里程表读数 %(end)s 公里小于出车读数 %(start)s 公里"), check=_odometer_backwards),
    Rule(key="vehicles.trip_odometer_start", article=29, severity="flag", model=VehicleTrip,
         message=_l("出车里程表读数 %(start)s 公里低于该车登记时的最后里程 %(recorded)s 公里，请核实"),
         check=_odometer_below_record),
    Rule(key="vehicles.trip_dispatch", article=26, severity="block", model=VehicleTrip,
         message=_l("%(plate)s 是公务用车平台车辆，须经机关事务管理部门派车审批后方可出车、回车登记"),
         check=_not_dispatched),
    Rule(key="vehicles.trip_in_service", article=29, severity="block", model=VehicleTrip,
         message=_l("%(plate)s 不是在用车辆，不能登记出车"), check=_vehicle_out_of_service),
    Rule(key="vehicles.emergency_in_service", article=29, severity="block", model=VehicleEmergencyUse,
         message=_l("%(plate)s 不是在用车辆，不能申请应急用车"), check=_vehicle_out_of_service),
    Rule(key="vehicles.emergency_holiday", article=29, severity="block", model=VehicleEmergencyUse,
         message=_l("%(holiday)s不是 %(plate)s 所在辖区的节假日"), check=_holiday_of_vehicle),
    Rule(key="vehicles.emergency_within_holiday", article=29, severity="block", model=VehicleEmergencyUse,
         message=_l("应急用车日期应在%(holiday)s之内"), check=_emergency_outside_holiday),
    Rule(key="vehicles.sealing_holiday", article=29, severity="block", model=VehicleSealing,
         message=_l("%(holiday)s不是 %(plate)s 所在辖区的节假日"), check=_holiday_of_vehicle),
    Rule(key="vehicles.sealing_once", article=29, severity="block", model=VehicleSealing,
         message=_l("%(plate)s 已登记本节假日封存，如需更正请先作废原登记"), check=_sealed_twice),
    Rule(key="vehicles.sealing_unsealed_after", article=29, severity="block", model=VehicleSealing,
         message=_l("启封时间不能早于封存时间（%(sealed)s）"), check=_unsealed_before),
    Rule(key="vehicles.sealing_in_service", article=29, severity="block", model=VehicleSealing,
         message=_l("%(plate)s 不是在用车辆，不能登记封存"), check=_vehicle_out_of_service),
]
