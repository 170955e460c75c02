"""The expenditure claim walked in a real browser (docs/funds.md, “Walk it in the demo”, Art. 10-11).

tianshan_clerk enters a meeting claim above its rate and reads the Chinese refusal naming the
article; corrects it, attaches the invoice and submits; tianshan_bureau approves it from its
工作台; the clerk sees 已批准 and the claim's row in 支出明细账.
"""

from __future__ import annotations

import uuid

from core.display import local_today
from tests.e2e.test_assets_walk import (
    _click_and_load,
    _decide,
    _open_newest,
    _pick_record,
    _preview,
    _save_model_form,
    _state,
    _success,
)


def _choose(page, field_id: str, text: str) -> None:
    """A relation field: a plain select or select2, else a type-ahead picker."""
    if page.find_all(f"select#{field_id}.jiguan-typeahead"):
        _pick_record(page, field_id, text)
    else:
        page.select(field_id, text)


def _invoice(tmp_path) -> str:
    from weasyprint import HTML

    path = tmp_path / "会议费发票.pdf"
    path.write_bytes(HTML(string="<p>增值税普通发票 会议费</p>").write_pdf())
    return str(path)


def test_clerk_claims_a_meeting_above_its_rate_then_within_it_and_the_bureau_approves(login_as, tmp_path):
    purpose = f"端到端业务培训会议-{uuid.uuid4().int % 10**6:06d}"
    page = login_as("tianshan_clerk")
    page.click_menu("经费管理", "支出申请")
    page.wait_for("div.table-responsive")
    page.open("/expenditureclaimview/add")
    page.wait_for("#model_form")
    _choose(page, "economic_class", "30215 会议费")
    page.type_into("#model_form #spent_on", local_today().isoformat())
    page.type_into("#model_form #amount", "4100")  # 5 people, 1 day: 820 a person and day
    page.type_into("#model_form #payee", "天山区会议服务中心")
    page.type_into("#model_form #purpose", purpose)
    page.select("grade", "二类")
    page.type_into("#model_form #participants", "5")
    page.type_into("#model_form #days", "1")
    _save_model_form(page)
    refusals = [text for kind, text in page.flashes() if kind == "danger"]
    assert any("会议费人均每天 820.00 元，超过二类会议标准 650 元/人·天" in t and "第十一条" in t
               for t in refusals), page.flashes()

    # corrected to 600 a person and day (3,000 元: below the 5,000 元 threshold, one stage)
    page.type_into("#model_form #amount", "3000")
    _save_model_form(page)
    _success(page)
    claim = _open_newest(page, "/expenditureclaimview/list/", "ExpenditureClaimView", purpose)

    # without the invoice the submit is refused naming the article; then with it
    page.find('#workflow-form button[data-action="submit"]').click()  # asks first (workflow.js)
    _click_and_load(page, page.wait_visible("#workflow-confirm-ok"))
    refused = [text for kind, text in page.flashes() if kind == "danger"]
    assert any("发票" in t and "第十条" in t for t in refused), page.flashes()
    page.select("attachment-kind", "发票")
    page.find("#attachment-files").send_keys(_invoice(tmp_path))
    _click_and_load(page, page.find("#attachment-upload button[type=submit]"))
    assert "已上传 1 个附件" in _success(page)
    _decide(page, "submit", "请审批")
    assert _state(page) == "已提交，待部门审核"

    bureau = login_as("tianshan_bureau")
    bureau.open("/")
    waiting = [a for a in bureau.find_all("#todo-awaiting li[data-todo='awaiting'] a")
               if a.get_attribute("href").endswith(claim)]
    assert len(waiting) == 1
    _click_and_load(bureau, waiting[0])
    approved = _decide(bureau, "approve", "同意报销")
    assert "已批准" in approved and "已记入支出明细账" in approved

    page.open(claim)
    assert _state(page) == "已批准"
    ledger = _preview(page, "funds_spending_ledger")
    assert purpose in ledger and "30215 会议费" in ledger and "3,000.00" in ledger and "ZC-" in ledger
