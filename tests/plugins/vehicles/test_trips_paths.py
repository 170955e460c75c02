"""Every rule of trips/rules.py on every write path that can reach it (Art. 26, 29): the add (and
edit) form, REST POST and PUT with a bearer token, the XLSX import (/api/v1/<key>/import) and the
operations (回车登记, 启封登记, 批量封存). A refusal shows the Chinese message naming the article and
writes nothing; a flag saves the record with its finding. Also: 作废 of a returned trip recomputes
the vehicle's odometer."""

from __future__ import annotations

from sqlalchemy import func, select

from catalog.holidays import Holiday
from catalog.models import Organization, Person
from core.extensions import db
from core.tenancy import Jurisdiction
from plugins.vehicles.fleet.models import Vehicle
from plugins.vehicles.trips.models import VehicleEmergencyUse, VehicleSealing
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

CLERK = "tianshan_clerk"
#: sees every jurisdiction: the only kind of user who can name another jurisdiction's holiday
ADMIN = "admin"
HOLIDAY_TRIP = dict(start="2026-10-03T09:00:00", end="2026-10-03T16:00:00")
EMERGENCY_FLAG = "国庆节（2026-10-01至2026-10-07）封存期间出车"
END_BELOW = "回车里程表读数 {end} 公里小于出车读数 {start} 公里"
START_BELOW = "低于该车登记时的最后里程 {km} 公里"
DISPATCH = "是公务用车平台车辆，须经机关事务管理部门派车审批后方可出车、回车登记"
TRIP_OUT = "不是在用车辆，不能登记出车"
EMERGENCY_OUT = "不是在用车辆，不能申请应急用车"
SEALING_OUT = "不是在用车辆，不能登记封存"
NOT_OURS = "诺鲁孜节（2026-03-21至2026-03-21）不是 {plate} 所在辖区的节假日"
WITHIN = "应急用车日期应在国庆节（2026-10-01至2026-10-07）之内"
TWICE = "已登记本节假日封存，如需更正请先作废原登记"
UNSEAL_BEFORE = "启封时间不能早于封存时间（2026-09-30 18:00）"


# --- helpers -------------------------------------------------------------------------------------


def _rest(api_client, method, url, body, user=CLERK):
    return api_client(user).api(method, url, json=body)


def _refused(response, *expected):
    assert response.status_code == 422, response.get_json()
    message = response.get_json()["message"]
    for text in expected:
        assert text in message, message


def _form(login, url, data, user=CLERK) -> str:
    return login(user).post(url, data=data, follow_redirects=True).get_data(as_text=True)


def _form_refused(html, *expected):
    for text in expected:
        assert text in html, html[:3000]


def _import(login, key, headers, row):
    return login(CLERK).post(
        f"/api/v1/{key}/import", data=upload(xlsx_bytes(headers, [row])), content_type="multipart/form-data"
    )


def _import_refused(response, *expected):
    assert response.status_code == 422, response.get_json()
    text = " ".join(error["text"] for error in response.get_json()["errors"])
    for part in expected:
        assert part in text, text


def _flagged(findings, key, pk, rule, text):
    found = [f for f in findings(key, pk) if f["rule_key"] == rule]
    assert found and text in found[0]["message"], findings(key, pk)
    assert ART29 in found[0]["message"] or found[0]["article"] == 29


def _count(app, model, vehicle) -> int:
    with app.app_context():
        return db.session.execute(select(func.count(model.id)).where(model.vehicle_id == vehicle)).scalar()


def _plate(app, vehicle) -> str:
    with app.app_context():
        return db.session.get(Vehicle, vehicle).plate


def _names(app) -> tuple[str, str]:
    with app.app_context():
        return tuple(db.session.get(Person, pk).name for pk in people(app))


