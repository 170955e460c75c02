"""Disposal (资产处置, Art. 19): the minimum-life rule, other refusals, the approval flow, proceeds,
the disposed-asset screens and the 处置审批表. Each test builds its own cards (T-DSP-…)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from sqlalchemy import select

from catalog.models import Organization
from core.display import local_today
from core.errors import ScopeViolation, WriteRefused
from core.extensions import db
from core.models import Finding
from core.scoping import acting_as
from plugins.assets.cards.models import Asset, AssetMovement
from plugins.assets.disposal.models import Disposal, DisposalLine, DisposalProceeds
from tests.plugins.assets.helpers import equipment_class

TIANSHAN = "乌鲁木齐市天山区财政局"
_numbers = itertools.count(1)
TODAY = local_today()


@pytest.fixture(autouse=True)
def _today_as_the_test_runs():
    """The app's today (display zone) when each test runs: a long run can cross midnight."""
    global TODAY
    TODAY = local_today()


OLD = TODAY.replace(year=TODAY.year - 10, day=1)  # past its 6-year minimum life
NEW = TODAY.replace(year=TODAY.year - 1, day=1)  # minimum life ends in ~5 years


def _org(name=TIANSHAN):
    return db.session.execute(select(Organization).where(Organization.name == name)).scalar_one()


def make_asset(app, acquired=OLD, owner=TIANSHAN, status="in_use") -> int:
    with app.app_context():
        org = _org(owner)
        cls = equipment_class()
        asset = Asset(number=f"T-DSP-{next(_numbers):04d}-{dt.datetime.now():%H%M%S%f}", asset_class=cls,
                      name="台式计算机", quantity=1, unit="台", original_value=Decimal("4800"),
                      acquired_on=acquired, organization=org, jurisdiction=org.jurisdiction, status=status)
        db.session.add(asset)
        db.session.commit()
        return asset.id


def make_disposal(app, *asset_ids, reasons=None, owner=TIANSHAN, method="scrap") -> int:
    reasons = reasons or {}
    with app.app_context():
        disposal = Disposal(organization=_org(owner), applied_on=TODAY, method=method, reason="老化损坏",
                            appraised_value=Decimal("100"))
        disposal.lines = [DisposalLine(asset_id=a, early_reason=reasons.get(a)) for a in asset_ids]
        db.session.add(disposal)
        db.session.commit()
        return disposal.id


def _ids(app, *names):
    with app.app_context():
        return [_org(n).id for n in names]


def _status(app, asset_id):
    with app.app_context():
        return db.session.get(Asset, asset_id).status


def _state(app, disposal_id):
    with app.app_context():
        return db.session.get(Disposal, disposal_id).state


def _lines(app, disposal_id):
    with app.app_context():
        return db.session.execute(select(DisposalLine).where(DisposalLine.disposal_id == disposal_id)).all()


def _decide(browser, pk, action, comment=""):
    return browser.post(f"/disposalview/workflow/{pk}/{action}", data={"comment": comment},
                        follow_redirects=True).get_data(as_text=True)


# --- Art. 19: disposal before the minimum service life needs a reason -----------------------------

def test_art19_early_disposal_without_reason_blocked_on_the_form(app, login):
    asset_id = make_asset(app, acquired=NEW)
    disposal_id = make_disposal(app)
    html = login("tianshan_clerk").post("/disposallineview/add", data={
        "disposal": disposal_id, "asset": asset_id, "early_reason": ""},
        follow_redirects=True).get_data(as_text=True)
    assert "未满最低使用年限提前处置须填写提前处置理由" in html and "第十九条" in html
    assert _lines(app, disposal_id) == []


def test_art19_early_disposal_without_reason_blocked_on_the_api(app, login):
    asset_id = make_asset(app, acquired=NEW)
    disposal_id = make_disposal(app)
    response = login("tianshan_clerk").api("POST", "/api/v1/disposal_line/", json={
        "disposal_id": disposal_id, "asset_id": asset_id})
    assert response.status_code == 422
    assert "提前处置须填写提前处置理由（《办法》第十九条）" in response.get_json()["message"]
    assert _lines(app, disposal_id) == []


