"""The yearly acquisition and renewal plan of official vehicles (年度公务用车配备更新计划, Art. 27, 28).

Every rule on every write path: the add form, REST with a bearer token, the XLSX import of lines,
and the submission. The tests own their data: each plan is of 天山区财政局 (tianshan_clerk) for a
year of its own (2041 and later), where a test establishment of 其他 (50 vehicles, from 2040) is in
force; a test needing a tight establishment makes a category of its own. The caps are the demo's
(演示数据: 其他 180,000 元 / 1.8 升; renewal 8 年 or 250,000 公里; new-energy share 30%).
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select

from catalog.models import Organization
from catalog.vehicle_categories import VehicleCategory
from core.api import get_state, transition
from core.extensions import db
from core.models import Finding
from plugins.vehicles.fleet.models import Vehicle, VehicleEstablishment
from plugins.vehicles.plans.models import VehiclePlan, VehiclePlanLine
from tests.catalog.xlsx_helpers import upload, xlsx_bytes
from tests.plugins.vehicles.costs_helpers import make_vehicle

CLERK, BUREAU, FINANCE = "tianshan_clerk", "tianshan_bureau", "tianshan_fin_reviewer"
ORG_NAME = "乌鲁木齐市天山区财政局"
#: each backend's app counts its own years (a run on both must stay within the plan's 2000-2100)
_counters: dict[str, itertools.count] = {}


def next_year(app) -> int:
    return next(_counters.setdefault(str(app.config["SQLALCHEMY_DATABASE_URI"]), itertools.count(2041)))


def _org():
    return db.session.execute(select(Organization).where(Organization.name == ORG_NAME)).scalar_one()


def _category(code):
    return db.session.execute(select(VehicleCategory).where(VehicleCategory.code == code)).scalars().first()


def _establish(org, category, quota, on=dt.date(2040, 1, 1)):
    record = VehicleEstablishment(organization=org, jurisdiction=org.jurisdiction, category=category,
                                  quota=quota, effective_from=on, decision=f"测试编制 {uuid.uuid4().hex[:6]}")
    db.session.add(record)
    db.session.flush()
    transition(record, "submit", "测试", view_name="VehicleEstablishmentView")
    for _stage in record.approval_stages:  # 执法执勤、特种专业技术: finance, then the bureau
        if record.state != "approved":
            transition(record, "approve", "测试", view_name="VehicleEstablishmentView")
    assert record.state == "approved"


@pytest.fixture(scope="module")
def ids(app):
    """天山区财政局, 其他 with an establishment of 50 from 2040, and its old sedan to renew."""
    with app.app_context():
        org, other = _org(), _category("other")
        _establish(org, other, 50)
        db.session.commit()
        # the vehicle the demo's 2027 plan renews (the fleet's oldest, or the plans demo's sedan)
        vehicle = db.session.execute(select(Vehicle).join(
            VehiclePlanLine, VehiclePlanLine.replaces_id == Vehicle.id).join(VehiclePlan).where(
            VehiclePlan.organization_id == org.id, VehiclePlan.year == 2027)).scalars().first()
        return {"org": org.id, "jur": org.jurisdiction_id, "other": other.id, "old_vehicle": vehicle.id,
                "old_category": vehicle.category_id, "old_category_name": vehicle.category.name,
                "old_plate": vehicle.plate}


def test_art28_an_approved_plan_of_an_earlier_year_no_longer_holds_its_vehicle(app, login, api_client, ids):
    """第二十八条: the vehicle an approved plan renewed is still in service a year later (the renewal
    was not carried out): a later year's plan may renew it; a plan of the same year may not."""
    old = renewable(app)
    first, number = _submitted_renewal(app, ids, old)
    _act(login(BUREAU), first, "approve", "同意")
    _act(login(FINANCE), first, "approve", "同意")
    assert _state(app, first) == "approved"
    later, _year = new_plan(app, ids)  # next_year: later than the approved plan's
    body = line_body(later, old["category"], action="renewal", replaces_id=old["id"])
    response = api_client(CLERK).post("/api/v1/vehicle_plan_line/", json=body)
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        same_year = VehiclePlan(organization_id=ids["org"], year=_state_year(first),
                                budget=Decimal("1000000"), note="测试")
        db.session.add(same_year)
        db.session.commit()
        same_id = same_year.id
    refused = api_client(CLERK).post("/api/v1/vehicle_plan_line/", json={**body, "plan_id": same_id})
    assert refused.status_code == 422 and number in refused.get_json()["message"], refused.get_json()


