"""Demo trips and holiday sealing (Art. 26, 29) for the demo logins.

天山区财政局 (tianshan_clerk): its vehicles sealed for 国庆节 2026 (one unsealed after it); an
approved 应急用车审批 with its trip on 2026-10-03 (flagged for the bureau); a pending 应急用车审批
for 2026-10-05 awaiting tianshan_bureau; normal trips in November 2026, returned; a trip of a
shared-platform vehicle awaiting dispatch (派车审批) by tianshan_bureau.

The vehicles are the fleet demo's (loaded before this area's, AREAS order): its vehicles in service
of the organisation, one of them on the district's 公务用车平台.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from catalog.holidays import Holiday
from core.api import transition
from plugins.vehicles.fleet.establishment import vehicles_in_service
from plugins.vehicles.fleet.models import Vehicle
from plugins.vehicles.trips.models import VehicleEmergencyUse, VehicleSealing, VehicleTrip

ORG = "tianshan_finance"


def vehicles_of(ctx, org) -> list[Vehicle]:
    found = vehicles_in_service(ctx.session, org.id)
    if not (any(v.shared_platform for v in found) and any(not v.shared_platform for v in found)):
        raise RuntimeError("车辆演示数据缺少共享平台车辆或单位自用车辆（plugins/vehicles/fleet/demo.py）")
    return found


def _trip(vehicle, requester, driver, purpose, destination, start, hours, km, *, returned=True):
    trip = VehicleTrip(vehicle=vehicle, organization_id=vehicle.organization_id,
                       jurisdiction_id=vehicle.jurisdiction_id, requester=requester, driver=driver,
                       purpose=purpose, destination=destination, start_at=start,
                       end_at=start + dt.timedelta(hours=hours), odometer_start=vehicle.odometer_km,
                       odometer_recorded=vehicle.odometer_km, passengers=None)
    if returned:
        trip.returned, trip.returned_at = True, trip.end_at
        trip.odometer_end = vehicle.odometer_km + km
        vehicle.odometer_km = trip.odometer_end
    return trip


def load(ctx) -> None:
    session = ctx.session
    org = ctx.organizations[ORG]
    vehicles = vehicles_of(ctx, org)
    own = [v for v in vehicles if not v.shared_platform]
    shared = next(v for v in vehicles if v.shared_platform)
    clerk, other = ctx.people[f"{ORG}.0"], ctx.people[f"{ORG}.1"]
    national_day = session.execute(select(Holiday).where(Holiday.name == "国庆节",
                                                         Holiday.starts_on == dt.date(2026, 10, 1))).scalar_one()

    # 国庆节 2026: every vehicle in service sealed on the eve; the first unsealed after it
    for n, vehicle in enumerate(vehicles):
        session.add(VehicleSealing(
            holiday=national_day, vehicle=vehicle, organization_id=vehicle.organization_id,
            jurisdiction_id=vehicle.jurisdiction_id, sealed_at=dt.datetime(2026, 9, 30, 18, 0), sealed_by=clerk,
            place=vehicle.parking_place or f"{org.name}机关大院停车场",
            unsealed_at=dt.datetime(2026, 10, 8, 8, 30) if n == 0 else None))
    session.flush()

    # an approved emergency use, and its trip (flagged for the bureau)
    scope = dict(organization_id=org.id, jurisdiction_id=org.jurisdiction_id)
    approved = VehicleEmergencyUse(vehicle=own[0], holiday=national_day, starts_on=dt.date(2026, 10, 3),
                                   ends_on=dt.date(2026, 10, 3), reason="国庆期间防汛应急值守，赴现场核查救灾资金",
                                   **scope)
    pending = VehicleEmergencyUse(vehicle=own[-1], holiday=national_day, starts_on=dt.date(2026, 10, 5),
                                  ends_on=dt.date(2026, 10, 5), reason="节日期间突发事件应急处置送达紧急公文",
                                  **scope)
    session.add_all([approved, pending])
    session.flush()
    transition(approved, "submit", "国庆期间应急值守用车，请审批", view_name="VehicleEmergencyUseView")
    transition(approved, "approve", "同意，严格限于应急事项", view_name="VehicleEmergencyUseView")
    transition(pending, "submit", "节日期间应急送达公文，请审批", view_name="VehicleEmergencyUseView")
    session.add(_trip(own[0], other, clerk, "防汛应急值守，核查救灾资金使用", "达坂城区", dt.datetime(2026, 10, 3, 9, 0),
                      7, 126))
    session.flush()

    # November: normal trips, returned
    for day, (purpose, destination, hours, km) in enumerate([
        ("赴自治区财政厅报送预算执行情况", "自治区财政厅", 3, 18),
        ("财政资金监督检查", "天山区各街道", 6, 42),
        ("参加全市国有资产管理工作会议", "乌鲁木齐市人民政府", 4, 25),
    ]):
        vehicle = own[day % len(own)]
        session.add(_trip(vehicle, clerk, other, purpose, destination, dt.datetime(2026, 11, 3 + day * 5, 9, 0),
                          hours, km))
        session.flush()

    # a shared-platform vehicle's trip, submitted for dispatch
    request = _trip(shared, clerk, other, "赴喀什地区调研财政预算管理改革", "乌鲁木齐地窝堡机场",
                    dt.datetime(2026, 12, 10, 8, 0), 4, 0, returned=False)
    session.add(request)
    session.flush()
    transition(request, "submit", "申请平台车辆送机，请派车", view_name="VehicleTripView")
    session.flush()
    _kashgar(ctx, national_day)


def _kashgar(ctx, national_day) -> None:
    """喀什市财政局: its 桑塔纳 sealed for 国庆节, a pending emergency use and a returned November trip,
    so each level reads its own trips and never a neighbour's (the authorization matrix)."""
    session, org = ctx.session, ctx.organizations["kashgar_finance"]
    vehicle = vehicles_in_service(session, org.id)[0]
    clerk, other = ctx.people["kashgar_finance.0"], ctx.people["kashgar_finance.1"]
    session.add(VehicleSealing(
        holiday=national_day, vehicle=vehicle, organization_id=org.id, jurisdiction_id=org.jurisdiction_id,
        sealed_at=dt.datetime(2026, 9, 30, 19, 0), sealed_by=clerk, place=vehicle.parking_place,
        unsealed_at=dt.datetime(2026, 10, 8, 9, 0)))
    pending = VehicleEmergencyUse(vehicle=vehicle, holiday=national_day, starts_on=dt.date(2026, 10, 4),
                                  ends_on=dt.date(2026, 10, 4), reason="节日期间赴疏附县核查民生资金拨付",
                                  organization_id=org.id, jurisdiction_id=org.jurisdiction_id)
    session.add(pending)
    session.flush()
    transition(pending, "submit", "节日期间应急核查，请审批", view_name="VehicleEmergencyUseView")
    session.add(_trip(vehicle, clerk, other, "财政资金监督检查", "喀什市各乡镇", dt.datetime(2026, 11, 12, 9, 0), 6, 58))
    session.flush()