def _kashgar_holiday(app) -> int:
    """诺鲁孜节 of 喀什市 (demo): a holiday not of 天山区's calendar."""
    with app.app_context():
        return db.session.execute(
            select(Holiday.id)
            .join(Jurisdiction, Holiday.jurisdiction_id == Jurisdiction.id)
            .where(Jurisdiction.code == "653101", Holiday.name == "诺鲁孜节")
        ).scalar_one()


def _created(response) -> int:
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


# --- trips ---------------------------------------------------------------------------------------

TRIP_HEADERS = ["车辆", "用车人", "驾驶员", "purpose", "destination", "start_at", "end_at", "odometer_start"]


def _trip_row(app, vehicle, start="2026-11-18 09:00:00", end="2026-11-18 12:00:00", odometer=10000):
    requester, driver = _names(app)
    return [_plate(app, vehicle), requester, driver, "公务检查", "天山区各街道", start, end, odometer]


def _trip_form(app, vehicle, start="2026-11-18 09:00:00", end="2026-11-18 12:00:00", odometer=10000):
    requester, driver = people(app)
    return {
        "vehicle": vehicle,
        "requester": requester,
        "driver": driver,
        "purpose": "公务检查",
        "destination": "天山区各街道",
        "start_at": start,
        "end_at": end,
        "odometer_start": str(odometer),
    }


def _post_trip(api_client, app, vehicle, **kw):
    return _rest(api_client, "POST", "/api/v1/vehicle_trip/", trip_body(app, vehicle, **kw))


def _return(api_client, pk, returned_at="2026-11-16T12:00:00", odometer_end=10050):
    return _rest(
        api_client,
        "POST",
        f"/api/v1/vehicle_trip/{pk}/return_trip",
        {"returned_at": returned_at, "odometer_end": odometer_end},
    )


def _returned_trip(app, api_client, vehicle, odometer=10000, end=10050) -> int:
    pk = _created(_post_trip(api_client, app, vehicle, odometer=odometer))
    done = _return(api_client, pk, odometer_end=end)
    assert done.status_code == 200, done.get_json()
    return pk


# 第二十九条 trip_holiday_emergency (flag): the approved emergency lets the trip through, flagged


def test_art29_emergency_trip_flagged_on_the_form(app, login, api_client, findings):
    vehicle = make_vehicle(app)
    emergency(api_client, login, app, vehicle, "2026-10-02", "2026-10-03")
    _form(
        login, "/vehicletripview/add", _trip_form(app, vehicle, "2026-10-03 09:00:00", "2026-10-03 16:00:00")
    )
    [trip] = trips_of(app, vehicle)
    _flagged(findings, "vehicle_trip", trip.id, "vehicles.trip_holiday_emergency", EMERGENCY_FLAG)


def test_art29_emergency_trip_flagged_on_put(app, login, api_client, findings):
    vehicle = make_vehicle(app)
    emergency(api_client, login, app, vehicle, "2026-10-02", "2026-10-03")
    pk = _created(_post_trip(api_client, app, vehicle))
    assert not [f for f in findings("vehicle_trip", pk) if f["rule_key"] == "vehicles.trip_holiday_emergency"]
    moved = _rest(
        api_client,
        "PUT",
        f"/api/v1/vehicle_trip/{pk}",
        {"start_at": "2026-10-02T09:00:00", "end_at": "2026-10-02T12:00:00"},
    )
    assert moved.status_code == 200, moved.get_json()
    _flagged(findings, "vehicle_trip", pk, "vehicles.trip_holiday_emergency", EMERGENCY_FLAG)


def test_art29_emergency_trip_flagged_on_import(app, login, api_client, findings):
    vehicle = make_vehicle(app)
    emergency(api_client, login, app, vehicle, "2026-10-02", "2026-10-03")
    response = _import(
        login,
        "vehicle_trip",
        TRIP_HEADERS,
        _trip_row(app, vehicle, "2026-10-03 09:00:00", "2026-10-03 12:00:00"),
    )
    assert response.status_code in (200, 201), response.get_json()
    [trip] = trips_of(app, vehicle)
    _flagged(findings, "vehicle_trip", trip.id, "vehicles.trip_holiday_emergency", EMERGENCY_FLAG)


