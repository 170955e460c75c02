"""Every authentication path is equal: browser session, JWT access token, personal API token.

Each demo login reads the same records, catalog and reports on every path; a module disabled
for a jurisdiction disappears on every path; a bad, expired, revoked or wrong kind of token
answers 401 in Chinese; bearer answers set no cookie; writes through a token are scoped and
audited under the token's user.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from zoneinfo import ZoneInfo

import pytest
from flask_jwt_extended import create_access_token
from sqlalchemy import select

from core.extensions import db
from core.models import AuditLog
from tests.conftest import AUTH_PATHS, RestClient, jwt_login
from tests.core.helpers import user
from tests.core.test_activation import land_setting

LOGINS = ["admin", "xj_bureau", "urumqi_bureau", "tianshan_clerk", "kashgar_clerk", "urumqi_fin_reviewer"]
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _seen(client: RestClient) -> dict:
    """What a user reads: the asset and parcel ids, the catalog's and the report centre's keys."""
    seen = {}
    for key in ("asset", "land_parcel"):
        response = client.get(f"/api/v1/{key}/?q=(page_size:100)")
        seen[key] = (response.status_code, sorted(response.get_json().get("ids", [])))
    for key in ("catalog", "reports"):
        response = client.get(f"/api/v1/{key}/")
        seen[key] = (response.status_code, sorted(e["key"] for e in response.get_json().get("result", [])))
    return seen


def _bearer(value: str) -> dict:
    return {"Authorization": f"Bearer {value}"}


def _new_token(app, username: str, name: str = "测试", days: int = 30) -> dict:
    access = jwt_login(app.test_client(), username)["access_token"]
    response = app.test_client().post("/api/v1/tokens/", json={"name": name, "days": days},
                                      headers=_bearer(access))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["result"]


def _assert_refused(response) -> None:
    assert response.status_code == 401, (response.status_code, response.get_data(as_text=True)[:200])
    assert CHINESE.search(response.get_json()["message"]), response.get_json()
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("username", LOGINS)
def test_every_path_sees_the_same_records(rest, username):
    seen = {auth: _seen(rest(username, auth)) for auth in AUTH_PATHS}
    assert seen["jwt"] == seen["session"], (username, seen)
    assert seen["token"] == seen["session"], (username, seen)
    # and what they see is real: every demo login reads the catalog, its reports and parcels
    assert all(seen["session"][key][0] == 200 for key in seen["session"]), seen["session"]
    assert seen["session"]["catalog"][1] and seen["session"]["reports"][1]
    assert seen["session"]["land_parcel"][1], seen["session"]


def test_a_clerks_token_sees_its_organisation_only(app, rest):
    kashgar = rest("kashgar_clerk", "token").get("/api/v1/land_parcel/?q=(page_size:100)").get_json()
    everything = rest("admin", "token").get("/api/v1/land_parcel/?q=(page_size:100)").get_json()
    with app.app_context():
        org = user(app, "kashgar_clerk").organization_id
    assert kashgar["ids"] and set(kashgar["ids"]) < set(everything["ids"])
    assert {row["organization_id"] for row in kashgar["result"]} == {org}


def test_disabled_module_disappears_on_every_path(app, rest):
    clients = {auth: rest("kashgar_clerk", auth) for auth in AUTH_PATHS}
    with land_setting(app, "653101", False):
        for auth, client in clients.items():
            assert client.get("/api/v1/land_parcel/").status_code == 404, auth
            catalog = {e["key"] for e in client.get("/api/v1/catalog/").get_json()["result"]}
            reports = {e["key"] for e in client.get("/api/v1/reports/").get_json()["result"]}
            assert "land_parcel" not in catalog and "land_registration" not in reports, auth
            assert "asset" in catalog, auth  # the other modules stay
            paths = client.get("/api/v1/_openapi").get_json()["paths"]
            assert "/api/v1/land_parcel/" not in paths and "/api/v1/asset/" in paths, auth
        # the neighbouring jurisdiction keeps it, on every path too
        for auth in AUTH_PATHS:
            assert rest("tianshan_clerk", auth).get("/api/v1/land_parcel/").status_code == 200, auth
    for auth, client in clients.items():
        assert client.get("/api/v1/land_parcel/").status_code == 200, auth


def test_bad_tokens_answer_401_in_chinese(app):
    client = app.test_client()
    tokens = jwt_login(client, "tianshan_clerk", refresh=True)
    with app.app_context():
        expired_jwt = create_access_token(identity=str(user(app, "tianshan_clerk").id),
                                          expires_delta=dt.timedelta(seconds=-5))
    for header in (_bearer("garbage"), _bearer("jg_" + "x" * 43), {"Authorization": "Bearer "},
                   _bearer(tokens["access_token"][:-4] + "AAAA"),  # a forged signature
                   _bearer(expired_jwt), _bearer(tokens["refresh_token"])):
        for url in ("/api/v1/asset/", "/api/v1/reports/", "/api/v1/_openapi", "/landparcelview/list/"):
            _assert_refused(client.get(url, headers=header))
    # with no credentials at all an API answers 401 in Chinese too
    _assert_refused(app.test_client().get("/api/v1/asset/"))


def test_refresh_token_gives_a_new_access_token_and_only_it(app):
    client = app.test_client()
    tokens = jwt_login(client, "urumqi_bureau", refresh=True)
    response = client.post("/api/v1/security/refresh", headers=_bearer(tokens["refresh_token"]))
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    fresh = response.get_json()["access_token"]
    assert client.get("/api/v1/asset/", headers=_bearer(fresh)).status_code == 200
    _assert_refused(client.post("/api/v1/security/refresh", headers=_bearer(tokens["access_token"])))
    _assert_refused(client.post("/api/v1/security/refresh", headers=_bearer("garbage")))


def test_revoked_and_expired_api_tokens_answer_401(app):
    client = app.test_client()
    revoked, expired = _new_token(app, "kashgar_clerk", "将撤销"), _new_token(app, "kashgar_clerk", "将过期")
    for token in (revoked, expired):
        assert client.get("/api/v1/asset/", headers=_bearer(token["token"])).status_code == 200
    access = jwt_login(client, "kashgar_clerk")["access_token"]
    assert client.delete(f"/api/v1/tokens/{revoked['id']}", headers=_bearer(access)).status_code == 200
    with app.app_context():
        model = app.appbuilder.sm.api_key_model
        db.session.get(model, expired["id"]).expires_on = dt.datetime.now() - dt.timedelta(minutes=1)
        db.session.commit()
    for token in (revoked, expired):
        _assert_refused(client.get("/api/v1/asset/", headers=_bearer(token["token"])))
    states = {t["id"]: t["state"] for t in
              client.get("/api/v1/tokens/", headers=_bearer(access)).get_json()["result"]}
    assert states[revoked["id"]] == "revoked" and states[expired["id"]] == "expired"


def test_inactive_user_is_refused_on_every_bearer_path(app):
    client = app.test_client()
    access = jwt_login(client, "urumqi_fin_reviewer")["access_token"]
    token = _new_token(app, "urumqi_fin_reviewer")["token"]
    with app.app_context():
        user(app, "urumqi_fin_reviewer").active = False
        db.session.commit()
    try:
        for value in (access, token):
            _assert_refused(client.get("/api/v1/reports/", headers=_bearer(value)))
    finally:
        with app.app_context():
            user(app, "urumqi_fin_reviewer").active = True
            db.session.commit()
    assert client.get("/api/v1/reports/", headers=_bearer(token)).status_code == 200


@pytest.mark.parametrize("auth", ["jwt", "token"])
def test_bearer_answers_set_no_cookie(rest, auth):
    client = rest("tianshan_clerk", auth)
    for method, url, body in [("GET", "/api/v1/asset/", None), ("GET", "/api/v1/catalog/", None),
                              ("GET", "/apitokens/", None), ("GET", "/", None),
                              ("POST", "/api/v1/reports/organization_directory/render",
                               {"format": "html"})]:
        response = client.open(method, url, json=body)
        assert response.status_code == 200, (url, response.status_code)
        assert "Set-Cookie" not in response.headers, (url, response.headers.get("Set-Cookie"))
    login = client.client.post("/api/v1/security/login", json={
        "username": "tianshan_clerk", "password": "x", "provider": "db"})
    assert login.status_code == 401 and "Set-Cookie" not in login.headers


def test_bearer_wins_over_a_session_cookie(login, rest):
    admin = login("admin")  # the browser holds the admin's session …
    token = rest("kashgar_clerk", "token").headers["Authorization"]
    mixed = admin.client.get("/api/v1/land_parcel/?q=(page_size:100)", headers={"Authorization": token})
    alone = rest("kashgar_clerk", "jwt").get("/api/v1/land_parcel/?q=(page_size:100)")
    assert mixed.get_json()["ids"] == alone.get_json()["ids"]  # … the request is the token's
    assert "Set-Cookie" not in mixed.headers


def _audit_rows(app, entity, entity_id):
    with app.app_context():
        return db.session.execute(
            select(AuditLog).where(AuditLog.entity == entity, AuditLog.entity_id == str(entity_id))
            .order_by(AuditLog.id)).scalars().all()


@pytest.mark.parametrize("auth", ["jwt", "token"])
def test_writes_through_a_bearer_are_scoped_and_audited_under_its_user(app, rest, auth):
    client = rest("kashgar_clerk", auth)
    with app.app_context():
        clerk = user(app, "kashgar_clerk")
        org_id, jur_id = clerk.organization_id, clerk.organization.jurisdiction_id
        neighbour = user(app, "tianshan_clerk").organization
        neighbour_ids = (neighbour.id, neighbour.jurisdiction_id)
    own = client.get("/api/v1/land_parcel/").get_json()["ids"][0]
    foreign = rest("tianshan_clerk", auth).get("/api/v1/land_parcel/").get_json()["ids"][0]

    note = f"令牌写入 {uuid.uuid4().hex[:8]}"
    response = client.open("PUT", f"/api/v1/land_parcel/{own}", json={"note": note})
    assert response.status_code == 200, response.get_json()
    last = _audit_rows(app, "land_parcel", own)[-1]
    assert (last.action, last.username, last.after["note"]) == ("update", "kashgar_clerk", note)

    before = rest("tianshan_clerk", auth).get(f"/api/v1/land_parcel/{foreign}").get_json()["result"]
    refused = client.open("PUT", f"/api/v1/land_parcel/{foreign}", json={"note": "越权修改"})
    assert refused.status_code == 404
    after = rest("tianshan_clerk", auth).get(f"/api/v1/land_parcel/{foreign}").get_json()["result"]
    assert after == before

    parcel = dict(name="令牌新增宗地", location="喀什市测试路 1 号", area=120.5, land_use="office",
                  registration_status="unregistered", in_compound=False)
    response = client.open("POST", "/api/v1/land_parcel/", json={
        **parcel, "organization_id": neighbour_ids[0], "jurisdiction_id": neighbour_ids[1]})
    assert response.status_code in (403, 422) and CHINESE.search(response.get_json()["message"])
    response = client.open("POST", "/api/v1/land_parcel/", json={
        **parcel, "organization_id": org_id, "jurisdiction_id": jur_id})
    assert response.status_code == 201, response.get_json()
    created = response.get_json()["id"]
    rows = _audit_rows(app, "land_parcel", created)
    assert [(r.action, r.username) for r in rows] == [("create", "kashgar_clerk")]
    # a parcel is never deleted (its legal history): voided, through the operation
    assert client.open("DELETE", f"/api/v1/land_parcel/{created}").status_code == 409
    voided = client.open("POST", f"/api/v1/land_parcel/{created}/void", json={"reason": "令牌测试作废"})
    assert voided.status_code == 200, voided.get_json()
    last = _audit_rows(app, "land_parcel", created)[-1]
    assert (last.action, last.username) == ("update", "kashgar_clerk")
    assert last.after["void_reason"] == "令牌测试作废"


def test_token_lifecycle_is_audited_without_the_secret(app):
    client = app.test_client()
    access = jwt_login(client, "urumqi_bureau")["access_token"]
    created = _new_token(app, "urumqi_bureau", "向自治区报送")
    assert created["prefix"] == created["token"][:11] and created["state"] == "active"
    response = client.delete(f"/api/v1/tokens/{created['id']}", headers=_bearer(access))
    assert response.status_code == 200
    again = client.delete(f"/api/v1/tokens/{created['id']}", headers=_bearer(access))
    assert again.status_code == 422 and "已撤销" in again.get_json()["message"]
    rows = _audit_rows(app, "api_token", created["id"])
    assert [(r.action, r.username) for r in rows] == [("create", "urumqi_bureau"),
                                                      ("revoke", "urumqi_bureau")]
    with app.app_context():
        key = db.session.get(app.appbuilder.sm.api_key_model, created["id"])
        secrets = [created["token"], key.key_hash, key.lookup_hash]
        org = user(app, "urumqi_bureau").organization
        assert rows[0].organization_id == org.id and rows[0].jurisdiction_id == org.jurisdiction_id
    stored = " ".join(str(v) for r in rows for v in (r.before, r.after))
    assert not any(secret in stored for secret in secrets)
    assert created["token"] not in key.key_hash and key.key_hash.startswith("pbkdf2:")


def test_token_lifetime_is_required_and_bounded(app):
    client = app.test_client()
    access = jwt_login(client, "tianshan_clerk")["access_token"]
    limit = app.config["API_TOKEN_MAX_DAYS"]
    for body in ({"name": "无期限"}, {"name": "太长", "days": limit + 1}, {"name": "零", "days": 0},
                 {"name": "", "days": 30}, {"days": 30}):
        response = client.post("/api/v1/tokens/", json=body, headers=_bearer(access))
        assert response.status_code == 422, (body, response.get_json())
        assert CHINESE.search(response.get_json()["message"])
    token = _new_token(app, "tianshan_clerk", "一年", days=limit)
    expires = dt.datetime.strptime(token["expires_on"], "%Y-%m-%d %H:%M")  # Beijing time
    beijing_now = dt.datetime.now(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)
    assert dt.timedelta(days=limit - 1) < expires - beijing_now <= dt.timedelta(days=limit)


def test_a_token_cannot_mint_tokens(app, rest):
    client = rest("tianshan_clerk", "token")
    response = client.open("POST", "/api/v1/tokens/", json={"name": "续期", "days": 30})
    assert response.status_code == 403 and "不能用来创建" in response.get_json()["message"]


def test_users_see_their_own_tokens_and_the_admin_everyones(app):
    client = app.test_client()
    mine = _new_token(app, "kashgar_clerk", "喀什报送")
    theirs = _new_token(app, "tianshan_clerk", "天山报送")
    kashgar = _bearer(jwt_login(client, "kashgar_clerk")["access_token"])
    admin = _bearer(jwt_login(client, "admin")["access_token"])

    def ids(headers, query=""):
        return {t["id"] for t in client.get(f"/api/v1/tokens/{query}", headers=headers).get_json()["result"]}

    assert mine["id"] in ids(kashgar) and theirs["id"] not in ids(kashgar, "?all=1")
    assert {mine["id"], theirs["id"]} <= ids(admin, "?all=1") and theirs["id"] not in ids(admin)
    assert client.delete(f"/api/v1/tokens/{theirs['id']}", headers=kashgar).status_code == 404
    assert client.get("/api/v1/asset/", headers=_bearer(theirs["token"])).status_code == 200
    assert client.delete(f"/api/v1/tokens/{theirs['id']}", headers=admin).status_code == 200
    _assert_refused(client.get("/api/v1/asset/", headers=_bearer(theirs["token"])))
    assert _audit_rows(app, "api_token", theirs["id"])[-1].username == "admin"


def test_admins_token_reaches_fabs_own_apis(rest):
    assert rest("admin", "token").get("/api/v1/security/users/").status_code == 200
    refused = rest("kashgar_clerk", "token").get("/api/v1/security/users/")
    assert refused.status_code == 403 and refused.get_json()["message"] == "无权访问：您的角色不包括此操作"


def test_token_screen_shows_the_token_once(app, login):
    neighbour = _new_token(app, "kashgar_clerk", "喀什的令牌")
    browser = login("tianshan_clerk")
    page = browser.post("/apitokens/create", data={"name": "屏幕创建", "days": "30"})
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    raw = re.search(r'id="new-token-value"[^>]*>(jg_[^<]+)<', html).group(1)
    assert "只显示这一次" in html and "屏幕创建" in html
    assert "Set-Cookie" not in page.headers or raw not in page.headers["Set-Cookie"]
    listing = browser.text("/apitokens/")
    assert "屏幕创建" in listing and raw not in listing and raw[:11] in listing
    assert neighbour["prefix"] not in listing  # another user's token is not listed
    assert browser.get("/apitokens/?all=1").get_data(as_text=True).count("data-token=") == \
        listing.count("data-token=")  # ?all=1 is the admin's only
    assert app.test_client().get("/api/v1/asset/", headers=_bearer(raw)).status_code == 200
    pk = re.search(r'data-token="(\d+)" data-state="active">\s*<td>屏幕创建', listing).group(1)
    browser.post(f"/apitokens/{pk}/revoke")
    assert f'data-token="{pk}" data-state="revoked"' in browser.text("/apitokens/")
    _assert_refused(app.test_client().get("/api/v1/asset/", headers=_bearer(raw)))
    assert neighbour["prefix"] in login("admin").text("/apitokens/?all=1")
