"""Configuration plans (资产配置计划, Art. 14, 17, 18): screens, API, two-stage approval, budget, report.

The demo gives 天山区财政局 (tianshan_clerk, 2 people, 2 computers held, computer cap 1 per
person) four plans: a draft, one awaiting the bureau (tianshan_bureau), one awaiting finance
(tianshan_fin_reviewer) and an approved one with an exception line: the bureau and the finance
department of 天山区, the plans' own level (Art. 17, 同级).
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from catalog.models import Organization
from core.display import local_today
from core.errors import WriteRefused
from core.extensions import db
from core.models import Finding
from core.scoping import acting_as
from core.workflow.approval import WorkflowEvent
from plugins.assets.plans.models import AssetPlan, AssetPlanLine
from plugins.assets.pool.models import PoolItem
from tests.plugins.assets.test_rules import ORG_NAME, _ids, approved_line, fresh_class

CLERK, BUREAU, FINANCE = "tianshan_clerk", "tianshan_bureau", "tianshan_fin_reviewer"


@pytest.fixture
def ids(app):
    return _ids(app)


def plan_by_title(app, title) -> AssetPlan:
    with app.app_context():
        plan = db.session.execute(select(AssetPlan).where(AssetPlan.title == title)).scalar_one()
        db.session.expunge(plan)
        return plan


def new_plan(app, login, ids, title, **lines_of) -> int:
    """A draft plan made on the screens by the clerk; returns its id."""
    clerk = login(CLERK)
    clerk.post("/assetplanview/add", data={"organization": ids["org"], "year": "2027", "title": title,
                                           "note": "测试"})
    return plan_by_title(app, title).id


def line_form(plan_id, class_id, **extra):
    data = {"plan": plan_id, "asset_class": class_id, "name": "台式计算机", "specification": "i5",
            "quantity": "1", "unit": "台", "unit_price": "5000", "reason": "新增人员",
            "exception_reason": ""}
    data.update(extra)
    return data


def lines(app, plan_id) -> list[AssetPlanLine]:
    with app.app_context():
        rows = db.session.execute(select(AssetPlanLine).where(AssetPlanLine.plan_id == plan_id)
                                  .order_by(AssetPlanLine.id)).scalars().all()
        db.session.expunge_all()
        return list(rows)


def state(app, plan_id) -> str:
    with app.app_context():
        return db.session.get(AssetPlan, plan_id).state


def act(browser, plan_id, action, comment=""):
    response = browser.post(f"/assetplanview/workflow/{plan_id}/{action}", data={"comment": comment},
                            follow_redirects=True)
    return " ".join(browser.flashes(response.get_data(as_text=True)))


# --- the demo -----------------------------------------------------------------------------------

def test_demo_plans_one_in_each_step(app):
    with app.app_context():
        rows = db.session.execute(select(AssetPlan.title, AssetPlan.state)).all()
    states = dict(rows)
    assert states["2027 年度办公设备配置计划"] == "draft"
    assert states["2027 年度家具补充配置计划"] == "submitted"
    assert states["2027 年度打印设备更新计划"] == "reviewed"
    assert states["2026 年度新增人员计算机配置计划"] == "approved"


def test_demo_draft_shows_both_quantity_caps(app, login):
    """办公设备: 2 per person × 2 people, and at most 10 per organisation (demo standards)."""
    pk = plan_by_title(app, "2027 年度办公设备配置计划").id
    html = login(CLERK).text(f"/assetplanview/show/{pk}")
    assert "人均 2 × 编制人数 2；单位上限 10" in html and "符合配置标准" in html


def test_each_demo_login_sees_its_step(login):
    assert "已提交，待机关事务管理部门审核" in login(CLERK).text("/assetplanview/list/")
    html = login(FINANCE).text("/assetplanview/list/")
    assert "已审核，待财政审批" in html and "2027 年度打印设备更新计划" in html
    assert "2027 年度打印设备更新计划" not in login("kashgar_clerk").text("/assetplanview/list/")


# --- lines and their checks (Art. 17 block and approved deviation, Art. 14 designation, Art. 18) ----

def test_art17_line_above_cap_is_blocked_on_form(app, login, ids):
    """Computers: 2 held, 1 per person × 2 people: one more is above the cap without an exception."""
    pk = new_plan(app, login, ids, "测试计划：超标准被拦截")
    html = login(CLERK).post("/assetplanlineview/add", data=line_form(pk, ids["computers"]),
                             follow_redirects=True).get_data(as_text=True)
    assert "现有 2 件加本计划 1 件超过数量上限 2 件" in html and "第十七条" in html
    assert lines(app, pk) == []


def test_art17_deviation_with_reason_is_allowed_and_flagged_on_form(app, login, ids):
    """第十七条, not 第十四条: the deviation is approved with the configuration plan (Art. 14 itself
    demands strict execution of the standards); the page says the deviation still awaits approval."""
    pk = new_plan(app, login, ids, "测试计划：超标准申请")
    clerk = login(CLERK)
    html = clerk.post("/assetplanlineview/add", data=line_form(
        pk, ids["computers"], exception_requested="y", exception_reason=""),
        follow_redirects=True).get_data(as_text=True)
    assert "必须填写超标准理由" in html and "《办法》第十七条" in html and "第十四条" not in html
    assert lines(app, pk) == []
    clerk.post("/assetplanlineview/add", data=line_form(
        pk, ids["computers"], exception_requested="y", exception_reason="新增编制 1 名"))
    [line] = lines(app, pk)
    assert line.exception_requested and line.organization_id == ids["org"]
    with app.app_context():
        finding = db.session.execute(select(Finding).where(
            Finding.entity == "asset_plan_line", Finding.entity_id == str(line.id),
            Finding.rule_key == "assets.plan_exception")).scalar_one()
    assert finding.article == 17 and "新增编制 1 名" in finding.message
    assert "须经配置计划审核批准" in finding.message
    assert line.jurisdiction_id == ids["jur"]
    # the reviewers find it in 问题清单 (the finding carries the line's jurisdiction)
    listing = "/findingview/list/?psize_FindingView=100&_oc_FindingView=id&_od_FindingView=desc"
    assert "新增编制 1 名" in login(BUREAU).text(listing)
    html = clerk.text(f"/assetplanview/show/{pk}")
    assert 'data-check="exception"' in html and "超标准配置申请，待审核批准（第十七条）" in html
    assert "第十四条" not in html
    assert "人均 1 × 编制人数 2" in html and "现有 2 件，本计划申请 1 件" in html


def test_art17_line_cap_on_api_and_direct_write(app, login, ids):
    pk = new_plan(app, login, ids, "测试计划：接口")
    clerk = login(CLERK)
    body = {"plan_id": pk, "class_id": ids["computers"], "name": "台式计算机", "quantity": 1, "unit": "台",
            "unit_price": 5000}
    refused = clerk.api("POST", "/api/v1/asset_plan_line/", json=body)
    assert refused.status_code == 422 and "超过数量上限" in refused.get_json()["message"]
    no_reason = clerk.api("POST", "/api/v1/asset_plan_line/", json={**body, "exception_requested": True})
    assert no_reason.status_code == 422 and "第十七条" in no_reason.get_json()["message"]
    ok = clerk.api("POST", "/api/v1/asset_plan_line/", json={**body, "exception_requested": True,
                                                             "exception_reason": "新增编制"})
    assert ok.status_code == 201, ok.get_json()
    with app.app_context():
        clerk_user = app.appbuilder.sm.find_user(username=CLERK)
        with acting_as(clerk_user), pytest.raises(WriteRefused, match="第十七条"):
            db.session.add(AssetPlanLine(plan_id=pk, class_id=ids["computers"], name="工作站", quantity=2,
                                         unit="台", unit_price=Decimal(5000)))
            db.session.flush()
        db.session.rollback()
    assert len(lines(app, pk)) == 1


def test_art17_approved_deviation_is_named_so_on_the_approved_plan(app, login):
    """The demo's approved plan shows its deviation line as 经批准的超标准配置（第十七条）."""
    plan = plan_by_title(app, "2026 年度新增人员计算机配置计划")
    html = login(CLERK).text(f"/assetplanview/show/{plan.id}")
    assert "经批准的超标准配置（第十七条）" in html and "第十四条" not in html