def test_art29_emergency_trip_flagged_on_return(app, login, api_client, findings):
    """回车登记 into the holiday with an approved emergency for that day: saved, flagged."""
    vehicle = make_vehicle(app)
    emergency(api_client, login, app, vehicle, "2026-10-01", "2026-10-01")
    pk = _created(
        _post_trip(api_client, app, vehicle, start="2026-09-30T14:00:00", end="2026-09-30T20:00:00")
    )
    done = _return(api_client, pk, "2026-10-01T11:00:00", 10080)
    assert done.status_code == 200, done.get_json()
    _flagged(findings, "vehicle_trip", pk, "vehicles.trip_holiday_emergency", EMERGENCY_FLAG)


# 第二十九条 trip_holiday_sealed (block) is on every path in test_trips_rules.py; the form's edit:


def test_art29_holiday_trip_refused_on_the_edit_form(app, login, api_client):
    vehicle = make_vehicle(app)
    pk = _created(_post_trip(api_client, app, vehicle))
    html = _form(
        login,
        f"/vehicletripview/edit/{pk}",
        _trip_form(app, vehicle, "2026-10-05 09:00:00", "2026-10-05 12:00:00"),
    )
    _form_refused(html, SEALED, ART29)
    assert trips_of(app, vehicle)[0].start_at.month == 11


# 第二十九条 trip_odometer_end (block): odometer_end is written only by 回车登记 (tested there in
# test_trips_rules.py); a later edit of the start reading above it reaches the rule too


def test_art29_odometer_start_above_end_refused_on_put(app, api_client):
    vehicle = make_vehicle(app, km=12000)
    pk = _returned_trip(app, api_client, vehicle, 12000, 12050)
    _refused(
        _rest(api_client, "PUT", f"/api/v1/vehicle_trip/{pk}", {"odometer_start": 12060}),
        END_BELOW.format(end=12050, start=12060),
        ART29,
    )
    assert trips_of(app, vehicle)[0].odometer_start == 12000


def test_art29_odometer_start_above_end_refused_on_the_edit_form(app, login, api_client):
    vehicle = make_vehicle(app, km=13000)
    pk = _returned_trip(app, api_client, vehicle, 13000, 13050)
    html = _form(
        login,
        f"/vehicletripview/edit/{pk}",
        _trip_form(app, vehicle, "2026-11-16 09:00:00", "2026-11-16 12:00:00", 13070),
    )
    _form_refused(html, END_BELOW.format(end=13050, start=13070), ART29)
    assert trips_of(app, vehicle)[0].odometer_start == 13000


# 第二十九条 trip_odometer_start (flag): REST POST and the add form in test_trips_rules.py


def test_art29_odometer_start_below_record_flagged_on_put(app, api_client, findings):
    vehicle = make_vehicle(app, km=42000)
    pk = _created(_post_trip(api_client, app, vehicle, odometer=42000))
    assert not [f for f in findings("vehicle_trip", pk) if f["rule_key"] == "vehicles.trip_odometer_start"]
    assert (
        _rest(api_client, "PUT", f"/api/v1/vehicle_trip/{pk}", {"odometer_start": 41900}).status_code == 200
    )
    _flagged(findings, "vehicle_trip", pk, "vehicles.trip_odometer_start", START_BELOW.format(km=42000))


def test_art29_odometer_start_below_record_flagged_on_import(app, login, findings):
    vehicle = make_vehicle(app, km=43000)
    response = _import(login, "vehicle_trip", TRIP_HEADERS, _trip_row(app, vehicle, odometer=42950))
    assert response.status_code in (200, 201), response.get_json()
    [trip] = trips_of(app, vehicle)
    _flagged(findings, "vehicle_trip", trip.id, "vehicles.trip_odometer_start", START_BELOW.format(km=43000))