def test_art19_early_disposal_without_reason_blocked_on_direct_write(app):
    asset_id = make_asset(app, acquired=NEW)
    disposal_id = make_disposal(app)
    with app.app_context():
        clerk = app.appbuilder.sm.find_user(username="tianshan_clerk")
        with acting_as(clerk), pytest.raises(WriteRefused, match="第十九条"):
            db.session.add(DisposalLine(disposal_id=disposal_id, asset_id=asset_id, early_reason="  "))
            db.session.flush()
        db.session.rollback()
    assert _lines(app, disposal_id) == []


def test_art19_early_disposal_with_reason_is_allowed_and_flagged(app, login):
    asset_id = make_asset(app, acquired=NEW)
    disposal_id = make_disposal(app)
    response = login("tianshan_clerk").api("POST", "/api/v1/disposal_line/", json={
        "disposal_id": disposal_id, "asset_id": asset_id, "early_reason": "雷击损坏，维修不经济"})
    assert response.status_code == 201, response.get_json()
    line_id = response.get_json()["id"]
    with app.app_context():
        finding = db.session.execute(select(Finding).where(
            Finding.rule_key == "assets.disposal_early_flag", Finding.entity_id == str(line_id))).scalar_one()
        assert finding.article == 19 and finding.status == "open" and "雷击损坏" in finding.message
        finding_id = finding.id
    # the line taken off the application: the finding closes
    assert login("tianshan_clerk").api("DELETE", f"/api/v1/disposal_line/{line_id}").status_code == 200
    with app.app_context():
        assert db.session.get(Finding, finding_id).status == "resolved"


def test_art19_an_asset_past_its_minimum_life_needs_no_reason(app, login):
    asset_id = make_asset(app, acquired=OLD)
    disposal_id = make_disposal(app)
    response = login("tianshan_clerk").api("POST", "/api/v1/disposal_line/", json={
        "disposal_id": disposal_id, "asset_id": asset_id})
    assert response.status_code == 201, response.get_json()


# --- other refusals -------------------------------------------------------------------------------

def test_an_asset_in_two_open_applications_is_refused(app, login):
    asset_id = make_asset(app)
    make_disposal(app, asset_id)
    second = make_disposal(app)
    response = login("tianshan_clerk").api("POST", "/api/v1/disposal_line/", json={
        "disposal_id": second, "asset_id": asset_id})
    assert response.status_code == 422 and "已列入另一份未办结的处置申请" in response.get_json()["message"]


def test_another_organisations_asset_is_refused(app):
    other = make_asset(app, owner="乌鲁木齐市天山区教育局")
    disposal_id = make_disposal(app)
    with app.app_context():
        # the clerk may not even point to a card of another organisation (Art. 4-5)
        clerk = app.appbuilder.sm.find_user(username="tianshan_clerk")
        with acting_as(clerk), pytest.raises(ScopeViolation, match="所选的资产卡片不在您的权限范围内"):
            db.session.add(DisposalLine(disposal_id=disposal_id, asset_id=other))
            db.session.flush()
        db.session.rollback()
        # the bureau reads both organisations' cards: Art. 19's rule names the mistake
        bureau = app.appbuilder.sm.find_user(username="tianshan_bureau")
        with acting_as(bureau), pytest.raises(WriteRefused, match="不属于本单位"):
            db.session.add(DisposalLine(disposal_id=disposal_id, asset_id=other))
            db.session.flush()
        db.session.rollback()


def test_a_disposed_asset_is_refused(app, login):
    asset_id = make_asset(app, status="disposed")
    disposal_id = make_disposal(app)
    response = login("tianshan_clerk").api("POST", "/api/v1/disposal_line/", json={
        "disposal_id": disposal_id, "asset_id": asset_id})
    assert response.status_code == 422 and "已处置，不能再次处置" in response.get_json()["message"]


def test_an_asset_in_the_pool_is_refused(app):
    """A pool item is the bureau's to allocate: its owner withdraws it from the pool first."""
    with app.app_context():
        asset = db.session.execute(select(Asset).where(Asset.number == "ZC-650102-P003")).scalar_one()
        disposal = Disposal(organization=asset.organization, applied_on=TODAY, method="scrap", reason="损坏")
        disposal.lines = [DisposalLine(asset=asset, early_reason="损坏")]
        db.session.add(disposal)
        with pytest.raises(WriteRefused, match="已纳入公物仓"):
            db.session.flush()
        db.session.rollback()


