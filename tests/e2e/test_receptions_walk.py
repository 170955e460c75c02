"""The receptions module walked in a real browser (docs/receptions.md, “Walk it in the demo”), Art. 34.

A clerk of 乌鲁木齐市天山区财政局 fills a 公务接待审批单; submitting it without the guest unit's
公函 is refused with the article on the page; with the letter attached it is submitted, the bureau
of 天山区 approves it, the clerk records the settlement, completes it (接待完成/结算) and opens the
接待清单, a PDF naming the guest unit, the guest and the cost.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import urllib.request
import uuid

from core.display import local_today
from tests.e2e.test_assets_walk import (
    _click_and_load,
    _decide,
    _open_newest,
    _operation,
    _save_model_form,
    _state,
    _success,
    _type_date,
    _wait_flash,
)

ORG = "乌鲁木齐市天山区财政局"


def _refused(page, action: str) -> str:
    """Press a workflow button, confirm, and return the refusal shown on the page."""
    page.find(f'#workflow-form button[data-action="{action}"]').click()
    ok = page.wait_visible("#workflow-confirm-ok")
    _click_and_load(page, ok)
    danger = [text for kind, text in _wait_flash(page) if kind == "danger"]
    assert danger, page.flashes()
    return danger[0]


def _pdf_text(page, href: str, tmp_path) -> str:
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in page.driver.get_cookies())
    request = urllib.request.Request(page.base_url + href, headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - our server
        data = response.read()
    assert data[:4] == b"%PDF"
    path = tmp_path / "接待清单.pdf"
    path.write_bytes(data)
    if shutil.which("pdftotext") is None:
        return ""
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_clerk_asks_bureau_approves_clerk_settles_and_prints(login_as, tmp_path):
    from weasyprint import HTML

    unit = f"端到端来访单位{uuid.uuid4().int % 10**6:06d}"
    day = local_today() - dt.timedelta(days=2)
    page = login_as("tianshan_clerk")
    page.open("/receptionview/add")
    page.wait_for("#model_form")
    page.select("organization", ORG)
    page.type_into("#model_form #guest_unit", unit)
    page.type_into("#model_form #letter_number", "测函〔2026〕1号")
    page.type_into("#model_form #activity", "交流公务接待管理工作")
    _type_date(page, "#model_form #start_on", day)
    _type_date(page, "#model_form #end_on", day)
    page.type_into("#model_form #place", "天山区财政局会议室")
    _save_model_form(page)
    _success(page)
    reception = _open_newest(page, "/receptionview/list/", "ReceptionView", unit)

    # no 公函: refused, in Chinese, naming the article; the reception stays a draft
    refusal = _refused(page, "submit")
    assert "无公函的公务活动一律不予接待" in refusal and "第三十四条" in refusal
    assert _state(page) == "草稿"

    # a guest
    page.open("/receptionguestview/add")
    page.wait_for("#model_form")
    page.select("reception", unit)
    page.type_into("#model_form #name", "端到端来宾")
    page.type_into("#model_form #post", "副局长")
    _save_model_form(page)
    _success(page)

    # the letter on the 附件 panel, then the submission goes through
    letter = tmp_path / "公函.pdf"
    letter.write_bytes(HTML(string="<p>公函</p>").write_pdf())
    page.open(reception)
    page.wait_for("#attachments")
    page.select("attachment-kind", "公函")
    page.find("#attachment-files").send_keys(str(letter))
    _click_and_load(page, page.find("#attachment-upload button[type=submit]"))
    assert "已上传 1 个附件" in _success(page)
    _decide(page, "submit", "请审批")
    assert _state(page).startswith("已提交")

    # the bureau of 天山区 (the host's own level) approves
    bureau = login_as("tianshan_bureau")
    bureau.open(reception)
    bureau.wait_for("#workflow-form")
    assert "已批准" in _decide(bureau, "approve", "同意，按标准接待")

    # the clerk records what was paid and completes it
    page.open("/receptionsettlementview/add")
    page.wait_for("#model_form")
    page.select("reception", unit)
    page.type_into("#model_form #meals_cost", "160")
    page.type_into("#model_form #transport_cost", "40")
    _save_model_form(page)
    _success(page)
    _open_newest(page, "/receptionsettlementview/list/", "ReceptionSettlementView", unit)
    _operation(page, "complete")

    # the 接待清单 from the reception's page
    page.open(reception)
    page.wait_for("#Home")
    links = [a.get_attribute("href") for a in page.find_all('a[href*="/reports/reception_list/print"]')]
    assert links, "the reception's page offers 打印接待清单"
    text = _pdf_text(page, links[0].removeprefix(page.base_url), tmp_path)
    if text:
        for expected in (
            "接待清单",
            unit,
            "端到端来宾",
            "副局长",
            "交流公务接待管理工作",
            "200.00",
            "接待单位负责人",
        ):
            assert expected in text, expected
