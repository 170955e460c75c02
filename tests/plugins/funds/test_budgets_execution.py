"""Adjustments, centrally run items, execution and the reports of department budgets
(《办法》第十二条). Each test makes its own budgets in a year of its own."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from catalog.expenditures import post_expenditure
from core.extensions import db
from core.models import Finding
from core.scoping import SYSTEM, acting_as, scope_for_user
from plugins.funds.budgets.execution import available_on_line, execution_rows
from plugins.funds.budgets.models import BudgetLine
from reports.engine import render_pdf
from tests.plugins.funds.test_budgets import approved, org_id

ADJUSTMENTS, ITEMS, ALLOCATIONS = ("/api/v1/funds_budget_adjustment", "/api/v1/funds_central_item",
                                   "/api/v1/funds_central_allocation")


def line_id(app, budget: int, code: str) -> int:
    with app.app_context():
        try:
            return db.session.execute(select(BudgetLine.id).where(
                BudgetLine.budget_id == budget, BudgetLine.economic_class.has(code=code))).scalar_one()
        finally:
            db.session.remove()


def available(app, year: int, code: str, organization: int | None = None):
    with app.app_context():
        try:
            return available_on_line(db.session, organization or org_id(app), year, code)
        finally:
            db.session.remove()


def spend(app, year: int, code: str, amount, source_id: int) -> int:
    """What another module's final operation books in the catalog's ledger."""
    with app.app_context():
        with acting_as(SYSTEM):
            from catalog.models import Organization

            org = db.session.get(Organization, org_id(app))
            row = post_expenditure(db.session, source_module="tests", source_type="test_budget_spending",
                                   source_id=source_id, organization=org,
                                   spent_on=dt.date(year, 6, 1), economic_code=code, amount=amount)
            db.session.commit()
            pk = row.id
        db.session.remove()
        return pk


def test_art12_available_on_line_is_budget_minus_actual_and_none_without_a_line(app, api_client):
    """第十二条: 84,000 元 办公费 for 2034, 30,000 spent → 54,000 left; no 会议费 … none for 公务接待费;
    a draft budget counts for nothing."""
    approved(app, api_client, 2034)
    assert available(app, 2034, "30201") == Decimal("84000.00")
    spend(app, 2034, "30201", "30000", 34001)
    assert available(app, 2034, "30201") == Decimal("54000.00")
    assert available(app, 2034, "30217") is None  # no approved line of the class
    assert available(app, 2035, "30201") is None  # no approved budget that year
    with app.app_context():
        rows = {row.code: row for row in execution_rows(db.session, org_id(app), 2034)}
        db.session.remove()
    assert rows["30201"].actual == Decimal("30000.00") and rows["30201"].remaining == Decimal("54000.00")
    assert rows["30201"].percent == Decimal("35.7")


def test_art12_spending_past_the_line_is_flagged_naming_the_article(app, api_client):
    """第十二条: the expenditure that takes 办公费 past its line opens a finding; available goes negative."""
    approved(app, api_client, 2036)
    within = spend(app, 2036, "30201", "80000", 36001)
    over = spend(app, 2036, "30201", "5000", 36002)
    with app.app_context():
        found = db.session.execute(select(Finding).where(
            Finding.rule_key == "funds.expenditure_over_budget")).scalars().all()
        by_id = {f.entity_id: f for f in found}
        db.session.remove()
    assert str(within) not in by_id
    assert by_id[str(over)].article == 12 and "超支 1,000.00 元" in by_id[str(over)].message
    assert available(app, 2036, "30201") == Decimal("-1000.00")


def test_art12_adjustment_applies_only_on_the_finance_departments_approval(app, api_client):
    """第十二条: an adjustment of +6,000 changes nothing while pending or refused by another level;
    the same level's finance approves it and the line's budget grows."""
    budget = approved(app, api_client, 2037)
    line = line_id(app, budget, "30201")
    clerk = api_client("tianshan_clerk")
    without = clerk.post(f"{ADJUSTMENTS}/", json={"line_id": line, "delta": "6000", "reason": " "})
    assert without.status_code == 422 and "调整理由" in str(without.get_json())
    created = clerk.post(f"{ADJUSTMENTS}/", json={"line_id": line, "delta": "6000", "reason": "新增编制"})
    assert created.status_code == 201, created.get_json()
    pk = created.get_json()["id"]
    assert clerk.post(f"{ADJUSTMENTS}/{pk}/workflow/submit", json={}).status_code == 200
    assert available(app, 2037, "30201") == Decimal("84000.00")
    refused = api_client("urumqi_fin_reviewer").post(f"{ADJUSTMENTS}/{pk}/workflow/approve", json={})
    assert refused.status_code == 403 and "第十二条" in refused.get_json()["message"]
    assert available(app, 2037, "30201") == Decimal("84000.00")
    decided = api_client("tianshan_fin_reviewer").post(f"{ADJUSTMENTS}/{pk}/workflow/approve", json={})
    assert decided.status_code == 200, decided.get_json()
    assert available(app, 2037, "30201") == Decimal("90000.00")
    # the approved line itself is never edited
    edited = clerk.put(f"/api/v1/funds_budget_line/{line}", json={"amount": "90000"})
    assert edited.status_code in (403, 409, 422)


def test_art12_central_item_allocations_may_not_exceed_it_and_post_lines_on_approval(app, api_client):
    """第十二条: the 天山区 bureau's 2038 公务接待 item of 50,000; allocating 60,000 is refused; once the
    same level's finance approves, 天山区财政局 has a 集中统筹 line of 20,000 under 30217."""
    bureau = api_client("tianshan_bureau")
    item = bureau.post(f"{ITEMS}/", json={"organization_id": org_id(app, "乌鲁木齐市天山区机关事务服务中心"),
                                          "year": 2038, "item": "reception", "amount": "50000"})
    assert item.status_code == 201, item.get_json()
    pk = item.get_json()["id"]
    first = bureau.post(f"{ALLOCATIONS}/", json={"item_id": pk, "unit_id": org_id(app), "amount": "20000"})
    assert first.status_code == 201, first.get_json()
    over = bureau.post(f"{ALLOCATIONS}/", json={
        "item_id": pk, "unit_id": org_id(app, "乌鲁木齐市天山区教育局"), "amount": "40000"})
    assert over.status_code == 422 and "第十二条" in str(over.get_json())
    assert "60,000.00" in str(over.get_json())
    assert bureau.post(f"{ITEMS}/{pk}/workflow/submit", json={}).status_code == 200
    assert available(app, 2038, "30217") is None
    assert bureau.post(f"{ITEMS}/{pk}/workflow/approve", json={}).status_code == 403
    decided = api_client("tianshan_fin_reviewer").post(f"{ITEMS}/{pk}/workflow/approve", json={})
    assert decided.status_code == 200, decided.get_json()
    assert available(app, 2038, "30217") == Decimal("20000.00")
    with app.app_context():
        line = db.session.execute(select(BudgetLine).where(BudgetLine.year == 2038,
                                                           BudgetLine.basis == "central")).scalar_one()
        assert line.organization.name == "乌鲁木齐市天山区财政局" and line.budget_id is None
        pk_line = line.id
        db.session.remove()
    # read-only: the unit cannot change it
    put = api_client("tianshan_clerk").put(f"/api/v1/funds_budget_line/{pk_line}", json={"amount": "1"})
    assert put.status_code == 422 and "集中统筹" in str(put.get_json())