def test_an_empty_application_cannot_be_submitted(app, login):
    disposal_id = make_disposal(app)
    html = _decide(login("tianshan_clerk"), disposal_id, "submit")
    assert "没有列明任何资产" in html and _state(app, disposal_id) == "draft"


# --- the flow on the screens ----------------------------------------------------------------------

def test_submit_withdraw_reject_and_approve_on_the_screens(app, login):
    idle, in_use = make_asset(app, status="idle"), make_asset(app)
    disposal_id = make_disposal(app, idle, in_use)
    clerk, bureau = login("tianshan_clerk"), login("tianshan_bureau")
    _decide(clerk, disposal_id, "submit", "请审批")
    assert _state(app, disposal_id) == "submitted"
    assert _status(app, idle) == _status(app, in_use) == "pending_disposal"
    _decide(clerk, disposal_id, "withdraw", "补充评估报告")
    assert (_status(app, idle), _status(app, in_use)) == ("idle", "in_use")
    _decide(clerk, disposal_id, "submit")
    html = _decide(bureau, disposal_id, "reject", "评估报告缺失")
    assert _state(app, disposal_id) == "rejected" and "已退回" in html
    assert (_status(app, idle), _status(app, in_use)) == ("idle", "in_use")
    _decide(clerk, disposal_id, "submit", "已补评估报告")
    _decide(clerk, disposal_id, "approve")  # a clerk has no 批准 (and never on its own submission)
    assert _state(app, disposal_id) == "submitted"
    _decide(bureau, disposal_id, "approve", "同意报废")
    # 9,600 元 reaches the demo's finance threshold (5,000 元): 天山区财政局 approves last (Art. 19)
    assert _state(app, disposal_id) == "reviewed"
    assert _status(app, idle) == _status(app, in_use) == "pending_disposal"
    _decide(login("tianshan_fin_reviewer"), disposal_id, "approve", "同意")
    assert _state(app, disposal_id) == "approved"
    assert _status(app, idle) == _status(app, in_use) == "disposed"
    with app.app_context():
        move = db.session.execute(select(AssetMovement).where(
            AssetMovement.asset_id == in_use, AssetMovement.kind == "disposal")).scalar_one()
        assert move.source == f"disposal:{disposal_id}" and move.to_status == "disposed"


def test_approve_on_the_api(app, login):
    asset_id = make_asset(app)
    disposal_id = make_disposal(app, asset_id, method="auction")
    url = f"/api/v1/disposal/{disposal_id}/workflow/"
    assert login("tianshan_clerk").api("POST", url + "submit", json={}).status_code == 200
    response = login("tianshan_bureau").api("POST", url + "approve", json={"comment": "同意"})
    assert response.status_code == 200 and response.get_json()["state"] == "approved"
    assert _status(app, asset_id) == "disposed"


def test_the_lines_of_a_submitted_application_are_locked(app, login):
    asset_id, extra = make_asset(app), make_asset(app)
    disposal_id = make_disposal(app, asset_id)
    clerk = login("tianshan_clerk")
    _decide(clerk, disposal_id, "submit")
    response = clerk.api("POST", "/api/v1/disposal_line/",
                         json={"disposal_id": disposal_id, "asset_id": extra})
    assert response.status_code == 409 and "请先撤回" in response.get_json()["message"]
    assert len(_lines(app, disposal_id)) == 1


def test_submission_rechecks_art19_when_the_date_moved(app, login):
    """Art. 19: a line listed before the application date changed is checked again on submit."""
    asset_id = make_asset(app, acquired=TODAY.replace(year=TODAY.year - 6, day=1) + dt.timedelta(days=40))
    with app.app_context():
        disposal = Disposal(organization=_org(), applied_on=TODAY + dt.timedelta(days=60), method="scrap",
                            reason="损坏")
        disposal.lines = [DisposalLine(asset_id=asset_id)]
        db.session.add(disposal)
        db.session.commit()
        disposal.applied_on = TODAY
        db.session.commit()
        disposal_id = disposal.id
    html = _decide(login("tianshan_clerk"), disposal_id, "submit")
    assert "提前处置须填写提前处置理由" in html and _state(app, disposal_id) == "draft"


