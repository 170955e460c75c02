"""The housing module's notices and handover walked in a real browser across roles (Art. 25).

tianshan_bureau drafts a policy notice and publishes it (发布) from the notice's page;
tianshan_clerk sees it on its 工作台 under 周转住房政策信息 and opens it from there, kashgar_clerk
does not see it. Then tianshan_bureau takes over the demo's pending unit (天山区周转房小区 5 号楼
1-301): 接收移交 without the 移交文件 is refused naming the article; with the file uploaded on the
附件 panel it goes through and the unit is 空置可配租.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from tests.e2e.test_land_walk import _field, _load, _operations, _success

BUREAU_ORG = "乌鲁木齐市天山区机关事务服务中心"


def _notice_panel(page) -> str:
    page.open("/")
    page.wait_for("#home-cards")
    found = page.find_all('[data-list="housing_notices"]')
    return found[0].text if found else ""


def _pdf(tmp_path) -> str:
    from weasyprint import HTML

    path = tmp_path / "移交文件.pdf"
    path.write_bytes(HTML(string="<p>关于移交天山区周转房小区 5 号楼的函</p>").write_pdf())
    return str(path)


def test_bureau_publishes_a_notice_clerk_sees_it_and_the_pending_unit_is_taken_over(login_as, in_app,
                                                                                     tmp_path):
    tag = f"{uuid.uuid4().int % 10**6:06d}"
    title = f"端到端周转住房申请通知{tag}"
    bureau = login_as("tianshan_bureau")
    bureau.open("/policynoticeview/add")
    bureau.wait_for("#model_form")
    bureau.select("organization", BUREAU_ORG)
    bureau.select("kind", "政策")
    bureau.type_into("#model_form #title", title)
    bureau.type_into("#model_form #body", "符合条件的新调入干部职工可申请周转住房。")
    _load(bureau, bureau.find("#model_form button[type=submit]"))
    _success(bureau)

    from plugins.housing.notices.models import PolicyNotice
    from plugins.housing.units.models import HousingUnit

    with in_app() as session:
        pk = session.execute(select(PolicyNotice.id).where(PolicyNotice.title == title)).scalar_one()
    clerk = login_as("tianshan_clerk")
    assert title not in _notice_panel(clerk)  # a draft is not shown

    bureau.open(f"/policynoticeview/show/{pk}")
    bureau.wait_for("#operations")
    assert _operations(bureau)[0] == "publish"
    _load(bureau, bureau.find('#operations a[data-operation="publish"]'))
    bureau.wait_for("#operation-form")
    _load(bureau, bureau.find("#operation-submit"))
    assert "已办理“发布”" in _success(bureau)
    assert _field(bureau, "状态") == "已发布"

    panel = _notice_panel(clerk)
    assert "周转住房政策信息" in panel and title in panel
    link = clerk.driver.find_element("link text", f"【政策】{title}")
    _load(clerk, link)
    assert clerk.path == f"/policynoticeview/show/{pk}"
    assert "符合条件的新调入干部职工可申请周转住房。" in clerk.text()

    kashgar = login_as("kashgar_clerk")
    assert title not in _notice_panel(kashgar) and title not in kashgar.text()

    # the pending unit: refused without the transfer document, taken over with it
    with in_app() as session:
        unit = session.execute(select(HousingUnit.id).where(
            HousingUnit.building == "天山区周转房小区 5 号楼", HousingUnit.unit_number == "1-301")
        ).scalar_one()
    bureau.open(f"/housingunitview/show/{unit}")
    bureau.wait_for("#operations")
    assert _field(bureau, "状态") == "待移交"
    document = f"天建移〔2026〕{tag}号"

    def handover():
        bureau.open(f"/housingunitview/show/{unit}")
        bureau.wait_for("#operations")
        _load(bureau, bureau.find('#operations a[data-operation="handover"]'))
        bureau.wait_for("#operation-form")
        bureau.type_into("#operation-form #handed_over_by", "乌鲁木齐市天山区住房和城乡建设局")
        bureau.type_into("#operation-form #document_no", document)
        _load(bureau, bureau.find("#operation-submit"))

    handover()
    text = bureau.text()
    assert "接收移交须先上传移交文件" in text and "第二十五条" in text

    bureau.open(f"/housingunitview/show/{unit}")
    bureau.wait_for("#attachment-upload")
    bureau.select("attachment-kind", "移交文件")
    bureau.find("#attachment-files").send_keys(_pdf(tmp_path))
    _load(bureau, bureau.find("#attachment-upload button[type=submit]"))
    assert "已上传 1 个附件" in _success(bureau)

    handover()
    assert "已办理“接收移交”" in _success(bureau)
    assert _field(bureau, "状态") == "空置可配租"
    assert _field(bureau, "移交文件文号") == document