def _state_year(plan_id) -> int:
    return db.session.get(VehiclePlan, plan_id).year


def renewable(app) -> dict:
    """A vehicle of 天山区财政局 in service that no plan renews yet (a vehicle is renewed once, Art. 28):
    应急保障用车, bought 2024-01-10, within the costs tests' establishment of its own."""
    vehicle_id, plate = make_vehicle(app)
    with app.app_context():
        vehicle = db.session.get(Vehicle, vehicle_id)
        return {"id": vehicle_id, "plate": plate, "category": vehicle.category_id,
                "category_name": vehicle.category.name}


def fresh_category(app, quota):
    """A category of its own (no caps) with an establishment of ``quota`` for 天山区财政局 from 2040."""
    with app.app_context():
        code = f"t{uuid.uuid4().hex[:6]}"
        category = VehicleCategory(code=code, name=f"测试类别{code}", establishment_body="bureau",
                                   effective_from=dt.date(2017, 12, 1))
        db.session.add(category)
        db.session.flush()
        _establish(_org(), category, quota)
        db.session.commit()
        return category.id, category.name


def new_plan(app, ids, budget="1000000") -> tuple[int, int]:
    """A draft plan of its own year; returns (plan id, year)."""
    year = next_year(app)
    with app.app_context():
        plan = VehiclePlan(organization_id=ids["org"], year=year, budget=Decimal(budget), note="测试")
        db.session.add(plan)
        db.session.commit()
        return plan.id, year


def line_body(plan_id, category_id, **extra) -> dict:
    body = {"plan_id": plan_id, "action": "new", "category_id": category_id, "brand": "红旗",
            "model_name": "H5", "domestic": True, "energy_type": "petrol", "displacement": "1.5",
            "unit_price": "150000", "quantity": 1, "reason": "测试"}
    body.update(extra)
    return body


def lines(app, plan_id) -> list[VehiclePlanLine]:
    with app.app_context():
        rows = db.session.execute(select(VehiclePlanLine).where(VehiclePlanLine.plan_id == plan_id)
                                  .order_by(VehiclePlanLine.id)).scalars().all()
        db.session.expunge_all()
        return list(rows)


def add_direct(app, plan_id, category_id, **extra):
    with app.app_context():
        body = line_body(plan_id, category_id, **extra)
        body["displacement"] = Decimal(body["displacement"]) if body["displacement"] is not None else None
        body["unit_price"] = Decimal(body["unit_price"])
        plan = db.session.get(VehiclePlan, plan_id)
        db.session.add(VehiclePlanLine(organization_id=plan.organization_id,
                                       jurisdiction_id=plan.jurisdiction_id, **body))
        db.session.commit()


def form_data(body: dict) -> dict:
    data = {"plan": body["plan_id"], "action": body["action"], "category": body["category_id"],
            "brand": body["brand"], "model_name": body["model_name"], "energy_type": body["energy_type"],
            "displacement": body["displacement"] or "", "unit_price": body["unit_price"],
            "quantity": str(body["quantity"]), "reason": body["reason"]}
    if body.get("domestic"):
        data["domestic"] = "y"
    if body.get("replaces_id"):
        data["replaces"] = body["replaces_id"]
    return data


IMPORT_HEADERS = ["*配备更新计划", "*配备方式", "被更新车辆", "*车辆类别", "*品牌", "*型号", "国产",
                  "*能源类型",
                  "排量（升）", "*单价（元）", "*数量", "理由"]