# --- proceeds -------------------------------------------------------------------------------------

def test_proceeds_only_on_an_approved_application_and_paid_with_a_date(app, login):
    asset_id = make_asset(app)
    disposal_id = make_disposal(app, asset_id, method="sale")
    clerk = login("tianshan_clerk")
    body = {"disposal_id": disposal_id, "amount": 800, "received_on": TODAY.isoformat(),
            "paid_to_treasury": False}
    response = clerk.api("POST", "/api/v1/disposal_proceeds/", json=body)
    assert response.status_code == 422 and "只能登记在已批准的处置申请上" in response.get_json()["message"]
    _decide(clerk, disposal_id, "submit")
    _decide(login("tianshan_bureau"), disposal_id, "approve")
    response = clerk.api("POST", "/api/v1/disposal_proceeds/", json={**body, "paid_to_treasury": True})
    assert response.status_code == 422 and "须填写上缴日期" in response.get_json()["message"]
    response = clerk.api("POST", "/api/v1/disposal_proceeds/", json={
        **body, "paid_to_treasury": True, "paid_on": TODAY.isoformat()})
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        disposal = db.session.get(Disposal, disposal_id)
        assert disposal.state == "approved" and disposal.proceeds_total == Decimal("800")
        assert db.session.execute(select(DisposalProceeds).where(
            DisposalProceeds.disposal_id == disposal_id)).scalar_one().paid_to_treasury is True


# --- disposed assets leave the ledger, stay searchable; scope ---------------------------------------

def _listed(html, number) -> bool:
    """A row's cell, not the search box echoing the filter."""
    return re.search(rf"<td[^>]*>\s*{number}\s*</td>", html) is not None


def test_disposed_assets_leave_the_card_list_but_stay_searchable(app, login):
    clerk = login("tianshan_clerk")
    assert not _listed(clerk.text("/assetview/list/?_flt_0_number=ZC-650102-D003"), "ZC-650102-D003")
    assert _listed(clerk.text("/assetview/list/?_flt_0_number=ZC-650102-D001"), "ZC-650102-D001")
    disposed = clerk.text("/disposedassetview/list/?_flt_0_number=ZC-650102-D00")
    assert _listed(disposed, "ZC-650102-D003") and not _listed(disposed, "ZC-650102-D001")
    # read-only
    assert clerk.get("/disposedassetview/add").status_code in (302, 403, 404)


def test_a_kashgar_clerk_does_not_see_tianshans_disposals(app, login):
    with app.app_context():
        ids = [d.id for d in db.session.execute(select(Disposal).where(
            Disposal.organization_id == _org().id)).scalars()]
    kashgar = login("kashgar_clerk")
    assert ids and "乌鲁木齐市天山区财政局" not in kashgar.text("/disposalview/list/")
    assert kashgar.get(f"/api/v1/disposal/{ids[0]}").status_code == 404
    assert "乌鲁木齐市天山区财政局" in login("tianshan_clerk").text("/disposalview/list/")


def test_demo_walk(app, login):
    bureau = login("tianshan_bureau")
    html = bureau.text("/disposalview/list/")
    assert "报废" in html and "已提交" in html and "拍卖" in html and "已批准" in html
    assert "150.00" in bureau.text("/disposalproceedsview/list/")


# --- 处置审批表 ----------------------------------------------------------------------------------

