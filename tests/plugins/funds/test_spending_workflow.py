"""Art. 10 规范资金使用审批程序: the invoice before submit, the stages the amount picks (thresholds
are Standards), posting to the expenditure ledger on approval and taking it back on 作废."""

from __future__ import annotations

import io
import sys
import types
from decimal import Decimal

import pytest

from core.extensions import db
from core.models import Finding
from plugins.funds.spending.models import ExpenditureClaim
from tests.plugins.funds.spending_helpers import (
    ample_budget,  # noqa: F401
    booked,
    make_claim,
    state,
)

API = "/api/v1/funds_spending_claim"


def _decide(client, pk, action, comment="同意"):
    return client.post(f"{API}/{pk}/workflow/{action}", json={"comment": comment})


def test_art10_submit_without_an_invoice_is_refused(app, api_client):
    pk = make_claim(app, invoice=False)
    response = _decide(api_client("tianshan_clerk"), pk, "submit", "请审批")
    assert response.status_code == 422, response.get_json()
    assert "须先上传发票附件才能提交" in response.get_json()["message"]
    assert "第十条" in response.get_json()["message"]
    assert state(app, pk) == "draft"


def test_art10_submit_after_uploading_the_invoice_goes_through(app, api_client):
    from weasyprint import HTML

    pk = make_claim(app, invoice=False)
    clerk = api_client("tianshan_clerk")
    pdf = HTML(string="<p>增值税普通发票</p>").write_pdf()
    uploaded = clerk.api("POST", f"/api/v1/attachments/funds_spending_claim/{pk}/",
                         data={"kind": "invoice", "files": [(io.BytesIO(pdf), "发票.pdf")]},
                         content_type="multipart/form-data")
    assert uploaded.status_code in (200, 201), uploaded.get_json()
    response = _decide(clerk, pk, "submit", "请审批")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["state"] == "submitted"
    assert response.get_json()["number"].startswith("ZC-")


@pytest.mark.parametrize(("amount", "stages"), [
    ("3000", ["approved"]),
    ("12000", ["leader", "approved"]),
    ("60000", ["leader", "head", "approved"]),
])
def test_art10_the_thresholds_pick_the_stages(app, api_client, amount, stages):
    """The demo thresholds: 分管领导 above 5,000 元, 单位主要负责人 above 50,000 元 (集体研究 above
    300,000 元 is passed over here); each stage by another approver (separation of duties)."""
    code = "30201"
    pk = make_claim(app, code=code, amount=amount)
    assert _decide(api_client("tianshan_clerk"), pk, "submit", "请审批").status_code == 200
    seen = []
    for approver in ("tianshan_bureau", "urumqi_bureau", "xj_bureau")[:len(stages)]:
        response = _decide(api_client(approver), pk, "approve")
        assert response.status_code == 200, response.get_json()
        seen.append(response.get_json()["state"])
    assert seen == stages


def test_art10_one_person_decides_one_stage_only(app, api_client):
    pk = make_claim(app, code="30201", amount="12000")
    _decide(api_client("tianshan_clerk"), pk, "submit", "请审批")
    assert _decide(api_client("tianshan_bureau"), pk, "approve").status_code == 200
    again = _decide(api_client("tianshan_bureau"), pk, "approve")
    assert again.status_code == 403
    assert state(app, pk) == "leader"


def test_art10_approval_posts_to_the_ledger_and_void_takes_it_back(app, api_client):
    pk = make_claim(app, amount="12000")  # a 二类 meeting, 20 people, 600 per day
    _decide(api_client("tianshan_clerk"), pk, "submit", "请审批")
    _decide(api_client("tianshan_bureau"), pk, "approve")
    assert booked(app, pk) == []  # not final yet: 分管领导 still to decide
    response = _decide(api_client("urumqi_bureau"), pk, "approve")
    assert response.get_json()["state"] == "approved"
    assert any("已记入支出明细账" in e for e in response.get_json()["effects"])
    rows = booked(app, pk)
    assert len(rows) == 1 and rows[0][0] == Decimal("12000.00") and rows[0][1].startswith("ZC-")
    voided = api_client("tianshan_clerk").post(f"{API}/{pk}/void", json={"reason": "会议取消，重复报销"})
    assert voided.status_code == 200, voided.get_json()
    assert booked(app, pk) == []
    with app.app_context():
        assert db.session.get(ExpenditureClaim, pk).void_reason == "会议取消，重复报销"