# 第二十六条 trip_dispatch (block): 回车登记 in test_trips_rules.py; a returned trip moved onto a
# shared-platform vehicle (never dispatched) reaches it on PUT and on the edit form


def test_art26_returned_trip_moved_to_shared_vehicle_refused_on_put(app, api_client):
    own, shared = make_vehicle(app, km=14000), make_vehicle(app, shared=True, km=14000)
    pk = _returned_trip(app, api_client, own, 14000, 14020)
    _refused(
        _rest(api_client, "PUT", f"/api/v1/vehicle_trip/{pk}", {"vehicle_id": shared}),
        _plate(app, shared) + " " + DISPATCH,
        ART26,
    )
    assert trips_of(app, own)[0].vehicle_id == own and trips_of(app, shared) == []


def test_art26_returned_trip_moved_to_shared_vehicle_refused_on_the_edit_form(app, login, api_client):
    own, shared = make_vehicle(app, km=15000), make_vehicle(app, shared=True, km=15000)
    pk = _returned_trip(app, api_client, own, 15000, 15020)
    html = _form(
        login,
        f"/vehicletripview/edit/{pk}",
        _trip_form(app, shared, "2026-11-16 09:00:00", "2026-11-16 12:00:00", 15000),
    )
    _form_refused(html, DISPATCH, ART26)
    assert trips_of(app, shared) == [] and len(trips_of(app, own)) == 1


# 第二十九条 trip_in_service (block): REST POST in test_trips_rules.py


def test_art29_trip_of_a_disposed_vehicle_refused_on_the_form(app, login):
    """The form offers vehicles in service only: a disposed one is refused, nothing written."""
    vehicle = make_vehicle(app, status="disposed")
    html = _form(login, "/vehicletripview/add", _trip_form(app, vehicle))
    assert "新增出车登记" in html
    assert trips_of(app, vehicle) == []


def test_art29_trip_of_a_disposed_vehicle_refused_on_import(app, login):
    vehicle = make_vehicle(app, status="disposed")
    _import_refused(
        _import(login, "vehicle_trip", TRIP_HEADERS, _trip_row(app, vehicle)),
        _plate(app, vehicle) + " " + TRIP_OUT,
        ART29,
    )
    assert trips_of(app, vehicle) == []


def test_art29_trip_moved_to_a_disposed_vehicle_refused_on_put(app, api_client):
    own, disposed = make_vehicle(app), make_vehicle(app, status="disposed")
    pk = _created(_post_trip(api_client, app, own))
    _refused(
        _rest(api_client, "PUT", f"/api/v1/vehicle_trip/{pk}", {"vehicle_id": disposed}),
        _plate(app, disposed) + " " + TRIP_OUT,
        ART29,
    )
    assert trips_of(app, disposed) == []


def test_art29_trip_of_a_vehicle_disposed_later_stays_editable(app, api_client):
    """第二十九条 checks the vehicle when the trip is written or moved, not every later edit."""
    vehicle = make_vehicle(app)
    pk = _created(_post_trip(api_client, app, vehicle))
    with app.app_context():
        db.session.execute(Vehicle.__table__.update().where(Vehicle.id == vehicle).values(status="disposed"))
        db.session.commit()
    done = _rest(api_client, "PUT", f"/api/v1/vehicle_trip/{pk}", {"destination": "沙依巴克区"})
    assert done.status_code == 200, done.get_json()


# --- 应急用车审批 ----------------------------------------------------------------------------------

EMERGENCY_HEADERS = ["车辆", "节假日", "starts_on", "ends_on", "reason"]


def _emergency_body(app, vehicle, holiday=None, starts="2026-10-02", ends="2026-10-03"):
    return {
        "vehicle_id": vehicle,
        "holiday_id": holiday or national_day(app),
        "starts_on": starts,
        "ends_on": ends,
        "reason": "防汛应急值守",
    }