def _pdftext(pdf: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils missing")
    path = tmp_path / "disposal.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return re.sub(r"\s+", "", out)


def test_disposal_form_pdf(app, login, tmp_path):
    with app.app_context():
        pending = db.session.execute(select(Disposal.id).join(DisposalLine).join(Asset).where(
            Asset.number == "ZC-650102-D002")).scalar_one()
    response = login("tianshan_bureau").post("/reports/assets_disposal_form/render",
                                           data={"action": "pdf", "disposal_id": str(pending)})
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = _pdftext(response.data, tmp_path)
    assert "资产处置审批表" in text and "乌鲁木齐市天山区财政局" in text and "报废" in text
    assert "ZC-650102-D001" in text and "ZC-650102-D002" in text
    assert "雷击导致主板烧毁" in text and "（未届满）" in text
    assert "提交" in text and "审批记录" in text and "机关事务管理部门负责人" in text
    kashgar = login("kashgar_clerk").api("POST", "/api/v1/reports/assets_disposal_form/render",
                                         json={"params": {"disposal_id": pending}})
    assert kashgar.status_code == 422 and "不在您的权限范围内" in str(kashgar.get_json())


def test_approved_form_shows_who_approved_and_the_proceeds(app, login, tmp_path):
    with app.app_context():
        done = db.session.execute(select(Disposal.id).join(DisposalLine).join(Asset).where(
            Asset.number == "ZC-650102-D003")).scalar_one()
    response = login("tianshan_clerk").post("/reports/assets_disposal_form/render",
                                            data={"action": "pdf", "disposal_id": str(done)})
    text = _pdftext(response.data, tmp_path)
    assert "拍卖" in text and "批准" in text and "同意拍卖" in text and "已上缴国库" in text


def test_every_disposal_screen_renders(app, login):
    with app.app_context():
        disposal_id = db.session.execute(select(Disposal.id).join(DisposalLine).join(Asset).where(
            Asset.number == "ZC-650102-D003")).scalar_one()
    for user in ("tianshan_bureau", "tianshan_clerk"):
        browser = login(user)
        for url in ("/disposalview/list/", "/disposalview/add", f"/disposalview/show/{disposal_id}",
                    "/disposallineview/add", "/disposalproceedsview/list/", "/disposalproceedsview/add",
                    "/disposedassetview/list/"):
            assert browser.get(url).status_code == 200, (user, url)
    show = login("tianshan_clerk").text(f"/disposalview/show/{disposal_id}")
    assert "ZC-650102-D003" in show and "150.00" in show and "拍卖" in show


def test_reject_on_the_api_restores_and_a_draft_with_lines_can_be_deleted(app, login):
    asset_id = make_asset(app, status="idle")
    disposal_id = make_disposal(app, asset_id)
    clerk, bureau = login("tianshan_clerk"), login("tianshan_bureau")
    url = f"/api/v1/disposal/{disposal_id}/workflow/"
    assert clerk.api("POST", url + "submit", json={}).status_code == 200
    assert clerk.api("DELETE", f"/api/v1/disposal/{disposal_id}").status_code == 409  # locked
    assert bureau.api("POST", url + "reject", json={}).status_code == 422  # a comment is required
    response = bureau.api("POST", url + "reject", json={"comment": "缺少鉴定意见"})
    assert response.status_code == 200 and response.get_json()["state"] == "rejected"
    assert _status(app, asset_id) == "idle"
    assert clerk.api("DELETE", f"/api/v1/disposal/{disposal_id}").status_code == 200
    assert _lines(app, disposal_id) == []


# --- Art. 19: 无偿划转 names a recipient and moves the asset there ---------------------------------

EDUCATION = "乌鲁木齐市天山区教育局"


def _transfer_body(owner_id, **extra):
    return {"organization_id": owner_id, "applied_on": TODAY.isoformat(), "method": "transfer",
            "reason": "职能调整，无偿划转", **extra}


def test_art19_free_transfer_needs_a_recipient(app, login):
    """第十九条: a 无偿划转 without a recipient organisation is refused, on the API and the form."""
    (owner,) = _ids(app, TIANSHAN)
    clerk = login("tianshan_clerk")
    response = clerk.api("POST", "/api/v1/disposal/", json=_transfer_body(owner, reason="无接收单位的划转"))
    assert response.status_code == 422
    assert response.get_json()["message"] == "处置方式为“无偿划转”的，必须填写接收单位（《办法》第十九条）"
    html = clerk.post("/disposalview/add", data={"organization": owner, "applied_on": TODAY.isoformat(),
                                                 "method": "transfer", "reason": "表单无接收单位的划转",
                                                 "recipient": ""},
                      follow_redirects=True).get_data(as_text=True)
    assert "必须填写接收单位（《办法》第十九条）" in html
    with app.app_context():
        assert db.session.execute(select(Disposal).where(
            Disposal.reason.in_(["无接收单位的划转", "表单无接收单位的划转"]))).first() is None


def test_art19_the_recipient_is_another_organisation_of_the_jurisdiction_or_below(app, login):
    """第十九条: not the applicant itself, not an organisation of a sibling county (the bureau of the
    applicant's level approves, so it transfers within its own jurisdiction); a scrap names none."""
    owner, sibling, education = _ids(app, TIANSHAN, "乌鲁木齐市沙依巴克区财政局", EDUCATION)
    bureau = login("urumqi_bureau")
    response = bureau.api("POST", "/api/v1/disposal/", json=_transfer_body(owner, recipient_id=owner))
    assert response.status_code == 422
    assert response.get_json()["message"] == "接收单位不能是申请单位本身（《办法》第十九条）"
    response = bureau.api("POST", "/api/v1/disposal/", json=_transfer_body(owner, recipient_id=sibling))
    assert response.status_code == 422
    assert response.get_json()["message"] == (
        "接收单位“乌鲁木齐市沙依巴克区财政局”不在申请单位所在辖区（天山区）或其下级辖区内，不能无偿划转（《办法》第十九条）")
    response = bureau.api("POST", "/api/v1/disposal/", json={**_transfer_body(owner, recipient_id=education),
                                                             "method": "scrap"})
    assert response.status_code == 422
    assert "只有处置方式为“无偿划转”的申请才填写接收单位" in response.get_json()["message"]


def test_art19_free_transfer_moves_the_asset_to_the_recipient_on_approval(app, login, tmp_path):
    """第十九条: approving a 无偿划转 moves the card to the recipient with the status it had (闲置 stays
    闲置, not 已处置); its history shows 无偿划转 from one organisation to the other with the number."""
    asset_id = make_asset(app, status="idle")
    owner, education = _ids(app, TIANSHAN, EDUCATION)
    clerk, bureau = login("tianshan_clerk"), login("tianshan_bureau")
    response = clerk.api("POST", "/api/v1/disposal/", json=_transfer_body(owner, recipient_id=education))
    assert response.status_code == 201, response.get_json()
    disposal_id = response.get_json()["id"]
    assert clerk.api("POST", "/api/v1/disposal_line/", json={"disposal_id": disposal_id,
                                                             "asset_id": asset_id}).status_code == 201
    url = f"/api/v1/disposal/{disposal_id}/workflow/"
    assert clerk.api("POST", url + "submit", json={}).status_code == 200
    assert _status(app, asset_id) == "pending_disposal"
    response = bureau.api("POST", url + "approve", json={"comment": "同意划转"})
    assert response.status_code == 200, response.get_json()
    assert "1 张资产卡片无偿划转至“乌鲁木齐市天山区教育局”，保持申请前的状态" in str(response.get_json())
    with app.app_context():
        asset = db.session.get(Asset, asset_id)
        assert (asset.organization.name, asset.status, asset.custodian_id) == (EDUCATION, "idle", None)
        assert asset.jurisdiction_id == asset.organization.jurisdiction_id
        number = db.session.get(Disposal, disposal_id).document_number
        move = db.session.execute(select(AssetMovement).where(
            AssetMovement.asset_id == asset_id, AssetMovement.kind == "free_transfer")).scalar_one()
        assert move.source == f"disposal:{disposal_id}" and move.to_status == "idle"
        assert (move.from_organization.name, move.to_organization.name) == (TIANSHAN, EDUCATION)
    card = bureau.text(f"/assetview/show/{asset_id}")
    assert "无偿划转" in card and f"{TIANSHAN} → {EDUCATION}" in card
    assert f"无偿划转：由{TIANSHAN}划转至{EDUCATION}（处置申请 {number}）" in card
    # the giving side keeps its approved application naming the recipient; the card is no longer its own
    assert EDUCATION in clerk.text(f"/disposalview/show/{disposal_id}")
    assert clerk.api("GET", f"/api/v1/asset/{asset_id}").status_code == 404
    pdf = bureau.post("/reports/assets_disposal_form/render",
                      data={"action": "pdf", "disposal_id": str(disposal_id)}).data
    assert f"无偿划转（接收单位：{EDUCATION}）" in _pdftext(pdf, tmp_path)


# --- Art. 19: proceeds not paid to the treasury within the standard's period -------------------------

def _approved_sale(app, login):
    asset_id = make_asset(app)
    disposal_id = make_disposal(app, asset_id, method="sale")
    _decide(login("tianshan_clerk"), disposal_id, "submit")
    _decide(login("tianshan_bureau"), disposal_id, "approve")
    return disposal_id


def _unpaid_findings(app, proceeds_id, status="open"):
    with app.app_context():
        return db.session.execute(select(Finding).where(
            Finding.rule_key == "assets.disposal_proceeds_unpaid", Finding.entity_id == str(proceeds_id),
            Finding.status == status)).scalars().all()


def test_art19_proceeds_unpaid_after_the_period_are_flagged_and_paying_closes_it(app, login):
    """第十九条 处置收益上缴国库: proceeds received longer ago than the standard's period (30 天 in the
    demo) and not paid in get a finding; paying them in (上缴国库) closes it."""
    disposal_id = _approved_sale(app, login)
    clerk = login("tianshan_clerk")
    with app.app_context():
        received = local_today() - dt.timedelta(days=45)  # the rule's day is the display zone's
    response = clerk.api("POST", "/api/v1/disposal_proceeds/", json={
        "disposal_id": disposal_id, "amount": 620, "received_on": received.isoformat(),
        "paid_to_treasury": False})
    assert response.status_code == 201, response.get_json()
    pk = response.get_json()["id"]
    (finding,) = _unpaid_findings(app, pk)
    assert finding.article == 19
    assert finding.message == (f"处置收入 620.00 元于 {received.isoformat()} 收款，45 天仍未上缴国库，"
                               "超过规定的 30 天期限")
    assert "45 天仍未上缴国库" in login("urumqi_bureau").text("/findingview/list/")
    response = clerk.api("POST", f"/api/v1/disposal_proceeds/{pk}/pay_to_treasury",
                         json={"paid_on": received.isoformat()})
    assert response.status_code == 200, response.get_json()
    assert _unpaid_findings(app, pk) == [] and len(_unpaid_findings(app, pk, "resolved")) == 1


def test_art19_the_periodic_check_flags_proceeds_once_when_the_period_runs_out(app, login, cli):
    """第十九条: proceeds recorded in time and left unpaid are flagged by `jiguan assets check-proceeds`
    once the period has run out — once, however often it runs — and show in 逾期事项."""
    disposal_id = _approved_sale(app, login)
    clerk = login("tianshan_clerk")
    received = TODAY - dt.timedelta(days=3)
    response = clerk.api("POST", "/api/v1/disposal_proceeds/", json={
        "disposal_id": disposal_id, "amount": 480, "received_on": received.isoformat(),
        "paid_to_treasury": False})
    pk = response.get_json()["id"]
    assert _unpaid_findings(app, pk) == []  # within the period
    result = cli("assets", "check-proceeds")
    assert result.exit_code == 0, result.output
    assert _unpaid_findings(app, pk) == []
    later = (received + dt.timedelta(days=31)).isoformat()
    result = cli("assets", "check-proceeds", "--today", later)
    assert result.exit_code == 0 and "新列入问题清单" in result.output, result.output
    (finding,) = _unpaid_findings(app, pk)
    assert finding.message == (f"处置收入 480.00 元于 {received.isoformat()} 收款，31 天仍未上缴国库，"
                               "超过规定的 30 天期限")
    cli("assets", "check-proceeds", "--today", later)
    assert len(_unpaid_findings(app, pk)) == 1  # no duplicate
    with app.app_context():
        from plugins.assets.disposal.dashboard import overdue_proceeds

        items = overdue_proceeds(None, received + dt.timedelta(days=31))
        mine = [i for i in items if i.record.id == pk]
        due = (received + dt.timedelta(days=30)).isoformat()
        assert mine and mine[0].text == f"处置收入 480.00 元应于 {due} 前上缴国库，至今未上缴（逾期 1 天）"
