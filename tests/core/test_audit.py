"""Audit trail (Art. 41-42) and optimistic locking: every write attributable, none lost."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from catalog.models import Jurisdiction, Organization
from core.extensions import db
from core.models import AuditLog
from plugins.land.parcels.models import LandParcel


@pytest.fixture
def ids(app):
    with app.app_context():
        return {
            "jur": db.session.execute(
                select(Jurisdiction.id).where(Jurisdiction.code == "650102")).scalar_one(),
            "org": db.session.execute(
                select(Organization.id).where(Organization.name == "乌鲁木齐市天山区财政局")).scalar_one(),
        }


def _form(ids, name, **extra):
    return {"name": name, "jurisdiction": ids["jur"], "organization": ids["org"], "location": "天山区",
            "area": "100", "land_use": "office", "registration_status": "unregistered",
            "certificate_no": "", "title_holder": "", **extra}


def _parcel(app, name):
    with app.app_context():
        return db.session.execute(select(LandParcel).where(LandParcel.name == name)).scalar_one_or_none()


def _trail(app, pk):
    with app.app_context():
        return db.session.execute(
            select(AuditLog).where(AuditLog.entity == "land_parcel", AuditLog.entity_id == str(pk))
            .order_by(AuditLog.id)).scalars().all()


def test_every_form_write_is_audited_with_before_and_after(app, login, ids):
    """Art. 41-42: a parcel created, edited and voided (作废, never deleted) on its screens: each
    step in the trail, by whom, before and after."""
    clerk = login("tianshan_clerk")
    clerk.post("/landparcelview/add", data=_form(ids, "审计-表单"))
    parcel = _parcel(app, "审计-表单")
    clerk.post(f"/landparcelview/edit/{parcel.id}",
               data=_form(ids, "审计-表单", area="150", lock_version=parcel.version))
    clerk.post(f"/landparcelview/delete/{parcel.id}")  # refused: a parcel is voided, not deleted
    clerk.post(f"/landparcelview/operation/{parcel.id}/void", data={"reason": "重复登记"})
    assert _parcel(app, "审计-表单").void_reason == "重复登记"
    create, update, void = _trail(app, parcel.id)
    assert [create.action, update.action, void.action] == ["create", "update", "update"]
    assert {r.username for r in (create, update, void)} == {"tianshan_clerk"}
    assert create.before is None and create.after["name"] == "审计-表单"
    assert update.before["area"] == "100.00" and update.after["area"] == "150.00"
    assert void.before["voided_at"] is None and void.after["voided_by"] == "tianshan_clerk"
    assert void.after["void_reason"] == "重复登记" and void.after["area"] == "150.00"
    assert create.organization_id == ids["org"] and create.jurisdiction_id == ids["jur"]


def test_api_write_is_audited(app, login, ids):
    clerk = login("tianshan_clerk")
    response = clerk.api("POST", "/api/v1/land_parcel/", json={
        "name": "审计-接口", "jurisdiction_id": ids["jur"], "organization_id": ids["org"],
        "location": "天山区", "area": 5})
    pk = response.get_json()["id"]
    clerk.api("PUT", f"/api/v1/land_parcel/{pk}", json={"note": "接口修改"})
    trail = _trail(app, pk)
    assert [r.action for r in trail] == ["create", "update"]
    assert trail[1].after["note"] == "接口修改" and trail[1].before["note"] is None


def test_history_screen_shows_changes_in_scope_only(app, login, ids):
    clerk = login("tianshan_clerk")
    clerk.post("/landparcelview/add", data=_form(ids, "审计-历史"))
    parcel = _parcel(app, "审计-历史")
    clerk.post(f"/landparcelview/edit/{parcel.id}",
               data=_form(ids, "审计-历史", location="天山区新地址", lock_version=parcel.version))
    assert f"/history/land_parcel/{parcel.id}" in clerk.text(f"/landparcelview/show/{parcel.id}")
    html = clerk.text(f"/history/land_parcel/{parcel.id}")
    assert "天山区新地址" in html and "tianshan_clerk" in html and "修改" in html
    assert login("kashgar_clerk").get(f"/history/land_parcel/{parcel.id}").status_code == 404


def test_audit_log_cannot_be_edited_or_deleted_through_views(app, login):
    admin = login("admin")
    with app.app_context():
        pk = db.session.execute(select(sa.func.max(AuditLog.id))).scalar()
        before = db.session.get(AuditLog, pk).after
    assert admin.get(f"/auditlogview/show/{pk}").status_code == 200
    for url in (f"/auditlogview/edit/{pk}", f"/auditlogview/delete/{pk}"):
        assert admin.post(url, data={"username": "x"}).status_code in (302, 403, 404, 405)
    with app.app_context():
        assert db.session.get(AuditLog, pk).after == before


def test_database_refuses_to_change_the_trail(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the append-only trigger is PostgreSQL's; SQLite relies on the views")
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE core_audit_log SET username = 'forged'"))
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), db.engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM core_audit_log"))


def test_stale_form_edit_is_refused_and_overwrites_nothing(app, login, ids):
    first, second = login("tianshan_clerk"), login("urumqi_bureau")
    first.post("/landparcelview/add", data=_form(ids, "锁-表单"))
    parcel = _parcel(app, "锁-表单")
    loaded = parcel.version
    assert second.post(f"/landparcelview/edit/{parcel.id}",
                       data=_form(ids, "锁-表单", location="后来者", lock_version=loaded)).status_code == 302
    html = first.post(f"/landparcelview/edit/{parcel.id}",
                      data=_form(ids, "锁-表单", location="先来者", lock_version=loaded),
                      follow_redirects=True).get_data(as_text=True)
    assert "该记录已被他人修改" in html
    assert _parcel(app, "锁-表单").location == "后来者"


def test_stale_api_edit_gets_409(app, login, ids):
    clerk = login("tianshan_clerk")
    pk = clerk.api("POST", "/api/v1/land_parcel/", json={
        "name": "锁-接口", "jurisdiction_id": ids["jur"], "organization_id": ids["org"],
        "location": "天山区", "area": 5}).get_json()["id"]
    version = _parcel(app, "锁-接口").version
    assert clerk.api("PUT", f"/api/v1/land_parcel/{pk}",
                     json={"location": "甲", "version": version}).status_code == 200
    response = clerk.api("PUT", f"/api/v1/land_parcel/{pk}", json={"location": "乙", "version": version})
    assert response.status_code == 409 and "已被他人修改" in response.get_json()["message"]
    assert _parcel(app, "锁-接口").location == "甲"