def _emergency_form(app, vehicle, holiday=None, starts="2026-10-02", ends="2026-10-03"):
    return {
        "vehicle": vehicle,
        "holiday": holiday or national_day(app),
        "starts_on": starts,
        "ends_on": ends,
        "reason": "防汛应急值守",
    }


def _emergency_row(app, vehicle, holiday="国庆节", starts="2026-10-02", ends="2026-10-03"):
    return [_plate(app, vehicle), holiday, starts, ends, "防汛应急值守"]


def _post_emergency(api_client, app, vehicle, user=CLERK, **kw):
    return _rest(
        api_client, "POST", "/api/v1/vehicle_emergency_use/", _emergency_body(app, vehicle, **kw), user
    )


def test_art29_emergency_of_a_disposed_vehicle_refused_on_rest(app, api_client):
    vehicle = make_vehicle(app, status="disposed")
    _refused(_post_emergency(api_client, app, vehicle), _plate(app, vehicle) + " " + EMERGENCY_OUT, ART29)
    assert _count(app, VehicleEmergencyUse, vehicle) == 0


def test_art29_emergency_of_a_disposed_vehicle_refused_on_the_form(app, login):
    vehicle = make_vehicle(app, status="disposed")
    html = _form(login, "/vehicleemergencyuseview/add", _emergency_form(app, vehicle))
    assert "新增应急用车审批" in html
    assert _count(app, VehicleEmergencyUse, vehicle) == 0


def test_art29_emergency_of_a_disposed_vehicle_refused_on_import(app, login):
    vehicle = make_vehicle(app, status="disposed")
    _import_refused(
        _import(login, "vehicle_emergency_use", EMERGENCY_HEADERS, _emergency_row(app, vehicle)),
        EMERGENCY_OUT,
        ART29,
    )
    assert _count(app, VehicleEmergencyUse, vehicle) == 0


def test_art29_emergency_moved_to_a_disposed_vehicle_refused_on_put(app, api_client):
    own, disposed = make_vehicle(app), make_vehicle(app, status="disposed")
    pk = _created(_post_emergency(api_client, app, own))
    _refused(
        _rest(api_client, "PUT", f"/api/v1/vehicle_emergency_use/{pk}", {"vehicle_id": disposed}),
        EMERGENCY_OUT,
        ART29,
    )
    assert _count(app, VehicleEmergencyUse, disposed) == 0


def test_art29_emergency_on_another_jurisdictions_holiday_refused_on_rest(app, api_client):
    """The clerk of 天山区 cannot even name 喀什市's holiday (scope); a user seeing both meets 第二十九条."""
    vehicle = make_vehicle(app)
    response = _post_emergency(
        api_client, app, vehicle, holiday=_kashgar_holiday(app), starts="2026-03-21", ends="2026-03-21"
    )
    assert response.status_code == 403 and "节假日安排不在您的权限范围内" in response.get_json()["message"]
    response = _post_emergency(
        api_client, app, vehicle, ADMIN, holiday=_kashgar_holiday(app), starts="2026-03-21", ends="2026-03-21"
    )
    _refused(response, NOT_OURS.format(plate=_plate(app, vehicle)), ART29)
    assert _count(app, VehicleEmergencyUse, vehicle) == 0


def test_art29_emergency_on_another_jurisdictions_holiday_refused_on_the_form(app, login):
    vehicle = make_vehicle(app)
    html = _form(
        login,
        "/vehicleemergencyuseview/add",
        _emergency_form(app, vehicle, _kashgar_holiday(app), "2026-03-21", "2026-03-21"),
        ADMIN,
    )
    _form_refused(html, NOT_OURS.format(plate=_plate(app, vehicle)), ART29)
    assert _count(app, VehicleEmergencyUse, vehicle) == 0


