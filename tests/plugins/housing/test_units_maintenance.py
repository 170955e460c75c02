"""Repair and maintenance records of the units (Art. 25 维修、维护): written on every path by the
bureau, refused on a disposed unit naming the article, 入账 posting the cost to the catalog's
expenditure ledger under 30213 维修（护）费 and 作废 withdrawing it; a posted record is locked."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from catalog.expenditure_totals import expenditure_totals
from catalog.expenditures import Expenditure
from core.extensions import db
from plugins.housing.units.models import UnitMaintenance
from tests.catalog.xlsx_helpers import upload, xlsx_bytes
from tests.plugins.housing.units_helpers import (
    ART,
    BUREAU,
    CLERK,
    PATHS,
    TIANSHAN_BUREAU,
    jobs_of,
    make_unit,
    org,
)

HEADERS = ["*房源", "*类别", "*维修日期", "*维修内容", "*费用（元）", "施工单位", "备注"]


def write_job(app, login, rest, path, unit_id, *, cost="1200.00", day="2026-11-10", work="更换门锁"):
    """One job on ``unit_id`` written by 天山区's bureau on ``path``: the response."""
    if path == "form":
        return login(BUREAU).post("/unitmaintenanceview/add", data={
            "unit": unit_id, "kind": "repair", "done_on": day, "work": work, "cost": cost,
            "contractor": "测试维修公司", "note": ""}, follow_redirects=True)
    if path == "rest":
        return rest(BUREAU, "jwt").api("POST", "/api/v1/housing_unit_maintenance/", json={
            "unit_id": unit_id, "kind": "repair", "done_on": day, "work": work, "cost": cost,
            "contractor": "测试维修公司"})
    return login(BUREAU).post("/api/v1/housing_unit_maintenance/import", data=upload(xlsx_bytes(
        HEADERS, [[unit_id, "维修", day, work, float(cost), "测试维修公司", ""]])),
        content_type="multipart/form-data")


def _text(response) -> str:
    return str(response.get_json()) if response.is_json else response.get_data(as_text=True)


@pytest.mark.parametrize("path", PATHS)
def test_bureau_records_a_repair_on_each_path(app, login, rest, path):
    """第二十五条 维修: 天山区's bureau records a repair on each path; it carries the unit's bureau."""
    unit = make_unit(app, status="available")
    response = write_job(app, login, rest, path, unit)
    assert response.status_code in (200, 201), _text(response)[:400]
    jobs = jobs_of(app, unit)
    assert len(jobs) == 1 and jobs[0].cost == Decimal("1200.00") and jobs[0].posted is False
    with app.app_context():
        assert jobs[0].organization_id == org(TIANSHAN_BUREAU).id


@pytest.mark.parametrize("path", PATHS)
def test_art25_no_repair_on_a_disposed_unit(app, login, rest, path):
    """第二十五条: a repair of a disposed unit is refused on every path naming the article."""
    unit = make_unit(app, status="disposed", disposal_document_no="测处〔2026〕1号")
    response = write_job(app, login, rest, path, unit)
    text = _text(response)
    assert "已处置，不能登记维修维护" in text and ART in text
    assert jobs_of(app, unit) == []


def _ledger(app, pk):
    with app.app_context():
        rows = db.session.execute(select(Expenditure).where(
            Expenditure.source_type == "housing_unit_maintenance", Expenditure.source_id == pk)
        ).scalars().all()
        return [(r.economic_class.code, Decimal(r.amount), r.spent_on, r.payee) for r in rows]


def _totals(app, year):
    with app.app_context():
        found = expenditure_totals(db.session, year=year, organization=org(TIANSHAN_BUREAU), codes=["30213"])
        return Decimal(found.get("30213", {}).get("amount", 0))


