"""The shared pool 公物仓 (Art. 18): catalogue scope, entry, repair, requests and 无偿划转, the report.

Every test builds its own assets and pool items (numbers T-POOL-…), so the demo stays as a
person walking it would find it; each runs on SQLite and PostgreSQL.
"""

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
from core.scoping import acting_as
from plugins.assets.cards.models import Asset, AssetMovement
from plugins.assets.pool.models import PoolItem, PoolRepair, PoolRequest
from tests.plugins.assets.helpers import equipment_class

_numbers = itertools.count(1)


def _org(name):
    return db.session.execute(select(Organization).where(Organization.name == name)).scalar_one()


URUMQI_BUREAU = "乌鲁木齐市机关事务管理局"
URUMQI_FINANCE = "乌鲁木齐市财政局"
TIANSHAN_FINANCE = "乌鲁木齐市天山区财政局"
KASHGAR_FINANCE = "喀什市财政局"
KASHGAR_BUREAU = "喀什市机关事务管理局"


def make_asset(owner=URUMQI_FINANCE, status="in_use", name="台式计算机") -> int:
    """A fresh card written by the system (as the demo would); returns its id."""
    org = _org(owner)
    cls = equipment_class()
    asset = Asset(number=f"T-POOL-{next(_numbers):04d}-{dt.datetime.now():%H%M%S%f}", asset_class=cls,
                  name=name, specification="测试", quantity=1, unit="台", original_value=Decimal("5000"),
                  acquired_on=dt.date(2022, 5, 1), organization=org, jurisdiction=org.jurisdiction,
                  status=status, custodian=None)
    db.session.add(asset)
    db.session.commit()
    return asset.id


def make_item(app, owner=URUMQI_FINANCE, bureau=URUMQI_BUREAU, **extra) -> tuple[int, int]:
    """(asset id, pool item id) of a fresh asset put into ``bureau``'s pool."""
    with app.app_context():
        asset_id = make_asset(owner)
        item = PoolItem(asset_id=asset_id, organization=_org(bureau), source_kind="idle",
                        entered_on=local_today(), condition="九成新", **extra)
        db.session.add(item)
        db.session.commit()
        return asset_id, item.id


def make_request(app, item_id, org=TIANSHAN_FINANCE) -> int:
    with app.app_context():
        request = PoolRequest(item_id=item_id, organization=_org(org), purpose="办公使用",
                              requested_on=local_today(), target_status="in_use")
        db.session.add(request)
        db.session.commit()
        return request.id


def _ids(app, *names):
    with app.app_context():
        return [_org(n).id for n in names]


def _get(app, model, pk):
    with app.app_context():
        obj = db.session.get(model, pk)
        db.session.expunge_all()
        return obj


# --- the catalogue: visible across the bureau's jurisdiction; the cards stay their owner's --------

def test_pool_catalogue_is_read_by_every_organisation_of_the_bureaus_jurisdiction(app, login):
    """Art. 18: 乌鲁木齐's pool is read in 天山区, not in 喀什; 喀什's pool the other way round."""
    tianshan = login("tianshan_clerk").text("/poolitemview/list/")
    assert "ZC-650100-P001" in tianshan and "ZC-650102-P003" in tianshan
    assert "ZC-653101-P001" not in tianshan
    kashgar = login("kashgar_clerk").text("/poolitemview/list/")
    assert "ZC-653101-P001" in kashgar
    assert "ZC-650100-P001" not in kashgar and "ZC-650100-P002" not in kashgar


def test_pool_catalogue_scope_on_the_api(app, login):
    with app.app_context():
        urumqi_items = [i.id for i in db.session.execute(
            select(PoolItem).where(PoolItem.organization_id == _org(URUMQI_BUREAU).id)).scalars()]
    kashgar = login("kashgar_clerk")
    listed = {row["id"] for row in kashgar.get("/api/v1/pool_item/?q=(page_size:100)").get_json()["result"]}
    assert urumqi_items and not listed & set(urumqi_items)
    assert kashgar.get(f"/api/v1/pool_item/{urumqi_items[0]}").status_code == 404
    tianshan = login("tianshan_clerk")
    assert tianshan.get(f"/api/v1/pool_item/{urumqi_items[0]}").status_code == 200