def _designation(app, line_id):
    with app.app_context():
        return db.session.execute(select(Finding).where(
            Finding.entity == "asset_plan_line", Finding.entity_id == str(line_id),
            Finding.rule_key == "assets.plan_designation", Finding.status == "open")).scalar_one_or_none()


def test_art14_brand_and_model_in_a_line_are_flagged_on_form(app, login, ids):
    """第十四条: 不得指定或者变相指定品牌、型号、产地 — “联想ThinkPad X1笔记本” names a brand; the finding
    says what matched. A performance level with 同等性能 designates nothing."""
    cls = fresh_class(app)
    pk = new_plan(app, login, ids, "测试计划：指定品牌")
    clerk = login(CLERK)
    clerk.post("/assetplanlineview/add", data=line_form(pk, cls, name="联想ThinkPad X1笔记本",
                                                        specification="14 英寸"))
    clerk.post("/assetplanlineview/add", data=line_form(pk, cls, name="便携式计算机",
                                                        specification="i5同等性能，国产"))
    flagged, plain = lines(app, pk)
    finding = _designation(app, flagged.id)
    assert finding is not None and finding.article == 14
    assert "品牌“联想”" in finding.message and "品牌“ThinkPad”" in finding.message
    assert "不得指定品牌、型号、产地" in finding.message
    assert _designation(app, plain.id) is None
    listing = "/findingview/list/?psize_FindingView=100&_oc_FindingView=id&_od_FindingView=desc"
    assert "联想ThinkPad X1笔记本" in login(BUREAU).text(listing)