def import_row(body: dict, plate=None, category_name="其他按照规定配备的公务用车") -> list:
    return [body["plan_id"], {"new": "新增配备", "renewal": "更新"}[body["action"]], plate, category_name,
            body["brand"], body["model_name"], "是" if body["domestic"] else "否",
            {"petrol": "燃油（汽油）", "bev": "纯电动"}[body["energy_type"]],
            float(body["displacement"]) if body["displacement"] else None, float(body["unit_price"]),
            body["quantity"], body["reason"]]


def write(path, app, login, api_client, body, **import_kw):
    """Write one line on ``path``: (ok, message)."""
    if path == "form":
        html = login(CLERK).post("/vehicleplanlineview/add", data=form_data(body),
                                 follow_redirects=True).get_data(as_text=True)
        return None, html
    if path == "rest":
        response = api_client(CLERK).post("/api/v1/vehicle_plan_line/", json=body)
        return response.status_code, (response.get_json() or {}).get("message", "")
    if path == "import":
        response = login(CLERK).post("/api/v1/vehicle_plan_line/import", data=upload(xlsx_bytes(
            IMPORT_HEADERS, [import_row(body, **import_kw)])), content_type="multipart/form-data")
        payload = response.get_json() or {}
        return response.status_code, " ".join(e["text"] for e in payload.get("errors", [])) or str(payload)
    raise AssertionError(path)


PATHS = ["form", "rest", "import"]


def _refused(path, status, text, *needles):
    for needle in needles:
        assert needle in text, (path, text[:3000])
    if path != "form":
        assert status == 422, (status, text)


# --- blocks, on the form, REST (bearer token) and the import -----------------------------------------

@pytest.mark.parametrize("path", PATHS)
def test_art28_non_domestic_line_is_refused(app, login, api_client, ids, path):
    """第二十八条: 配备公务用车应当选用国产汽车 — a foreign brand is refused, nothing is written."""
    plan_id, _ = new_plan(app, ids)
    status, text = write(path, app, login, api_client,
                         line_body(plan_id, ids["other"], brand="奔驰", model_name="E300", domestic=False))
    _refused(path, status, text, "“奔驰E300”非国产品牌，不得列入配备更新计划", "第二十八条")
    assert lines(app, plan_id) == []


@pytest.mark.parametrize("path", PATHS)
def test_art28_price_above_category_cap_is_refused(app, login, api_client, ids, path):
    """第二十八条: the unit price stays within the category's price cap (其他 180,000 元, 演示数据)."""
    plan_id, _ = new_plan(app, ids)
    status, text = write(path, app, login, api_client, line_body(plan_id, ids["other"], unit_price="260000"))
    _refused(path, status, text, "单价 260,000.00 元超过其他按照规定配备的公务用车车辆价格上限 180,000.00 元",
             "第二十八条")
    assert lines(app, plan_id) == []


@pytest.mark.parametrize("path", PATHS)
def test_art28_displacement_above_category_cap_is_refused(app, login, api_client, ids, path):
    """第二十八条: the displacement stays within the category's cap (其他 1.8 升, 演示数据)."""
    plan_id, _ = new_plan(app, ids)
    status, text = write(path, app, login, api_client, line_body(plan_id, ids["other"], displacement="2.5"))
    _refused(path, status, text, "排量 2.5 升超过其他按照规定配备的公务用车车辆排量上限 1.8 升", "第二十八条")
    assert lines(app, plan_id) == []


@pytest.mark.parametrize("path", PATHS)
def test_art28_engine_without_displacement_is_refused_and_bev_has_none(app, login, api_client, ids, path):
    """第二十八条: the displacement cap needs the displacement of an engine; a 纯电动 car has none."""
    plan_id, _ = new_plan(app, ids)
    status, text = write(path, app, login, api_client, line_body(plan_id, ids["other"], displacement=None))
    _refused(path, status, text, "须填写排量", "第二十八条")
    assert lines(app, plan_id) == []
    status, text = write(path, app, login, api_client, line_body(
        plan_id, ids["other"], energy_type="bev", displacement=None, brand="比亚迪", model_name="汉"))
    assert len(lines(app, plan_id)) == 1, text[:2000]


