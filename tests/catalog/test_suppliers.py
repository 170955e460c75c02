"""定点供应商 (Art. 29): designated repair shops, insurers and filling stations, read down the tree.

Each test writes its own supplier names (测试…), so that a full run in any order passes.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, func, select

from catalog.demo import make_uscc
from catalog.models import Jurisdiction
from catalog.suppliers import SUPPLIER_KINDS, DesignatedSupplier, designated_supplier
from core.extensions import db
from core.scoping import SYSTEM, acting_as
from tests.catalog.xlsx_helpers import read_xlsx, upload, xlsx_bytes


def _jurisdiction(code: str) -> Jurisdiction:
    return db.session.execute(select(Jurisdiction).filter_by(code=code)).scalar_one()


def _jurisdiction_id(app, code: str) -> int:
    with app.app_context():
        return _jurisdiction(code).id


def _count(app, name: str) -> int:
    with app.app_context():
        return db.session.execute(select(func.count(DesignatedSupplier.id))
                                  .where(DesignatedSupplier.name == name)).scalar_one()


@pytest.fixture
def own_names(app):
    def clean():
        with app.app_context(), acting_as(SYSTEM):
            db.session.execute(delete(DesignatedSupplier).where(DesignatedSupplier.name.like("测试%")))
            db.session.commit()

    clean()
    yield
    clean()


# ---- the function modules call ------------------------------------------------------------------

def test_art29_designated_supplier_by_kind_period_and_jurisdiction_above(ctx):
    urumqi, tianshan, kashgar = _jurisdiction("650100"), _jurisdiction("650102"), _jurisdiction("653101")
    with acting_as(SYSTEM):
        db.session.add(DesignatedSupplier(
            kind="vehicle_repair", name="测试维修厂", jurisdiction=urumqi,
            effective_from=dt.date(2031, 1, 1), effective_to=dt.date(2031, 12, 31), basis="测试协议"))
        db.session.flush()
    on = dt.date(2031, 6, 1)
    found = designated_supplier(db.session, "vehicle_repair", " 测试维修厂 ", tianshan, on)
    assert found is not None and found.jurisdiction_id == urumqi.id  # the city's, seen from the district
    assert found.kind_label == "公务用车定点维修"
    assert designated_supplier(db.session, "vehicle_repair", "测试维修厂", urumqi, on) == found
    # not for another kind, not before or after its period, not in another prefecture
    assert designated_supplier(db.session, "vehicle_insurance", "测试维修厂", tianshan, on) is None
    def repair(where, day=on):
        return designated_supplier(db.session, "vehicle_repair", "测试维修厂", where, day)

    assert repair(tianshan, dt.date(2030, 12, 31)) is None and repair(tianshan, dt.date(2032, 1, 1)) is None
    assert repair(kashgar) is None
    # nor seen upwards: the region does not read the city's designation
    assert repair(_jurisdiction("650000")) is None
    assert designated_supplier(db.session, "vehicle_repair", "", tianshan, on) is None
    assert designated_supplier(db.session, "vehicle_repair", "测试维修厂", None, on) is None


def test_art29_the_demo_region_fuel_supplier_serves_kashgar(ctx):
    found = designated_supplier(db.session, "vehicle_fuel", "中国石油新疆销售有限公司",
                                _jurisdiction("653101"), dt.date(2026, 10, 1))
    assert found is not None and found.jurisdiction.code == "650000"


# ---- screens, REST, scope, XLSX -----------------------------------------------------------------

def test_supplier_screens_are_in_chinese(app, login):
    html = login("tianshan_clerk").text("/designatedsupplierview/list/?psize_DesignatedSupplierView=100")
    for text in ("定点供应商", "定点类别", "供应商名称", "定点辖区", "定点起始日期", "公务用车定点维修",
                 "天山区汽车综合维修厂", "乌鲁木齐市公务用车定点维修中心"):
        assert text in html, text
    assert "喀什市机关车辆定点维修站" not in html  # another prefecture's
    form = login("urumqi_bureau").text("/designatedsupplierview/add")
    assert "新增定点供应商" in form and "公务用车定点保险" in form and "与发票、维修单上的名称一致" in form


def test_art29_supplier_form_refuses_a_bad_uscc_and_a_reversed_period(app, login, own_names):
    bureau = login("urumqi_bureau")
    body = {"kind": "vehicle_repair", "name": "测试表单维修厂",
            "jurisdiction": _jurisdiction_id(app, "650100"), "effective_from": "2031-01-01"}
    html = bureau.post("/designatedsupplierview/add", data={**body, "uscc": "123"},
                       follow_redirects=True).get_data(as_text=True)
    assert "统一社会信用代码应为 18 位" in html
    html = bureau.post("/designatedsupplierview/add", data={**body, "effective_to": "2030-12-31"},
                       follow_redirects=True).get_data(as_text=True)
    assert "定点截止日期早于起始日期" in html and "第二十九条" in html
    assert _count(app, "测试表单维修厂") == 0
    uscc = make_uscc("1", "1", "650100", "MB0000001")
    response = bureau.post("/designatedsupplierview/add", data={**body, "uscc": uscc})
    assert response.status_code == 302, bureau.flashes(response.get_data(as_text=True))
    assert _count(app, "测试表单维修厂") == 1


def test_art29_supplier_rest_create_read_and_refusals(app, api_client, own_names):
    urumqi = _jurisdiction_id(app, "650100")
    bureau = api_client("urumqi_bureau")
    body = {"kind": "vehicle_insurance", "name": "测试保险公司", "jurisdiction_id": urumqi,
            "effective_from": "2031-01-01", "basis": "测试采购结果"}
    response = bureau.post("/api/v1/designated_supplier/", json=body)
    assert response.status_code == 201, response.get_json()
    pk = response.get_json()["id"]
    read = api_client("tianshan_clerk").get(f"/api/v1/designated_supplier/{pk}").get_json()["result"]
    assert (read["kind"], read["name"]) == ("vehicle_insurance", "测试保险公司")
    assert api_client("kashgar_clerk").get(f"/api/v1/designated_supplier/{pk}").status_code == 404

    for bad, text in [({"kind": "canteen"}, "未知的定点类别：canteen"),
                      ({"uscc": "91650100MA0000000X"}, "统一社会信用代码校验位错误"),
                      ({"effective_to": "2030-01-01"}, "定点截止日期不能早于起始日期")]:
        response = bureau.post("/api/v1/designated_supplier/", json={**body, "name": "测试坏数据", **bad})
        assert response.status_code == 422 and text in response.get_json()["message"], response.get_json()
    # a PUT of the end alone is checked against the stored start (the rule names the article)
    response = bureau.put(f"/api/v1/designated_supplier/{pk}", json={"effective_to": "2030-06-30"})
    assert response.status_code == 422
    assert "定点截止日期早于起始日期（《办法》第二十九条）" in response.get_json()["message"]
    assert _count(app, "测试坏数据") == 0


def test_art29_scope_a_district_cannot_designate_for_the_city(app, api_client, own_names):
    body = {"kind": "vehicle_repair", "name": "测试越权维修厂",
            "jurisdiction_id": _jurisdiction_id(app, "650100"), "effective_from": "2031-01-01"}
    assert api_client("tianshan_clerk").post("/api/v1/designated_supplier/", json=body).status_code == 403
    response = api_client("tianshan_bureau").post("/api/v1/designated_supplier/", json=body)
    assert response.status_code == 403 and "无权操作本辖区" in response.get_json()["message"]
    assert _count(app, "测试越权维修厂") == 0


SUPPLIER_HEADERS = ["*定点类别", "*供应商名称", "统一社会信用代码", "地址", "*定点辖区", "*定点起始日期",
                    "定点截止日期", "定点协议或采购结果"]


def test_art29_supplier_import_refuses_a_bad_row_and_takes_a_good_file(app, login, own_names):
    bureau = login("urumqi_bureau")
    template, _rows = read_xlsx(bureau.get("/api/v1/designated_supplier/template.xlsx").data)
    assert template == SUPPLIER_HEADERS
    good = ["公务用车定点维修", "测试导入维修厂", None, "乌鲁木齐市测试路 2 号", "乌鲁木齐市",
            dt.date(2031, 1, 1), None, "测试协议"]
    bad = ["公务用车定点维修", "测试导入倒置厂", None, None, "乌鲁木齐市", dt.date(2031, 5, 1),
           dt.date(2031, 4, 1), None]
    url = "/api/v1/designated_supplier/import"
    response = bureau.post(url, data=upload(xlsx_bytes(SUPPLIER_HEADERS, [good, bad])),
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "第 3 行" in " ".join(e["text"] for e in response.get_json()["errors"])
    assert _count(app, "测试导入维修厂") == 0
    response = bureau.post(url, data=upload(xlsx_bytes(SUPPLIER_HEADERS, [good])),
                           content_type="multipart/form-data")
    assert response.status_code == 200 and response.get_json()["created"] == 1, response.get_json()
    assert set(SUPPLIER_KINDS) == {"vehicle_repair", "vehicle_insurance", "vehicle_fuel"}