def test_art29_emergency_on_another_jurisdictions_holiday_refused_on_put(app, api_client):
    vehicle = make_vehicle(app)
    pk = _created(_post_emergency(api_client, app, vehicle))
    response = _rest(
        api_client,
        "PUT",
        f"/api/v1/vehicle_emergency_use/{pk}",
        {"holiday_id": _kashgar_holiday(app), "starts_on": "2026-03-21", "ends_on": "2026-03-21"},
        ADMIN,
    )
    _refused(response, NOT_OURS.format(plate=_plate(app, vehicle)), ART29)
    with app.app_context():
        assert db.session.get(VehicleEmergencyUse, pk).holiday_id == national_day(app)


def test_art29_emergency_dates_outside_the_holiday_refused_on_put(app, api_client):
    vehicle = make_vehicle(app)
    pk = _created(_post_emergency(api_client, app, vehicle))
    _refused(
        _rest(api_client, "PUT", f"/api/v1/vehicle_emergency_use/{pk}", {"ends_on": "2026-10-09"}),
        WITHIN,
        ART29,
    )
    with app.app_context():
        assert db.session.get(VehicleEmergencyUse, pk).ends_on.day == 3


def test_art29_emergency_dates_outside_the_holiday_refused_on_import(app, login):
    vehicle = make_vehicle(app)
    _import_refused(
        _import(
            login,
            "vehicle_emergency_use",
            EMERGENCY_HEADERS,
            _emergency_row(app, vehicle, starts="2026-10-06", ends="2026-10-10"),
        ),
        WITHIN,
        ART29,
    )
    assert _count(app, VehicleEmergencyUse, vehicle) == 0


def test_emergency_import_of_a_good_row_is_saved(app, login):
    vehicle = make_vehicle(app)
    response = _import(login, "vehicle_emergency_use", EMERGENCY_HEADERS, _emergency_row(app, vehicle))
    assert response.status_code in (200, 201), response.get_json()
    assert _count(app, VehicleEmergencyUse, vehicle) == 1


# --- 封存登记 -------------------------------------------------------------------------------------

SEALING_HEADERS = ["节假日", "车辆", "sealed_at", "封存人", "place"]


def _seal_body(app, vehicle, holiday=None, sealed_at="2026-09-30T18:00:00"):
    return {
        "holiday_id": holiday or national_day(app),
        "vehicle_id": vehicle,
        "sealed_at": sealed_at,
        "sealed_by_id": people(app)[0],
        "place": "机关大院停车场",
    }


def _seal_form(app, vehicle, holiday=None, sealed_at="2026-09-30 18:00:00"):
    return {
        "holiday": holiday or national_day(app),
        "vehicle": vehicle,
        "sealed_at": sealed_at,
        "sealed_by": people(app)[0],
        "place": "机关大院停车场",
    }


def _seal_row(app, vehicle, holiday="国庆节"):
    return [holiday, _plate(app, vehicle), "2026-09-30 18:00:00", _names(app)[0], "机关大院停车场"]


def _post_sealing(api_client, app, vehicle, user=CLERK, **kw):
    return _rest(api_client, "POST", "/api/v1/vehicle_sealing/", _seal_body(app, vehicle, **kw), user)


def test_art29_sealing_of_a_disposed_vehicle_refused_on_rest(app, api_client):
    vehicle = make_vehicle(app, status="disposed")
    _refused(_post_sealing(api_client, app, vehicle), _plate(app, vehicle) + " " + SEALING_OUT, ART29)
    assert _count(app, VehicleSealing, vehicle) == 0


def test_art29_sealing_of_a_disposed_vehicle_refused_on_the_form(app, login):
    vehicle = make_vehicle(app, status="disposed")
    _form(login, "/vehiclesealingview/add", _seal_form(app, vehicle))
    assert _count(app, VehicleSealing, vehicle) == 0


def test_art29_sealing_of_a_disposed_vehicle_refused_on_import(app, login):
    vehicle = make_vehicle(app, status="disposed")
    _import_refused(
        _import(login, "vehicle_sealing", SEALING_HEADERS, _seal_row(app, vehicle)), SEALING_OUT, ART29
    )
    assert _count(app, VehicleSealing, vehicle) == 0


