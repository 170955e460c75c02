"""Land rules on every write path: form, API and a direct write (CLI/import), Art. 21 and 43."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from catalog.models import Jurisdiction, Organization
from core.errors import WriteRefused
from core.extensions import db
from core.models import Finding
from core.scoping import acting_as
from plugins.land.parcels.models import LandParcel


def _ids(app, **names):
    with app.app_context():
        out = {}
        for key, name in names.items():
            model = Jurisdiction if key.startswith("jur") else Organization
            column = model.code if model is Jurisdiction else model.name
            out[key] = db.session.execute(select(model.id).where(column == name)).scalar_one()
        return out


def _count(app, name):
    with app.app_context():
        return db.session.execute(select(func.count()).where(LandParcel.name == name)).scalar()


def _form(ids, name, **extra):
    data = {"name": name, "jurisdiction": ids["jur"], "organization": ids["org"],
            "location": "乌鲁木齐市天山区测试路 1 号", "area": "1200.5", "land_use": "office",
            "registration_status": "unregistered", "certificate_no": "", "title_holder": ""}
    data.update(extra)
    return data


@pytest.fixture
def ids(app):
    return _ids(app, jur="650102", org="乌鲁木齐市天山区财政局", bureau="乌鲁木齐市天山区机关事务服务中心")


# Art. 21 (确权登记) — a registered parcel has its certificate: block on every path. The rule cited
# Art. 20 (the government's land planning) until issue 11.

def test_art21_certificate_block_on_form(app, login, ids):
    clerk = login("tianshan_clerk")
    html = clerk.post("/landparcelview/add", data=_form(ids, "表单-无证登记",
                                                        registration_status="registered"),
                      follow_redirects=True).get_data(as_text=True)
    assert "已登记的宗地必须填写不动产权证书号（《办法》第二十一条）" in html and "第二十条" not in html
    assert _count(app, "表单-无证登记") == 0


def test_art21_certificate_block_on_api(app, login, ids):
    clerk = login("tianshan_clerk")
    body = {"name": "接口-无证登记", "jurisdiction_id": ids["jur"], "organization_id": ids["org"],
            "location": "天山区", "area": 300, "land_use": "office",
            "registration_status": "registered"}
    response = clerk.api("POST", "/api/v1/land_parcel/", json=body)
    assert response.status_code == 422
    assert response.get_json()["message"].endswith("不动产权证书号（《办法》第二十一条）")
    assert _count(app, "接口-无证登记") == 0


def test_art21_certificate_block_on_direct_write(app, ids):
    """What a CLI command or an import does: a plain session write, acting as a user."""
    with app.app_context():
        clerk = app.appbuilder.sm.find_user(username="tianshan_clerk")
        with acting_as(clerk), pytest.raises(WriteRefused, match="不动产权证书号（《办法》第二十一条）"):
            db.session.add(LandParcel(name="直写-无证登记", jurisdiction_id=ids["jur"],
                                      organization_id=ids["org"], location="天山区", area=10,
                                      registration_status="registered"))
            db.session.flush()
        db.session.rollback()
    assert _count(app, "直写-无证登记") == 0


def test_art21_registration_is_an_operation_not_an_edit(app, login, ids):
    """Art. 21: the edit form no longer registers a parcel; 登记完成 does, and only with its certificate."""
    clerk = login("tianshan_clerk")
    clerk.post("/landparcelview/add", data=_form(ids, "表单-待编辑"))
    with app.app_context():
        parcel = db.session.execute(select(LandParcel).where(LandParcel.name == "表单-待编辑")).scalar_one()
        pk, version = parcel.id, parcel.version
    assert 'name="registration_status"' not in clerk.text(f"/landparcelview/edit/{pk}")
    clerk.post(f"/landparcelview/edit/{pk}", data=_form(ids, "表单-待编辑", registration_status="registered",
                                                         lock_version=version))
    with app.app_context():
        assert db.session.get(LandParcel, pk).registration_status == "unregistered"
    assert clerk.api("POST", f"/api/v1/land_parcel/{pk}/start_registration").status_code == 200
    response = clerk.api("POST", f"/api/v1/land_parcel/{pk}/complete_registration",
                         json={"certificate_no": " ", "title_holder_id": ids["bureau"]})
    assert response.status_code == 422 and "必须填写不动产权证书号" in response.get_json()["message"]
    with app.app_context():
        assert db.session.get(LandParcel, pk).registration_status == "in_progress"


# Art. 21 — registered land is held by the bureau: a flag opens a finding, fixing closes it.

def _findings(app, pk, status="open"):
    with app.app_context():
        return db.session.execute(
            select(Finding).where(Finding.entity == "land_parcel", Finding.entity_id == str(pk),
                                  Finding.rule_key == "land.title_holder_bureau", Finding.status == status)
        ).scalars().all()


def test_art21_flag_opens_and_closes_a_finding(app, login, ids):
    clerk = login("tianshan_clerk")
    response = clerk.api("POST", "/api/v1/land_parcel/", json={
        "name": "接口-权利人非管理局", "jurisdiction_id": ids["jur"], "organization_id": ids["org"],
        "location": "天山区", "area": 800, "registration_status": "registered",
        "certificate_no": "新(2026)乌鲁木齐市不动产权第0099001号", "title_holder_id": ids["org"]})
    assert response.status_code == 201, response.get_json()
    pk = response.get_json()["id"]
    found = _findings(app, pk)
    assert len(found) == 1 and found[0].article == 21 and "乌鲁木齐市天山区财政局" in found[0].message
    # the bureau of 乌鲁木齐 sees it on its 问题清单; Kashgar does not
    assert "接口-权利人非管理局" not in login("kashgar_clerk").text("/landparcelview/list/")
    urumqi_findings = login("urumqi_bureau").text("/findingview/list/")
    assert "不是本级（天山区）机关事务管理部门" in urumqi_findings
    assert f'href="/landparcelview/show/{pk}"' in urumqi_findings  # the finding leads to the record
    # moving the title to the bureau (变更登记, an operation) closes the finding
    with app.app_context():
        version = db.session.get(LandParcel, pk).version
    response = clerk.api("POST", f"/api/v1/land_parcel/{pk}/change_title", json={
        "certificate_no": "新(2026)乌鲁木齐市不动产权第0099001号", "title_holder_id": ids["bureau"],
        "version": version})
    assert response.status_code == 200, response.get_json()
    assert _findings(app, pk) == [] and len(_findings(app, pk, "resolved")) == 1


def test_art21_flag_does_not_block(app, ids):
    with app.app_context():
        with acting_as(app.appbuilder.sm.find_user(username="tianshan_clerk")):
            db.session.add(LandParcel(name="直写-权利人非管理局", jurisdiction_id=ids["jur"],
                                      organization_id=ids["org"], location="天山区", area=20,
                                      registration_status="registered", certificate_no="X-1",
                                      title_holder_id=ids["org"]))
            db.session.commit()
    assert _count(app, "直写-权利人非管理局") == 1


# Art. 21 — "登记至本级机关事务管理部门名下": the bureau of the parcel's own level, not any bureau.

def _parcel_body(ids, name, holder, org=None, jur=None):
    return {"name": name, "jurisdiction_id": jur or ids["jur"], "organization_id": org or ids["org"],
            "location": "天山区", "area": 500, "registration_status": "registered",
            "certificate_no": f"新(2026)乌鲁木齐市不动产权第{sum(map(ord, name)) % 10**7:07d}号",
            "title_holder_id": holder}


def test_art21_a_bureau_of_another_level_is_not_the_title_holder(app, login, ids):
    """第二十一条: a county parcel held by the prefecture's bureau is flagged; the county's bureau
    closes it."""
    prefecture_bureau = _ids(app, org="乌鲁木齐市机关事务管理局")["org"]
    clerk = login("tianshan_clerk")
    body = _parcel_body(ids, "接口-上级管理局名下", prefecture_bureau)
    response = clerk.api("POST", "/api/v1/land_parcel/", json=body)
    assert response.status_code == 201, response.get_json()
    pk = response.get_json()["id"]
    found = _findings(app, pk)
    assert len(found) == 1 and found[0].article == 21
    assert found[0].message == ("已登记宗地的权利人“乌鲁木齐市机关事务管理局”不是本级（天山区）"
                                "机关事务管理部门，应按规定将权利人变更登记至本级机关事务管理部门名下")
    with app.app_context():
        version = db.session.get(LandParcel, pk).version
    response = clerk.api("POST", f"/api/v1/land_parcel/{pk}/change_title", json={
        "certificate_no": "新(2026)乌鲁木齐市不动产权第0099002号", "title_holder_id": ids["bureau"],
        "version": version})
    assert response.status_code == 200, response.get_json()
    assert _findings(app, pk) == [] and len(_findings(app, pk, "resolved")) == 1


def _findings_of(app, pk, rule_key):
    with app.app_context():
        return db.session.execute(
            select(Finding).where(Finding.entity == "land_parcel", Finding.entity_id == str(pk),
                                  Finding.rule_key == rule_key, Finding.status == "open")
        ).scalars().all()


def test_art43_a_public_institutions_parcel_gets_guidance_not_a_violation(app, login):
    """第四十三条: 事业单位 follow the Measures by reference (参照), so the Art. 21 title-holder check
    is worded as guidance for their parcels; moving the title to the region's bureau closes it."""
    ids = _ids(app, jur="650000", org="新疆维吾尔自治区档案馆", bureau="新疆维吾尔自治区机关事务管理局")
    region = login("xj_bureau")
    body = _parcel_body(ids, "接口-档案馆自有名下", ids["org"])
    response = region.api("POST", "/api/v1/land_parcel/", json=body)
    assert response.status_code == 201, response.get_json()
    pk = response.get_json()["id"]
    assert _findings_of(app, pk, "land.title_holder_bureau") == []  # no violation
    (guidance,) = _findings_of(app, pk, "land.title_holder_bureau_reference")
    assert guidance.article == 43
    assert guidance.message == (
        "参照执行：使用单位“新疆维吾尔自治区档案馆”参照《办法》执行（不属违规），建议将权利人"
        "“新疆维吾尔自治区档案馆”变更登记至本级（新疆维吾尔自治区）机关事务管理部门名下（参照《办法》第二十一条）")
    assert "参照执行：使用单位“新疆维吾尔自治区档案馆”" in region.text("/findingview/list/")
    with app.app_context():
        version = db.session.get(LandParcel, pk).version
    response = region.api("POST", f"/api/v1/land_parcel/{pk}/change_title", json={
        "certificate_no": "新(2026)乌鲁木齐市不动产权第0099003号", "title_holder_id": ids["bureau"],
        "version": version})
    assert response.status_code == 200, response.get_json()
    assert _findings_of(app, pk, "land.title_holder_bureau_reference") == []


def test_art21_a_party_organs_parcel_stays_a_violation(app, login, ids):
    """第二十一条 applies directly to a 党政机关 (not 参照): the finding is the rule's, not guidance."""
    clerk = login("tianshan_clerk")
    body = _parcel_body(ids, "接口-财政局自有名下", ids["org"])
    response = clerk.api("POST", "/api/v1/land_parcel/", json=body)
    pk = response.get_json()["id"]
    assert len(_findings_of(app, pk, "land.title_holder_bureau")) == 1
    assert _findings_of(app, pk, "land.title_holder_bureau_reference") == []