def test_the_asset_card_itself_stays_scoped_to_its_owner(app, login):
    with app.app_context():
        asset_id = db.session.execute(select(Asset.id).where(Asset.number == "ZC-650100-P002")).scalar_one()
    assert login("tianshan_clerk").get(f"/api/v1/asset/{asset_id}").status_code == 404


def test_a_clerk_cannot_write_the_bureaus_pool(app, login):
    _asset, item_id = make_item(app)
    clerk = login("tianshan_clerk")
    response = clerk.api("PUT", f"/api/v1/pool_item/{item_id}", json={"condition": "改了"})
    assert response.status_code in (403, 404)
    assert _get(app, PoolItem, item_id).condition == "九成新"


# --- entering the pool ----------------------------------------------------------------------------

def test_entering_the_pool_on_the_form_marks_the_asset_idle_and_writes_the_history(app, login):
    with app.app_context():
        asset_id = make_asset(status="in_use")
    bureau_id, = _ids(app, URUMQI_BUREAU)
    browser = login("urumqi_bureau")
    browser.post("/poolitemview/add", data={
        "asset": asset_id, "organization": bureau_id, "source_kind": "low_use",
        "entered_on": local_today().isoformat(), "condition": "八成新", "note": ""},
        follow_redirects=True)
    with app.app_context():
        item = db.session.execute(select(PoolItem).where(PoolItem.asset_id == asset_id)).scalar_one()
        assert item.status == "available" and item.jurisdiction.code == "650100"
        assert db.session.get(Asset, asset_id).status == "idle"
        moves = db.session.execute(select(AssetMovement).where(AssetMovement.asset_id == asset_id)).scalars()
        entry = [m for m in moves if m.kind == "pool_entry"]
        assert len(entry) == 1 and entry[0].from_status == "in_use" and entry[0].to_status == "idle"


def test_the_pool_is_kept_by_a_bureau_art18(app):
    """Art. 18: an organisation that is not a 机关事务管理部门 keeps no pool (direct write)."""
    with app.app_context():
        asset_id = make_asset()
        with pytest.raises(WriteRefused, match="不是机关事务管理部门.*第十八条"):
            db.session.add(PoolItem(asset_id=asset_id, organization=_org(URUMQI_FINANCE)))
            db.session.flush()
        db.session.rollback()
        with pytest.raises(WriteRefused, match="辖区不包括该资产所在辖区"):
            db.session.add(PoolItem(asset_id=asset_id, organization=_org(KASHGAR_BUREAU)))
            db.session.flush()
        db.session.rollback()
        assert db.session.get(Asset, asset_id).status == "in_use"


def test_an_asset_is_in_one_pool_once(app):
    asset_id, _item = make_item(app)
    with app.app_context():
        with pytest.raises(WriteRefused, match="已在公物仓中"):
            db.session.add(PoolItem(asset_id=asset_id, organization=_org(URUMQI_BUREAU)))
            db.session.flush()
        db.session.rollback()


# --- Art. 18: a request only from within the bureau's jurisdiction --------------------------------