def test_art14_model_number_and_origin_on_api_and_the_finding_closes(app, login, ids):
    """第十四条 on REST: a processor model (i7-13700) and an origin (原装进口) are designations; the
    finding closes once the line asks for a performance instead."""
    cls = fresh_class(app)
    pk = new_plan(app, login, ids, "测试计划：指定型号")
    clerk = login(CLERK)
    created = clerk.api("POST", "/api/v1/asset_plan_line/", json={
        "plan_id": pk, "class_id": cls, "name": "图形工作站", "specification": "i7-13700/32G，原装进口",
        "quantity": 1, "unit": "台", "unit_price": 5000})
    assert created.status_code == 201, created.get_json()
    [line] = lines(app, pk)
    message = _designation(app, line.id).message
    assert "型号“i7-13700”" in message and "产地“原装进口”" in message
    fixed = clerk.api("PUT", f"/api/v1/asset_plan_line/{line.id}", json={
        "specification": "不低于i7同等性能/32G"})
    assert fixed.status_code == 200, fixed.get_json()
    assert _designation(app, line.id) is None


def test_art14_the_demo_walk_has_a_designation_finding(app, login):
    """第十四条 in the demo: the draft printer line asks for the same model as the present 惠普 printer;
    urumqi_bureau finds it on 问题清单."""
    with app.app_context():
        line = db.session.execute(select(AssetPlanLine).join(AssetPlan).where(
            AssetPlan.title == "2027 年度办公设备配置计划")).scalars().first()
    finding = _designation(app, line.id)
    assert finding is not None and "品牌“惠普”、型号“同型号”" in finding.message
    listing = "/findingview/list/?psize_FindingView=100&_oc_FindingView=id&_od_FindingView=desc"
    assert "品牌“惠普”" in login(BUREAU).text(listing)


