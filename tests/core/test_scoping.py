"""Row scope (Art. 4-5): each demo login sees exactly its scope; submitted ids are checked too."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from catalog.models import Jurisdiction, Organization
from core.extensions import db
from plugins.land.parcels.models import LandParcel

SEES = {
    "tianshan_clerk": ({"天山区财政局业务楼"},
                       {"天山区政府办公楼", "喀什市财政局办公楼", "乌鲁木齐市行政中心"}),
    "kashgar_clerk": ({"喀什市财政局办公楼"}, {"喀什市教育局办公楼", "天山区财政局业务楼"}),
    "urumqi_bureau": ({"天山区政府办公楼", "乌鲁木齐市行政中心", "沙依巴克区财政局办公楼"},
                      {"喀什市财政局办公楼", "自治区财政厅办公楼", "昌吉市机关集中办公区"}),
    "xj_bureau": ({"天山区政府办公楼", "喀什市财政局办公楼", "自治区财政厅办公楼", "昌吉市机关集中办公区"},
                  set()),
    "admin": ({"天山区政府办公楼", "喀什市财政局办公楼"}, set()),
}


@pytest.mark.parametrize("username", sorted(SEES))
def test_demo_logins_see_exactly_their_parcels(login, username):
    visible, hidden = SEES[username]
    browser = login(username)
    html = browser.text("/landparcelview/list/?psize_LandParcelView=100")
    for name in visible:
        assert name in html, f"{username} should see {name}"
    for name in hidden:
        assert name not in html, f"{username} must not see {name}"
    api = browser.get("/api/v1/land_parcel/?q=(page_size:100)").get_json()
    names = {row["name"] for row in api["result"]}
    assert visible <= names and not (hidden & names)


def test_bureau_progress_covers_its_subtree_only(login):
    html = login("urumqi_bureau").text("/land/progress/")
    assert 'data-code="650102"' in html and 'data-code="650100"' in html
    assert 'data-code="653101"' not in html and 'data-code="650000"' not in html
    assert "100%" in html  # 乌鲁木齐's own target overrides the region's 95 %


def test_region_progress_totals_match_the_data(app, login):
    html = login("xj_bureau").text("/land/progress/")
    with app.app_context():
        total = db.session.execute(select(func.count(LandParcel.id))).scalar()
    assert f'<th>{total}</th>' in html


def _org_id(app, name):
    with app.app_context():
        return db.session.execute(select(Organization.id).where(Organization.name == name)).scalar_one()


def _jur_id(app, code):
    with app.app_context():
        return db.session.execute(select(Jurisdiction.id).where(Jurisdiction.code == code)).scalar_one()


def _count(app, name):
    with app.app_context():
        return db.session.execute(select(func.count()).where(LandParcel.name == name)).scalar()


def test_api_body_cannot_attach_a_record_to_another_jurisdiction(app, login):
    clerk = login("tianshan_clerk")
    response = clerk.api("POST", "/api/v1/land_parcel/", json={
        "name": "越权-接口", "jurisdiction_id": _jur_id(app, "653101"),
        "organization_id": _org_id(app, "喀什市财政局"), "location": "喀什", "area": 10})
    assert response.status_code == 403 and "无权" in response.get_json()["message"]
    assert _count(app, "越权-接口") == 0


def test_api_put_cannot_move_a_record_out_of_scope(app, login):
    clerk = login("tianshan_clerk")
    pk = clerk.api("POST", "/api/v1/land_parcel/", json={
        "name": "越权-迁出", "jurisdiction_id": _jur_id(app, "650102"),
        "organization_id": _org_id(app, "乌鲁木齐市天山区财政局"), "location": "天山区", "area": 10,
    }).get_json()["id"]
    response = clerk.api("PUT", f"/api/v1/land_parcel/{pk}",
                         json={"organization_id": _org_id(app, "喀什市财政局")})
    assert response.status_code == 403, response.get_json()
    with app.app_context():
        assert db.session.get(LandParcel, pk).organization_id == _org_id(app, "乌鲁木齐市天山区财政局")


def test_form_cannot_attach_a_record_to_another_jurisdiction(app, login):
    clerk = login("tianshan_clerk")
    add_form = clerk.text("/landparcelview/add")
    assert "喀什市财政局" not in add_form  # out-of-scope choices are not even offered
    clerk.post("/landparcelview/add", data={
        "name": "越权-表单", "jurisdiction": _jur_id(app, "653101"),
        "organization": _org_id(app, "喀什市财政局"), "location": "喀什", "area": "10",
        "land_use": "office", "registration_status": "unregistered"})
    assert _count(app, "越权-表单") == 0


def test_bureau_cannot_create_in_a_sibling_jurisdiction(app, login):
    response = login("urumqi_bureau").api("POST", "/api/v1/land_parcel/", json={
        "name": "越权-兄弟辖区", "jurisdiction_id": _jur_id(app, "652301"),
        "organization_id": _org_id(app, "昌吉市机关事务管理局"), "location": "昌吉", "area": 10})
    assert response.status_code == 403 and _count(app, "越权-兄弟辖区") == 0


def test_anonymous_sees_nothing(app):
    client = app.test_client()
    assert client.get("/landparcelview/list/").status_code == 302  # to the login page
    assert client.get("/api/v1/land_parcel/").status_code == 401


def test_user_without_organisation_sees_nothing(app, login):
    from core.scoping import NOBODY, scope_for_user

    with app.app_context():
        sm = app.appbuilder.sm
        if sm.find_user(username="orphan_clerk") is None:
            sm.add_user("orphan_clerk", "无", "单位", "orphan@jiguan.local", sm.find_role("Clerk"),
                        password="test-pass-123")
        user = sm.find_user(username="orphan_clerk")
        assert scope_for_user(user).kind == NOBODY.kind
    api = login("orphan_clerk").get("/api/v1/land_parcel/").get_json()
    assert api is None or api.get("count", 0) == 0


def test_a_new_user_must_be_bound_to_an_organisation(app, login):
    admin = login("admin")
    with app.app_context():
        clerk_role = app.appbuilder.sm.find_role("Clerk").id
    form = {"first_name": "新", "last_name": "用户", "username": "no_org_user", "active": "y",
            "email": "no_org@jiguan.local", "roles": [clerk_role], "password": "Pass-12345",
            "conf_password": "Pass-12345"}
    admin.post("/users/add", data=form)
    with app.app_context():
        assert app.appbuilder.sm.find_user(username="no_org_user") is None
    form["organization"] = _org_id(app, "喀什市财政局")
    admin.post("/users/add", data=form)
    with app.app_context():
        user = app.appbuilder.sm.find_user(username="no_org_user")
        assert user is not None and user.organization.name == "喀什市财政局"


def test_public_reference_data_is_read_by_all_and_written_by_the_admin_only(app):
    """Scope(public=True): a national classification is shared, not owned (Art. 8)."""
    import pytest

    from core.errors import ScopeViolation
    from core.scoping import SYSTEM, acting_as, read_clause, scope_for_user
    from plugins.assets.cards.models import AssetClass

    with app.app_context():
        clerk = scope_for_user(app.appbuilder.sm.find_user(username="kashgar_clerk"))
        assert read_clause(AssetClass, clerk) is None  # the whole tree, for everyone
        top = db.session.execute(select(AssetClass).where(AssetClass.parent_id.is_(None))).scalars().first()
        with acting_as(clerk), pytest.raises(ScopeViolation):
            top.name = "改名"
            db.session.flush()
        db.session.rollback()
        with acting_as(app.appbuilder.sm.find_user(username="urumqi_bureau")), pytest.raises(ScopeViolation):
            db.session.add(AssetClass(code="9990000", name="新类", level=1))
            db.session.flush()
        db.session.rollback()
        with acting_as(SYSTEM):
            db.session.add(AssetClass(code="9990000", name="新类", level=1))
            db.session.flush()
        db.session.rollback()
