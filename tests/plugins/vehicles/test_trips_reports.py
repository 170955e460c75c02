"""公务用车使用情况月报 and 节假日封存登记表 read back from the PDFs, the pages in Chinese, and the
demo's flows under way (Art. 29)."""

from __future__ import annotations

from sqlalchemy import select

from core.extensions import db
from plugins.vehicles.fleet.models import Vehicle
from plugins.vehicles.trips.models import VehicleEmergencyUse, VehicleTrip
from tests.plugins.vehicles.test_trips_helpers import emergency, make_vehicle, national_day, trip_body


def _plate(app, pk) -> str:
    with app.app_context():
        return db.session.get(Vehicle, pk).plate


def test_art29_monthly_use_report_counts_trips_km_days_and_holiday_trips(app, api_client, login, pdf_text):
    vehicle = make_vehicle(app, km=7000)
    clerk = api_client("tianshan_clerk")
    emergency(api_client, login, app, vehicle, "2026-10-06", "2026-10-07")
    for start, end, odometer, back in (
        ("2026-10-06T09:00:00", "2026-10-07T18:00:00", 7000, 7120),
        ("2026-10-20T09:00:00", "2026-10-20T12:00:00", 7120, 7150),
    ):
        pk = clerk.api(
            "POST",
            "/api/v1/vehicle_trip/",
            json=trip_body(app, vehicle, start=start, end=end, odometer=odometer),
        ).get_json()["id"]
        done = clerk.api(
            "POST", f"/api/v1/vehicle_trip/{pk}/return_trip", json={"returned_at": end, "odometer_end": back}
        )
        assert done.status_code == 200, done.get_json()
    response = clerk.api(
        "POST", "/api/v1/reports/vehicle_monthly_use/render", json={"params": {"year": 2026, "month": 10}}
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    text = pdf_text(response.data)
    assert "公务用车使用情况月报" in text and "2026年10月" in text
    [line] = [row for row in text.splitlines() if _plate(app, vehicle) in row]
    # 2 trips, 0 open, 150 km, 3 days (10-06, 10-07, 10-20), 1 on a holiday
    assert line.split()[-5:] == ["2", "0", "150", "3", "1"], line


def test_art29_sealing_register_lists_sealings_and_emergency_uses(app, api_client, login, pdf_text):
    """The demo sealed 天山区财政局's vehicles for 国庆节 2026, with one approved and one pending
    emergency use and the approved one's trip."""
    response = api_client("tianshan_clerk").api(
        "POST",
        "/api/v1/reports/vehicle_sealing_register/render",
        json={"params": {"holiday_id": national_day(app)}},
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    text = pdf_text(response.data)
    for expected in (
        "节假日封存登记表",
        "国庆节",
        "停车场",  # the place each vehicle is parked at (定点停放)
        "2026-09-30 18:00",
        "应急用车审批",
        "防汛应急值守",
        "已批准",
        "待机关事务管理部门审批",
        "达坂城区",
        "封存登记人",
    ):
        assert expected in text, expected


def test_sealing_register_refuses_an_unknown_holiday_in_chinese(app, api_client):
    response = api_client("tianshan_clerk").api(
        "POST", "/api/v1/reports/vehicle_sealing_register/render", json={"params": {"holiday_id": 999999}}
    )
    assert response.status_code in (400, 422)
    assert "节假日不存在或不在您的权限范围内" in str(response.get_json())


def test_pages_read_in_chinese(app, login):
    browser = login("tianshan_clerk")
    trips = browser.get("/vehicletripview/list/").get_data(as_text=True)
    for expected in ("出车登记", "用车人", "驾驶员", "派车审批", "无需派车审批", "已申请，待派车审批"):
        assert expected in trips, expected
    sealings = browser.get("/vehiclesealingview/list/").get_data(as_text=True)
    assert "节假日封存登记" in sealings and "批量封存" in sealings and "停放地点" in sealings
    uses = browser.get("/vehicleemergencyuseview/list/").get_data(as_text=True)
    assert "应急用车审批" in uses and "已批准" in uses


def test_demo_flows_are_under_way(app, findings):
    with app.app_context():
        states = db.session.execute(select(VehicleEmergencyUse.state)).scalars().all()
        assert "approved" in states and "submitted" in states
        awaiting = (
            db.session.execute(select(VehicleTrip).where(VehicleTrip.state == "submitted")).scalars().all()
        )
        assert any(t.vehicle.shared_platform for t in awaiting)
        holiday_trip = (
            db.session.execute(
                select(VehicleTrip.id).where(VehicleTrip.destination == "达坂城区").order_by(VehicleTrip.id)
            )
            .scalars()
            .first()
        )
    assert any(
        f["rule_key"] == "vehicles.trip_holiday_emergency" for f in findings("vehicle_trip", holiday_trip)
    )