def test_art14_terms_are_data_and_leave_demo_specifications_alone():
    """The terms come from the data file; the demo's specifications (国产 i5/16G/512G, A4 黑白 …)
    and standards (GB/T 3325-2017) are no designation; 品牌不限 is none either."""
    from catalog.designation import BUILT_IN, designations, load_terms
    from plugins.assets.cards.demo import ITEMS

    terms = load_terms()
    assert "ThinkPad" in BUILT_IN.read_text(encoding="utf-8")
    for _code, name, spec, _unit, _price in ITEMS:
        assert designations(name, spec, terms=terms) == [], (name, spec)
    for text in ("符合GB/T 3325-2017", "品牌不限，性能不低于i5", "ISO9001 认证", "外形方正", "DDR4-3200"):
        assert designations(text, terms=terms) == [], text
    assert designations("HP LaserJet M1136", terms=terms) == [
        ("品牌", "HP"), ("品牌", "LaserJet"), ("型号", "M1136")]


def test_art14_terms_file_is_extendable(tmp_path):
    from catalog.designation import designations, load_terms

    extra = tmp_path / "terms.toml"
    extra.write_text('[brands]\nnames = ["某某牌"]\n', encoding="utf-8")
    assert designations("某某牌档案柜", terms=load_terms(str(extra))) == [("品牌", "某某牌")]
    assert designations("某某牌档案柜", terms=load_terms()) == []


def test_art17_price_cap_on_a_line(app, login, ids):
    cls = fresh_class(app, price=6000)
    pk = new_plan(app, login, ids, "测试计划：单价")
    html = login(CLERK).post("/assetplanlineview/add", data=line_form(pk, cls, unit_price="6500"),
                             follow_redirects=True).get_data(as_text=True)
    assert "单价超过上限 6,000.00 元" in html and lines(app, pk) == []


def test_art18_reuse_first_points_at_pool_items_the_organisation_may_request(app, login, ids):
    """第十八条: the reuse-first flag names the pool items 天山区财政局 may actually request — those
    in 乌鲁木齐's pool (its bureau's jurisdiction covers 天山区) — not an idle card outside any pool
    nor an item of 喀什's pool, which it may not request (assets.pool_request_jurisdiction)."""
    cls = fresh_class(app)
    pooled = idle_card(app, cls, "T-REUSE-POOLED", "乌鲁木齐市教育局", pool="乌鲁木齐市机关事务管理局")
    idle_card(app, cls, "T-REUSE-IDLE", "乌鲁木齐市财政局")
    idle_card(app, cls, "T-REUSE-KASHGAR", "喀什市财政局", pool="喀什市机关事务管理局")
    pk = new_plan(app, login, ids, "测试计划：优先调剂")
    clerk = login(CLERK)
    created = clerk.api("POST", "/api/v1/asset_plan_line/", json={
        "plan_id": pk, "class_id": cls, "name": "打印机", "quantity": 1, "unit": "台", "unit_price": 1000})
    assert created.status_code == 201, created.get_json()
    [line] = lines(app, pk)
    with app.app_context():
        finding = db.session.execute(select(Finding).where(
            Finding.entity == "asset_plan_line", Finding.entity_id == str(line.id),
            Finding.rule_key == "assets.plan_reuse_first")).scalar_one()
    assert finding.article == 18
    assert "可申请调剂的公物仓中有 1 件" in finding.message
    assert "T-REUSE-POOLED 闲置打印机（乌鲁木齐市机关事务管理局公物仓）" in finding.message
    assert "T-REUSE-IDLE" not in finding.message and "T-REUSE-KASHGAR" not in finding.message
    html = clerk.text(f"/assetplanview/show/{pk}")
    assert "应优先调剂（第十八条）" in html and "T-REUSE-POOLED" in html
    assert "T-REUSE-IDLE" not in html and "T-REUSE-KASHGAR" not in html
    # the item the flag points at is one the clerk may request: the request is accepted
    with app.app_context():
        item_id = db.session.execute(select(PoolItem.id).where(PoolItem.asset_id == pooled)).scalar_one()
    request = clerk.api("POST", "/api/v1/pool_request/", json={
        "item_id": item_id, "organization_id": ids["org"], "purpose": "替代新购", "target_status": "in_use"})
    assert request.status_code == 201, request.get_json()