def test_art29_sealing_moved_to_a_disposed_vehicle_refused_on_put(app, api_client):
    own, disposed = make_vehicle(app), make_vehicle(app, status="disposed")
    pk = _created(_post_sealing(api_client, app, own))
    _refused(
        _rest(api_client, "PUT", f"/api/v1/vehicle_sealing/{pk}", {"vehicle_id": disposed}),
        SEALING_OUT,
        ART29,
    )
    assert _count(app, VehicleSealing, disposed) == 0


def test_art29_sealing_on_another_jurisdictions_holiday_refused_on_rest(app, api_client):
    vehicle = make_vehicle(app)
    _refused(
        _post_sealing(
            api_client, app, vehicle, ADMIN, holiday=_kashgar_holiday(app), sealed_at="2026-03-20T18:00:00"
        ),
        NOT_OURS.format(plate=_plate(app, vehicle)),
        ART29,
    )
    assert _count(app, VehicleSealing, vehicle) == 0


def test_art29_sealing_on_another_jurisdictions_holiday_refused_on_the_form(app, login):
    vehicle = make_vehicle(app)
    html = _form(
        login,
        "/vehiclesealingview/add",
        _seal_form(app, vehicle, _kashgar_holiday(app), "2026-03-20 18:00:00"),
        ADMIN,
    )
    _form_refused(html, NOT_OURS.format(plate=_plate(app, vehicle)), ART29)
    assert _count(app, VehicleSealing, vehicle) == 0


def test_art29_sealing_on_another_jurisdictions_holiday_refused_on_put(app, api_client):
    vehicle = make_vehicle(app)
    pk = _created(_post_sealing(api_client, app, vehicle))
    _refused(
        _rest(
            api_client, "PUT", f"/api/v1/vehicle_sealing/{pk}", {"holiday_id": _kashgar_holiday(app)}, ADMIN
        ),
        NOT_OURS.format(plate=_plate(app, vehicle)),
        ART29,
    )
    with app.app_context():
        assert db.session.get(VehicleSealing, pk).holiday_id == national_day(app)


def test_art29_seal_all_on_another_jurisdictions_holiday_refused_on_the_operation(app, api_client):
    """批量封存 (POST /api/v1/vehicle_sealing_batch/seal) for a holiday of 喀什市: refused, nothing sealed."""
    vehicle = make_vehicle(app)
    with app.app_context():
        org = db.session.execute(select(Organization.id).where(Organization.name == TIANSHAN)).scalar_one()
    response = _rest(
        api_client,
        "POST",
        "/api/v1/vehicle_sealing_batch/seal",
        {
            "holiday_id": _kashgar_holiday(app),
            "organization_id": org,
            "sealed_at": "2026-03-20T18:00",
            "sealed_by_id": people(app)[0],
            "place": "机关大院停车场",
        },
        ADMIN,
    )
    _refused(response, "不是", "所在辖区的节假日", ART29)
    assert _count(app, VehicleSealing, vehicle) == 0


def test_art29_sealed_twice_refused_on_import(app, login, api_client):
    vehicle = make_vehicle(app)
    _created(_post_sealing(api_client, app, vehicle))
    _import_refused(_import(login, "vehicle_sealing", SEALING_HEADERS, _seal_row(app, vehicle)), TWICE, ART29)
    assert _count(app, VehicleSealing, vehicle) == 1


def test_art29_sealed_twice_refused_on_put(app, api_client):
    first, second = make_vehicle(app), make_vehicle(app)
    _created(_post_sealing(api_client, app, first))
    pk = _created(_post_sealing(api_client, app, second))
    _refused(_rest(api_client, "PUT", f"/api/v1/vehicle_sealing/{pk}", {"vehicle_id": first}), TWICE, ART29)
    assert _count(app, VehicleSealing, first) == 1 and _count(app, VehicleSealing, second) == 1


