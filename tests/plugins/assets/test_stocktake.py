"""Stocktake (清查盘点, Art. 18): open → count → discrepancies → submit → approve, scope, sheets."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest
from sqlalchemy import func, select

from catalog.models import Organization
from core.extensions import db
from core.models import AuditLog
from plugins.assets.cards.models import Asset, AssetClass, AssetMovement
from plugins.assets.stocktake.models import Stocktake, StocktakeLine, StocktakeSurplus
from tests.plugins.assets.helpers import equipment_class

TIANSHAN = "乌鲁木齐市天山区财政局"


@pytest.fixture
def org_id(app):
    with app.app_context():
        return db.session.execute(select(Organization.id).where(Organization.name == TIANSHAN)).scalar_one()


def open_stocktake(app, login, org_id) -> int:
    """The clerk opens a stocktake on the add form; its lines are the organisation's assets."""
    clerk = login("tianshan_clerk")
    clerk.post("/stocktakeview/add", data={"organization": org_id, "planned_on": "2026-11-20",
                                           "counted_on": "", "note": "测试盘点"})
    with app.app_context():
        return db.session.execute(select(func.max(Stocktake.id))
                                  .where(Stocktake.organization_id == org_id)).scalar()


def lines_of(app, pk) -> list[dict]:
    with app.app_context():
        rows = db.session.execute(select(StocktakeLine).where(StocktakeLine.stocktake_id == pk)
                                  .order_by(StocktakeLine.id)).scalars()
        return [dict(id=r.id, asset_id=r.asset_id, expected_status=r.expected_status,
                     expected_location=r.expected_location, found=r.found, counted_status=r.counted_status,
                     counted_location=r.counted_location) for r in rows]


def count_form(lines, loss=(), status=None, location=None, uncounted=()):
    """Every line found as on the books, except the given ones."""
    data = {"counted_on": "2026-11-21"}
    for line in lines:
        lid = line["id"]
        data[f"found_{lid}"] = "" if lid in uncounted else ("0" if lid in loss else "1")
        data[f"status_{lid}"] = (status or {}).get(lid, "")
        data[f"location_{lid}"] = (location or {}).get(lid, "")
        data[f"note_{lid}"] = "未找到" if lid in loss else ""
    return data


def assets_state(app, ids) -> dict:
    with app.app_context():
        return {a.id: (a.status, a.location, a.version)
                for a in db.session.execute(select(Asset).where(Asset.id.in_(ids))).scalars()}


def pick(lines):
    """Three lines of assets that are in use or idle: one lost, one with a new status, one moved."""
    usable = [line for line in lines if line["expected_status"] in ("in_use", "idle")]
    return usable[0], usable[1], usable[2]


def test_demo_stocktakes(app):
    with app.app_context():
        org = db.session.execute(select(Organization).where(Organization.name == TIANSHAN)).scalar_one()
        stocktakes = db.session.execute(select(Stocktake).where(Stocktake.organization_id == org.id)
                                        .order_by(Stocktake.id)).scalars().all()
        submitted = [s for s in stocktakes if s.state == "submitted"]
        assert submitted and any(s.state == "draft" for s in stocktakes)
        kinds = {k for line in submitted[0].lines for k in line.discrepancies}
        assert kinds == {"loss", "status", "location"} and submitted[0].surpluses
        assert submitted[0].uncounted == 0


def test_opening_snapshots_the_organisations_assets(app, login, org_id):
    pk = open_stocktake(app, login, org_id)
    lines = lines_of(app, pk)
    with app.app_context():
        # every card on the books: neither disposed nor voided (作废, tests/plugins/assets/test_operations.py)
        assets = db.session.execute(select(Asset).where(Asset.organization_id == org_id,
                                                        Asset.status != "disposed",
                                                        Asset.voided_at.is_(None))).scalars().all()
        stocktake = db.session.get(Stocktake, pk)
        assert stocktake.state == "draft"
        assert stocktake.jurisdiction_id == stocktake.organization.jurisdiction_id
        by_asset = {line["asset_id"]: line for line in lines}
        assert set(by_asset) == {a.id for a in assets}
        for asset in assets:
            assert by_asset[asset.id]["expected_status"] == asset.status
            assert by_asset[asset.id]["expected_location"] == asset.location
            assert by_asset[asset.id]["found"] is None


