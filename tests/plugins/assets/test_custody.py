"""Custody of asset cards (Art. 18): receipt, check-out, return, transfer — screens, API, history, scope.

The moves are operations of the card (custody/operations.py, tests/plugins/assets/test_operations.py):
here through the card's operation page and the older ``/api/v1/asset_custody/`` paths, which
stay as aliases of the same operations.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from catalog.models import Organization, Person
from core.extensions import db
from plugins.assets.cards.models import Asset, AssetMovement
from plugins.assets.custody.models import AssetReceipt, receive
from tests.plugins.assets.helpers import EQUIPMENT_NAME, equipment_class, furniture_class

TIANSHAN = "乌鲁木齐市天山区财政局"


def _one(query):
    return db.session.execute(query).scalar_one()


@pytest.fixture
def ids(app):
    with app.app_context():
        org = _one(select(Organization).where(Organization.name == TIANSHAN))
        people = db.session.execute(select(Person.id).where(Person.organization_id == org.id)
                                    .order_by(Person.id)).scalars().all()
        other_org = _one(select(Organization).where(Organization.name != TIANSHAN,
                                                    Organization.jurisdiction_id == org.jurisdiction_id,
                                                    Organization.id.in_(select(Person.organization_id)))
                         .order_by(Organization.id).limit(1))
        return {
            "org": org.id, "people": people,
            "other_person": db.session.execute(select(Person.id).where(
                Person.organization_id == other_org.id)).scalars().first(),
            "computers": equipment_class().id,
            "furniture": furniture_class().id,
        }


def new_asset(app, status="idle", name="测试计算机", custodian=None) -> int:
    """A fresh idle card of 天山区财政局, received by the system (as the demo does)."""
    with app.app_context():
        org = _one(select(Organization).where(Organization.name == TIANSHAN))
        cls = equipment_class()
        person = db.session.get(Person, custodian) if custodian else None
        _receipt, (asset,) = receive(db.session, organization=org, asset_class=cls, name=name, quantity=1,
                                     unit="台", unit_price=Decimal("4000"), acquired_on=dt.date(2026, 1, 5),
                                     location="库房", status="in_use" if person else "idle", custodian=person)
        if status not in ("idle", "in_use"):
            asset.status = status
        db.session.commit()
        return asset.id


def card(app, pk):
    with app.app_context():
        asset = db.session.get(Asset, pk)
        kinds = [m.kind for m in db.session.execute(
            select(AssetMovement).where(AssetMovement.asset_id == pk).order_by(AssetMovement.id)).scalars()]
        return dict(status=asset.status, custodian=asset.custodian_id, location=asset.location,
                    version=asset.version, kinds=kinds)


def counts(app):
    with app.app_context():
        return (db.session.execute(select(func.count(Asset.id))).scalar(),
                db.session.execute(select(func.count(AssetReceipt.id))).scalar(),
                db.session.execute(select(func.count(AssetMovement.id))).scalar())


def receipt_form(ids, **extra):
    data = {"asset_class": ids["computers"], "name": "便携式计算机", "specification": "14 英寸",
            "quantity": "2", "unit": "台", "unit_price": "5500", "acquired_on": "2026-10-08",
            "funding_source": "fiscal", "supplier": "新疆某科技公司", "invoice_no": "FP-TEST-001",
            "organization": ids["org"], "location": "库房", "status": "idle", "custodian": "", "note": ""}
    data.update(extra)
    return data


# --- receipt (入库登记) ------------------------------------------------------------------------

def test_receipt_form_creates_one_card_per_piece_with_history(app, login, ids):
    clerk = login("tianshan_clerk")
    html = clerk.post("/assets/custody/receive", data=receipt_form(ids, invoice_no="FP-FORM-1"),
                      follow_redirects=True).get_data(as_text=True)
    assert "已入库登记" in html
    with app.app_context():
        receipt = _one(select(AssetReceipt).where(AssetReceipt.invoice_no == "FP-FORM-1"))
        assets = db.session.execute(select(Asset).where(Asset.number.like(f"%-RK{receipt.id:06d}-%"))
                                    .order_by(Asset.number)).scalars().all()
        assert receipt.supplier == "新疆某科技公司" and receipt.cards == 2
        assert [(a.quantity, a.original_value, a.status) for a in assets] == \
            [(1, Decimal("5500.00"), "idle")] * 2
        assert all(a.organization_id == ids["org"] for a in assets)
        assert [[m.kind for m in a.movements] for a in assets] == [["receipt"], ["receipt"]]
        assert "FP-FORM-1" in assets[0].movements[0].note
        pk = assets[0].id
        numbers = [a.number for a in assets]
        receipt_id = receipt.id
    page = clerk.text(f"/assetview/show/{pk}")
    assert "资产变动记录" in page and "入库登记" in page and 'data-operation="check_out"' in page
    page = clerk.text(f"/assetreceiptview/show/{receipt_id}")
    assert re.findall(r'<tr data-asset="([^"]+)"', page) == numbers and "新疆某科技公司" in page
    assert f"RK{receipt_id:06d}" in clerk.text("/assetreceiptview/list/")
    assert login("kashgar_clerk").get(f"/assetreceiptview/show/{receipt_id}").status_code in (302, 404)


def test_receipt_of_furniture_is_one_card_for_the_batch(app, login, ids):
    clerk = login("tianshan_clerk")
    clerk.post("/assets/custody/receive", data=receipt_form(
        ids, asset_class=ids["furniture"], name="会议桌", quantity="4", unit="张", unit_price="1200",
        invoice_no="FP-FORM-BATCH"))
    with app.app_context():
        receipt = _one(select(AssetReceipt).where(AssetReceipt.invoice_no == "FP-FORM-BATCH"))
        asset = _one(select(Asset).where(Asset.number.like(f"%-RK{receipt.id:06d}-%")))
        assert (asset.quantity, asset.original_value) == (4, Decimal("4800.00"))


def test_art17_receipt_above_price_cap_is_refused_and_nothing_written(app, login, ids):
    """Art. 17: a purchase above the price cap in force cannot be received (form and API)."""
    before = counts(app)
    clerk = login("tianshan_clerk")
    html = clerk.post("/assets/custody/receive", data=receipt_form(ids, unit_price="7000"),
                      follow_redirects=True).get_data(as_text=True)
    assert f"超过“{EQUIPMENT_NAME}”现行配置标准的单价上限 6,000.00 元" in html and "第十七条" in html
    response = clerk.api("POST", "/api/v1/asset_custody/receive", json={
        "class_id": ids["computers"], "name": "工作站", "quantity": 1, "unit_price": 9000,
        "acquired_on": "2026-10-01"})
    assert response.status_code == 422 and "单价上限" in response.get_json()["message"]
    assert counts(app) == before


def test_receipt_of_too_many_pieces_is_refused(app, login, ids):
    before = counts(app)
    response = login("tianshan_clerk").api("POST", "/api/v1/asset_custody/receive", json={
        "class_id": ids["computers"], "name": "台式计算机", "quantity": 201, "unit_price": 5000})
    assert response.status_code == 422 and "请分批登记" in response.get_json()["message"]
    assert counts(app) == before


def test_receipt_in_use_needs_a_custodian_of_the_organisation(app, login, ids):
    before = counts(app)
    clerk = login("tianshan_clerk")
    html = clerk.post("/assets/custody/receive", data=receipt_form(ids, status="in_use"),
                      follow_redirects=True).get_data(as_text=True)
    assert "请选择保管人" in html
    response = clerk.api("POST", "/api/v1/asset_custody/receive", json={
        "class_id": ids["computers"], "name": "台式计算机", "quantity": 1, "unit_price": 5000,
        "status": "in_use", "custodian_id": ids["people"][0], "invoice_no": "FP-API-1"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["assets"][0]["status"] == "in_use" and body["assets"][0]["custodian_id"] == ids["people"][0]
    assert counts(app)[0] == before[0] + 1


# --- check-out, transfer, return --------------------------------------------------------------

def test_check_out_transfer_return_on_screens_with_history(app, login, ids):
    pk = new_asset(app)
    first, second = ids["people"][:2]
    clerk = login("tianshan_clerk")
    # the older screen path leads to the card's operation
    old = clerk.get(f"/assets/custody/{pk}/check_out")
    assert old.status_code == 302 and old.location.endswith(f"/assetview/operation/{pk}/check_out")
    html = clerk.post(f"/assetview/operation/{pk}/check_out", data={
        "custodian_id": first, "location": "301 室", "on": "2026-11-02", "note": "新进人员"},
        follow_redirects=True).get_data(as_text=True)
    assert "已办理“领用”" in html
    assert card(app, pk)["status"] == "in_use" and card(app, pk)["custodian"] == first
    clerk.post(f"/assetview/operation/{pk}/transfer",
               data={"custodian_id": second, "location": "", "on": "2026-11-10"})
    assert card(app, pk)["custodian"] == second and card(app, pk)["location"] == "301 室"
    clerk.post(f"/assetview/operation/{pk}/return", data={"location": "库房", "on": "2026-11-20"})
    after = card(app, pk)
    assert (after["status"], after["custodian"], after["location"]) == ("idle", None, "库房")
    assert after["kinds"] == ["receipt", "check_out", "custodian_transfer", "return"]
    page = clerk.text(f"/assetview/show/{pk}")
    rows = re.findall(r'<tr data-kind="(\w+)"', page)
    assert rows == ["return", "custodian_transfer", "check_out", "receipt"]  # newest first
    assert "状态：在用 → 闲置" in page and "新进人员" in page


def test_check_out_transfer_return_on_api(app, login, ids):
    pk = new_asset(app)
    first, second = ids["people"][:2]
    clerk = login("tianshan_clerk")
    response = clerk.api("POST", f"/api/v1/asset_custody/{pk}/check_out",
                         json={"custodian_id": first, "location": "302 室", "on": "2026-11-03"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["asset"]["status"] == "in_use"
    version = response.get_json()["asset"]["version"]
    stale = clerk.api("POST", f"/api/v1/asset_custody/{pk}/transfer",
                      json={"custodian_id": second, "version": version - 1})
    assert stale.status_code == 409
    response = clerk.api("POST", f"/api/v1/asset_custody/{pk}/transfer",
                         json={"custodian_id": second, "version": version})
    assert response.status_code == 200 and response.get_json()["asset"]["custodian_id"] == second
    response = clerk.api("POST", f"/api/v1/asset_custody/{pk}/return", json={"note": "调离"})
    assert response.status_code == 200
    history = clerk.api("GET", f"/api/v1/asset_custody/{pk}/history").get_json()["history"]
    assert [h["kind"] for h in history] == ["return", "custodian_transfer", "check_out", "receipt"]
    assert history[0]["kind_label"] == "交回" and history[0]["note"] == "调离"


@pytest.mark.parametrize("status, label", [("pending_disposal", "待处置"), ("disposed", "已处置")])
def test_closed_asset_cannot_be_checked_out(app, login, ids, status, label):
    pk = new_asset(app, status=status)
    before = card(app, pk)
    clerk = login("tianshan_clerk")
    response = clerk.post(f"/assetview/operation/{pk}/check_out",
                          data={"custodian_id": ids["people"][0], "on": "2026-11-02"}, follow_redirects=True)
    if status == "disposed":  # it left 资产卡片 for the read-only 已处置资产
        assert response.status_code == 404
        assert "data-operation" not in clerk.text(f"/disposedassetview/show/{pk}")
    else:
        html = response.get_data(as_text=True)
        assert f"当前状态（资产状态：{label}；保管人：（空））不能执行“领用”" in html
        assert 'data-operation="check_out"' not in clerk.text(f"/assetview/show/{pk}")
    response = clerk.api("POST", f"/api/v1/asset_custody/{pk}/check_out",
                         json={"custodian_id": ids["people"][0]})
    assert response.status_code == 409 and f"资产状态：{label}" in response.get_json()["message"]
    assert card(app, pk) == before


def test_custodian_of_another_organisation_is_refused(app, login, ids):
    pk = new_asset(app)
    before = card(app, pk)
    # the bureau sees both organisations, so the person exists for it: the organisation check speaks
    bureau = login("urumqi_bureau")
    response = bureau.api("POST", f"/api/v1/asset_custody/{pk}/check_out",
                          json={"custodian_id": ids["other_person"]})
    assert response.status_code == 422
    assert "保管人：须为资产使用单位在您权限范围内的人员" in response.get_json()["message"]
    # for the clerk, another organisation's person is not offered, and refused the same way
    clerk = login("tianshan_clerk")
    assert f'value="{ids["other_person"]}"' not in clerk.text(f"/assetview/operation/{pk}/check_out")
    html = clerk.post(f"/assetview/operation/{pk}/check_out",
                      data={"custodian_id": ids["other_person"], "on": "2026-11-02"},
                      follow_redirects=True).get_data(as_text=True)
    assert "须为资产使用单位在您权限范围内的人员" in html
    assert card(app, pk) == before


def test_return_without_custodian_and_bad_input_are_refused(app, login, ids):
    pk = new_asset(app)
    before = card(app, pk)
    clerk = login("tianshan_clerk")
    response = clerk.api("POST", f"/api/v1/asset_custody/{pk}/return", json={})
    assert response.status_code == 409
    assert "当前状态（资产状态：闲置；保管人：（空））不能执行“交回”" in response.get_json()["message"]
    html = clerk.post(f"/assetview/operation/{pk}/transfer",
                      data={"custodian_id": ids["people"][0], "on": "2026-11-02"},
                      follow_redirects=True).get_data(as_text=True)
    assert "不能执行“保管人变更”" in html
    response = clerk.api("POST", f"/api/v1/asset_custody/{pk}/check_out",
                         json={"custodian_id": ids["people"][0], "on": "2026-13-40"})
    assert response.status_code == 422 and "不是有效的日期" in response.get_json()["message"]
    assert card(app, pk) == before


def test_other_jurisdiction_clerk_cannot_see_or_move_the_card(app, login, ids):
    pk = new_asset(app)
    before = card(app, pk)
    kashgar = login("kashgar_clerk")
    assert kashgar.get(f"/assets/custody/{pk}/check_out").status_code == 404
    response = kashgar.post(f"/assets/custody/{pk}/check_out", data={"custodian": ids["people"][0]})
    assert response.status_code == 404
    response = kashgar.post(f"/assetview/operation/{pk}/check_out", data={"custodian_id": ids["people"][0]})
    assert response.status_code == 404
    assert kashgar.api("POST", f"/api/v1/asset_custody/{pk}/check_out",
                       json={"custodian_id": ids["people"][0]}).status_code == 404
    response = kashgar.api("GET", f"/api/v1/asset_custody/{pk}/history")
    assert response.status_code == 404 and response.get_json()["message"] == "资产不存在或不在您的权限范围内"
    # nor receive into another organisation
    response = kashgar.api("POST", "/api/v1/asset_custody/receive", json={
        "organization_id": ids["org"], "class_id": ids["computers"], "name": "台式计算机", "quantity": 1,
        "unit_price": 5000})
    assert response.status_code == 422 and "权限范围" in response.get_json()["message"]
    report = kashgar.api("POST", "/api/v1/reports/asset_card/render", json={"params": {"asset": str(pk)}})
    assert report.status_code == 422
    assert card(app, pk) == before


def test_demo_has_custody_movements(app):
    with app.app_context():
        kinds = set(db.session.execute(select(AssetMovement.kind)).scalars())
        assert {"receipt", "check_out", "custodian_transfer", "return"} <= kinds


# --- the 资产卡片 PDF -------------------------------------------------------------------------

def pdftext(pdf: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils missing: run `make system-deps` to read PDFs back")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return re.sub(r"\s+", "", out)


def test_asset_card_pdf_shows_the_card_and_its_history(app, login, ids, tmp_path):
    pk = new_asset(app, name="卡片报表测试机")
    clerk = login("tianshan_clerk")
    clerk.api("POST", f"/api/v1/asset_custody/{pk}/check_out",
              json={"custodian_id": ids["people"][0], "location": "501 室", "note": "报表测试领用"})
    with app.app_context():
        number = db.session.get(Asset, pk).number
        person = db.session.get(Person, ids["people"][0]).name
    response = clerk.api("POST", "/api/v1/reports/asset_card/render", json={"params": {"asset": number}})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    text = pdftext(response.data, tmp_path)
    for expected in ("资产卡片", number, "卡片报表测试机", "计算机设备", "资产变动记录", "入库登记", "领用",
                     "报表测试领用", person, "501室", "4,000.00", "保管人"):
        assert expected in text, expected
    # the card page's 打印资产卡片 button (the core's, from Report.prints) gets the same PDF
    assert 'id="print-asset_card"' in clerk.text(f"/assetview/show/{pk}")
    printed = clerk.get(f"/reports/asset_card/print?asset={pk}")
    assert printed.mimetype == "application/pdf" and number in pdftext(printed.data, tmp_path)
    response = clerk.post("/reports/asset_card/render", data={"asset": str(pk), "action": "pdf"})
    assert response.mimetype == "application/pdf" and number in pdftext(response.data, tmp_path)
