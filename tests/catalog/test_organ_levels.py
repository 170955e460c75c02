"""Whom the Measures govern and at which level (Art. 2, 43): townships in the division tree
(12-digit statistical codes), the organ's own level (机构级别), the organisation types, and the
demo's ranks following the organ's level."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from catalog.demo import make_uscc
from catalog.models import Jurisdiction, Organization, Person, organ_level_label
from core.errors import WriteRefused
from core.extensions import db
from core.scoping import SYSTEM, acting_as


def _jur(code):
    return db.session.execute(select(Jurisdiction).where(Jurisdiction.code == code)).scalar_one()


def _org(name):
    return db.session.execute(select(Organization).where(Organization.name == name)).scalar_one()


# ---- townships (第二条: 自治区各级人民政府) -----------------------------------------------------

def test_art2_a_township_takes_a_12_digit_code_under_its_county(ctx):
    township = Jurisdiction(code="653121201000", name="测试乡", level="township",
                            parent=_jur("653121"), path="")
    db.session.add(township)
    db.session.flush()
    assert township.path == "/650000/653100/653121/653121201000/"
    assert township.level_label == "乡镇街道"


@pytest.mark.parametrize("code, level, parent, why", [
    ("653121", "township", "653121", "6 digits for a township"),
    ("653101299000", "township", "653121", "another county's first 6 digits"),
    ("653121299000", "county", "653100", "12 digits for a county"),
])
def test_art2_township_codes_are_checked(ctx, code, level, parent, why):
    with pytest.raises(WriteRefused, match="区划代码与层级不符.*第二条"):
        db.session.add(Jurisdiction(code=code, name="错误区划", level=level, parent=_jur(parent), path=""))
        db.session.flush()


def test_art2_a_township_sits_under_a_county(ctx):
    with pytest.raises(WriteRefused, match="层级与上级不符.*乡镇街道.*第二条"):
        db.session.add(Jurisdiction(code="653100299000", name="错误乡", level="township",
                                    parent=_jur("653100"), path=""))
        db.session.flush()


def test_art2_demo_townships_and_a_township_government(ctx):
    assert _jur("653121200000").name == "乌帕尔乡" and _jur("653121200000").parent.code == "653121"
    assert _jur("650102016000").name == "南草滩街道"
    township = _org("疏附县乌帕尔乡人民政府")
    assert township.organ_level == "township" and organ_level_label(township.organ_level) == "乡镇级"
    assert township.uscc[2:8] == "653121"  # the USCC's division part is the county's 6 digits


def test_art2_the_county_bureau_sees_its_townships_organisations(app, login):
    user = login(role="Bureau Admin", organization="疏附县机关事务管理局")
    html = user.text("/organizationview/list/?psize_OrganizationView=100")
    assert "疏附县乌帕尔乡人民政府" in html and "喀什市财政局" not in html


# ---- the organ's level (机构级别) ---------------------------------------------------------------

def test_art2_organ_level_defaults_from_the_jurisdiction_and_is_stored(ctx):
    with acting_as(SYSTEM):
        org = Organization(name="级别测试单位", uscc=make_uscc("1", "1", "650102", "LB0000001"),
                           jurisdiction=_jur("650102"))
        db.session.add(org)
        db.session.flush()
        assert org.organ_level == "county" and organ_level_label(org.organ_level) == "县市区级"
        org.organ_level = "township"  # a lower level than its government's is allowed
        db.session.flush()
        assert org.organ_level == "township"
        with pytest.raises(WriteRefused, match="机构级别“地州市级”高于所属辖区.*第二条"):
            org.organ_level = "prefecture"
            db.session.flush()


def test_art2_organ_level_on_the_screen(app, login):
    html = login("urumqi_bureau").text("/organizationview/list/?_flt_0_name=乌鲁木齐市天山区财政局")
    assert "机构级别" in html and "县市区级" in html


# ---- organisation types (第二条、第四十三条) ----------------------------------------------------

def test_art43_types_follow_the_wording_and_other_is_not_offered(login):
    html = login("xj_bureau").text("/organizationview/add")
    assert "各级人民政府及其部门" in html and "其他国家机关" in html and "事业单位" in html
    assert "人民团体（工会、共青团、妇联等）" in html
    assert "其他组织" not in html


def test_art43_other_organisation_is_refused_on_every_path(app, rest):
    body = {"name": "某有限公司", "uscc": make_uscc("9", "1", "650102", "QT0000001"),
            "org_type": "other", "jurisdiction_id": None}
    with app.app_context():
        body["jurisdiction_id"] = _jur("650102").id
    response = rest("urumqi_bureau", "jwt").api("POST", "/api/v1/organization/", json=body)
    assert response.status_code == 422
    assert "不在《办法》适用范围内" in response.get_json()["message"]
    assert "第四十三条" in response.get_json()["message"]
    with app.app_context(), acting_as(SYSTEM):
        assert db.session.execute(select(Organization).where(Organization.name == "某有限公司")
                                  ).scalar_one_or_none() is None
        org = _org("乌鲁木齐市天山区财政局")
        with pytest.raises(WriteRefused, match="单位类型“其他组织（不适用本办法）”不在.*第二条.*第四十三条"):
            org.org_type = "other"
            db.session.flush()
        db.session.rollback()


def test_art43_applies_by_reference(ctx):
    assert _org("新疆维吾尔自治区财政厅").applies_by_reference is False  # 第二条: bound directly
    for name in ("新疆维吾尔自治区人民检察院", "新疆维吾尔自治区档案馆", "新疆维吾尔自治区总工会"):
        assert _org(name).applies_by_reference is True, name  # 第四十三条: 参照执行


# ---- ranks in the demo follow the organ's level ---------------------------------------------------

@pytest.mark.parametrize("org_name, rank", [
    ("新疆维吾尔自治区财政厅", "bureau_chief"),  # a region department: 厅局级
    ("乌鲁木齐市财政局", "division_chief"),  # a prefecture's bureau: 县处级
    ("乌鲁木齐市天山区财政局", "section_chief"),  # a county's bureau: 乡科级 (正科级)
    ("疏附县乌帕尔乡人民政府", "section_chief"),
])
def test_demo_heads_rank_by_the_organ_level(ctx, org_name, rank):
    head = db.session.execute(select(Person).join(Organization).where(
        Organization.name == org_name).order_by(Person.id).limit(1)).scalar_one()
    assert head.rank == rank, (org_name, head.title)


def test_art43_the_directory_report_shows_type_and_organ_level(ctx):
    """机构名录 (第四十三条): each organisation's type in the Measures' words and its 机构级别."""
    from core.scoping import SYSTEM
    from reports.engine import render_html

    html = render_html("organization_directory", {}, SYSTEM)
    assert "机构级别" in html and "乡镇级" in html and "疏附县乌帕尔乡人民政府" in html
    assert "各级人民政府及其部门" in html and "其他组织" not in html