def idle_card(app, class_id, number, org_name, pool=None) -> int:
    """An idle card of ``org_name``, put into the pool of the bureau ``pool`` if given; its id."""
    from core.scoping import SYSTEM
    from plugins.assets.cards.models import Asset

    with app.app_context(), acting_as(SYSTEM):
        org = db.session.execute(select(Organization).where(Organization.name == org_name)).scalar_one()
        asset = Asset(number=number, class_id=class_id, name="闲置打印机", quantity=1, unit="台",
                      original_value=Decimal(1000), acquired_on=dt.date(2022, 1, 1), organization=org,
                      jurisdiction_id=org.jurisdiction_id, status="idle")
        db.session.add(asset)
        if pool:
            bureau = db.session.execute(select(Organization).where(Organization.name == pool)).scalar_one()
            db.session.add(PoolItem(asset=asset, organization=bureau, source_kind="idle",
                                    entered_on=local_today(), condition="九成新"))
        db.session.commit()
        return asset.id


# --- the two-stage approval on the screens and the API ----------------------------------------------

def test_plan_goes_bureau_then_finance_on_screens(app, login, ids):
    cls = fresh_class(app)
    pk = new_plan(app, login, ids, "测试计划：两级审批")
    clerk, bureau, finance = login(CLERK), login(BUREAU), login(FINANCE)
    assert "没有明细" in act(clerk, pk, "submit")  # an empty plan is not submitted
    clerk.post("/assetplanlineview/add", data=line_form(pk, cls))
    act(clerk, pk, "submit", "请审核")
    assert state(app, pk) == "submitted"
    # locked: the lines cannot change while under review
    [line] = lines(app, pk)
    html = clerk.post(f"/assetplanlineview/edit/{line.id}", data=line_form(pk, cls, quantity="2"),
                      follow_redirects=True).get_data(as_text=True)
    assert "不能增删或修改其明细" in html and lines(app, pk)[0].quantity == 1
    put = clerk.api("PUT", f"/api/v1/asset_plan_line/{line.id}", json={"quantity": 2})
    assert put.status_code == 409 and "不能增删或修改其明细" in put.get_json()["message"]
    assert clerk.api("DELETE", f"/api/v1/asset_plan_line/{line.id}").status_code == 409
    assert len(lines(app, pk)) == 1

    assert "权限" in act(finance, pk, "approve")  # finance cannot give the bureau's review
    assert state(app, pk) == "submitted"
    act(bureau, pk, "approve", "符合标准")
    assert state(app, pk) == "reviewed"
    act(bureau, pk, "approve")  # nor the bureau the finance decision
    assert state(app, pk) == "reviewed"
    html = finance.text(f"/assetplanview/show/{pk}")
    assert "已审核，待财政审批" in html and 'data-action="approve"' in html
    act(finance, pk, "approve", "同意列入预算")
    assert state(app, pk) == "approved"
    with app.app_context():
        columns = (WorkflowEvent.action, WorkflowEvent.to_state, WorkflowEvent.username)
        steps = db.session.execute(select(*columns)
                                   .where(WorkflowEvent.entity == "asset_plan",
                                          WorkflowEvent.entity_id == str(pk))
                                   .order_by(WorkflowEvent.id)).all()
    assert [tuple(s) for s in steps] == [("submit", "submitted", CLERK), ("approve", "reviewed", BUREAU),
                                         ("approve", "approved", FINANCE)]


