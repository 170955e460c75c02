"""The Art. 15 (第十五条) rules of the operating-cost area on every write path: the add/edit form,
the REST API (bearer token) and a direct write acting as the user (what an import or a CLI does);
a refusal names the article and changes nothing."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from catalog.models import Organization
from core.display import local_today
from core.errors import WriteRefused
from core.extensions import db
from core.scoping import acting_as
from core.workflow.runner import run_operation
from plugins.funds.opcost.models import OpcostOfficeArea, OpcostReport
from tests.plugins.funds.test_opcost import API, TARGETS, book, create_report, prepare_year

AREAS = "/api/v1/funds_opcost_office_area"
PATHS = ("form", "api", "direct")
DEMO_YEAR = local_today().year - 1


def org_id(app, name: str) -> int:
    with app.app_context():
        return db.session.execute(select(Organization.id).where(Organization.name == name)).scalar_one()


def count(app, model, **where) -> int:
    with app.app_context():
        try:
            return db.session.execute(select(func.count()).select_from(model).filter_by(**where)).scalar()
        finally:
            db.session.remove()


def write(app, login, api_client, path, username, model, form_url, api_url, values, form_values):
    """Create one row on ``path``; returns the refusal's text (page, JSON message or exception)."""
    if path == "form":
        return login(username).post(form_url, data=form_values, follow_redirects=True).get_data(as_text=True)
    if path == "api":
        response = api_client(username).post(api_url, json=values)
        assert response.status_code == 422, response.get_json()
        return response.get_json()["message"]
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=username)
        try:
            with acting_as(user), pytest.raises(WriteRefused) as refused:
                db.session.add(model(**values))
                db.session.flush()
            return refused.value.message
        finally:
            db.session.rollback()


def report_values(org: int, year: int) -> tuple[dict, dict]:
    return ({"organization_id": org, "year": year, "remark": "规则测试"},
            {"organization": org, "year": str(year), "budget": "", "remark": "规则测试"})


@pytest.mark.parametrize("path", PATHS)
def test_art15_report_drawn_up_by_a_bureau(app, login, api_client, path):
    """第十五条: a report of an organisation that is no 机关事务管理部门 is refused
    (funds.opcost_reporting_bureau)."""
    org = org_id(app, "乌鲁木齐市天山区财政局")
    values, form = report_values(org, 2008)
    text = write(app, login, api_client, path, "tianshan_clerk", OpcostReport, "/opcostreportview/add",
                 f"{API}/", values, form)
    assert "不是机关事务管理部门" in text and "第十五条" in text
    assert count(app, OpcostReport, organization_id=org, year=2008) == 0


@pytest.mark.parametrize("path", PATHS)
def test_art15_one_report_per_jurisdiction_and_year(app, login, api_client, path):
    """第十五条: 天山区 has its demo-year report; a second one is refused (funds.opcost_one_per_year)."""
    org = org_id(app, "乌鲁木齐市天山区机关事务服务中心")
    before = count(app, OpcostReport, organization_id=org, year=DEMO_YEAR)
    values, form = report_values(org, DEMO_YEAR)
    text = write(app, login, api_client, path, "tianshan_bureau", OpcostReport, "/opcostreportview/add",
                 f"{API}/", values, form)
    assert "已有记录" in text and "第十五条" in text
    assert count(app, OpcostReport, organization_id=org, year=DEMO_YEAR) == before == 1


@pytest.mark.parametrize("path", PATHS)
def test_art15_report_year_in_range(app, login, api_client, path):
    """第十五条: a statistics year before 2000 or after this year is refused (funds.opcost_report_year)."""
    org = org_id(app, "乌鲁木齐市天山区机关事务服务中心")
    values, form = report_values(org, 1999)
    text = write(app, login, api_client, path, "tianshan_bureau", OpcostReport, "/opcostreportview/add",
                 f"{API}/", values, form)
    assert "统计年度 1999 无效" in text and "第十五条" in text
    assert count(app, OpcostReport, organization_id=org, year=1999) == 0


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(("year", "area", "expected"), [
    (2007, "0", "办公用房面积必须大于 0 平方米"),      # funds.opcost_area_positive
    (local_today().year + 1, "100", "无效"),          # funds.opcost_area_year
])
def test_art15_office_area_positive_and_year(app, login, api_client, path, year, area, expected):
    """第十五条: office space is a positive number of m² of a statistics year."""
    org = org_id(app, "乌鲁木齐市天山区财政局")
    values = {"organization_id": org, "year": year, "area": float(area)}
    form = {"organization": org, "year": str(year), "area": area, "note": ""}
    text = write(app, login, api_client, path, "tianshan_clerk", OpcostOfficeArea,
                 "/opcostofficeareaview/add", f"{AREAS}/", values, form)
    assert expected in text and "第十五条" in text
    assert count(app, OpcostOfficeArea, organization_id=org, year=year) == 0