@pytest.mark.parametrize("path", PATHS)
def test_art28_lines_above_the_purchase_budget_are_refused(app, login, api_client, ids, path):
    """第二十八条: the lines' total stays within the plan's 购置经费预算."""
    plan_id, _ = new_plan(app, ids, budget="200000")
    add_direct(app, plan_id, ids["other"], unit_price="150000")
    status, text = write(path, app, login, api_client, line_body(plan_id, ids["other"], unit_price="120000"))
    _refused(path, status, text, "配备更新计划明细合计 270,000.00 元超过购置经费预算 200,000.00 元",
             "第二十八条")
    assert len(lines(app, plan_id)) == 1


@pytest.mark.parametrize("path", PATHS)
def test_art27_new_lines_beyond_the_establishment_are_refused(app, login, api_client, ids, path):
    """第二十七条 (and 二十八条): holdings + the year's new vehicles stay within the establishment in
    force on 1 January; the second new vehicle of a category of 1 is refused."""
    category_id, name = fresh_category(app, 1)
    plan_id, year = new_plan(app, ids)
    add_direct(app, plan_id, category_id)
    status, text = write(path, app, login, api_client, line_body(plan_id, category_id), category_name=name)
    _refused(path, status, text, f"超出车辆编制：{name}编制 1 辆（{year} 年 1 月 1 日现行核定），现有 0 辆，"
             "本年度计划新增 2 辆", "第二十七条")
    assert len(lines(app, plan_id)) == 1


@pytest.mark.parametrize("path", PATHS)
def test_art28_renewal_must_name_a_vehicle_of_the_organisation(app, login, api_client, ids, path):
    """第二十八条: a renewal (更新) names the vehicle it replaces."""
    plan_id, _ = new_plan(app, ids)
    status, text = write(path, app, login, api_client, line_body(plan_id, ids["other"], action="renewal"))
    _refused(path, status, text, "为更新，须选择被更新的车辆", "第二十八条")
    assert lines(app, plan_id) == []


def test_art28_renewal_of_another_organisations_vehicle_is_refused_on_rest(app, api_client, ids):
    """第二十八条: the vehicle a renewal replaces is the organisation's own (REST, bearer token)."""
    with app.app_context():
        other = db.session.execute(select(Vehicle).where(Vehicle.organization_id != ids["org"])
                                   .order_by(Vehicle.id)).scalars().first()
        plate = other.plate
    plan_id, _ = new_plan(app, ids)
    response = api_client(CLERK).post("/api/v1/vehicle_plan_line/", json=line_body(
        plan_id, ids["other"], action="renewal", replaces_id=other.id))
    assert response.status_code in (403, 422), response.get_json()
    assert lines(app, plan_id) == []
    if response.status_code == 422:
        assert f"被更新车辆“{plate}”不是本单位的车辆" in response.get_json()["message"]


# --- a renewal replaces: within the establishment, and flagged when early ----------------------------

def _open_findings(app, entity, pk, rule_key):
    with app.app_context():
        return db.session.execute(select(Finding).where(
            Finding.entity == entity, Finding.entity_id == str(pk), Finding.rule_key == rule_key,
            Finding.status == "open")).scalars().all()


@pytest.mark.parametrize("path", PATHS)
def test_art28_renewal_replaces_and_early_renewal_is_flagged(app, login, api_client, ids, path):
    """第二十八条: a renewal adds no vehicle to the establishment; a vehicle below both the renewal age
    (8 年) and mileage (250,000 公里) is flagged for the reviewers, not refused."""
    old = renewable(app)
    with app.app_context():
        vehicle = db.session.get(Vehicle, old["id"])
        plate, odometer = vehicle.plate, vehicle.odometer_km
        acquired = vehicle.acquired_on
    with app.app_context():
        if path != "rest" and get_state().entities.for_model(Vehicle) is None:
            pytest.skip("the screens and the import pick a vehicle through the fleet's entity type of the "
                        "vehicle (registered by the fleet area)")
    plan_id, year = new_plan(app, ids)
    body = line_body(plan_id, old["category"], action="renewal", replaces_id=old["id"])
    status, text = write(path, app, login, api_client, body, plate=plate,
                         category_name=old["category_name"])
    [line] = lines(app, plan_id)
    assert line.replaces_id == old["id"] and line.organization_id == ids["org"], text[:2000]
    early = (dt.date(year, 1, 1) - acquired).days / 365.25 < 8 and odometer < 250000
    found = _open_findings(app, "vehicle_plan_line", line.id, "vehicles.plan_renewal_early")
    assert bool(found) == early


