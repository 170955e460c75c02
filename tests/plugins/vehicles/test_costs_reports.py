"""单车核算 and 年度绩效评价 (Art. 29): the per-vehicle ledger PDF read back, the evaluation's 评价
freezing scores against the Standards, its PDF read back, and the demo's costs (the undesignated
repair flagged, the posted costs in 天山区财政局's 30231)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from catalog.expenditure_totals import expenditure_totals
from catalog.models import Organization
from core.extensions import db
from plugins.vehicles.costs.models import VehicleCost, VehicleEvaluation
from tests.plugins.vehicles.costs_helpers import (
    ART,
    CLERK,
    DESIGNATED_SHOP,
    TIANSHAN,
    attach_invoice,
    make_vehicle,
    write_cost,
)


def _post(rest, pk):
    clerk = rest(CLERK, "jwt")
    assert attach_invoice(clerk, pk).status_code == 201
    response = clerk.api("POST", f"/api/v1/vehicle_cost/{pk}/post", json={})
    assert response.status_code == 200, response.get_json()


def test_art29_cost_ledger_pdf_reads_back(app, login, rest, pdf_text):
    """第二十九条 单车核算: 单车运行费用台账 lists each line, the totals by kind and the cost per km
    (km from the odometer readings: 12,400 − 12,000 = 400 km; 600 元 ÷ 400 = 1.50 元/公里)."""
    vehicle, plate = make_vehicle(app)
    fuel = write_cost(
        app,
        login,
        rest,
        "rest",
        vehicle,
        plate,
        kind="fuel",
        supplier="某加油站",
        amount="200.00",
        day="2023-05-02",
        odometer=12000,
    )
    repair = write_cost(
        app,
        login,
        rest,
        "rest",
        vehicle,
        plate,
        kind="repair",
        supplier=DESIGNATED_SHOP,
        amount="400.00",
        day="2023-05-20",
        odometer=12400,
    )
    _post(rest, fuel.id)
    _post(rest, repair.id)
    response = rest(CLERK, "jwt").api(
        "POST", "/api/v1/reports/vehicles_cost_ledger/render", json={"params": {"plate": plate, "year": 2023}}
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    text = pdf_text(response.data)
    assert "单车运行费用台账" in text and plate in text
    assert "某加油站" in text and DESIGNATED_SHOP in text and "600.00" in text
    assert "其中：加油" in text and "其中：维修" in text
    assert "400" in text and "1.50" in text  # km and per km
    refused = rest("kashgar_clerk", "jwt").api(
        "POST", "/api/v1/reports/vehicles_cost_ledger/render", json={"params": {"plate": plate, "year": 2023}}
    )
    assert refused.status_code in (400, 422) and "不在您的权限范围内" in str(refused.get_json())


def test_art29_km_per_vehicle_come_from_the_returned_trips_too(app, login, rest, pdf_text):
    """第二十九条 单车核算: with no reading on the cost, the km are the returned trip's (10,000 →
    10,200 = 200 km), so 300 元 ÷ 200 = 1.50 元/公里 on the 单车运行费用台账."""
    from tests.plugins.vehicles.test_trips_helpers import trip_body

    vehicle, plate = make_vehicle(app)
    fuel = write_cost(app, login, rest, "rest", vehicle, plate, kind="fuel", supplier="某加油站",
                      amount="300.00", day="2022-06-02")
    _post(rest, fuel.id)
    clerk = rest(CLERK, "jwt")
    trip = clerk.api("POST", "/api/v1/vehicle_trip/", json=trip_body(
        app, vehicle, start="2022-06-06T09:00:00", end="2022-06-06T17:00:00", odometer=10000))
    assert trip.status_code == 201, trip.get_json()
    back = clerk.api("POST", f"/api/v1/vehicle_trip/{trip.get_json()['id']}/return_trip",
                     json={"returned_at": "2022-06-06T17:00:00", "odometer_end": 10200})
    assert back.status_code == 200, back.get_json()
    response = clerk.api("POST", "/api/v1/reports/vehicles_cost_ledger/render",
                         json={"params": {"plate": plate, "year": 2022}})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    text = pdf_text(response.data)
    assert "200" in text and "1.50" in text  # km and per km


def test_art29_evaluation_scores_and_freezes(app, login, rest, pdf_text):
    """第二十九条 年度绩效评价: 评价 scores each vehicle and the organisation against the Standards
    (demo: 30,000 元/辆·年, 1.50 元/公里, 100 % designated), freezes them, and the form prints."""
    vehicle, plate = make_vehicle(app)
    year = 2025  # the demo Standards are in force from 2024
    lines = [
        ("fuel", "某加油站", "300.00", f"{year}-04-01", 5000),
        ("repair", "某某路边汽修店", "900.00", f"{year}-06-01", 5600),
    ]
    for kind, supplier, amount, day, odometer in lines:
        cost = write_cost(
            app,
            login,
            rest,
            "rest",
            vehicle,
            plate,
            kind=kind,
            supplier=supplier,
            amount=amount,
            day=day,
            odometer=odometer,
        )
        _post(rest, cost.id)
    clerk = rest(CLERK, "jwt")
    with app.app_context():
        org = db.session.execute(select(Organization).where(Organization.name == TIANSHAN)).scalar_one().id
    created = clerk.api(
        "POST",
        "/api/v1/vehicle_evaluation/",
        json={"organization_id": org, "year": year, "remark": "测试评价"},
    )
    assert created.status_code == 201, created.get_json()
    pk = created.get_json()["id"]
    response = clerk.api("POST", f"/api/v1/vehicle_evaluation/{pk}/evaluate", json={})
    assert response.status_code == 200, response.get_json()
    with app.app_context():
        evaluation = db.session.get(VehicleEvaluation, pk)
        mine = next(v for v in evaluation.figures["vehicles"] if v["plate"] == plate)
        assert mine["total"] == "1200.00" and mine["km"] == 600 and mine["per_km"] == "2.00"
        assert mine["repairs"] == 1 and mine["designated_repairs"] == 0
        scores = {row["key"]: row["score"] for row in mine["indicators"]}
        # within the cap: 40; 2.00 > 1.50 per km: 30 × (1 − 0.5/1.5) = 20; no designated repair: 0
        assert scores == {"running_cost": "40.00", "cost_per_km": "20.00", "designated_repairs": "0.00"}
        assert mine["total_score"] == "60.00" and mine["grade"] == "pass"
        assert evaluation.grade and evaluation.evaluated_on is not None
    again = clerk.api("POST", f"/api/v1/vehicle_evaluation/{pk}/evaluate", json={})
    assert again.status_code in (409, 422)
    put = clerk.api("PUT", f"/api/v1/vehicle_evaluation/{pk}", json={"total_score": "99"})
    assert put.status_code == 422
    pdf = clerk.api(
        "POST", "/api/v1/reports/vehicles_evaluation/render", json={"params": {"evaluation": str(pk)}}
    )
    assert pdf.status_code == 200, pdf.get_data(as_text=True)[:300]
    text = pdf_text(pdf.data)
    assert "公务用车年度绩效评价表" in text and plate in text and "单车年运行费用" in text
    assert "每公里运行费用" in text and "定点维修保养占比" in text and "合格" in text


def test_art29_evaluation_without_standards_is_refused(app, rest):
    """第二十九条: a year before the Standards are in force is refused in Chinese, naming them."""
    clerk = rest(CLERK, "jwt")
    with app.app_context():
        org = db.session.execute(select(Organization).where(Organization.name == TIANSHAN)).scalar_one().id
    created = clerk.api("POST", "/api/v1/vehicle_evaluation/", json={"organization_id": org, "year": 2010})
    pk = created.get_json()["id"]
    response = clerk.api("POST", f"/api/v1/vehicle_evaluation/{pk}/evaluate", json={})
    assert response.status_code == 422
    assert "缺少" in response.get_json()["message"] and ART in response.get_json()["message"]


def test_demo_costs_flagged_and_in_sangong(app, findings, login):
    """The demo: 天山区财政局's November 2026 costs are posted to 30231 (三公经费 include them), the
    repair at the undesignated shop is flagged, one cost awaits 入账, and the screen lists them."""
    with app.app_context():
        costs = list(
            db.session.execute(
                select(VehicleCost).where(
                    VehicleCost.note.is_not(None), VehicleCost.supplier == "天山区友好路汽车修理部"
                )
            ).scalars()
        )
        assert len(costs) == 1 and costs[0].posted
        pending = (
            db.session.execute(
                select(VehicleCost).where(VehicleCost.posted.is_(False), VehicleCost.note == "外出开会停车")
            )
            .scalars()
            .all()
        )
        assert len(pending) == 1
        org = db.session.execute(select(Organization).where(Organization.name == TIANSHAN)).scalar_one()
        totals = expenditure_totals(db.session, year=2026, organization=org, codes=["30231"])
        assert Decimal(totals["30231"]["amount"]) >= Decimal("6608.50")
        flagged = costs[0].id
    found = findings("vehicle_cost", flagged)
    assert any(
        "天山区友好路汽车修理部" in f["message"] and "不是定点维修单位" in f["message"] for f in found
    ), found
    page = login(CLERK).get("/vehiclecostview/list/").get_data(as_text=True)
    assert "运行费用" in page and "天山区汽车综合维修厂" in page and "待入账" in page
