"""支出审批单 and 支出明细账 (Art. 10-11), rendered as PDFs and read back with pdftotext."""

from __future__ import annotations

from tests.plugins.funds.spending_helpers import (
    ample_budget,  # noqa: F401
    make_claim,
)

API = "/api/v1/funds_spending_claim"


def _render(client, key, params):
    response = client.post(f"/api/v1/reports/{key}/render", json={"params": params, "format": "pdf"})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    return response.data


def _approved(app, api_client, **kw) -> int:
    pk = make_claim(app, **kw)
    submitted = api_client("tianshan_clerk").post(f"{API}/{pk}/workflow/submit", json={"comment": "请审批"})
    assert submitted.status_code == 200
    for approver in ("tianshan_bureau", "urumqi_bureau"):
        response = api_client(approver).post(f"{API}/{pk}/workflow/approve", json={"comment": "同意报销"})
        if response.get_json()["state"] == "approved":
            break
    return pk


def test_art10_the_claim_form_shows_the_standard_check_history_and_signatures(app, api_client, pdf_text):
    pk = _approved(app, api_client, amount="12000")  # 二类会议 20 人 1 天: 600 against 650
    text = pdf_text(_render(api_client("tianshan_clerk"), "funds_spending_claim_form", {"claim_id": pk}))
    assert "支出审批单" in text and "乌鲁木齐市天山区财政局" in text
    assert "30215 会议费" in text and "12,000.00" in text
    assert "二类会议" in text and "600.00" in text and "650.00" in text and "未超标准" in text
    assert "批准（部门审核）" in text and "批准（分管领导审批）" in text and "同意报销" in text
    assert "单位主要负责人" in text and "第1页共1页" in text


def test_art10_another_jurisdiction_cannot_print_the_claim(app, api_client):
    pk = make_claim(app, amount="1000", code="30201")
    response = api_client("kashgar_clerk").post("/api/v1/reports/funds_spending_claim_form/render",
                                                json={"params": {"claim_id": pk}, "format": "pdf"})
    assert response.status_code == 422
    assert "不在您的权限范围内" in response.get_json()["message"] + str(response.get_json().get("errors"))


def test_art10_the_ledger_lists_approved_claims_by_class_with_totals(app, api_client, pdf_text):
    pk = _approved(app, api_client, code="30201", amount="1234.50")
    draft = make_claim(app, code="30201", amount="4321")
    params = {"organization": "乌鲁木齐市天山区财政局"}
    text = pdf_text(_render(api_client("tianshan_clerk"), "funds_spending_ledger", params))
    assert "支出明细账" in text and "30201 办公费" in text and "1,234.50" in text
    assert "4,321.00" not in text  # a draft is no spending yet
    assert "30201 小计" in text and "合计" in text and "制表人" in text
    from core.extensions import db
    from plugins.funds.spending.models import ExpenditureClaim
    with app.app_context():
        number = db.session.get(ExpenditureClaim, pk).document_number
        assert db.session.get(ExpenditureClaim, draft).state == "draft"
    assert number in text


def test_the_ledger_refuses_a_reversed_period_in_chinese(app, api_client):
    response = api_client("tianshan_clerk").post("/api/v1/reports/funds_spending_ledger/render", json={
        "params": {"date_from": "2026-06-01", "date_to": "2026-01-01"}, "format": "pdf"})
    assert response.status_code == 422
    assert "截止日期不能早于起始日期" in str(response.get_json())