def test_art28_early_renewal_is_flagged_for_a_young_vehicle(app, ids):
    """第二十八条: a vehicle bought a year before the plan, driven little, is flagged (direct write)."""
    old = renewable(app)
    plan_id, year = new_plan(app, ids)
    with app.app_context():
        vehicle = db.session.get(Vehicle, old["id"])
        vehicle.odometer_km = 12000
        vehicle.asset.acquired_on = dt.date(year - 1, 6, 1)
        db.session.commit()
    add_direct(app, plan_id, old["category"], action="renewal", replaces_id=old["id"])
    [line] = lines(app, plan_id)
    [finding] = _open_findings(app, "vehicle_plan_line", line.id, "vehicles.plan_renewal_early")
    assert finding.article == 28 and "尚未达到更新标准" in finding.message
    assert "行驶 12000 公里" in finding.message and "使用满 8 年或行驶满 250000 公里" in finding.message


# --- the plan: submission, the new-energy share, the stages ----------------------------------------

def _act(browser, plan_id, action, comment=""):
    response = browser.post(f"/vehicleplanview/workflow/{plan_id}/{action}", data={"comment": comment},
                            follow_redirects=True)
    return " ".join(browser.flashes(response.get_data(as_text=True)))


def _state(app, plan_id):
    with app.app_context():
        return db.session.get(VehiclePlan, plan_id).state


def test_art28_empty_plan_cannot_be_submitted(app, login, ids):
    plan_id, _ = new_plan(app, ids)
    text = _act(login(CLERK), plan_id, "submit")
    assert "没有明细" in text and "第二十八条" in text and _state(app, plan_id) == "draft"


def test_art27_submission_checks_the_establishment_with_the_years_other_plans(app, login, ids):
    """第二十七条 on submit: two draft plans of one year each within an establishment of 1; once one is
    submitted, the other's submission is refused (holdings + the year's new vehicles)."""
    category_id, name = fresh_category(app, 1)
    first, year = new_plan(app, ids)
    with app.app_context():
        second = VehiclePlan(organization_id=ids["org"], year=year, budget=Decimal("500000"), note="补充计划")
        db.session.add(second)
        db.session.commit()
        second = second.id
    add_direct(app, first, category_id)
    add_direct(app, second, category_id)
    clerk = login(CLERK)
    _act(clerk, second, "submit")
    assert _state(app, second) == "submitted"
    text = _act(clerk, first, "submit")
    assert f"超出车辆编制：{name}编制 1 辆" in text and "第二十七条" in text
    assert _state(app, first) == "draft"


def test_art28_lowering_the_budget_below_the_lines_is_refused(app, api_client, ids):
    """第二十八条 on the plan itself (REST PUT): the budget cannot drop below the lines' total."""
    plan_id, _ = new_plan(app, ids, budget="300000")
    add_direct(app, plan_id, ids["other"], unit_price="150000")
    response = api_client(CLERK).put(f"/api/v1/vehicle_plan/{plan_id}", json={"budget": "100000"})
    assert response.status_code == 422 and "超过购置经费预算 100,000.00 元" in response.get_json()["message"]
    assert "第二十八条" in response.get_json()["message"]