def test_art15_office_area_of_a_submitted_year_on_direct_write(app):
    """第十五条: 天山区's demo report is submitted; its year's office space is not changed by a
    direct write either (funds.opcost_area_reported; the API and form: test_opcost_workflow)."""
    with app.app_context():
        area = db.session.execute(select(OpcostOfficeArea).join(Organization).where(
            OpcostOfficeArea.year == DEMO_YEAR, Organization.name == "乌鲁木齐市天山区财政局")).scalar_one()
        before = area.area
        clerk = app.appbuilder.sm.find_user(username="tianshan_clerk")
        with acting_as(clerk), pytest.raises(WriteRefused, match="已报送上级.*第十五条"):
            area.area = before + 1
            db.session.flush()
        db.session.rollback()
        assert db.session.get(OpcostOfficeArea, area.id).area == before


def test_art15_per_capita_over_target_opens_a_finding(app, api_client, findings):
    """第十五条 分析、评价: a per-capita cost above the target (Standard funds_opcost_target) opens a
    finding on 计算 (operation over REST); a later direct write and recompute keep it open."""
    year = 2011
    orgs = prepare_year(app, "652301", year, actual=10, targets={**TARGETS, "per_capita_cost": 5000})
    book(app, orgs, year, {"30201": 60000}, uuid.uuid4().hex[:6])  # 6,000 per person
    client = api_client("xj_bureau")
    pk = create_report(app, client, "652301", year)
    assert client.post(f"{API}/{pk}/recompute", json={}).status_code == 200
    open_ = findings("funds_opcost_report", pk)
    assert [f["rule_key"] for f in open_] == ["funds.opcost_per_capita_over_target"]
    assert "6000.00 元/人" in open_[0]["message"] and open_[0]["article"] == 15
    with app.app_context():
        user = app.appbuilder.sm.find_user(username="xj_bureau")
        with acting_as(user):
            report = db.session.get(OpcostReport, pk)
            report.budget = 1  # still over: the finding stays open after a direct write
            db.session.flush()
            run_operation(report, "recompute", {})  # what `jiguan op` does
            db.session.commit()
    assert len(findings("funds_opcost_report", pk)) == 1


def test_art15_office_area_rules_hold_on_the_excel_import(app, login):
    """第十五条: the generic XLSX import runs the same checks — a row of 0 m² and a row of a year
    to come are refused with their row numbers; nothing of the file is written."""
    from tests.catalog.xlsx_helpers import upload, xlsx_bytes

    clerk = login("tianshan_clerk")
    org = org_id(app, "乌鲁木齐市天山区财政局")
    before = count(app, OpcostOfficeArea, organization_id=org, year=2006)
    headers = ["*单位", "*统计年度", "*办公用房面积（平方米）", "备注"]
    rows = [["乌鲁木齐市天山区财政局", 2006, 0, "导入测试"],
            ["乌鲁木齐市天山区财政局", 2999, 100, "导入测试"]]
    response = clerk.post("/api/v1/funds_opcost_office_area/import", data=upload(xlsx_bytes(headers, rows)),
                          content_type="multipart/form-data")
    assert response.status_code == 422, response.get_json()
    texts = [e["text"] for e in response.get_json()["errors"]]
    first, second = texts[0], next(t for t in texts if t.startswith("第 3 行"))
    assert first.startswith("第 2 行") and "办公用房面积必须大于 0 平方米" in first and "第十五条" in first
    assert "统计年度 2999 无效" in second and "第十五条" in second
    assert count(app, OpcostOfficeArea, organization_id=org, year=2999) == 0
    assert count(app, OpcostOfficeArea, organization_id=org, year=2006) == before == 0