def test_art25_post_books_30213_and_void_takes_it_back(app, login, rest):
    """第二十五条: 入账 books the repair under 30213 维修（护）费 of the bureau; the totals grow by it; a
    posted record cannot be changed (422 naming the article); 作废 withdraws the posting."""
    year = 2022  # this test's own year
    unit = make_unit(app, status="available")
    write_job(app, login, rest, "rest", unit, cost="2345.60", day=f"{year}-05-06")
    job = jobs_of(app, unit)[0]
    before = _totals(app, year)
    bureau = rest(BUREAU, "jwt")
    response = bureau.api("POST", f"/api/v1/housing_unit_maintenance/{job.id}/post", json={})
    assert response.status_code == 200, response.get_json()
    assert _ledger(app, job.id) == [("30213", Decimal("2345.60"), dt.date(year, 5, 6), "测试维修公司")]
    assert _totals(app, year) == before + Decimal("2345.60")
    job = jobs_of(app, unit)[0]
    response = bureau.api("PUT", f"/api/v1/housing_unit_maintenance/{job.id}",
                          json={"cost": "1.00", "version": job.version})
    assert response.status_code == 422, response.get_json()
    assert "已入账" in response.get_json()["message"] and ART in response.get_json()["message"]
    voided = bureau.api("POST", f"/api/v1/housing_unit_maintenance/{job.id}/void",
                        json={"reason": "金额有误"})
    assert voided.status_code == 200, voided.get_json()
    assert _ledger(app, job.id) == []
    assert _totals(app, year) == before


def test_art25_post_on_the_screen(app, login, rest):
    """第二十五条: the 入账 button of the record's page books the repair too."""
    unit = make_unit(app, status="available")
    write_job(app, login, rest, "form", unit, cost="300.00", day="2026-11-02")
    job = jobs_of(app, unit)[0]
    browser = login(BUREAU)
    assert "入账" in browser.text(f"/unitmaintenanceview/show/{job.id}")
    browser.post(f"/unitmaintenanceview/operation/{job.id}/post", data={"posted_on": "2026-11-03"},
                 follow_redirects=True)
    assert _ledger(app, job.id) == [("30213", Decimal("300.00"), dt.date(2026, 11, 2), "测试维修公司")]


def test_the_clerk_does_not_reach_the_bureaus_repairs(app, login, rest):
    """第二十五条: the units and their repairs are the bureau's: 天山区财政局's clerk neither reads nor
    posts them."""
    unit = make_unit(app, status="available")
    write_job(app, login, rest, "rest", unit)
    job = jobs_of(app, unit)[0]
    clerk = rest(CLERK, "jwt")
    assert clerk.api("GET", f"/api/v1/housing_unit_maintenance/{job.id}").status_code == 404
    assert clerk.api("POST", f"/api/v1/housing_unit_maintenance/{job.id}/post", json={}).status_code == 404
    assert _ledger(app, job.id) == []


@pytest.mark.parametrize("path", ("rest", "import"))
def test_bad_repair_input_is_refused_in_chinese(app, login, rest, path):
    """A negative cost: a Chinese message, nothing written, no 500."""
    unit = make_unit(app, status="available")
    response = write_job(app, login, rest, path, unit, cost="-5")
    assert response.status_code == 422
    assert "维修费用不能为负数" in _text(response)
    with app.app_context():
        found = db.session.execute(select(UnitMaintenance).where(UnitMaintenance.unit_id == unit)).first()
        assert found is None


def test_art25_posted_repair_refused_on_the_form(app, login, rest):
    """第二十五条: the edit form of a posted repair answers the rule's message; nothing changes."""
    unit = make_unit(app, status="available")
    write_job(app, login, rest, "rest", unit, cost="410.00", day="2026-10-02")
    job = jobs_of(app, unit)[0]
    assert rest(BUREAU, "jwt").api("POST", f"/api/v1/housing_unit_maintenance/{job.id}/post",
                                   json={}).status_code == 200
    job = jobs_of(app, unit)[0]
    page = login(BUREAU).post(f"/unitmaintenanceview/edit/{job.id}", data={
        "unit": unit, "kind": "repair", "done_on": "2026-10-02", "work": "改", "cost": "41.00",
        "contractor": "测试维修公司", "note": "", "version": job.version}, follow_redirects=True)
    page = page.get_data(as_text=True)
    assert "已入账" in page and ART in page
    assert jobs_of(app, unit)[0].cost == Decimal("410.00")
