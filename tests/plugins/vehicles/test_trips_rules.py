"""Trips and holiday sealing, Art. 26 and 29, on every path: the add form, REST POST/PUT with a
bearer token, the XLSX import, the operations (回车登记) and the dispatch decisions."""

from __future__ import annotations

from sqlalchemy import func, select

from catalog.models import Organization, Person
from core.extensions import db
from plugins.vehicles.fleet.models import Vehicle
from plugins.vehicles.trips.models import VehicleEmergencyUse, VehicleSealing, VehicleTrip
from tests.catalog.xlsx_helpers import upload, xlsx_bytes
from tests.plugins.vehicles.test_trips_helpers import (
    ART26,
    ART29,
    SEALED,
    TIANSHAN,
    emergency,
    make_vehicle,
    national_day,
    people,
    trip_body,
    trips_of,
    vehicle_km,
)

HOLIDAY_TRIP = dict(start="2026-10-03T09:00:00", end="2026-10-03T16:00:00")


def _refused(response, *expected):
    assert response.status_code == 422, response.get_json()
    message = response.get_json()["message"]
    for text in expected:
        assert text in message, message
    return message


def _post_trip(api_client, app, vehicle, **kw):
    return api_client("tianshan_clerk").api(
        "POST", "/api/v1/vehicle_trip/", json=trip_body(app, vehicle, **kw)
    )


def _return(api_client, pk, returned_at="2026-11-16T12:00:00", odometer_end=10050):
    return api_client("tianshan_clerk").api(
        "POST",
        f"/api/v1/vehicle_trip/{pk}/return_trip",
        json={"returned_at": returned_at, "odometer_end": odometer_end},
    )


# --- 节假日封存停驶 (第二十九条): refused without an approved emergency use, on every path ---------


def test_art29_holiday_trip_refused_on_rest(app, api_client):
    vehicle = make_vehicle(app)
    _refused(_post_trip(api_client, app, vehicle, **HOLIDAY_TRIP), SEALED, ART29)
    assert trips_of(app, vehicle) == []


def test_art29_holiday_trip_refused_on_the_form(app, login):
    vehicle = make_vehicle(app)
    requester, driver = people(app)
    html = (
        login("tianshan_clerk")
        .post(
            "/vehicletripview/add",
            data={
                "vehicle": vehicle,
                "requester": requester,
                "driver": driver,
                "purpose": "节日检查",
                "destination": "达坂城区",
                "start_at": "2026-10-02 09:00:00",
                "end_at": "2026-10-02 15:00:00",
                "odometer_start": "10000",
            },
            follow_redirects=True,
        )
        .get_data(as_text=True)
    )
    assert SEALED in html and ART29 in html
    assert trips_of(app, vehicle) == []


