"""编制核定 (Art. 12 定员定额; Art. 17 per-person caps): dated records per organisation, the one in
force on a day, on the screen, over REST and by XLSX import; only the bureau records them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from catalog.demo import make_uscc
from catalog.models import Establishment, Organization, establishment_in_force
from core.errors import WriteRefused
from core.extensions import db
from core.scoping import SYSTEM, acting_as
from tests.catalog.xlsx_helpers import upload, xlsx_bytes

COUNTY = "650102"  # 天山区, in urumqi_bureau's scope


def _org(app, name: str, serial: str) -> int:
    """A fresh organisation of 天山区 the test decides on (no 编制 recorded yet)."""
    with app.app_context(), acting_as(SYSTEM):
        found = db.session.execute(select(Organization).where(Organization.name == name)).scalar_one_or_none()
        if found is not None:
            return found.id
        from catalog.models import Jurisdiction

        county = db.session.execute(select(Jurisdiction).where(Jurisdiction.code == COUNTY)).scalar_one()
        org = Organization(name=name, uscc=make_uscc("1", "1", COUNTY, serial), jurisdiction=county)
        db.session.add(org)
        db.session.commit()
        return org.id


def _record(org_id: int, day: dt.date, administrative: int, institutional: int = 0) -> Establishment:
    return Establishment(organization_id=org_id, administrative=administrative, institutional=institutional,
                         actual=administrative, leaders=2, effective_from=day,
                         decision=f"天编办〔{day.year}〕1号", approved_by="天山区机构编制委员会办公室")


def test_art12_the_establishment_in_force_is_the_latest_effective(app):
    """第十二条 定员定额: a new decision is a new record; the one in force on a day is the latest
    effective on or before it, and nothing is in force before the first."""
    org_id = _org(app, "编制测试单位甲", "EB0000001")
    with app.app_context(), acting_as(SYSTEM):
        db.session.add_all([_record(org_id, dt.date(2024, 1, 1), 20, 5),
                            _record(org_id, dt.date(2026, 3, 1), 22, 5)])
        db.session.commit()
        assert establishment_in_force(db.session, org_id, dt.date(2023, 12, 31)) is None
        assert establishment_in_force(db.session, org_id, dt.date(2025, 6, 1)).established == 25
        assert establishment_in_force(db.session, org_id, dt.date(2026, 3, 1)).established == 27


def test_art12_one_decision_per_day_and_no_negative_numbers(app):
    """第十二条: two records of one organisation on one day, or a negative 编制, are refused."""
    org_id = _org(app, "编制测试单位乙", "EB0000002")
    with app.app_context(), acting_as(SYSTEM):
        db.session.add(_record(org_id, dt.date(2024, 1, 1), 10))
        db.session.commit()
        with pytest.raises(WriteRefused, match="2024-01-01 生效的编制核定已有记录.*第十二条"):
            db.session.add(_record(org_id, dt.date(2024, 1, 1), 12))
            db.session.flush()
        db.session.rollback()
        refused = "编制核定中的行政编制、实有人数不能为负数（《办法》第十二条）"
        with pytest.raises(WriteRefused, match=refused):
            db.session.add(_record(org_id, dt.date(2025, 1, 1), -1))
            db.session.flush()
        db.session.rollback()


def test_art12_the_bureau_records_it_on_the_screen(app, login):
    org_id = _org(app, "编制测试单位丙", "EB0000003")
    bureau = login("urumqi_bureau")
    html = bureau.text("/establishmentview/add")
    assert "行政编制" in html and "批准文号/决定" in html and "批准机关" in html
    bureau.post("/establishmentview/add", data={
        "organization": org_id, "effective_from": "2025-07-01", "administrative": "30",
        "institutional": "8", "actual": "35", "leaders": "4", "decision": "天编办〔2025〕7号",
        "approved_by": "天山区机构编制委员会办公室", "note": ""})
    listing = bureau.text("/establishmentview/list/?_flt_0_decision=天编办〔2025〕7号")
    assert "编制测试单位丙" in listing and "编制人数" in listing and "38" in listing
    # a second record on the same day is refused with the reason, and nothing is saved
    html = bureau.post("/establishmentview/add", data={
        "organization": org_id, "effective_from": "2025-07-01", "administrative": "31",
        "institutional": "8", "actual": "35", "leaders": "4", "decision": "重复",
        "approved_by": "天山区机构编制委员会办公室"}, follow_redirects=True).get_data(as_text=True)
    assert "生效的编制核定已有记录" in html and "第十二条" in html
    with app.app_context():
        count = db.session.execute(select(func.count()).select_from(Establishment)
                                   .where(Establishment.organization_id == org_id)).scalar()
    assert count == 1


def test_art12_rest_for_the_bureau_read_only_for_a_department(app, rest):
    org_id = _org(app, "编制测试单位丁", "EB0000004")
    body = {"organization_id": org_id, "effective_from": "2025-01-01", "administrative": 12,
            "institutional": 0, "actual": 11, "leaders": 2, "decision": "天编办〔2025〕2号",
            "approved_by": "天山区机构编制委员会办公室"}
    bureau = rest("urumqi_bureau", "jwt")
    refused = bureau.api("POST", "/api/v1/establishment/", json={**body, "leaders": -2})
    assert refused.status_code == 422 and "编制核定中的领导职数不能为负数" in refused.get_json()["message"]
    created = bureau.api("POST", "/api/v1/establishment/", json=body)
    assert created.status_code == 201, created.get_json()
    clerk = rest("tianshan_clerk", "jwt")  # 天山区财政局: reads its own 编制, never raises it
    assert clerk.api("POST", "/api/v1/establishment/", json={**body, "effective_from": "2025-02-01"}
                     ).status_code in (401, 403)
    seen = {row["organization_id"] for row in clerk.get("/api/v1/establishment/?page_size=100")
            .get_json()["result"]}
    with app.app_context():
        own = db.session.execute(select(Organization.id).where(
            Organization.name == "乌鲁木齐市天山区财政局")).scalar_one()
    assert seen == {own}


def test_art12_xlsx_import(app, login):
    _org(app, "编制测试单位戊", "EB0000005")
    headers = ["*单位", "*生效日期", "行政编制", "事业编制", "实有人数", "领导职数", "*批准文号/决定",
               "*批准机关", "备注"]
    bureau = login("urumqi_bureau")
    template = bureau.get("/establishmentview/xlsx/template")
    assert template.status_code == 200
    data = xlsx_bytes(headers, [["编制测试单位戊", "2025-09-01", 18, 2, 19, 3, "天编办〔2025〕9号",
                                 "天山区机构编制委员会办公室", "示例"]])
    response = bureau.post("/api/v1/establishment/import", data=upload(data),
                           content_type="multipart/form-data")
    assert response.status_code == 200, response.get_json()
    with app.app_context():
        row = db.session.execute(select(Establishment).where(
            Establishment.decision == "天编办〔2025〕9号")).scalar_one()
        assert (row.organization.name, row.established, row.leaders) == ("编制测试单位戊", 20, 3)


def test_art12_every_demo_organisation_has_an_establishment(ctx):
    orgs = db.session.execute(select(Organization).where(Organization.uscc.like("%MB%"))).scalars().all()
    assert len(orgs) >= 30
    for org in orgs:
        found = establishment_in_force(db.session, org, dt.date(2026, 1, 1))
        assert found is not None and found.established > 0, org.name
    bureau = db.session.execute(select(Organization).where(
        Organization.name == "新疆维吾尔自治区机关事务管理局")).scalar_one()
    finance = db.session.execute(select(Organization).where(
        Organization.name == "乌鲁木齐市天山区财政局")).scalar_one()
    assert 35 <= establishment_in_force(db.session, bureau).established <= 50
    assert 20 <= establishment_in_force(db.session, finance).established <= 30