def test_open_count_approve_applies_adjustments_audited(app, login, org_id):
    """Art. 18: the bureau's approval applies the counted differences to the cards, with history and audit."""
    pk = open_stocktake(app, login, org_id)
    lines = lines_of(app, pk)
    lost, changed, moved = pick(lines)
    new_status = "repair" if changed["expected_status"] != "repair" else "idle"
    clerk = login("tianshan_clerk")
    # submitting before every line is counted is refused
    response = clerk.api("POST", f"/api/v1/asset_stocktake/{pk}/workflow/submit", json={})
    assert response.status_code == 422 and "未录入实盘结果" in response.get_json()["message"]
    html = clerk.post(f"/stocktakeview/count/{pk}", data=count_form(
        lines, loss=[lost["id"]], status={changed["id"]: new_status},
        location={moved["id"]: "档案室 105"}), follow_redirects=True).get_data(as_text=True)
    assert "已保存实盘结果" in html
    with app.app_context():
        furniture = db.session.execute(select(AssetClass.id).where(AssetClass.code == "5010000")).scalar_one()
    clerk.post(f"/stocktakeview/surplus/{pk}", data={
        "name": "旧书柜", "class_id": furniture, "quantity": "1", "unit": "组", "estimated_value": "700",
        "location": "档案室"})
    page = clerk.text(f"/stocktakeview/discrepancies/{pk}")
    totals = dict(re.findall(r'<tr data-kind="(\w+)"><td>[^<]+</td><td>(\d+)</td>', page))
    assert totals == {"loss": "1", "surplus": "1", "status": "1", "location": "1"}
    assert "旧书柜" in page and "档案室 105" in page
    ids = [lost["asset_id"], changed["asset_id"], moved["asset_id"]]
    before = assets_state(app, ids)
    clerk.post(f"/stocktakeview/workflow/{pk}/submit", data={"comment": "盘点完成"})
    assert assets_state(app, ids) == before  # submitting changes no asset
    # the clerk cannot decide; the bureau approves on the API
    assert clerk.api("POST", f"/api/v1/asset_stocktake/{pk}/workflow/approve", json={}).status_code == 403
    response = login("urumqi_bureau").api("POST", f"/api/v1/asset_stocktake/{pk}/workflow/approve",
                                          json={"comment": "同意按盘点结果调整"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["state"] == "approved"
    # the approval says what it did to the cards (it used to change them silently)
    assert response.get_json()["effects"] == [
        "3 张资产卡片按盘点结果调整（状态或存放地点）", "盘盈新增 1 张资产卡片"]
    with app.app_context():
        assets = {a.id: a for a in db.session.execute(select(Asset).where(Asset.id.in_(ids))).scalars()}
        assert assets[lost["asset_id"]].status == "pending_disposal"
        assert assets[changed["asset_id"]].status == new_status
        assert assets[moved["asset_id"]].location == "档案室 105"
        source = f"stocktake:{pk}"
        movements = db.session.execute(select(AssetMovement)
                                       .where(AssetMovement.source == source)).scalars().all()
        assert {m.asset_id for m in movements} >= set(ids) and len(movements) == 4
        assert all(m.kind == "stocktake_adjustment" for m in movements)
        surplus_asset = db.session.execute(select(Asset).where(Asset.number.like(f"PY-{org_id}-{pk:04d}-%"))
                                           ).scalar_one()
        assert surplus_asset.name == "旧书柜" and surplus_asset.organization_id == org_id
        audited = set(db.session.execute(select(AuditLog.entity_id).where(
            AuditLog.entity == "asset", AuditLog.username == "urumqi_bureau")).scalars())
        assert {str(i) for i in [*ids, surplus_asset.id]} <= audited
    # approved: the counts are closed on every path
    html = clerk.post(f"/stocktakeview/count/{pk}", data=count_form(lines), follow_redirects=True
                      ).get_data(as_text=True)
    assert "不能再录入或修改实盘结果" in html
    assert lines_of(app, pk)[0]["found"] is not None


def test_reject_and_withdraw_change_no_asset(app, login, org_id):
    pk = open_stocktake(app, login, org_id)
    lines = lines_of(app, pk)
    lost, changed, _moved = pick(lines)
    clerk, bureau = login("tianshan_clerk"), login("urumqi_bureau")
    clerk.post(f"/stocktakeview/count/{pk}", data=count_form(lines, loss=[lost["id"]],
                                                              status={changed["id"]: "lent"}))
    ids = [line["asset_id"] for line in lines]
    before = assets_state(app, ids)
    assert clerk.api("POST", f"/api/v1/asset_stocktake/{pk}/workflow/submit", json={}).status_code == 200
    # locked while submitted: the line API refuses with the rule's message
    response = clerk.api("PUT", f"/api/v1/asset_stocktake_line/{lost['id']}", json={"found": True})
    assert response.status_code == 422 and "不能再录入或修改实盘结果" in response.get_json()["message"]
    assert clerk.api("POST", f"/api/v1/asset_stocktake/{pk}/workflow/withdraw",
                     json={"comment": "补录"}).status_code == 200
    assert assets_state(app, ids) == before
    assert clerk.api("POST", f"/api/v1/asset_stocktake/{pk}/workflow/submit", json={}).status_code == 200
    assert bureau.api("POST", f"/api/v1/asset_stocktake/{pk}/workflow/reject", json={}).status_code == 422
    html = bureau.post(f"/stocktakeview/workflow/{pk}/reject", data={"comment": "请复核盘亏原因"},
                       follow_redirects=True).get_data(as_text=True)
    assert "已退回" in html
    with app.app_context():
        assert db.session.get(Stocktake, pk).state == "rejected"
        assert db.session.execute(select(func.count(AssetMovement.id))
                                  .where(AssetMovement.source == f"stocktake:{pk}")).scalar() == 0
    assert assets_state(app, ids) == before
    # rejected: counts are open again
    response = clerk.api("PUT", f"/api/v1/asset_stocktake_line/{lost['id']}", json={"found": True})
    assert response.status_code == 200, response.get_json()


def test_line_book_side_is_fixed_and_status_checked(app, login, org_id):
    pk = open_stocktake(app, login, org_id)
    line = lines_of(app, pk)[0]
    clerk = login("tianshan_clerk")
    url = f"/api/v1/asset_stocktake_line/{line['id']}"
    response = clerk.api("PUT", url, json={"expected_status": "lent"})
    assert response.status_code == 422 and "不能修改" in response.get_json()["message"]
    response = clerk.api("PUT", url, json={"counted_status": "lost"})
    assert response.status_code == 422
    html = clerk.post(f"/stocktakeview/count/{pk}", data={f"found_{line['id']}": "1",
                                                          f"status_{line['id']}": "lost"},
                      follow_redirects=True).get_data(as_text=True)
    assert "未知的资产状态" in html
    assert lines_of(app, pk)[0] == line


def test_open_on_api_and_scope(app, login, org_id):
    clerk = login("tianshan_clerk")
    response = clerk.api("POST", "/api/v1/asset_stocktake/", json={"organization_id": org_id,
                                                                   "planned_on": "2031-06-15"})
    assert response.status_code == 201, response.get_json()
    pk = response.get_json()["id"]
    assert len(lines_of(app, pk)) > 0
    kashgar = login("kashgar_clerk")
    assert kashgar.get(f"/stocktakeview/show/{pk}").status_code == 404
    assert kashgar.get(f"/stocktakeview/count/{pk}").status_code == 404
    assert kashgar.post(f"/stocktakeview/count/{pk}", data={}).status_code == 404
    assert kashgar.get(f"/stocktakeview/discrepancies/{pk}").status_code == 404
    assert kashgar.api("GET", f"/api/v1/asset_stocktake/{pk}").status_code == 404
    assert kashgar.api("POST", f"/api/v1/asset_stocktake/{pk}/workflow/submit", json={}).status_code == 404
    line = lines_of(app, pk)[0]
    assert kashgar.api("PUT", f"/api/v1/asset_stocktake_line/{line['id']}", json={"found": False}
                       ).status_code == 404
    assert TIANSHAN not in kashgar.text("/stocktakeview/list/")
    response = kashgar.api("POST", "/api/v1/asset_stocktake/", json={"organization_id": org_id,
                                                                     "planned_on": "2031-06-15"})
    assert response.status_code == 403
    report = kashgar.api("POST", "/api/v1/reports/stocktake_sheet/render",
                         json={"params": {"stocktake": str(pk)}})
    assert report.status_code == 422
    assert lines_of(app, pk)[0] == line
    with app.app_context():
        assert db.session.execute(select(func.count(Stocktake.id)).where(
            Stocktake.organization_id == org_id, Stocktake.planned_on == dt.date(2031, 6, 15))).scalar() == 1


# --- the sheets --------------------------------------------------------------------------------

def pdftext(pdf: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils missing: run `make system-deps` to read PDFs back")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return re.sub(r"\s+", "", out)


def test_count_sheet_lists_the_assets(app, login, org_id, tmp_path):
    pk = open_stocktake(app, login, org_id)
    with app.app_context():
        numbers = [line.asset.number for line in db.session.get(Stocktake, pk).lines]
    response = login("tianshan_clerk").api("POST", "/api/v1/reports/stocktake_sheet/render",
                                           json={"params": {"stocktake": f"PD{pk:05d}"}})  # old style
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    text = pdftext(response.data, tmp_path)
    assert "资产盘点表" in text and "实盘" in text and "盘点人" in text and "监盘人" in text
    assert all(number in text for number in numbers)
    assert f"账面资产{len(numbers)}项" in text
    clerk = login("tianshan_clerk")
    assert 'id="print-sheet"' in clerk.text(f"/stocktakeview/show/{pk}")
    response = clerk.post("/reports/stocktake_sheet/render", data={"stocktake": str(pk), "action": "pdf"})
    assert response.mimetype == "application/pdf" and "资产盘点表" in pdftext(response.data, tmp_path)


def test_discrepancy_sheet_totals(app, login, tmp_path):
    """The demo's submitted stocktake: one of each kind; totals by kind and value."""
    with app.app_context():
        stocktake = db.session.execute(select(Stocktake).where(Stocktake.state == "submitted")
                                       .order_by(Stocktake.id)).scalars().first()
        pk = stocktake.id
        lost = next(line for line in stocktake.lines if line.found is False)
        lost_number, lost_value = lost.asset.number, lost.asset.original_value
        surplus = db.session.execute(select(StocktakeSurplus).where(StocktakeSurplus.stocktake_id == pk)
                                     ).scalars().first()
        surplus_value = surplus.estimated_value
    response = login("urumqi_bureau").api("POST", "/api/v1/reports/stocktake_discrepancies/render",
                                          json={"params": {"stocktake": str(pk)}})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    text = pdftext(response.data, tmp_path)
    assert "资产盘点差异表" in text and lost_number in text and "书柜" in text
    assert f"盘亏小计1项{lost_value:,.2f}" in text
    assert f"盘盈小计1项{surplus_value:,.2f}" in text
    assert "状态不符小计1项" in text and "地点不符小计1项" in text
    assert "合计（涉及资产）4项" in text


def test_organization_is_fixed_and_surplus_on_api(app, login, org_id):
    """Art. 18: a stocktake stays with the organisation whose assets it lists; surplus through the API."""
    pk = open_stocktake(app, login, org_id)
    with app.app_context():
        other = db.session.execute(select(Organization.id).where(
            Organization.name == "乌鲁木齐市天山区人民政府办公室")).scalar()
        other = other or db.session.execute(select(Organization.id).where(Organization.id != org_id)).scalar()
        furniture = db.session.execute(select(AssetClass.id).where(AssetClass.code == "5010000")).scalar_one()
    bureau = login("urumqi_bureau")
    response = bureau.api("PUT", f"/api/v1/asset_stocktake/{pk}", json={"organization_id": other})
    assert response.status_code == 422 and "不能更改" in response.get_json()["message"]
    clerk = login("tianshan_clerk")
    response = clerk.api("POST", "/api/v1/asset_stocktake_surplus/", json={
        "stocktake_id": pk, "class_id": furniture, "name": "茶几", "quantity": 1, "unit": "张",
        "estimated_value": 300})
    assert response.status_code == 201, response.get_json()
    response = clerk.api("POST", "/api/v1/asset_stocktake_surplus/", json={
        "stocktake_id": pk, "class_id": furniture, "name": "茶几", "quantity": 0, "unit": "张",
        "estimated_value": 300})
    assert response.status_code == 422
    with app.app_context():
        stocktake = db.session.get(Stocktake, pk)
        assert stocktake.organization_id == org_id
        assert [(s.name, s.organization_id) for s in stocktake.surpluses] == [("茶几", org_id)]


def test_art17_caps_purchases_not_a_surplus_found_in_a_stocktake(app, login, org_id):
    """Art. 17 governs purchases: a 盘盈 card above the price cap is entered, as 取得方式 盘盈."""
    pk = open_stocktake(app, login, org_id)
    lines = lines_of(app, pk)
    with app.app_context():
        computers = equipment_class().id
    clerk = login("tianshan_clerk")
    clerk.post(f"/stocktakeview/count/{pk}", data=count_form(lines))
    clerk.post(f"/stocktakeview/surplus/{pk}", data={
        "name": "图形工作站", "class_id": computers, "quantity": "1", "unit": "台",
        "estimated_value": "9000"})
    assert clerk.api("POST", f"/api/v1/asset_stocktake/{pk}/workflow/submit", json={}).status_code == 200
    response = login("urumqi_bureau").api("POST", f"/api/v1/asset_stocktake/{pk}/workflow/approve", json={})
    assert response.status_code == 200, response.get_json()
    with app.app_context():
        card = db.session.execute(select(Asset).where(
            Asset.number.like(f"PY-{org_id}-{pk:04d}-%"))).scalar_one()
        assert (card.name, card.acquisition_method, card.original_value) == ("图形工作站", "surplus", 9000)
