"""A clerk's disposal in a real browser: several cards added at once from 批量添加, two files
uploaded together on the 附件 panel, submitted; then nothing on the page offers to change the
lines or delete the files. The bureau is told (the bell), finds it on its 工作台, opens it
from there, reads both files and approves; the clerk is told and sees the result on its own
工作台 (issue 10's walk; docs/attachments.md, docs/home.md)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from tests.e2e.test_assets_walk import (
    _click_and_load,
    _decide,
    _open_newest,
    _save_model_form,
    _state,
    _success,
)

ORG = "乌鲁木齐市天山区财政局"


def _cards(in_app, tag: str) -> list[str]:
    """Two old computers of the clerk's organisation (their minimum life is over), 4,000 元 in all:
    below the demo's finance threshold, so the bureau's approval is final (Art. 19)."""
    from sqlalchemy import select

    from catalog.models import Organization
    from plugins.assets.cards.models import Asset
    from tests.plugins.assets.helpers import equipment_class

    numbers = [f"E2E-ATT-{tag}-{n}" for n in (1, 2)]
    with in_app() as session:
        org = session.execute(select(Organization).where(Organization.name == ORG)).scalar_one()
        for number in numbers:
            session.add(Asset(number=number, asset_class=equipment_class(), name="台式计算机", quantity=1,
                              unit="台", original_value=Decimal("2000"), acquired_on=dt.date(2015, 3, 1),
                              organization=org, jurisdiction=org.jurisdiction, status="in_use"))
        session.commit()
    return numbers


def _files(tmp_path) -> list[str]:
    from weasyprint import HTML

    report = tmp_path / "鉴定报告.pdf"
    report.write_bytes(HTML(string="<p>技术鉴定：主板损坏，无维修价值</p>").write_pdf())
    photo = tmp_path / "现场照片.png"
    from PIL import Image

    Image.new("RGB", (60, 40), (90, 90, 90)).save(photo, "PNG")
    return [str(report), str(photo)]


def test_clerk_submits_a_disposal_with_two_attachments_and_lines_added_at_once(login_as, in_app, tmp_path):
    tag = uuid.uuid4().hex[:6]
    numbers = _cards(in_app, tag)
    reason = f"端到端批量处置-{tag}"
    page = login_as("tianshan_clerk")
    page.open("/disposalview/add")
    page.wait_for("#model_form")
    page.select("method", "报废")
    page.type_into("#model_form #reason", reason)
    page.type_into("#model_form #appraised_value", "200")
    _save_model_form(page)
    _success(page)
    disposal = _open_newest(page, "/disposalview/list/", "DisposalView", reason)

    # 批量添加: search the two cards, tick both, add them in one go
    _click_and_load(page, page.find("#line-picker a"))
    page.type_into('#picker-search input[name="q"]', f"E2E-ATT-{tag}")
    _click_and_load(page, page.find("#picker-search button"))
    rows = page.find_all("#picker-rows tbody tr[data-pick]")
    assert sorted(r.text.split()[0] for r in rows) == numbers
    header = page.text("#picker-rows thead")
    assert "原值（元）" in header and "取得日期" in header and "最低使用年限届满日" in header
    page.find("#picker-rows thead input[data-check-all]").click()  # 全选
    _click_and_load(page, page.find("#picker-submit"))
    assert "已添加 2 条明细" in _success(page)

    # two files at once on the 附件 panel
    page.select("attachment-kind", "鉴定报告")
    # the button reads 选择文件; the browser's own "Choose Files" is not seen (opacity 0 under it)
    assert page.find("label.file-picker").text.strip() == "选择文件"
    assert page.find("#attachment-files").value_of_css_property("opacity") == "0"
    assert page.text("[data-attachment-names]") == "未选择文件"
    page.find("#attachment-files").send_keys("\n".join(_files(tmp_path)))
    assert page.text("[data-attachment-names]") == "鉴定报告.pdf、现场照片.png"
    _click_and_load(page, page.find("#attachment-upload button[type=submit]"))
    assert "已上传 2 个附件" in _success(page)
    listed = page.text("#attachment-list")
    assert "鉴定报告.pdf" in listed and "现场照片.png" in listed
    assert page.find("#attachment-count").text == "2"

    _decide(page, "submit", "请审批")
    assert _state(page) == "已提交，待机关事务管理部门审批"
    assert not page.find_all("#attachment-list form.attachment-delete")  # nothing deleted once submitted
    assert [o.text for o in page.find_all("#attachment-kind option")] == ["签字扫描件"]
    assert not page.find_all("#line-picker")
    page.find('a[href="#DisposalLineView"]').click()
    lines = page.wait_visible("#DisposalLineView")
    assert all(n in lines.text for n in numbers)
    assert not page.find_all('#DisposalLineView a[href*="/disposallineview/edit/"]')
    assert not page.find_all('#DisposalLineView a[href^="/disposallineview/add"]')

    # the bureau of the same level (天山区, Art. 19): told by the bell, the disposal among its
    # to-dos, one click from its home page
    bureau = login_as("tianshan_bureau")
    bureau.open("/")
    assert int(bureau.text("#notification-count")) >= 1
    waiting = [a for a in bureau.find_all("#todo-awaiting li[data-todo='awaiting'] a")
               if a.get_attribute("href").endswith(disposal)]
    assert len(waiting) == 1 and waiting[0].text.startswith("资产处置申请")
    _click_and_load(bureau, waiting[0])
    assert bureau.path == disposal
    bureau.wait_for("#attachments")
    listed = bureau.text("#attachment-list")
    assert "鉴定报告.pdf" in listed and "现场照片.png" in listed
    approved = _decide(bureau, "approve", "同意报废")
    assert "已批准" in approved and "2 张资产卡片" in approved  # what the decision changed
    bureau.open("/")
    assert not [a for a in bureau.find_all("#todo-awaiting li[data-todo='awaiting'] a")
                if a.get_attribute("href").endswith(disposal)]

    # the clerk: told, and the result on its home page
    page.open("/")
    assert int(page.text("#notification-count")) >= 1
    decided = [li for li in page.find_all("#todo-decided li[data-todo='approved']")
               if page.find_all(f'a[href$="{disposal}"]', li)]
    assert len(decided) == 1 and "同意报废" in decided[0].text
    page.open(disposal)
    assert _state(page) == "已批准"