def test_plan_rejected_by_finance_returns_to_the_clerk_on_api(app, login, ids):
    cls = fresh_class(app)
    pk = new_plan(app, login, ids, "测试计划：财政退回")
    clerk = login(CLERK)
    line = clerk.api("POST", "/api/v1/asset_plan_line/", json={
        "plan_id": pk, "class_id": cls, "name": "打印机", "quantity": 1, "unit": "台", "unit_price": 1500})
    assert line.status_code == 201, line.get_json()

    def call(who, action, **body):
        return login(who).api("POST", f"/api/v1/asset_plan/{pk}/workflow/{action}", json=body)

    assert call(CLERK, "submit").get_json()["state"] == "submitted"
    assert call(FINANCE, "approve").status_code == 403
    assert call("kashgar_clerk", "approve").status_code == 404
    assert call(BUREAU, "approve").get_json()["state_label"] == "已审核，待财政审批"
    rejected = call(FINANCE, "reject", comment="预算额度不足")
    assert rejected.status_code == 200 and rejected.get_json()["state"] == "rejected"
    assert [h["label"] for h in rejected.get_json()["history"]] == [
        "提交", "批准（机关事务管理部门审核）", "退回（财政部门审核）"]
    # editable again by the clerk
    edited = clerk.api("PUT", f"/api/v1/asset_plan_line/{line.get_json()['id']}", json={"quantity": 1,
                                                                                        "unit_price": 1200})
    assert edited.status_code == 200, edited.get_json()


def test_another_jurisdiction_cannot_see_or_change_a_plan(app, login, ids):
    pk = plan_by_title(app, "2027 年度办公设备配置计划").id
    kashgar = login("kashgar_clerk")
    assert kashgar.get(f"/assetplanview/show/{pk}").status_code == 404
    assert kashgar.api("GET", f"/api/v1/asset_plan/{pk}").status_code == 404
    assert kashgar.api("PUT", f"/api/v1/asset_plan/{pk}", json={"title": "改"}).status_code == 404
    assert kashgar.api("GET", "/api/v1/asset_plan_budget/?year=2026").status_code == 409


# --- the budget export (资产配置预算表) -------------------------------------------------------------------

def _sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def test_budget_of_an_approved_plan_on_screen_and_api(app, login):
    pk = plan_by_title(app, "2026 年度新增人员计算机配置计划").id
    response = login(CLERK).get(f"/assetplanview/budget/{pk}")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    rows = list(_sheet(response.data).values)
    assert rows[0][:4] == ("年度", "单位", "资产分类代码", "资产分类名称")
    laptop = next(r for r in rows if r[4] == "便携式计算机")
    assert laptop[1] == ORG_NAME and laptop[2] == "2010000" and laptop[6] == 1 and laptop[9] == 5800
    assert laptop[10] == "是" and "新增编制人员" in laptop[11]
    assert rows[-1][0] == "合计" and rows[-1][9] == 7600
    api = login(FINANCE).api("GET", f"/api/v1/asset_plan_budget/{pk}")
    assert api.status_code == 200 and list(_sheet(api.data).values) == rows
    year = login(BUREAU).api("GET", "/api/v1/asset_plan_budget/?year=2026")
    assert year.status_code == 200 and any(r[4] == "便携式计算机" for r in _sheet(year.data).values)


def test_budget_refused_for_a_plan_not_approved(app, login):
    pk = plan_by_title(app, "2027 年度打印设备更新计划").id
    api = login(CLERK).api("GET", f"/api/v1/asset_plan_budget/{pk}")
    assert api.status_code == 409 and "尚未经财政部门批准" in api.get_json()["message"]
    html = login(CLERK).text(f"/assetplanview/budget/{pk}")
    assert "尚未经财政部门批准" in html
    none = login(CLERK).api("GET", "/api/v1/asset_plan_budget/?year=2031")
    assert none.status_code == 409 and "没有已批准" in none.get_json()["message"]


# --- the card bought under an approved exception line (Art. 14) -------------------------------------

def test_demo_exception_line_lets_the_clerk_register_the_computer(app, login, ids):
    with app.app_context():
        line = db.session.execute(select(AssetPlanLine).where(AssetPlanLine.name == "便携式计算机",
                                                              AssetPlanLine.exception_requested)).scalar_one()
        line_id = line.id
    body = {"number": "T-PLAN-LAPTOP", "class_id": ids["computers"], "name": "便携式计算机", "quantity": 1,
            "unit": "台", "original_value": 5800, "acquired_on": "2026-05-01", "funding_source": "fiscal",
            "organization_id": ids["org"], "jurisdiction_id": ids["jur"], "status": "in_use"}
    clerk = login(CLERK)
    assert clerk.api("POST", "/api/v1/asset/", json=body).status_code == 422  # 2 held, cap 2
    created = clerk.api("POST", "/api/v1/asset/", json={**body, "plan_line_id": line_id})
    assert created.status_code == 201, created.get_json()
    with app.app_context():  # undo, so the demo's line stays available to a person walking the demo
        from plugins.assets.cards.models import Asset

        db.session.delete(db.session.get(Asset, created.get_json()["id"]))
        db.session.commit()