def test_art12_budget_table_pdf_shows_establishment_times_quota(app, api_client, pdf_text):
    """部门预算表 read back: 编制人数 28 × 3,000.00 = 84,000.00, the central section, the total."""
    budget = approved(app, api_client, 2039)
    with app.app_context():
        scope = scope_for_user(app.appbuilder.sm.find_user(username="tianshan_clerk"))
        text = pdf_text(render_pdf("funds_budget", {"budget_id": budget}, scope))
    assert "部门预算表" in text and "乌鲁木齐市天山区财政局" in text
    row = next(line for line in text.splitlines() if "30201" in line)
    assert "28" in row and "3,000.00" in row and "84,000.00" in row
    assert "集中统筹" in text and "305,200.00" in text  # 28 × (3000+800+2000+4000+500+600)
    assert "第十二条" in text


def test_art12_execution_table_pdf_reads_budget_actual_and_remaining(app, api_client, pdf_text):
    budget = approved(app, api_client, 2040)
    spend(app, 2040, "30211", "12000", 40001)
    with app.app_context():
        scope = scope_for_user(app.appbuilder.sm.find_user(username="tianshan_clerk"))
        text = pdf_text(render_pdf("funds_budget_execution", {"budget_id": budget}, scope))
    assert "预算执行情况表" in text
    row = next(line for line in text.splitlines() if "30211" in line)
    assert "112,000.00" in row and "12,000.00" in row and "100,000.00" in row and "10.7%" in row


def test_art12_home_page_counts_the_classes_overspent_this_year(app, login):
    """第十二条 on the 工作台: 天山区教育局's approved budget of this year, its 办公费 overspent → the
    district bureau's card counts one more class."""
    from catalog.models import Organization
    from core.api import beijing_today, transition
    from plugins.funds.budgets.dashboard import overspent
    from plugins.funds.budgets.models import Budget
    from plugins.funds.budgets.operations import generate

    year = beijing_today().year
    with app.app_context():
        scope = scope_for_user(app.appbuilder.sm.find_user(username="tianshan_bureau"))
        before = overspent(scope)
        query = select(Organization).where(Organization.name == "乌鲁木齐市天山区教育局")
        org = db.session.execute(query).scalar_one()
        with acting_as(SYSTEM):
            budget = Budget(organization_id=org.id, jurisdiction_id=org.jurisdiction_id, year=year)
            db.session.add(budget)
            db.session.flush()
            generate(budget, db.session)
            db.session.flush()
            transition(budget, "submit", "", view_name="BudgetView")
            transition(budget, "approve", "", view_name="BudgetView")
            limit = next(line.amount for line in budget.lines if line.economic_class.code == "30201")
            post_expenditure(db.session, source_module="tests", source_type="test_budget_spending",
                             source_id=47001, organization=org, spent_on=dt.date(year, 1, 2),
                             economic_code="30201", amount=limit + 1)
            db.session.commit()
        assert overspent(scope) == before + 1
        db.session.remove()
    assert "本年度超预算的支出科目" in login("tianshan_bureau").text("/")