def test_art18_request_from_outside_the_jurisdiction_blocked_on_the_form(app, login):
    """Art. 18: 乌鲁木齐市财政局 is not within 天山区, so it may not take from 天山区's pool."""
    _asset, item_id = make_item(app, owner="乌鲁木齐市天山区教育局",
                                bureau="乌鲁木齐市天山区机关事务服务中心")
    org_id, = _ids(app, URUMQI_FINANCE)
    html = login("urumqi_bureau").post("/poolrequestview/add", data={
        "item": item_id, "organization": org_id, "purpose": "越区申请", "requested_by": "",
        "requested_on": local_today().isoformat(), "target_status": "in_use", "note": ""},
        follow_redirects=True).get_data(as_text=True)
    assert "乌鲁木齐市财政局不在“天山区”机关事务管理部门的辖区内" in html and "第十八条" in html
    # a 喀什 clerk is not even offered 乌鲁木齐's items
    _asset, urumqi_item = make_item(app)
    kashgar_id, = _ids(app, KASHGAR_FINANCE)
    login("kashgar_clerk").post("/poolrequestview/add", data={
        "item": urumqi_item, "organization": kashgar_id, "purpose": "越区申请", "requested_by": "",
        "requested_on": local_today().isoformat(), "target_status": "in_use", "note": ""})
    with app.app_context():
        for pk in (item_id, urumqi_item):
            assert db.session.execute(select(PoolRequest).where(PoolRequest.item_id == pk)).first() is None


def test_art18_request_from_outside_the_jurisdiction_blocked_on_the_api(app, login):
    _asset, item_id = make_item(app)
    org_id, = _ids(app, KASHGAR_FINANCE)
    body = {"item_id": item_id, "organization_id": org_id, "purpose": "越区申请",
            "requested_on": local_today().isoformat(), "target_status": "in_use"}
    # a 喀什 clerk does not see 乌鲁木齐's pool, so it may not point to its items at all
    response = login("kashgar_clerk").api("POST", "/api/v1/pool_request/", json=body)
    assert response.status_code == 403, response.get_json()
    assert "所选的公物仓物品不在您的权限范围内" in response.get_json()["message"]
    # the region's bureau sees both: Art. 18's rule refuses a request from outside the pool's area
    response = login("xj_bureau").api("POST", "/api/v1/pool_request/", json=body)
    assert response.status_code == 422, response.get_json()
    assert "不在“乌鲁木齐市”机关事务管理部门的辖区内" in response.get_json()["message"]
    assert "第十八条" in response.get_json()["message"]
    with app.app_context():
        assert db.session.execute(select(PoolRequest).where(PoolRequest.item_id == item_id)).first() is None


def test_art18_request_from_outside_the_jurisdiction_blocked_on_direct_write(app):
    _asset, item_id = make_item(app)
    with app.app_context():
        clerk = app.appbuilder.sm.find_user(username="kashgar_clerk")
        with acting_as(clerk), pytest.raises(ScopeViolation, match="所选的公物仓物品不在您的权限范围内"):
            db.session.add(PoolRequest(item_id=item_id, organization=_org(KASHGAR_FINANCE),
                                       purpose="越区", requested_on=local_today()))
            db.session.flush()
        db.session.rollback()
        bureau = app.appbuilder.sm.find_user(username="xj_bureau")
        refused = pytest.raises(WriteRefused, match="不能申请调剂该公物仓的资产（《办法》第十八条）")
        with acting_as(bureau), refused:
            db.session.add(PoolRequest(item_id=item_id, organization=_org(KASHGAR_FINANCE),
                                       purpose="越区", requested_on=local_today()))
            db.session.flush()
        db.session.rollback()


def test_art18_request_within_the_jurisdiction_saved_on_the_form(app, login):
    _asset, item_id = make_item(app)
    org_id, = _ids(app, TIANSHAN_FINANCE)
    login("tianshan_clerk").post("/poolrequestview/add", data={
        "item": item_id, "organization": org_id, "purpose": "新增岗位", "requested_by": "",
        "requested_on": local_today().isoformat(), "target_status": "in_use", "note": ""},
        follow_redirects=True)
    with app.app_context():
        request = db.session.execute(select(PoolRequest).where(PoolRequest.item_id == item_id)).scalar_one()
        assert request.state == "draft" and request.jurisdiction.code == "650102"


# --- the flow: submit reserves, the bureau approves, ownership moves ------------------------------