def test_art28_new_energy_share_below_target_is_flagged_and_shown(app, login, ids):
    """第二十八条: 优先选用新能源汽车 — a plan of petrol cars only is flagged when submitted, and its page
    shows the share against the target (30%, 演示数据); adding new-energy cars clears it."""
    plan_id, _ = new_plan(app, ids)
    add_direct(app, plan_id, ids["other"], quantity=2)
    clerk = login(CLERK)
    html = clerk.text(f"/vehicleplanview/show/{plan_id}")
    assert 'data-below="yes"' in html and "新能源汽车：0 / 2 辆，占比 0.0%" in html and "至少 30%" in html
    _act(clerk, plan_id, "submit")
    [finding] = _open_findings(app, "vehicle_plan", plan_id, "vehicles.plan_new_energy_share")
    assert finding.article == 28 and "低于目标 30%" in finding.message
    _act(clerk, plan_id, "withdraw", "补充新能源汽车")
    assert _state(app, plan_id) == "draft"
    add_direct(app, plan_id, ids["other"], energy_type="bev", displacement=None, brand="比亚迪",
               model_name="海豹", quantity=1)
    _act(clerk, plan_id, "submit")
    assert _state(app, plan_id) == "submitted"
    assert _open_findings(app, "vehicle_plan", plan_id, "vehicles.plan_new_energy_share") == []
    assert 'data-below="no"' in clerk.text(f"/vehicleplanview/show/{plan_id}")


def test_art28_bureau_then_finance_decide_and_a_clerk_cannot_approve(app, login, ids):
    """第二十八条: 天山区 bureau (tianshan_bureau) reviews, then 天山区 finance (tianshan_fin_reviewer)."""
    plan_id, _ = new_plan(app, ids)
    add_direct(app, plan_id, ids["other"], energy_type="bev", displacement=None, brand="比亚迪",
               model_name="秦")
    clerk = login(CLERK)
    _act(clerk, plan_id, "submit")
    assert _state(app, plan_id) == "submitted"
    _act(clerk, plan_id, "approve")
    assert _state(app, plan_id) == "submitted"
    _act(login(FINANCE), plan_id, "approve")
    assert _state(app, plan_id) == "submitted"
    _act(login(BUREAU), plan_id, "approve", "符合编制和标准")
    assert _state(app, plan_id) == "reviewed"
    _act(login(BUREAU), plan_id, "approve")
    assert _state(app, plan_id) == "reviewed"
    _act(login(FINANCE), plan_id, "approve", "同意")
    assert _state(app, plan_id) == "approved"


# --- the report, the demo -----------------------------------------------------------------------

def test_plan_report_reads_back(app, login, ids, pdf_text):
    plan_id, year = new_plan(app, ids, budget="400000")
    add_direct(app, plan_id, ids["other"], energy_type="bev", displacement=None, brand="比亚迪",
               model_name="秦", unit_price="139800")
    add_direct(app, plan_id, ids["other"], unit_price="158000")
    response = login(CLERK).get(f"/reports/vehicle_plan/print?plan_id={plan_id}")
    assert response.status_code == 200 and response.data[:4] == b"%PDF", response.data[:300]
    text = pdf_text(response.data)
    assert "年度公务用车配备更新计划表" in text and ORG_NAME in text
    assert "139,800.00" in text and "纯电动" in text and "297,800.00" in text
    assert "预算余额 102,200.00 元" in text
    assert "新能源汽车 1 辆，占本计划车辆 50.0%" in text and "目标至少 30%" in text
    assert "车辆编制与现有车辆" in text and "在编制内" in text
    for signature in ("经办人", "单位负责人", "机关事务管理部门", "财政部门"):
        assert signature in text


def test_year_roll_up_reads_back_on_rest(app, api_client, pdf_text):
    """公务用车配备更新计划汇总表 over REST (bearer token): 乌鲁木齐市机关事务管理局 sees its city's plans."""
    response = api_client("urumqi_bureau").api("POST", "/api/v1/reports/vehicle_plans_year/render",
                                               json={"params": {"year": 2027}})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    text = pdf_text(response.data)
    assert "公务用车配备更新计划汇总表" in text and "乌鲁木齐市财政局" in text and ORG_NAME in text
    assert "喀什" not in text


