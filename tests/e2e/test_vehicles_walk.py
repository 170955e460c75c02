"""The vehicles module's trips walked in a real browser (docs/vehicles.md, “Walk it in the demo”), Art. 29.

A clerk of 乌鲁木齐市天山区财政局 registers a trip on 2026-10-06, a day of 国庆节 when the
vehicles are sealed: refused with the article on the page. The clerk asks for an 应急用车审批,
tianshan_bureau approves it, and the same trip is saved — with a finding for the bureau.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.e2e.test_assets_walk import (
    _decide,
    _open_newest,
    _pick_record,
    _save_model_form,
    _state,
    _success,
    _type_date,
    _wait_flash,
)

ORG = "乌鲁木齐市天山区财政局"
DAY = dt.date(2026, 10, 6)


def _a_vehicle_and_people(in_app):
    """A vehicle of 天山区财政局 in service without an emergency use for the day, and two of its people."""
    from catalog.models import Organization, Person
    from plugins.vehicles.fleet.models import Vehicle
    from plugins.vehicles.trips.models import VehicleEmergencyUse

    with in_app() as session:
        org = session.execute(select(Organization).where(Organization.name == ORG)).scalar_one()
        asked = select(VehicleEmergencyUse.vehicle_id)
        vehicle = session.execute(select(Vehicle).where(
            Vehicle.organization_id == org.id, Vehicle.status == "in_service", Vehicle.voided_at.is_(None),
            Vehicle.id.not_in(asked)).order_by(Vehicle.id)).scalars().first()
        names = session.execute(select(Person.name).where(Person.organization_id == org.id)
                                .order_by(Person.id)).scalars().all()
        return vehicle.id, vehicle.plate, vehicle.odometer_km, names[0], names[1]


def _type_time(page, css: str, value: str) -> None:
    """A FAB date-time box: its picker rewrites what is typed, so the value is set as a paste would."""
    page.driver.execute_script("arguments[0].value = arguments[1];", page.find(css), value)


def _fill_trip(page, plate, requester, driver, odometer, destination):
    page.open("/vehicletripview/add")
    page.wait_for("#model_form")
    _pick_record(page, "vehicle", plate)
    page.select("requester", requester)
    page.select("driver", driver)
    page.type_into("#model_form #purpose", "节日期间防汛应急值守")
    page.type_into("#model_form #destination", destination)
    _type_time(page, "#model_form #start_at", f"{DAY} 09:00:00")
    _type_time(page, "#model_form #end_at", f"{DAY} 17:00:00")
    page.type_into("#model_form #odometer_start", str(odometer))
    _save_model_form(page)


def test_clerk_refused_on_a_sealed_holiday_asks_bureau_approves_trip_saved_and_flagged(login_as, in_app):
    vehicle_id, plate, odometer, requester, driver = _a_vehicle_and_people(in_app)
    destination = f"达坂城区应急现场{plate[-3:]}"
    page = login_as("tianshan_clerk")

    # a trip on a day of 国庆节: refused, in Chinese, naming the article
    _fill_trip(page, plate, requester, driver, odometer, destination)
    danger = [text for kind, text in _wait_flash(page) if kind == "danger"]
    page_text = page.text("body")
    assert any("国庆节（2026-10-01至2026-10-07）期间公务用车封存停驶，无应急用车审批不得出车" in t
               for t in [*danger, page_text]), (danger, page_text[:1500])
    assert "第二十九条" in page_text

    # the clerk asks for an emergency use of the vehicle on that day
    page.open("/vehicleemergencyuseview/add")
    page.wait_for("#model_form")
    _pick_record(page, "vehicle", plate)
    page.select("holiday", "国庆节（2026-10-01—2026-10-07）")
    _type_date(page, "#model_form #starts_on", DAY)
    _type_date(page, "#model_form #ends_on", DAY)
    page.type_into("#model_form #reason", "节日期间防汛应急值守，须赴现场")
    _save_model_form(page)
    _success(page)
    use = _open_newest(page, "/vehicleemergencyuseview/list/", "VehicleEmergencyUseView", plate)
    _decide(page, "submit", "请审批")
    assert _state(page).startswith("已提交")

    # the bureau of 天山区 approves
    bureau = login_as("tianshan_bureau")
    bureau.open(use)
    bureau.wait_for("#workflow-form")
    assert "已批准" in _decide(bureau, "approve", "同意，限于应急事项")

    # the same trip is saved now, and the bureau has a finding on it
    _fill_trip(page, plate, requester, driver, odometer, destination)
    _success(page)
    from core.models import Finding
    from plugins.vehicles.trips.models import VehicleTrip

    with in_app() as session:
        trip = session.execute(select(VehicleTrip).where(VehicleTrip.vehicle_id == vehicle_id,
                                                         VehicleTrip.destination == destination)).scalar_one()
        found = session.execute(select(Finding).where(Finding.entity == "vehicle_trip",
                                                      Finding.entity_id == str(trip.id),
                                                      Finding.status == "open")).scalars().all()
        assert any(f.rule_key == "vehicles.trip_holiday_emergency" for f in found)
