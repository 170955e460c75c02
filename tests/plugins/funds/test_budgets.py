"""Department budgets by 定员定额 (《办法》第十二条): built from 编制 × quotas, refused without 编制,
the quota cap on every write path, decided by the same level's finance department, locked once
approved. Each test makes the budgets it decides on, in a year of its own, over REST with bearer
tokens; the demo's 天山区财政局 has 编制 28 in force since 2024 and the region's demo quotas
(办公费 3,000 元/人·年 …)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from catalog.models import Organization
from core.api import acting_as
from core.extensions import db
from core.testing.support import ApiClient
from plugins.funds.budgets.models import Budget, BudgetLine
from tests.catalog.xlsx_helpers import upload, xlsx_bytes

TIANSHAN = "乌鲁木齐市天山区财政局"
BUDGETS, LINES = "/api/v1/funds_budget", "/api/v1/funds_budget_line"


def org_id(app, name: str = TIANSHAN) -> int:
    with app.app_context():
        try:
            return db.session.execute(select(Organization.id).where(Organization.name == name)).scalar_one()
        finally:
            db.session.remove()


def new_budget(app, client, year: int, organization: str = TIANSHAN) -> int:
    response = client.post(f"{BUDGETS}/", json={"organization_id": org_id(app, organization), "year": year})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def generated(app, client, year: int) -> int:
    pk = new_budget(app, client, year)
    response = client.post(f"{BUDGETS}/{pk}/generate", json={})
    assert response.status_code == 200, response.get_json()
    return pk


def lines_of(app, pk: int) -> dict[str, BudgetLine]:
    with app.app_context():
        try:
            budget = db.session.get(Budget, pk)
            return {line.economic_class.code: (line.basis, line.quantity, line.quota, line.amount)
                    for line in budget.lines}
        finally:
            db.session.remove()


def class_id(app, code: str) -> int:
    from catalog.expenditures import EconomicClass

    with app.app_context():
        try:
            query = select(EconomicClass.id).where(EconomicClass.code == code)
            return db.session.execute(query).scalars().first()
        finally:
            db.session.remove()


def approved(app, api_client, year: int) -> int:
    """A generated budget of 天山区财政局 for ``year``, submitted and approved by its finance."""
    pk = generated(app, api_client("tianshan_clerk"), year)
    assert api_client("tianshan_clerk").post(f"{BUDGETS}/{pk}/workflow/submit", json={}).status_code == 200
    decided = api_client("tianshan_fin_reviewer").post(f"{BUDGETS}/{pk}/workflow/approve",
                                                       json={"comment": "同意"})
    assert decided.status_code == 200, decided.get_json()
    return pk


def test_art12_a_budget_is_built_from_establishment_times_quotas(app, api_client):
    """第十二条 done-when: 按定员定额生成 writes one line per quota in force on 1 January,
    编制人数 28 × 3,000 元 = 84,000 元 办公费; generating again recomputes, adding nothing."""
    clerk = api_client("tianshan_clerk")
    pk = generated(app, clerk, 2027)
    lines = lines_of(app, pk)
    assert lines["30201"] == ("quota", 28, Decimal("3000.00"), Decimal("84000.00"))
    assert lines["30211"] == ("quota", 28, Decimal("4000.00"), Decimal("112000.00"))
    assert set(lines) == {"30201", "30207", "30209", "30211", "30215", "30216"}
    again = clerk.post(f"{BUDGETS}/{pk}/generate", json={})
    assert again.status_code == 200
    assert lines_of(app, pk) == lines


def test_art12_generation_without_establishment_is_refused_naming_the_article(app, api_client):
    """第十二条: no 编制 in force on 1 January 2023 (the demo's is from 2024) → refused, nothing written."""
    clerk = api_client("tianshan_clerk")
    pk = new_budget(app, clerk, 2023)
    response = clerk.post(f"{BUDGETS}/{pk}/generate", json={})
    assert response.status_code == 422, response.get_json()
    assert "没有登记编制" in response.get_json()["message"] and "第十二条" in response.get_json()["message"]
    assert lines_of(app, pk) == {}


def test_art12_quota_line_above_establishment_times_quota_is_refused_on_the_api(app, api_client):
    """第十二条: a 定员定额 line entered by hand above 28 × 3,000 = 84,000 元 is refused; at it, taken."""
    clerk = api_client("tianshan_clerk")
    pk = new_budget(app, clerk, 2028)
    body = {"budget_id": pk, "economic_class_id": class_id(app, "30201"), "basis": "quota"}
    refused = clerk.post(f"{LINES}/", json={**body, "amount": "84000.01"})
    assert refused.status_code == 422, refused.get_json()
    message = str(refused.get_json())
    assert "84,000.00" in message and "第十二条" in message
    assert lines_of(app, pk) == {}
    taken = clerk.post(f"{LINES}/", json={**body, "amount": "84000.00"})
    assert taken.status_code == 201, taken.get_json()
    assert lines_of(app, pk)["30201"] == ("quota", 28, Decimal("3000.00"), Decimal("84000.00"))
    # raising it afterwards is refused the same way
    line = taken.get_json()["id"]
    assert clerk.put(f"{LINES}/{line}", json={"amount": "90000"}).status_code == 422


def test_art12_quota_line_above_the_cap_is_refused_on_the_form(app, login):
    """第十二条 on the add form: the page says why, naming the article; nothing saved."""
    browser = login("tianshan_clerk")
    with app.app_context():
        with acting_as(app.appbuilder.sm.find_user(username="tianshan_clerk")):
            budget = Budget(organization_id=org_id(app), year=2029)
            db.session.add(budget)
            db.session.commit()
        pk = budget.id
        db.session.remove()
    html = browser.post("/budgetlineview/add", data={
        "budget": pk, "economic_class": class_id(app, "30201"), "basis": "quota", "amount": "99000",
    }, follow_redirects=True).get_data(as_text=True)
    assert "超过编制人数 28 人" in html and "第十二条" in html
    assert lines_of(app, pk) == {}


def test_art12_quota_line_above_the_cap_is_refused_on_import(app, login):
    """第十二条 on the XLSX import: a row-numbered error, nothing written."""
    browser = login("tianshan_clerk")
    pk = new_budget(app, ApiClient(app, "tianshan_clerk"), 2030)
    response = browser.post(f"{LINES}/import", data=upload(xlsx_bytes(
        ["*部门预算", "*支出经济分类", "*编制依据", "*预算金额（元）"],
        [[pk, "办公费", "定员定额", 90000]])), content_type="multipart/form-data")
    assert response.status_code == 422, response.get_json()
    texts = [e["text"] for e in response.get_json()["errors"]]
    assert texts[0].startswith("第 2 行") and "第十二条" in texts[0], texts
    assert lines_of(app, pk) == {}


def test_art12_budget_is_decided_by_the_same_levels_finance_and_then_locked(app, api_client):
    """第十二条: the finance department of 天山区 decides; the city's finance reads but does not,
    the district bureau holds no finance stage; an approved budget takes no new line."""
    clerk = api_client("tianshan_clerk")
    pk = generated(app, clerk, 2031)
    submitted = clerk.post(f"{BUDGETS}/{pk}/workflow/submit", json={"comment": "请审核"})
    assert submitted.status_code == 200, submitted.get_json()
    assert [d["username"] for d in submitted.get_json()["next_deciders"]] == ["tianshan_fin_reviewer"]
    city = api_client("urumqi_fin_reviewer")
    assert city.get(f"{BUDGETS}/{pk}").status_code == 200
    refused = city.post(f"{BUDGETS}/{pk}/workflow/approve", json={"comment": "同意"})
    assert refused.status_code == 403
    assert "同级财政部门" in refused.get_json()["message"] and "第十二条" in refused.get_json()["message"]
    assert api_client("tianshan_bureau").post(f"{BUDGETS}/{pk}/workflow/approve", json={}).status_code == 403
    decided = api_client("tianshan_fin_reviewer").post(f"{BUDGETS}/{pk}/workflow/approve",
                                                       json={"comment": "同意"})
    assert decided.status_code == 200 and decided.get_json()["state"] == "approved"
    added = clerk.post(f"{LINES}/", json={"budget_id": pk, "economic_class_id": class_id(app, "30217"),
                                          "basis": "other", "amount": "100"})
    assert added.status_code in (403, 409, 422) and "已批准" in str(added.get_json())
    line = lines_of(app, pk)
    assert line["30201"][3] == Decimal("84000.00")


def test_art12_one_budget_per_organisation_and_year(app, api_client):
    """第十二条: a second 2032 budget of the same unit is refused: changes are adjustments."""
    clerk = api_client("tianshan_clerk")
    new_budget(app, clerk, 2032)
    again = clerk.post(f"{BUDGETS}/", json={"organization_id": org_id(app), "year": 2032})
    assert again.status_code == 422 and "第十二条" in str(again.get_json())


def test_art12_pages_say_it_in_chinese(app, login, api_client):
    """The list, and a draft budget's page with its lines and the button 按定员定额生成 (第十二条)."""
    browser = login("tianshan_clerk")
    html = browser.text("/budgetview/list/")
    assert "部门预算" in html and "乌鲁木齐市天山区财政局" in html
    pk = generated(app, api_client("tianshan_clerk"), 2046)
    page = browser.text(f"/budgetview/show/{pk}")
    assert "按定员定额生成" in page and "编制人数" in page
    assert "84,000.00" in page or "84000.00" in page
    assert "打印部门预算表" in page and "打印预算执行情况表" in page
    with app.app_context():  # the demo's 2026 budget shows what the bureau's 公务接待 item posted
        demo = db.session.execute(select(Budget.id).where(Budget.year == 2026, Budget.organization_id
                                                          == org_id(app))).scalar_one()
        db.session.remove()
    demo_page = browser.text(f"/budgetview/show/{demo}")
    assert "集中统筹下达" in demo_page and ("30,000.00" in demo_page or "30000.00" in demo_page)
    for url in ("/centralitemview/list/", "/budgetadjustmentview/list/"):
        assert browser.get(url).status_code == 200