def test_demo_plans_under_way(app, login):
    """The demo: 天山区's 2027 plan under the bureau's review (a renewal and a new-energy line);
    乌鲁木齐市财政局's 2027 plan approved; the year's roll-up reads back."""
    with app.app_context():
        rows = db.session.execute(select(VehiclePlan).join(Organization)
                                  .where(VehiclePlan.year == 2027)).scalars()
        states = {plan.organization.name: (plan.state, sorted(line.action for line in plan.lines),
                                           [line.energy_type for line in plan.lines]) for plan in rows}
    state, actions, energies = states[ORG_NAME]
    assert state == "submitted" and actions == ["new", "renewal"] and "bev" in energies
    assert states["乌鲁木齐市财政局"][0] == "approved"
    assert "已提交，待机关事务管理部门审核" in login(BUREAU).text("/vehicleplanview/list/")


def test_art27_a_renewal_replaces_and_a_new_vehicle_at_the_establishment_is_refused(app, api_client, ids):
    """第二十七条: with the establishment of the renewed vehicle's category equal to the holdings,
    renewing a vehicle is within it (it replaces) and adding one is refused (REST, bearer token).
    The tight establishment is in force for this test's year only (the next year gets 50 again)."""
    old = renewable(app)
    plan_id, year = new_plan(app, ids)
    next_year(app)  # the next year restores the establishment of 50
    with app.app_context():
        from plugins.vehicles.fleet.establishment import holdings

        org, category = _org(), db.session.get(VehicleCategory, old["category"])
        held = holdings(db.session, org.id, category.id)
        _establish(org, category, held, on=dt.date(year, 1, 1))
        _establish(org, category, 50, on=dt.date(year + 1, 1, 1))
        db.session.commit()
    client = api_client(CLERK)
    renewal = client.post("/api/v1/vehicle_plan_line/", json=line_body(
        plan_id, old["category"], action="renewal", replaces_id=old["id"]))
    assert renewal.status_code == 201, renewal.get_json()
    refused = client.post("/api/v1/vehicle_plan_line/", json=line_body(plan_id, old["category"]))
    assert refused.status_code == 422
    message = refused.get_json()["message"]
    assert f"编制 {held} 辆（{year} 年 1 月 1 日现行核定），现有 {held} 辆，本年度计划新增 1 辆" in message
    assert "第二十七条" in message
    assert len(lines(app, plan_id)) == 1


def test_art28_submission_checks_the_price_cap_in_force_for_the_year(app, login, ids):
    """第二十八条 on submit: a line saved under the region's cap (180,000 元) is refused when 天山区 sets
    a stricter cap (100,000 元) in force for the plan's year before the plan is submitted."""
    from catalog.models import Standard

    plan_id, year = new_plan(app, ids)
    add_direct(app, plan_id, ids["other"], unit_price="150000")
    with app.app_context():
        db.session.add(Standard(kind="vehicles_price_cap", key="other", value=Decimal(100000), unit="元",
                                jurisdiction_id=ids["jur"], effective_from=dt.date(year, 1, 1),
                                effective_to=dt.date(year, 12, 31), basis="测试：天山区从严标准"))
        db.session.commit()
    text = _act(login(CLERK), plan_id, "submit")
    assert "单价 150,000.00 元超过其他按照规定配备的公务用车车辆价格上限 100,000.00 元" in text
    assert "第二十八条" in text and _state(app, plan_id) == "draft"


# --- a vehicle is renewed once (Art. 28) ---------------------------------------------------------------

def _submitted_renewal(app, ids, old) -> tuple[int, str]:
    """A plan of its own year renewing ``old``, submitted: (plan id, its number PB-…)."""
    plan_id, _ = new_plan(app, ids)
    add_direct(app, plan_id, old["category"], action="renewal", replaces_id=old["id"])
    with app.app_context():
        plan = db.session.get(VehiclePlan, plan_id)
        transition(plan, "submit", "测试", view_name="VehiclePlanView")
        db.session.commit()
        assert plan.state == "submitted"
        return plan_id, plan.document_number