def test_art29_holiday_trip_refused_on_import(app, login):
    vehicle = make_vehicle(app)
    with app.app_context():
        plate = db.session.get(Vehicle, vehicle).plate
        requester, driver = (db.session.get(Person, pk).name for pk in people(app))
    response = login("tianshan_clerk").post(
        "/api/v1/vehicle_trip/import",
        data=upload(
            xlsx_bytes(
                [
                    "车辆",
                    "用车人",
                    "驾驶员",
                    "purpose",
                    "destination",
                    "start_at",
                    "end_at",
                    "odometer_start",
                ],
                [
                    [
                        plate,
                        requester,
                        driver,
                        "节日检查",
                        "达坂城区",
                        "2026-10-04 09:00:00",
                        "2026-10-04 12:00:00",
                        10000,
                    ]
                ],
            )
        ),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422, response.get_json()
    text = response.get_json()["errors"][0]["text"]
    assert SEALED in text and ART29 in text
    assert trips_of(app, vehicle) == []


def test_art29_trip_moved_into_holiday_refused_on_put(app, api_client):
    vehicle = make_vehicle(app)
    created = _post_trip(api_client, app, vehicle)
    assert created.status_code == 201, created.get_json()
    pk = created.get_json()["id"]
    response = api_client("tianshan_clerk").api(
        "PUT",
        f"/api/v1/vehicle_trip/{pk}",
        json={"start_at": "2026-09-30T16:00:00", "end_at": "2026-10-01T10:00:00"},
    )
    _refused(response, SEALED, ART29)
    assert trips_of(app, vehicle)[0].start_at.month == 11


def test_art29_return_into_holiday_refused_on_the_operation(app, api_client):
    """回车登记 after the holiday began: the trip covers sealed days, refused."""
    vehicle = make_vehicle(app)
    created = _post_trip(api_client, app, vehicle, start="2026-09-30T14:00:00", end="2026-09-30T20:00:00")
    assert created.status_code == 201, created.get_json()
    pk = created.get_json()["id"]
    _refused(_return(api_client, pk, "2026-10-01T11:00:00", 10080), SEALED, ART29)
    assert not trips_of(app, vehicle)[0].returned
    assert _return(api_client, pk, "2026-09-30T21:00:00", 10080).status_code == 200


def test_art29_pending_or_other_days_emergency_does_not_cover(app, api_client, login):
    vehicle = make_vehicle(app)
    emergency(api_client, login, app, vehicle, "2026-10-03", "2026-10-03", approve=False)
    _refused(_post_trip(api_client, app, vehicle, **HOLIDAY_TRIP), SEALED, ART29)
    emergency(api_client, login, app, vehicle, "2026-10-05", "2026-10-06")
    _refused(_post_trip(api_client, app, vehicle, **HOLIDAY_TRIP), SEALED, ART29)


def test_art29_approved_emergency_trip_saved_and_flagged(app, api_client, login, findings):
    """第二十九条: with the bureau's approval the trip is saved — and flagged either way."""
    vehicle = make_vehicle(app)
    emergency(api_client, login, app, vehicle, "2026-10-02", "2026-10-03")
    response = _post_trip(api_client, app, vehicle, **HOLIDAY_TRIP)
    assert response.status_code == 201, response.get_json()
    found = [
        f
        for f in findings("vehicle_trip", response.get_json()["id"])
        if f["rule_key"] == "vehicles.trip_holiday_emergency"
    ]
    assert (
        found
        and "国庆节（2026-10-01至2026-10-07）封存期间出车（2026-10-03至2026-10-03）" in found[0]["message"]
    )
    assert ART29 in found[0]["message"] or found[0]["article"] == 29


def test_art29_emergency_dates_outside_the_holiday_refused_on_rest(app, api_client):
    vehicle = make_vehicle(app)
    response = api_client("tianshan_clerk").api(
        "POST",
        "/api/v1/vehicle_emergency_use/",
        json={
            "vehicle_id": vehicle,
            "holiday_id": national_day(app),
            "starts_on": "2026-10-06",
            "ends_on": "2026-10-09",
            "reason": "应急",
        },
    )
    _refused(response, "应急用车日期应在国庆节（2026-10-01至2026-10-07）之内", ART29)


def test_art29_emergency_dates_outside_the_holiday_refused_on_the_form(app, login):
    vehicle = make_vehicle(app)
    html = (
        login("tianshan_clerk")
        .post(
            "/vehicleemergencyuseview/add",
            data={
                "vehicle": vehicle,
                "holiday": national_day(app),
                "starts_on": "2026-09-29",
                "ends_on": "2026-10-02",
                "reason": "应急",
            },
            follow_redirects=True,
        )
        .get_data(as_text=True)
    )
    assert "应急用车日期应在国庆节" in html and ART29 in html
    with app.app_context():
        assert (
            db.session.execute(
                select(func.count(VehicleEmergencyUse.id)).where(VehicleEmergencyUse.vehicle_id == vehicle)
            ).scalar()
            == 0
        )


def test_art29_emergency_needs_the_bureau_not_the_clerk(app, api_client, login):
    vehicle = make_vehicle(app)
    pk = emergency(api_client, login, app, vehicle, approve=False)
    response = api_client("tianshan_clerk").api(
        "POST", f"/api/v1/vehicle_emergency_use/{pk}/workflow/approve", json={"comment": "自己批"}
    )
    assert response.status_code in (403, 422), response.get_json()
    with app.app_context():
        assert db.session.get(VehicleEmergencyUse, pk).state == "submitted"


# --- odometer (第二十九条) -----------------------------------------------------------------------


def test_art29_odometer_end_below_start_refused_on_return(app, api_client):
    vehicle = make_vehicle(app, km=20000)
    pk = _post_trip(api_client, app, vehicle, odometer=20000).get_json()["id"]
    _refused(
        _return(api_client, pk, odometer_end=19990), "回车里程表读数 19990 公里小于出车读数 20000 公里", ART29
    )
    assert vehicle_km(app, vehicle) == 20000


def test_art29_return_advances_the_vehicle_odometer(app, api_client):
    vehicle = make_vehicle(app, km=30000)
    pk = _post_trip(api_client, app, vehicle, odometer=30000).get_json()["id"]
    done = _return(api_client, pk, odometer_end=30064)
    assert done.status_code == 200, done.get_json()
    assert vehicle_km(app, vehicle) == 30064
    [trip] = trips_of(app, vehicle)
    assert trip.returned and trip.distance == 64 and trip.odometer_recorded == 30000


def test_art29_odometer_start_below_last_record_flagged_on_rest(app, api_client, findings):
    vehicle = make_vehicle(app, km=40000)
    response = _post_trip(api_client, app, vehicle, odometer=39900)
    assert response.status_code == 201, response.get_json()
    found = [
        f
        for f in findings("vehicle_trip", response.get_json()["id"])
        if f["rule_key"] == "vehicles.trip_odometer_start"
    ]
    assert found and "低于该车登记时的最后里程 40000 公里" in found[0]["message"]


def test_art29_odometer_start_below_last_record_flagged_on_the_form(app, login, findings):
    vehicle = make_vehicle(app, km=41000)
    requester, driver = people(app)
    login("tianshan_clerk").post(
        "/vehicletripview/add",
        data={
            "vehicle": vehicle,
            "requester": requester,
            "driver": driver,
            "purpose": "检查",
            "destination": "水磨沟",
            "start_at": "2026-11-17 09:00:00",
            "end_at": "2026-11-17 11:00:00",
            "odometer_start": "40990",
        },
        follow_redirects=True,
    )
    [trip] = trips_of(app, vehicle)
    assert any(f["rule_key"] == "vehicles.trip_odometer_start" for f in findings("vehicle_trip", trip.id))


# --- 派车审批 (第二十六条) -------------------------------------------------------------------------


def test_art26_shared_vehicle_trip_needs_dispatch_before_return(app, api_client, login):
    vehicle = make_vehicle(app, shared=True, km=5000)
    clerk = api_client("tianshan_clerk")
    pk = _post_trip(api_client, app, vehicle, odometer=5000).get_json()["id"]
    _refused(_return(api_client, pk, odometer_end=5030), "须经机关事务管理部门派车审批", ART26)
    assert (
        clerk.api(
            "POST", f"/api/v1/vehicle_trip/{pk}/workflow/submit", json={"comment": "请派车"}
        ).status_code
        == 200
    )
    with app.app_context():
        assert db.session.get(VehicleTrip, pk).state_label == "已申请，待派车审批"
    login("tianshan_bureau").post(
        f"/vehicletripview/workflow/{pk}/approve", data={"comment": "同意派车"}, follow_redirects=True
    )
    done = _return(api_client, pk, odometer_end=5030)
    assert done.status_code == 200, done.get_json()
    assert vehicle_km(app, vehicle) == 5030


def test_art26_own_vehicle_trip_needs_no_dispatch(app, api_client):
    vehicle = make_vehicle(app, km=6000)
    pk = _post_trip(api_client, app, vehicle, odometer=6000).get_json()["id"]
    assert _return(api_client, pk, odometer_end=6012).status_code == 200
    with app.app_context():
        assert db.session.get(VehicleTrip, pk).dispatch_label == "无需派车审批"


def test_art29_trip_of_a_disposed_vehicle_refused_on_rest(app, api_client):
    vehicle = make_vehicle(app, status="disposed")
    _refused(_post_trip(api_client, app, vehicle), "不是在用车辆，不能登记出车", ART29)


# --- 封存登记 and 批量封存 (第二十九条) --------------------------------------------------------------


def _sealings(app, vehicle) -> int:
    with app.app_context():
        return db.session.execute(
            select(func.count(VehicleSealing.id)).where(
                VehicleSealing.vehicle_id == vehicle, VehicleSealing.voided_at.is_(None)
            )
        ).scalar()


def _seal_body(app, vehicle):
    return {
        "holiday_id": national_day(app),
        "vehicle_id": vehicle,
        "sealed_at": "2026-09-30T18:00:00",
        "sealed_by_id": people(app)[0],
        "place": "机关大院停车场",
    }


def test_art29_seal_all_registers_every_vehicle_in_service_once(app, api_client):
    first, second = make_vehicle(app), make_vehicle(app)
    disposed = make_vehicle(app, status="disposed")
    clerk = api_client("tianshan_clerk")
    with app.app_context():
        org = db.session.execute(select(Organization.id).where(Organization.name == TIANSHAN)).scalar_one()
    body = {
        "holiday_id": national_day(app),
        "organization_id": org,
        "sealed_at": "2026-09-30T18:00",
        "sealed_by_id": people(app)[0],
        "place": "机关大院停车场",
    }
    response = clerk.api("POST", "/api/v1/vehicle_sealing_batch/seal", json=body)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["count"] >= 2
    assert _sealings(app, first) == _sealings(app, second) == 1 and _sealings(app, disposed) == 0
    again = clerk.api("POST", "/api/v1/vehicle_sealing_batch/seal", json=body)
    assert again.status_code == 201 and again.get_json()["count"] == 0
    _refused(
        clerk.api("POST", "/api/v1/vehicle_sealing/", json=_seal_body(app, first)),
        "已登记本节假日封存",
        ART29,
    )
    bad = clerk.api("POST", "/api/v1/vehicle_sealing_batch/seal", json={**body, "sealed_at": "明天"})
    assert bad.status_code == 422 and "封存时间" in bad.get_json()["message"]


def test_art29_seal_all_page_and_single_sealing_on_the_form(app, login):
    vehicle = make_vehicle(app)
    browser = login("tianshan_clerk")
    page = browser.get("/vehicles/sealing/seal_all").get_data(as_text=True)
    assert "批量封存" in page and "停放地点" in page
    html = browser.post(
        "/vehiclesealingview/add",
        data={
            "holiday": national_day(app),
            "vehicle": vehicle,
            "sealed_at": "2026-09-30 18:00:00",
            "sealed_by": people(app)[0],
            "place": "机关大院停车场",
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert _sealings(app, vehicle) == 1, html[:2000]
    html = browser.post(
        "/vehiclesealingview/add",
        data={
            "holiday": national_day(app),
            "vehicle": vehicle,
            "sealed_at": "2026-09-30 19:00:00",
            "sealed_by": people(app)[0],
            "place": "机关大院停车场",
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "已登记本节假日封存" in html and ART29 in html and _sealings(app, vehicle) == 1


def test_art29_unseal_not_before_sealing_on_the_operation(app, api_client):
    vehicle = make_vehicle(app)
    clerk = api_client("tianshan_clerk")
    created = clerk.api("POST", "/api/v1/vehicle_sealing/", json=_seal_body(app, vehicle))
    assert created.status_code == 201, created.get_json()
    pk = created.get_json()["id"]
    _refused(
        clerk.api(
            "POST", f"/api/v1/vehicle_sealing/{pk}/unseal", json={"unsealed_at": "2026-09-29T08:00:00"}
        ),
        "启封时间不能早于封存时间",
        ART29,
    )
    done = clerk.api(
        "POST", f"/api/v1/vehicle_sealing/{pk}/unseal", json={"unsealed_at": "2026-10-08T08:30:00"}
    )
    assert done.status_code == 200, done.get_json()


def test_bad_input_is_refused_in_chinese_without_a_500(app, api_client):
    vehicle = make_vehicle(app)
    clerk = api_client("tianshan_clerk")
    response = _post_trip(api_client, app, vehicle, start="2026-11-20T10:00:00", end="2026-11-20T09:00:00")
    assert response.status_code == 422 and "预计回车时间不能早于出车时间" in str(response.get_json())
    response = clerk.api(
        "POST", "/api/v1/vehicle_trip/", json={**trip_body(app, vehicle), "odometer_start": -5}
    )
    assert response.status_code == 422 and "不能为负数" in str(response.get_json())
    response = clerk.api(
        "POST", "/api/v1/vehicle_trip/", json={**trip_body(app, vehicle), "start_at": "不是时间"}
    )
    assert response.status_code in (400, 422)
    assert trips_of(app, vehicle) == []


def test_kashgar_clerk_cannot_register_a_tianshan_vehicle(app, api_client):
    vehicle = make_vehicle(app)
    body = trip_body(app, vehicle)
    response = api_client("kashgar_clerk").api("POST", "/api/v1/vehicle_trip/", json=body)
    assert response.status_code in (403, 404, 422), response.get_json()
    assert trips_of(app, vehicle) == []