# --- the report (资产配置计划表) ----------------------------------------------------------------------

def test_plan_report_pdf(app, ctx, tmp_path):
    from reports.engine import render_pdf

    pk = plan_by_title(app, "2026 年度新增人员计算机配置计划").id
    clerk = app.appbuilder.sm.find_user(username=CLERK)
    with acting_as(clerk):
        pdf = render_pdf("asset_plan", {"plan_id": pk})
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    squeezed = "".join(text.split())
    assert "资产配置计划表" in squeezed and "2026年度新增人员计算机配置计划" in squeezed
    assert "便携式计算机" in squeezed and "7,600.00" in squeezed and "超标准配置申请" in squeezed
    assert "批准（财政部门审核）" in squeezed and "单位负责人：" in squeezed and "财政部门：" in squeezed


def test_plan_report_refuses_another_jurisdictions_plan(app, ctx):
    from reports.engine import ReportError, render_html

    pk = plan_by_title(app, "2026 年度新增人员计算机配置计划").id
    with acting_as(app.appbuilder.sm.find_user(username="kashgar_clerk")), pytest.raises(ReportError):
        render_html("asset_plan", {"plan_id": pk})


def test_exception_line_helper_is_consistent(app):
    """approved_line (used by the card tests) produces an approved plan with an exception line."""
    line_id = approved_line(app, fresh_class(app))
    with app.app_context():
        line = db.session.get(AssetPlanLine, line_id)
        assert line.plan.state == "approved" and line.exception_requested


def test_budget_of_a_year_from_the_plan_list(app, login):
    bureau = login(BUREAU)
    assert 'id="budget-year"' in bureau.text("/assetplanview/list/")
    response = bureau.get("/assetplanview/budget_year/?year=2026")
    assert response.status_code == 200
    rows = list(_sheet(response.data).values)
    assert any(r[4] == "便携式计算机" and r[1] == ORG_NAME for r in rows)
    assert all(r[0] in (2026, "合计") for r in rows[1:])
    assert "请填写正确的预算年度" in bureau.text("/assetplanview/budget_year/?year=abc")
    assert "2032 年度没有已批准的资产配置计划" in bureau.text("/assetplanview/budget_year/?year=2032")


def test_the_card_form_offers_exception_lines_only(app, login):
    """Art. 14: a card names a plan line to be bought above the standards; other lines are not offered."""
    results = login(CLERK).get("/assetview/typeahead/plan_line?form=add&q=").get_json()["results"]
    offered = {row["id"] for row in results}
    with app.app_context():
        exception_lines = set(db.session.execute(select(AssetPlanLine.id).where(
            AssetPlanLine.exception_requested.is_(True),
            AssetPlanLine.organization_id == db.session.execute(select(Organization.id).where(
                Organization.name == ORG_NAME)).scalar_one())).scalars())
    assert exception_lines and offered == exception_lines


def test_a_plan_is_named_with_its_year_once(app):
    """Search results, to-dos and notifications name a plan by its title: "2026 年度…" once."""
    with app.app_context():
        org = db.session.execute(select(Organization).where(Organization.name == ORG_NAME)).scalar_one()
        titled = AssetPlan(organization=org, year=2026, title="2026 年度办公设备配置计划")
        bare = AssetPlan(organization=org, year=2027, title="办公设备配置计划")
        assert str(titled) == "2026 年度办公设备配置计划"
        assert str(bare) == "2027 办公设备配置计划"
        db.session.rollback()