def _decide(browser, pk, action, comment=""):
    return browser.post(f"/poolrequestview/workflow/{pk}/{action}", data={"comment": comment},
                        follow_redirects=True).get_data(as_text=True)


def test_request_submitted_and_approved_on_the_screens_moves_the_asset(app, login):
    asset_id, item_id = make_item(app)
    request_id = make_request(app, item_id)
    clerk, bureau = login("tianshan_clerk"), login("urumqi_bureau")
    _decide(clerk, request_id, "submit", "请审批")
    assert _get(app, PoolRequest, request_id).state == "submitted"
    assert "已预订" in clerk.text(f"/poolitemview/show/{item_id}")
    html = _decide(bureau, request_id, "approve", "同意调剂")
    assert "已批准" in html
    with app.app_context():
        asset, item = db.session.get(Asset, asset_id), db.session.get(PoolItem, item_id)
        assert item.status == "transferred" and item.status_label == "已调剂"
        assert asset.organization.name == TIANSHAN_FINANCE and asset.jurisdiction.code == "650102"
        assert asset.custodian_id is None and asset.status == "in_use"
        move = db.session.execute(select(AssetMovement).where(
            AssetMovement.asset_id == asset_id, AssetMovement.kind == "pool_transfer")).scalar_one()
        assert move.source == f"pool_request:{request_id}"
        assert move.from_organization.name == URUMQI_FINANCE and move.to_organization.name == TIANSHAN_FINANCE
    # the card now belongs to 天山区财政局: its clerk reads it, with its history
    assert login("tianshan_clerk").get(f"/api/v1/asset/{asset_id}").status_code == 200


def test_an_item_reserved_or_transferred_cannot_be_requested_twice(app, login):
    _asset, item_id = make_item(app)
    first = make_request(app, item_id)
    second = make_request(app, item_id)  # two drafts may compete; only one is submitted
    clerk = login("tianshan_clerk")
    _decide(clerk, first, "submit")
    html = _decide(clerk, second, "submit")
    assert "已被其他单位预订，不能重复申请" in html
    assert _get(app, PoolRequest, second).state == "draft"
    org_id, = _ids(app, TIANSHAN_FINANCE)
    response = clerk.api("POST", "/api/v1/pool_request/", json={
        "item_id": item_id, "organization_id": org_id, "purpose": "再次申请",
        "requested_on": local_today().isoformat(), "target_status": "in_use"})
    assert response.status_code == 422 and "已被预订" in response.get_json()["message"]
    _decide(login("urumqi_bureau"), first, "approve")
    response = clerk.api("POST", "/api/v1/pool_request/", json={
        "item_id": item_id, "organization_id": org_id, "purpose": "三次申请",
        "requested_on": local_today().isoformat(), "target_status": "in_use"})
    assert response.status_code == 422 and "已调剂" in response.get_json()["message"]


def test_reject_on_the_api_needs_a_comment_and_frees_the_item(app, login):
    asset_id, item_id = make_item(app)
    request_id = make_request(app, item_id)
    clerk, bureau = login("tianshan_clerk"), login("urumqi_bureau")
    url = f"/api/v1/pool_request/{request_id}/workflow/"
    assert clerk.api("POST", url + "submit", json={"comment": "请审批"}).status_code == 200
    assert bureau.api("POST", url + "reject", json={}).status_code == 422
    response = bureau.api("POST", url + "reject", json={"comment": "该物品另有安排"})
    assert response.status_code == 200 and response.get_json()["state"] == "rejected"
    with app.app_context():
        item = db.session.get(PoolItem, item_id)
        assert item.effective_status == "available"
        assert db.session.get(Asset, asset_id).organization.name == URUMQI_FINANCE


