"""Registration of a parcel moves by operations, never by editing a field (Art. 20-21, issue 8).

开始登记 → 登记完成 (with the certificate number and the title holder) → 变更登记; the
registration status, the certificate and the title holder are state fields, so the edit form,
``PUT`` and a direct write cannot set them. A parcel is never deleted, it is voided (作废) —
with who, when and why in its page, its history and the audit trail (Art. 41-42).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from catalog.models import Jurisdiction, Organization
from core.errors import WriteRefused
from core.extensions import db
from core.models import AuditLog, Finding
from core.scoping import acting_as
from plugins.land.parcels.models import LandParcel

CERTIFICATE = "新(2026)乌鲁木齐市不动产权第0077001号"


@pytest.fixture
def ids(app):
    with app.app_context():
        def org(name):
            return db.session.execute(select(Organization.id).where(Organization.name == name)).scalar_one()

        return dict(jur=db.session.execute(select(Jurisdiction.id).where(Jurisdiction.code == "650102"))
                    .scalar_one(),
                    org=org("乌鲁木齐市天山区财政局"), bureau=org("乌鲁木齐市天山区机关事务服务中心"),
                    city_bureau=org("乌鲁木齐市机关事务管理局"))


_counter = iter(range(1, 10_000))


def new_parcel(app, ids, status="unregistered", **extra) -> int:
    """A parcel of 天山区财政局, entered by the system (as the demo does)."""
    with app.app_context():
        parcel = LandParcel(name=f"操作测试宗地-{next(_counter)}", jurisdiction_id=ids["jur"],
                            organization_id=ids["org"], location="天山区测试路", area=900,
                            registration_status=status, **extra)
        db.session.add(parcel)
        db.session.commit()
        return parcel.id


def parcel(app, pk) -> dict:
    with app.app_context():
        row = db.session.get(LandParcel, pk)
        return dict(status=row.registration_status, certificate=row.certificate_no,
                    holder=row.title_holder_id, version=row.version, voided=row.voided_at is not None,
                    reason=row.void_reason)


def cli(app, *args):
    return app.test_cli_runner().invoke(args=["op", "land_parcel", *args])


# --- the state fields -----------------------------------------------------------------------------

FIELDS = {"registration_status": "registered", "certificate_no": "伪造证书号", "title_holder_id": "bureau"}


@pytest.mark.parametrize("field", FIELDS)
def test_art20_21_the_edit_form_cannot_change_the_registration(app, login, ids, field):
    pk = new_parcel(app, ids, status="in_progress")
    before = parcel(app, pk)
    clerk = login("tianshan_clerk")
    form_name = field.removesuffix("_id")
    assert f'name="{form_name}"' not in clerk.text(f"/landparcelview/edit/{pk}")
    value = ids["bureau"] if FIELDS[field] == "bureau" else FIELDS[field]
    clerk.post(f"/landparcelview/edit/{pk}", data={
        "name": "改名", "location": "天山区", "area": "900", "land_use": "office", form_name: value,
        "lock_version": before["version"]})
    after = parcel(app, pk)
    assert (after["status"], after["certificate"], after["holder"]) == (
        before["status"], before["certificate"], before["holder"])


@pytest.mark.parametrize("field", FIELDS)
def test_art20_21_put_cannot_change_the_registration(app, login, ids, field):
    pk = new_parcel(app, ids, status="in_progress")
    before = parcel(app, pk)
    value = ids["bureau"] if FIELDS[field] == "bureau" else FIELDS[field]
    response = login("tianshan_clerk").api("PUT", f"/api/v1/land_parcel/{pk}", json={field: value})
    assert response.status_code == 422
    assert "不能直接修改，只能通过操作改变" in response.get_json()["message"]
    assert parcel(app, pk) == before


def test_art20_a_direct_write_cannot_register_a_parcel(app, ids):
    pk = new_parcel(app, ids, status="in_progress")
    with app.app_context():
        with acting_as(app.appbuilder.sm.find_user(username="tianshan_clerk")):
            row = db.session.get(LandParcel, pk)
            row.registration_status, row.certificate_no = "registered", CERTIFICATE
            with pytest.raises(WriteRefused, match="不能直接修改，只能通过操作改变"):
                db.session.flush()
        db.session.rollback()
    assert parcel(app, pk)["status"] == "in_progress"


def test_art20_a_parcel_may_be_entered_as_it_stands(app, login, ids):
    """A create takes the registration as it stands (存量): registered, with its certificate."""
    response = login("tianshan_clerk").api("POST", "/api/v1/land_parcel/", json={
        "name": "存量已登记宗地", "jurisdiction_id": ids["jur"], "organization_id": ids["org"],
        "location": "天山区", "area": 300, "registration_status": "registered",
        "certificate_no": CERTIFICATE, "title_holder_id": ids["bureau"]})
    assert response.status_code == 201, response.get_json()


# --- the operations ---------------------------------------------------------------------------------

def test_art20_21_registration_walked_through_the_buttons(app, login, ids):
    pk = new_parcel(app, ids)
    clerk = login("tianshan_clerk")
    page = clerk.text(f"/landparcelview/show/{pk}")
    assert re.findall(r'data-operation="(\w+)"', page) == ["start_registration", "void"]
    html = clerk.post(f"/landparcelview/operation/{pk}/start_registration", data={},
                      follow_redirects=True).get_data(as_text=True)
    assert "已办理“开始登记”" in html and parcel(app, pk)["status"] == "in_progress"
    assert re.findall(r'data-operation="(\w+)"', html) == ["complete_registration", "void"]
    form = clerk.text(f"/landparcelview/operation/{pk}/complete_registration")
    holders = re.findall(r'<option value="(\d+)"', re.search(
        r'<select[^>]*name="title_holder_id".*?</select>', form, re.S).group(0))
    assert str(ids["bureau"]) in holders and str(ids["city_bureau"]) in holders  # the bureaus, Art. 21
    html = clerk.post(f"/landparcelview/operation/{pk}/complete_registration", data={
        "certificate_no": CERTIFICATE, "title_holder_id": ids["bureau"]}, follow_redirects=True).get_data(
        as_text=True)
    assert "已办理“登记完成”" in html
    assert parcel(app, pk)["status"] == "registered" and parcel(app, pk)["certificate"] == CERTIFICATE
    assert re.findall(r'data-operation="(\w+)"', html) == ["change_title", "void"]


def test_art20_complete_registration_through_rest(app, login, ids):
    pk = new_parcel(app, ids, status="in_progress")
    clerk = login("tianshan_clerk")
    response = clerk.api("POST", f"/api/v1/land_parcel/{pk}/complete_registration",
                         json={"certificate_no": CERTIFICATE, "title_holder_id": ids["bureau"]})
    assert response.status_code == 200, response.get_json()
    result = response.get_json()["result"]
    assert (result["registration_status"], result["title_holder_id"]) == ("registered", ids["bureau"])


def test_art20_complete_registration_through_rest_with_a_bearer_token(app, ids):
    from tests.conftest import PASSWORD

    pk = new_parcel(app, ids, status="in_progress")
    client = app.test_client()
    token = client.post("/api/v1/security/login", json={"username": "tianshan_clerk", "password": PASSWORD,
                                                        "provider": "db"}).get_json()["access_token"]
    response = client.post(f"/api/v1/land_parcel/{pk}/complete_registration",
                           json={"certificate_no": CERTIFICATE, "title_holder_id": ids["bureau"]},
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.get_json()


def test_art21_change_title_through_the_cli_closes_the_finding(app, ids):
    """Art. 21: registered land held by the using organisation is moved to the bureau (变更登记)."""
    pk = new_parcel(app, ids, status="registered", certificate_no="旧证", title_holder_id=ids["org"])
    with app.app_context():  # the system's direct write opened the Art. 21 finding
        open_finding = select(Finding.id).where(Finding.entity == "land_parcel", Finding.entity_id == str(pk),
                                                Finding.status == "open")
        assert db.session.execute(open_finding).first() is not None
    result = cli(app, str(pk), "change_title", "--param", f"certificate_no={CERTIFICATE}",
                 "--param", f"title_holder_id={ids['bureau']}", "--as", "tianshan_clerk")
    assert result.exit_code == 0, result.output
    assert (parcel(app, pk)["certificate"], parcel(app, pk)["holder"]) == (CERTIFICATE, ids["bureau"])
    with app.app_context():
        assert db.session.execute(open_finding).first() is None
        trail = db.session.execute(select(AuditLog).where(
            AuditLog.entity == "land_parcel", AuditLog.entity_id == str(pk)).order_by(AuditLog.id.desc())
            .limit(1)).scalar_one()
    assert trail.username == "tianshan_clerk" and trail.after["certificate_no"] == CERTIFICATE


def test_art20_an_operation_refuses_the_wrong_state_on_every_path(app, login, ids):
    pk = new_parcel(app, ids)  # unregistered: 登记完成 only after 开始登记
    clerk = login("tianshan_clerk")
    body = {"certificate_no": CERTIFICATE, "title_holder_id": ids["bureau"]}
    message = "当前状态（确权登记状态：未登记）不能执行“登记完成”"
    html = clerk.post(f"/landparcelview/operation/{pk}/complete_registration", data=body,
                      follow_redirects=True).get_data(as_text=True)
    assert message in html
    response = clerk.api("POST", f"/api/v1/land_parcel/{pk}/complete_registration", json=body)
    assert response.status_code == 409 and response.get_json()["message"] == message
    result = cli(app, str(pk), "complete_registration", "--param", f"certificate_no={CERTIFICATE}",
                 "--param", f"title_holder_id={ids['bureau']}", "--as", "tianshan_clerk")
    assert result.exit_code == 1 and message in result.output
    assert parcel(app, pk)["status"] == "unregistered"


def test_art21_the_title_holder_is_one_of_the_offered(app, login, ids):
    pk = new_parcel(app, ids, status="in_progress")
    with app.app_context():
        kashgar = db.session.execute(select(Organization.id).where(Organization.name == "喀什市财政局")
                                     ).scalar_one()
    response = login("urumqi_bureau").api("POST", f"/api/v1/land_parcel/{pk}/complete_registration",
                                          json={"certificate_no": CERTIFICATE, "title_holder_id": kashgar})
    assert response.status_code == 422 and "权利人：不是可选的值" in response.get_json()["message"]
    assert parcel(app, pk)["status"] == "in_progress"


def test_a_parcel_operation_outside_the_scope_or_without_permission_is_refused(app, login, ids):
    pk = new_parcel(app, ids)
    kashgar = login("kashgar_clerk")
    assert kashgar.post(f"/landparcelview/operation/{pk}/start_registration").status_code == 404
    assert kashgar.api("POST", f"/api/v1/land_parcel/{pk}/start_registration").status_code == 404
    assert cli(app, str(pk), "start_registration", "--as", "kashgar_clerk").exit_code == 1
    finance = login("urumqi_fin_reviewer")
    assert finance.post(f"/landparcelview/operation/{pk}/start_registration").status_code == 403
    response = finance.api("POST", f"/api/v1/land_parcel/{pk}/start_registration")
    assert response.status_code == 403 and "开始登记" in response.get_json()["message"]
    result = cli(app, str(pk), "start_registration", "--as", "urumqi_fin_reviewer")
    assert result.exit_code == 1 and "无权" in result.output
    assert parcel(app, pk)["status"] == "unregistered"


# --- never deleted, voided ----------------------------------------------------------------------------

def test_art20_a_parcel_is_never_deleted_on_any_path(app, login, ids):
    pk = new_parcel(app, ids)
    clerk = login("tianshan_clerk")
    assert "/landparcelview/delete/" not in clerk.text("/landparcelview/list/")
    html = clerk.post(f"/landparcelview/delete/{pk}", follow_redirects=True).get_data(as_text=True)
    assert "土地宗地有法定的历史记录，不能删除，只能作废" in html
    response = clerk.api("DELETE", f"/api/v1/land_parcel/{pk}")
    assert response.status_code == 409 and "只能作废" in response.get_json()["message"]
    with app.app_context():
        with acting_as(app.appbuilder.sm.find_user(username="tianshan_clerk")):
            db.session.delete(db.session.get(LandParcel, pk))
            with pytest.raises(WriteRefused, match="只能作废"):
                db.session.flush()
        db.session.rollback()
    assert parcel(app, pk)["status"] == "unregistered"


def test_art41_42_a_voided_parcel_shows_who_when_why_and_leaves_the_lists(app, login, ids):
    pk = new_parcel(app, ids)
    clerk = login("tianshan_clerk")
    with app.app_context():
        name = db.session.get(LandParcel, pk).name
    result = cli(app, str(pk), "void", "--param", "reason=与另一宗地重复登记", "--as", "tianshan_clerk")
    assert result.exit_code == 0, result.output
    assert parcel(app, pk)["voided"] and parcel(app, pk)["reason"] == "与另一宗地重复登记"
    page = clerk.text(f"/landparcelview/show/{pk}")
    assert 'id="voided-badge"' in page and "与另一宗地重复登记" in page and "tianshan_clerk" in page
    assert "data-operation" not in page
    assert name not in clerk.text("/landparcelview/list/")
    assert name in clerk.text("/landparcelview/list/?voided=1")
    assert "作废原因" in clerk.text(f"/history/land_parcel/{pk}")
    response = clerk.api("POST", f"/api/v1/land_parcel/{pk}/start_registration")
    assert response.status_code == 409 and "记录已作废" in response.get_json()["message"]
