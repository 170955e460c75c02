"""The other block rules of department budgets, each on the write paths users take
(《办法》第十二条): REST with a bearer token, the add form, the XLSX import."""

from __future__ import annotations

from sqlalchemy import func, select

from core.extensions import db
from plugins.funds.budgets.models import BudgetAdjustment, BudgetLine, CentralAllocation
from tests.catalog.xlsx_helpers import upload, xlsx_bytes
from tests.plugins.funds.test_budgets import LINES, approved, class_id, lines_of, new_budget, org_id

ITEMS, ALLOCATIONS = "/api/v1/funds_central_item", "/api/v1/funds_central_allocation"
BUREAU = "乌鲁木齐市天山区机关事务服务中心"


def count(app, model, *where) -> int:
    with app.app_context():
        try:
            return db.session.execute(select(func.count(model.id)).where(*where)).scalar()
        finally:
            db.session.remove()


def test_art12_quota_line_without_establishment_is_refused_on_the_api(app, api_client):
    """第十二条: 2022 predates the demo's 编制 (2024): no 定员定额 line can be entered."""
    clerk = api_client("tianshan_clerk")
    old = new_budget(app, clerk, 2022)
    refused = clerk.post(f"{LINES}/", json={"budget_id": old, "economic_class_id": class_id(app, "30201"),
                                            "basis": "quota", "amount": "100"})
    assert refused.status_code == 422 and "没有登记编制" in str(refused.get_json())
    assert "第十二条" in str(refused.get_json())
    assert lines_of(app, old) == {}


def test_art12_quota_line_of_a_class_without_quota_is_refused_on_the_api(app, api_client):
    """第十二条: 公务接待费 (30217) has no per-capita quota: it cannot be a 定员定额 line; as 其他 it can."""
    clerk = api_client("tianshan_clerk")
    pk = new_budget(app, clerk, 2041)
    body = {"budget_id": pk, "economic_class_id": class_id(app, "30217"), "amount": "100"}
    refused = clerk.post(f"{LINES}/", json={**body, "basis": "quota"})
    assert refused.status_code == 422 and "没有现行的定员定额标准" in str(refused.get_json())
    assert "第十二条" in str(refused.get_json())
    assert clerk.post(f"{LINES}/", json={**body, "basis": "other"}).status_code == 201


def test_art12_line_outside_a_budget_and_a_central_line_by_hand_are_refused(app, api_client):
    """第十二条: a line belongs to a budget; 集中统筹 is no basis a client may pick."""
    clerk = api_client("tianshan_clerk")
    before = count(app, BudgetLine)
    orphan = {"economic_class_id": class_id(app, "30201"), "basis": "other", "amount": "100",
              "organization_id": org_id(app)}
    assert clerk.post(f"{LINES}/", json=orphan).status_code in (403, 422)  # no organisation of its own
    refused = api_client("admin").post(f"{LINES}/", json=orphan)  # who may write anywhere
    assert refused.status_code == 422 and "须属于一份部门预算" in str(refused.get_json())
    central = clerk.post(f"{LINES}/", json={"budget_id": new_budget(app, clerk, 2042), "basis": "central",
                                            "economic_class_id": class_id(app, "30217"), "amount": "100"})
    assert central.status_code == 422
    assert count(app, BudgetLine) == before


def test_art12_central_item_is_not_cut_below_its_allocations(app, api_client):
    """第十二条: an item of 50,000 that allocated 30,000 cannot become 20,000."""
    bureau = api_client("tianshan_bureau")
    item = bureau.post(f"{ITEMS}/", json={"organization_id": org_id(app, BUREAU), "year": 2043,
                                          "item": "logistics", "amount": "50000"}).get_json()["id"]
    assert bureau.post(f"{ALLOCATIONS}/", json={"item_id": item, "unit_id": org_id(app),
                                                "amount": "30000"}).status_code == 201
    cut = bureau.put(f"{ITEMS}/{item}", json={"amount": "20000"})
    assert cut.status_code == 422 and "已分配 30,000.00 元" in str(cut.get_json())
    assert "第十二条" in str(cut.get_json())
    assert bureau.post(f"{ITEMS}/", json={"organization_id": org_id(app, BUREAU), "year": 2043,
                                          "item": "parking", "amount": "1"}).status_code == 422


def test_art12_central_allocation_above_the_item_is_refused_on_import(app, api_client, login):
    """第十二条 on the XLSX import: allocations past the item's amount, row-numbered, nothing written."""
    bureau = api_client("tianshan_bureau")
    item = bureau.post(f"{ITEMS}/", json={"organization_id": org_id(app, BUREAU), "year": 2044,
                                          "item": "energy", "amount": "10000"}).get_json()["id"]
    response = login("tianshan_bureau").post(f"{ALLOCATIONS}/import", data=upload(xlsx_bytes(
        ["*集中统筹项目", "*预算单位", "*分配金额（元）"], [[item, "乌鲁木齐市天山区财政局", 12000]])),
        content_type="multipart/form-data")
    assert response.status_code == 422, response.get_json()
    texts = [e["text"] for e in response.get_json()["errors"]]
    assert texts[0].startswith("第 2 行") and "第十二条" in texts[0], texts
    assert count(app, CentralAllocation, CentralAllocation.item_id == item) == 0


def test_art12_adjustment_without_reason_is_refused_on_the_form(app, api_client, login):
    """第十二条 on the add form of 预算调整: no reason, nothing saved, the page says why."""
    budget = approved(app, api_client, 2045)
    with app.app_context():
        query = select(BudgetLine.id).where(BudgetLine.budget_id == budget)
        line = db.session.execute(query).scalars().first()
        db.session.remove()
    html = login("tianshan_clerk").post("/budgetadjustmentview/add", data={
        "line": line, "delta": "100", "reason": "  "}, follow_redirects=True).get_data(as_text=True)
    assert "调整理由" in html and "第十二条" in html
    assert count(app, BudgetAdjustment, BudgetAdjustment.line_id == line) == 0