def test_art29_sealing_import_of_a_good_row_is_saved(app, login):
    vehicle = make_vehicle(app)
    response = _import(login, "vehicle_sealing", SEALING_HEADERS, _seal_row(app, vehicle))
    assert response.status_code in (200, 201), response.get_json()
    assert _count(app, VehicleSealing, vehicle) == 1


def _unsealed(app, api_client, vehicle) -> int:
    pk = _created(_post_sealing(api_client, app, vehicle))
    done = _rest(
        api_client, "POST", f"/api/v1/vehicle_sealing/{pk}/unseal", {"unsealed_at": "2026-10-08T08:30:00"}
    )
    assert done.status_code == 200, done.get_json()
    return pk


def test_art29_sealed_after_unsealing_refused_on_put(app, api_client):
    """第二十九条 启封时间不得早于封存时间: moving the sealing time past the unsealing is refused."""
    vehicle = make_vehicle(app)
    pk = _unsealed(app, api_client, vehicle)
    _refused(
        _rest(api_client, "PUT", f"/api/v1/vehicle_sealing/{pk}", {"sealed_at": "2026-10-09T18:00:00"}),
        "启封时间不能早于封存时间（2026-10-09 18:00）",
        ART29,
    )
    with app.app_context():
        assert db.session.get(VehicleSealing, pk).sealed_at.day == 30


def test_art29_sealed_after_unsealing_refused_on_the_edit_form(app, login, api_client):
    vehicle = make_vehicle(app)
    pk = _unsealed(app, api_client, vehicle)
    html = _form(
        login, f"/vehiclesealingview/edit/{pk}", _seal_form(app, vehicle, sealed_at="2026-10-09 18:00:00")
    )
    _form_refused(html, "启封时间不能早于封存时间（2026-10-09 18:00）", ART29)
    with app.app_context():
        assert db.session.get(VehicleSealing, pk).sealed_at.day == 30


# --- 作废 of a returned trip recomputes the vehicle's odometer (第二十九条) ---------------------------


def _void(api_client, pk):
    done = _rest(api_client, "POST", f"/api/v1/vehicle_trip/{pk}/void", {"reason": "登记错误"})
    assert done.status_code == 200, done.get_json()


def test_art29_void_of_the_last_returned_trip_takes_its_reading_back(app, api_client):
    vehicle = make_vehicle(app, km=50000)
    first = _returned_trip(app, api_client, vehicle, 50000, 50040)
    second = _created(
        _post_trip(
            api_client, app, vehicle, odometer=50040, start="2026-11-17T09:00:00", end="2026-11-17T12:00:00"
        )
    )
    assert _return(api_client, second, "2026-11-17T12:00:00", 59000).status_code == 200
    assert vehicle_km(app, vehicle) == 59000
    _void(api_client, second)
    assert vehicle_km(app, vehicle) == 50040
    _void(api_client, first)
    assert vehicle_km(app, vehicle) == 50000  # the reading before any trip, not 0


def test_art29_void_of_an_earlier_trip_leaves_the_later_reading(app, api_client):
    vehicle = make_vehicle(app, km=51000)
    first = _returned_trip(app, api_client, vehicle, 51000, 51030)
    second = _created(
        _post_trip(
            api_client, app, vehicle, odometer=51030, start="2026-11-17T09:00:00", end="2026-11-17T12:00:00"
        )
    )
    assert _return(api_client, second, "2026-11-17T12:00:00", 51070).status_code == 200
    _void(api_client, first)
    assert vehicle_km(app, vehicle) == 51070


def test_art29_void_of_an_unreturned_trip_leaves_the_odometer(app, api_client):
    vehicle = make_vehicle(app, km=52000)
    _returned_trip(app, api_client, vehicle, 52000, 52030)
    open_trip = _created(
        _post_trip(
            api_client, app, vehicle, odometer=52030, start="2026-11-17T09:00:00", end="2026-11-17T12:00:00"
        )
    )
    _void(api_client, open_trip)
    assert vehicle_km(app, vehicle) == 52030
