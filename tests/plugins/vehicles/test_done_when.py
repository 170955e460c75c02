"""Issue 13's done-when, in the demo, through the doors users use (REST with a bearer token):
天山区财政局 at its 执法执勤用车 establishment cannot add a vehicle (Art. 27); a non-domestic plan
line is refused (Art. 28); a trip on the sealed 国庆节 is refused without and flagged with an
emergency approval (Art. 29); a repair at an undesignated shop is flagged (Art. 29); and the
running costs reach the funds module's 三公经费 disclosure through the catalog's ledger (Art. 13),
with no import between the two plugins (the independence contract of setup.cfg says so)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select

from catalog.models import Organization
from catalog.vehicle_categories import vehicle_category_in_force
from core.extensions import db
from core.models import Finding
from plugins.funds.disclosure.figures import organization_table
from plugins.vehicles.fleet.models import Vehicle
from plugins.vehicles.trips.models import VehicleTrip
from tests.plugins.vehicles.costs_helpers import attach_invoice, make_vehicle
from tests.plugins.vehicles.test_trips_helpers import emergency, trip_body

FINANCE = "乌鲁木齐市天山区财政局"


def _org(app) -> tuple[int, int]:
    with app.app_context():
        org = db.session.execute(select(Organization).where(Organization.name == FINANCE)).scalar_one()
        return org.id, org.jurisdiction_id


def _findings(app, entity: str, pk: int) -> list[tuple[int, str]]:
    """The open findings of a record: (article, message)."""
    with app.app_context():
        return [tuple(row) for row in db.session.execute(select(Finding.article, Finding.message).where(
            Finding.entity == entity, Finding.entity_id == str(pk), Finding.status == "open"))]


def test_art27_the_demo_organisation_at_its_establishment_cannot_add_a_vehicle(app, api_client, fleet):
    """第二十七条: 天山区财政局 holds 2 of its 2 执法执勤用车 in the demo; a third is refused."""
    with app.app_context():
        enforcement = vehicle_category_in_force(db.session, "enforcement", dt.date(2026, 12, 1))
        held = db.session.execute(select(func.count(Vehicle.id)).join(Organization).where(
            Organization.name == FINANCE, Vehicle.category_id == enforcement.id,
            Vehicle.status == "in_service", Vehicle.voided_at.is_(None))).scalar_one()
        category_id = enforcement.id
    assert held == 2
    card = fleet.card("新A·W1301")
    response = api_client("tianshan_clerk").api("POST", "/api/v1/vehicle/", json={
        "asset_id": card, "plate": "新A·W1301", "vin": "LDW13DEMCH0001301", "brand": "红旗",
        "model_name": "H5", "domestic": True, "energy_type": "petrol", "displacement": "1.8",
        "category_id": category_id})
    assert response.status_code == 422, response.get_json()
    assert "编制为 2 辆，已有 2 辆，不能再增加" in response.get_json()["message"]
    assert "第二十七条" in response.get_json()["message"]
    with app.app_context():
        assert db.session.execute(select(Vehicle.id).filter_by(plate="新A·W1301")).first() is None


def test_art28_a_non_domestic_plan_line_is_refused(app, api_client):
    """第二十八条: the clerk's plan takes a 国产 line and refuses a non-domestic one."""
    org, _jur = _org(app)
    clerk = api_client("tianshan_clerk")
    plan = clerk.api("POST", "/api/v1/vehicle_plan/", json={
        "organization_id": org, "year": 2099, "budget": "400000", "note": "完成标准走查"})
    assert plan.status_code == 201, plan.get_json()
    with app.app_context():
        other = vehicle_category_in_force(db.session, "other", dt.date(2026, 12, 1)).id
    line = {"plan_id": plan.get_json()["id"], "action": "new", "category_id": other, "brand": "丰田",
            "model_name": "凯美瑞", "domestic": False, "energy_type": "petrol", "displacement": "1.8",
            "unit_price": "170000", "quantity": 1, "reason": "新增执法需要"}
    refused = clerk.api("POST", "/api/v1/vehicle_plan_line/", json=line)
    assert refused.status_code == 422, refused.get_json()
    assert "第二十八条" in refused.get_json()["message"]
    accepted = clerk.api("POST", "/api/v1/vehicle_plan_line/",
                         json={**line, "brand": "红旗", "model_name": "H5", "domestic": True})
    assert accepted.status_code == 201, accepted.get_json()


def test_art29_a_trip_on_the_sealed_holiday_is_refused_without_and_flagged_with_an_emergency_approval(
        app, api_client, login):
    """第二十九条: on 国庆节 2026 (the demo's calendar) the trip is refused; after the bureau approves an
    应急用车审批 the same trip is saved and a finding names it."""
    vehicle, _plate = make_vehicle(app)
    body = trip_body(app, vehicle, start="2026-10-02T09:00:00", end="2026-10-02T17:00:00", odometer=0)
    clerk = api_client("tianshan_clerk")
    refused = clerk.api("POST", "/api/v1/vehicle_trip/", json=body)
    assert refused.status_code == 422, refused.get_json()
    assert "封存停驶" in refused.get_json()["message"] and "第二十九条" in refused.get_json()["message"]
    emergency(api_client, login, app, vehicle, starts="2026-10-02", ends="2026-10-02")
    saved = clerk.api("POST", "/api/v1/vehicle_trip/", json=body)
    assert saved.status_code == 201, saved.get_json()
    with app.app_context():
        assert db.session.get(VehicleTrip, saved.get_json()["id"]) is not None
    assert any(article == 29 for article, _message in _findings(app, "vehicle_trip", saved.get_json()["id"]))


def test_art29_art13_an_undesignated_repair_is_flagged_and_running_costs_reach_the_sangong_table(
        app, api_client):
    """第二十九条: a repair at a shop that is not designated is saved and flagged; 第十三条: once 入账
    it raises 天山区财政局's 公务用车运行维护费 in the funds module's 三公经费 table by its amount."""
    vehicle, _plate = make_vehicle(app)
    with app.app_context():
        finance = db.session.execute(select(Organization).where(Organization.name == FINANCE)).scalar_one()
        before = organization_table(db.session, finance, 2026, "final")["figure"]["vehicle_running"]
    clerk = api_client("tianshan_clerk")
    cost = clerk.api("POST", "/api/v1/vehicle_cost/", json={
        "vehicle_id": vehicle, "kind": "repair", "spent_on": "2026-11-20", "amount": "1313.13",
        "supplier": "红山路无名汽修店", "note": "完成标准走查"})
    assert cost.status_code == 201, cost.get_json()
    pk = cost.get_json()["id"]
    flagged = _findings(app, "vehicle_cost", pk)
    assert any(article == 29 and "不是定点维修单位" in message for article, message in flagged)
    assert attach_invoice(clerk, pk).status_code == 201
    posted = clerk.api("POST", f"/api/v1/vehicle_cost/{pk}/post", json={})
    assert posted.status_code == 200, posted.get_json()
    with app.app_context():
        finance = db.session.execute(select(Organization).where(Organization.name == FINANCE)).scalar_one()
        after = organization_table(db.session, finance, 2026, "final")["figure"]["vehicle_running"]
    assert after - before == Decimal("1313.13")