def test_approve_on_the_api_and_only_by_the_pools_bureau(app, login):
    asset_id, item_id = make_item(app)
    request_id = make_request(app, item_id)
    url = f"/api/v1/pool_request/{request_id}/workflow/"
    assert login("tianshan_clerk").api("POST", url + "submit", json={}).status_code == 200
    # a clerk decides nothing on a pool, least of all another jurisdiction's
    assert login("kashgar_clerk").api("POST", url + "approve", json={}).status_code in (403, 404)
    assert _get(app, PoolRequest, request_id).state == "submitted"
    response = login("urumqi_bureau").api("POST", url + "approve", json={"comment": "同意"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["state"] == "approved"
    assert _get(app, Asset, asset_id).organization_id == _ids(app, TIANSHAN_FINANCE)[0]


# --- repair before reuse --------------------------------------------------------------------------

def test_an_item_under_repair_cannot_be_transferred_until_the_repair_is_finished(app, login):
    asset_id, item_id = make_item(app)
    bureau = login("urumqi_bureau")
    bureau.post("/poolrepairview/add", data={
        "item": item_id, "repaired_on": local_today().isoformat(), "description": "更换硬盘",
        "cost": "300", "done_by": "维修部"}, follow_redirects=True)
    with app.app_context():
        repair = db.session.execute(select(PoolRepair).where(PoolRepair.item_id == item_id)).scalar_one()
        repair_id = repair.id
        assert repair.finished is False and db.session.get(Asset, asset_id).status == "repair"
    request_id = make_request(app, item_id)
    html = _decide(login("tianshan_clerk"), request_id, "submit")
    assert "尚有未完成的维修，维修完成前不能调剂" in html
    assert _get(app, PoolRequest, request_id).state == "draft"
    response = bureau.api("PUT", f"/api/v1/pool_repair/{repair_id}", json={"finished": True})
    assert response.status_code == 200, response.get_json()
    with app.app_context():
        assert db.session.get(Asset, asset_id).status == "idle"
        kinds = [m.kind for m in db.session.execute(select(AssetMovement).where(
            AssetMovement.asset_id == asset_id).order_by(AssetMovement.id)).scalars()]
        assert kinds == ["pool_entry", "repair", "repair"]
    _decide(login("tianshan_clerk"), request_id, "submit")
    assert _get(app, PoolRequest, request_id).state == "submitted"


def test_demo_walk(app, login):
    """The demo: 天山区's request awaits urumqi_bureau; the 一体机 is under repair."""
    bureau = login("urumqi_bureau")
    html = bureau.text("/poolrequestview/list/")
    assert "乌鲁木齐市天山区财政局" in html and "已提交" in html
    assert "维修" in bureau.text("/poolrepairview/list/")


# --- the report -----------------------------------------------------------------------------------

def _pdftext(pdf: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils missing")
    path = tmp_path / "pool.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return re.sub(r"\s+", "", out)


def test_pool_report_lists_available_items_with_totals(app, login, tmp_path):
    bureau = login("urumqi_bureau")
    response = bureau.post("/reports/assets_pool_available/render", data={"action": "pdf"})
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = _pdftext(response.data, tmp_path)
    assert "公物仓可调剂资产清单" in text and "公物仓：乌鲁木齐市机关事务管理局" in text
    assert "ZC-650102-P003" in text and "文件柜" in text and "合计" in text
    assert "ZC-650100-P001" not in text  # reserved by 天山区's request: not available
    kashgar = login("kashgar_clerk").post("/reports/assets_pool_available/render", data={"action": "pdf"})
    text = _pdftext(kashgar.data, tmp_path)
    assert "ZC-653101-P001" in text and "ZC-650102-P003" not in text


def test_every_pool_screen_renders_in_chinese(app, login):
    with app.app_context():
        item_id = db.session.execute(select(PoolItem.id).join(Asset).where(
            Asset.number == "ZC-650100-P002")).scalar_one()
        request = db.session.execute(select(PoolRequest.id)).scalars().first()
    for user in ("urumqi_bureau", "tianshan_clerk"):
        browser = login(user)
        for url in ("/poolitemview/list/", f"/poolitemview/show/{item_id}", "/poolrequestview/list/",
                    "/poolrequestview/add", f"/poolrequestview/show/{request}", "/poolrepairview/list/"):
            response = browser.get(url)
            assert response.status_code == 200, (user, url)
    form = login("tianshan_clerk").text("/poolrequestview/add")
    assert "ZC-650102-P003" in form and "ZC-650100-P001" not in form  # reserved: not offered
    assert "ZC-653101-P001" not in form  # 喀什's pool
    bureau = login("urumqi_bureau")
    assert bureau.get("/poolitemview/add").status_code == 200
    show = bureau.text(f"/poolitemview/show/{item_id}")
    assert "更换进纸器组件" in show and "多功能一体机" in show  # the repair under the item


def test_transferred_only_by_an_approved_request_and_withdrawal_is_on_the_card(app, login):
    asset_id, item_id = make_item(app)
    bureau = login("urumqi_bureau")
    response = bureau.api("PUT", f"/api/v1/pool_item/{item_id}", json={"status": "transferred"})
    assert response.status_code == 422 and "只能由批准调剂申请产生" in response.get_json()["message"]
    response = bureau.api("PUT", f"/api/v1/pool_item/{item_id}", json={"status": "withdrawn"})
    assert response.status_code == 200, response.get_json()
    with app.app_context():
        notes = [m.note for m in db.session.execute(select(AssetMovement).where(
            AssetMovement.asset_id == asset_id)).scalars()]
        assert "撤出公物仓" in notes
    org_id, = _ids(app, TIANSHAN_FINANCE)
    response = login("tianshan_clerk").api("POST", "/api/v1/pool_request/", json={
        "item_id": item_id, "organization_id": org_id, "purpose": "办公使用",
        "requested_on": local_today().isoformat(), "target_status": "in_use"})
    assert response.status_code == 422 and "已撤回" in response.get_json()["message"]


def test_reject_on_the_screen_needs_a_comment(app, login):
    _asset, item_id = make_item(app)
    request_id = make_request(app, item_id)
    bureau = login("urumqi_bureau")
    _decide(login("tianshan_clerk"), request_id, "submit")
    assert "必须填写意见" in _decide(bureau, request_id, "reject")
    assert _get(app, PoolRequest, request_id).state == "submitted"
    _decide(bureau, request_id, "reject", "该物品已安排他用")
    assert _get(app, PoolRequest, request_id).state == "rejected"
    with app.app_context():
        assert db.session.get(PoolItem, item_id).effective_status == "available"


def test_entering_the_pool_on_the_api(app, login):
    """Art. 18: through the API too — the pool's jurisdiction is the bureau's, a non-bureau is refused."""
    with app.app_context():
        asset_id = make_asset()
    bureau_id, finance_id = _ids(app, URUMQI_BUREAU, URUMQI_FINANCE)
    browser = login("urumqi_bureau")
    body = {"asset_id": asset_id, "source_kind": "big_event", "entered_on": local_today().isoformat(),
            "condition": "全新", "status": "available"}
    response = browser.api("POST", "/api/v1/pool_item/", json={**body, "organization_id": finance_id})
    assert response.status_code == 422 and "第十八条" in response.get_json()["message"]
    response = browser.api("POST", "/api/v1/pool_item/", json={**body, "organization_id": bureau_id})
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        item = db.session.get(PoolItem, response.get_json()["id"])
        assert item.jurisdiction.code == "650100" and item.asset.status == "idle"


def test_a_submitted_request_is_named_by_its_document_number(app):
    """The demo's submitted request reads 调剂申请 TJ-2026-00001, never 调剂申请 1 (docs/workflow.md)."""
    from core.workflow.numbering import DocumentNumber

    with app.app_context():
        numbered = db.session.execute(select(DocumentNumber).where(
            DocumentNumber.entity == "pool_request")).scalars().first()
        request = db.session.get(PoolRequest, int(numbered.entity_id))
        assert str(request) == f"调剂申请 {numbered.number}"
        assert numbered.number.startswith("TJ-")