def test_art10_a_claim_under_approval_is_withdrawn_before_it_is_voided(app, api_client):
    pk = make_claim(app)
    _decide(api_client("tianshan_clerk"), pk, "submit", "请审批")
    response = api_client("tianshan_clerk").post(f"{API}/{pk}/void", json={"reason": "不再需要"})
    assert response.status_code in (409, 422), response.get_json()
    assert "请先撤回" in response.get_json()["message"]


def test_a_claim_is_never_deleted(app, api_client):
    pk = make_claim(app)
    response = api_client("tianshan_clerk").delete(f"{API}/{pk}")
    assert response.status_code in (405, 409, 422)
    with app.app_context():
        assert db.session.get(ExpenditureClaim, pk) is not None


@pytest.fixture
def budget(monkeypatch):
    """plugins.funds.budgets.execution (helper fin-budgets) stood in for: what is left per class."""
    left: dict[str, Decimal | None] = {}
    module = types.ModuleType("plugins.funds.budgets.execution")
    module.available_on_line = lambda session, organization, year, code: left.get(code, Decimal("1e9"))
    monkeypatch.setitem(sys.modules, "plugins.funds.budgets.execution", module)
    return left


def test_art12_a_claim_above_what_is_left_on_its_budget_line_is_refused(app, api_client, budget):
    budget["30201"] = Decimal("2000")
    with pytest.raises(Exception, match="预算余额 2000.00 元，本次支出 3000.00 元超出预算"):
        make_claim(app, code="30201", amount="3000")
    pk = make_claim(app, code="30201", amount="1500")
    budget["30201"] = Decimal("1000")  # spent meanwhile: the submit checks again
    response = _decide(api_client("tianshan_clerk"), pk, "submit", "请审批")
    assert response.status_code == 422
    assert "超出预算" in response.get_json()["message"] and "第十二条" in response.get_json()["message"]


def test_art12_a_class_without_a_budget_line_is_flagged(app, budget):
    budget["30201"] = None
    pk = make_claim(app, code="30201", amount="800")
    with app.app_context():
        found = db.session.query(Finding).filter_by(entity="funds_spending_claim", entity_id=str(pk)).all()
        assert [f.rule_key for f in found] == ["funds.budget_line_missing"]
        assert "本单位当年预算无该经济分类的预算项目" in found[0].message


def test_art12_over_budget_is_refused_on_the_form_the_api_and_the_import(app, api_client, login, budget):
    from tests.catalog.xlsx_helpers import upload, xlsx_bytes
    from tests.plugins.funds.spending_helpers import DAY, class_id, org

    budget["30201"] = Decimal("100")
    with app.app_context():
        org_id, org_name = org().id, org().name
    klass = class_id(app, "30201")
    body = {"organization_id": org_id, "spent_on": DAY.isoformat(), "economic_class_id": klass,
            "amount": "500", "payee": "x", "purpose": "超预算接口"}
    response = api_client("tianshan_clerk").post(f"{API}/", json=body)
    assert response.status_code == 422 and "第十二条" in response.get_json()["message"]
    form = {"organization": org_id, "spent_on": DAY.isoformat(), "economic_class": klass, "amount": "500",
            "payee": "x", "purpose": "超预算表单", "grade": "", "place": "", "rank": ""}
    html = login("tianshan_clerk").post("/expenditureclaimview/add", data=form,
                                        follow_redirects=True).get_data(as_text=True)
    assert "超出预算" in html and "第十二条" in html
    headers = ["*单位", "*支出日期", "*经济分类", "*金额（元）", "*收款人", "*用途"]
    sheet = xlsx_bytes(headers, [[org_name, DAY, "办公费", 500, "x", "超预算导入"]])
    imported = login("tianshan_clerk").post(f"{API}/import", content_type="multipart/form-data",
                                            data=upload(sheet))
    assert imported.status_code == 422
    assert "超出预算" in str(imported.get_json()) and "第十二条" in str(imported.get_json())
    with app.app_context():
        assert not db.session.query(ExpenditureClaim).filter(ExpenditureClaim.purpose.like("超预算%")).count()