@pytest.mark.parametrize("path", PATHS)
def test_art28_vehicle_renewed_in_another_plan_is_refused(app, login, api_client, ids, path):
    """第二十八条: a renewal line naming a vehicle that another plan (submitted, not rejected) already
    renews is refused, naming that plan's number; nothing is written."""
    old = renewable(app)
    _first, number = _submitted_renewal(app, ids, old)
    assert number.startswith("PB-")
    plan_id, _ = new_plan(app, ids)
    status, text = write(path, app, login, api_client,
                         line_body(plan_id, old["category"], action="renewal", replaces_id=old["id"]),
                         plate=old["plate"], category_name=old["category_name"])
    _refused(path, status, text, f"车辆“{old['plate']}”已列入配备更新计划 {number}",
             "同一车辆不得重复列入更新计划", "第二十八条")
    assert lines(app, plan_id) == []


def test_art28_demo_vehicle_renewed_by_the_2027_plan_is_refused_on_rest(app, api_client, ids):
    """第二十八条 (REST, bearer token): the demo's sedan, renewed by 天山区's submitted 2027 plan, cannot
    be renewed in another plan; the message names the 2027 plan's number and state."""
    with app.app_context():
        demo = db.session.execute(select(VehiclePlan).where(
            VehiclePlan.organization_id == ids["org"], VehiclePlan.year == 2027)).scalar_one()
        number = demo.document_number
    plan_id, _ = new_plan(app, ids)
    response = api_client(CLERK).post("/api/v1/vehicle_plan_line/", json=line_body(
        plan_id, ids["old_category"], action="renewal", replaces_id=ids["old_vehicle"]))
    assert response.status_code == 422, response.get_json()
    message = response.get_json()["message"]
    assert f"车辆“{ids['old_plate']}”已列入配备更新计划 {number}（{ORG_NAME} 2027 年度，" in message
    assert "第二十八条" in message
    assert lines(app, plan_id) == []


def test_art28_same_vehicle_twice_in_one_plan_is_refused_and_the_line_itself_may_be_edited(
        app, api_client, ids):
    """第二十八条 (REST): one plan cannot renew a vehicle twice (the message names the draft); the
    renewal line itself is edited freely (PUT of its reason is not refused by its own name)."""
    old = renewable(app)
    plan_id, _ = new_plan(app, ids)
    client = api_client(CLERK)
    body = line_body(plan_id, old["category"], action="renewal", replaces_id=old["id"])
    first = client.post("/api/v1/vehicle_plan_line/", json=body)
    assert first.status_code == 201, first.get_json()
    again = client.post("/api/v1/vehicle_plan_line/", json=body)
    assert again.status_code == 422
    assert f"已列入配备更新计划 草稿 {plan_id}（" in again.get_json()["message"]
    assert "第二十八条" in again.get_json()["message"]
    [line] = lines(app, plan_id)
    edited = client.put(f"/api/v1/vehicle_plan_line/{line.id}", json={"reason": "原车故障频发，修改理由"})
    assert edited.status_code == 200, edited.get_json()
    assert lines(app, plan_id)[0].reason == "原车故障频发，修改理由"


def test_art28_vehicle_of_a_rejected_plan_may_be_renewed_and_that_plan_not_resubmitted(app, login, ids):
    """第二十八条: a rejected (已退回) plan holds no vehicle — another plan may renew it (form); the
    rejected plan's submission is then refused, naming the plan that now renews the vehicle."""
    old = renewable(app)
    first, _number = _submitted_renewal(app, ids, old)
    _act(login(BUREAU), first, "reject", "请核实车况")
    assert _state(app, first) == "rejected"
    second, _ = new_plan(app, ids)
    html = login(CLERK).post("/vehicleplanlineview/add", data=form_data(line_body(
        second, old["category"], action="renewal", replaces_id=old["id"])),
        follow_redirects=True).get_data(as_text=True)
    assert len(lines(app, second)) == 1, html[:3000]
    text = _act(login(CLERK), first, "submit")
    assert f"车辆“{old['plate']}”已列入配备更新计划 草稿 {second}" in text and "第二十八条" in text
    assert _state(app, first) == "rejected"
