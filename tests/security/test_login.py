"""Password guessing: lockout per name and per address on the form and the API, the same
answer for names that do not exist, audit rows, unlocking; the password policy on every path."""

from __future__ import annotations

import re
import time
import uuid

import pytest
from sqlalchemy import select

from core.testing.support import PASSWORD, Browser
from tests.security.test_sessions import new_user, user_id

API_LOGIN = "/api/v1/security/login"
LOCKED = "登录失败次数过多"
FAILED = "用户名或密码错误"


def address() -> str:
    """A client address of its own for one test (the per-address count is shared)."""
    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250 + 1}"


def form_login(app, username, password, addr):
    """POST the login form from ``addr``; the page the user then sees (the flashed message)."""
    client = app.test_client()
    env = {"REMOTE_ADDR": addr}
    response = client.post("/login/", data={"username": username, "password": password},
                           environ_base=env)
    page = client.get(response.headers.get("Location", "/login/"), environ_base=env)
    text = page.get_data(as_text=True)
    return client, " ".join(Browser.flashes(text))


def api_login(app, username, password, addr):
    return app.test_client(use_cookies=False).post(
        API_LOGIN, json={"username": username, "password": password, "provider": "db"},
        environ_base={"REMOTE_ADDR": addr})


def signed_in(client) -> bool:
    return client.get("/api/v1/land_parcel/").status_code == 200


def audit_rows(app, username) -> list[str]:
    from core.extensions import db
    from core.models import AuditLog

    with app.app_context():
        rows = db.session.execute(select(AuditLog.action).where(
            AuditLog.entity == "login", AuditLog.username == username).order_by(AuditLog.id)).scalars()
        actions = list(rows)
        db.session.remove()
    return actions


def test_form_locks_a_name_after_five_failures(app):
    username, addr = new_user(app, "l"), address()
    messages = [form_login(app, username, "Wrong-pass-1", addr)[1] for _ in range(5)]
    assert all(FAILED in m for m in messages), messages
    client, message = form_login(app, username, PASSWORD, addr)  # the right password, too late
    assert LOCKED in message and not signed_in(client)
    # from another machine too: it is the account that is locked
    client, message = form_login(app, username, PASSWORD, address())
    assert LOCKED in message and not signed_in(client)
    assert audit_rows(app, username) == ["login_fail"] * 5 + ["lockout"] + ["login_refused"] * 2


def test_unknown_and_existing_names_get_the_same_answers(app):
    existing, unknown = new_user(app, "l"), f"nobody_{uuid.uuid4().hex[:8]}"
    for path in ("form", "api"):
        answers = {}
        for name in (existing, unknown):
            addr = address()
            seen = []
            for _ in range(6):
                if path == "form":
                    seen.append(form_login(app, name, "Wrong-pass-1", addr)[1])
                else:
                    response = api_login(app, name, "Wrong-pass-1", addr)
                    seen.append((response.status_code, response.get_json()["message"]))
            answers[name] = seen
        assert answers[existing] == answers[unknown], answers
        if path == "api":
            assert answers[unknown][0] == (401, FAILED)
            assert answers[unknown][5][0] == 429 and LOCKED in answers[unknown][5][1]
        else:
            assert LOCKED in answers[unknown][5]
        from core.web.login_guard import unlock

        with app.app_context():
            unlock(existing)
            unlock(unknown)


def test_both_failures_cost_a_password_hash(app):
    """An unknown name is not answered faster than a wrong password (FAB hashes a dummy one).

    Timings on a shared machine are noisy: the least of three hashes is the yardstick, the
    median of three logins of each kind is compared with it and with the other kind.
    """
    from statistics import median

    from werkzeug.security import check_password_hash

    def timed(call) -> float:
        start = time.perf_counter()
        call()
        return time.perf_counter() - start

    fake = app.config["AUTH_DB_FAKE_PASSWORD_HASH_CHECK"]
    one_hash = min(timed(lambda: check_password_hash(fake, "password")) for _ in range(3))
    existing, unknown = new_user(app, "l"), f"nobody_{uuid.uuid4().hex[:8]}"
    took = {existing: [], unknown: []}
    for _ in range(3):
        for name in (existing, unknown):
            took[name].append(timed(lambda name=name: api_login(app, name, "Wrong-pass-1", address())))
    for name in (existing, unknown):
        assert median(took[name]) >= 0.6 * one_hash, (name, took, one_hash)
    ratio = median(took[unknown]) / median(took[existing])
    assert 1 / 3 < ratio < 3, (took, one_hash)
    from core.web.login_guard import unlock

    with app.app_context():
        unlock(existing)
        unlock(unknown)


def test_api_lockout_and_unlock_by_cli(app, cli):
    username, addr = new_user(app, "l"), address()
    for _ in range(5):
        assert api_login(app, username, "Wrong-pass-1", addr).status_code == 401
    locked = api_login(app, username, PASSWORD, addr)
    assert locked.status_code == 429 and LOCKED in locked.get_json()["message"]
    assert int(locked.headers["Retry-After"]) > 0
    result = cli("user", "unlock", username)
    assert result.exit_code == 0, result.output
    assert api_login(app, username, PASSWORD, addr).status_code == 200
    assert audit_rows(app, username)[-3:] == ["lockout", "login_refused", "unlock"]


def test_an_address_is_locked_after_twenty_failures(app):
    addr, victim = address(), new_user(app, "l")
    for i in range(20):  # a password spray: a different name each time
        api_login(app, f"spray_{i}_{uuid.uuid4().hex[:6]}", "Wrong-pass-1", addr)
    assert api_login(app, victim, PASSWORD, addr).status_code == 429
    client, message = form_login(app, victim, PASSWORD, addr)
    assert LOCKED in message and not signed_in(client)
    assert api_login(app, victim, PASSWORD, address()).status_code == 200  # other machines log in
    from core.web.login_guard import unlock

    with app.app_context():
        unlock(address=addr)
    assert api_login(app, victim, PASSWORD, addr).status_code == 200


def test_the_admin_sees_login_failures_in_the_audit_log(app):
    name = f"nobody_{uuid.uuid4().hex[:8]}"
    api_login(app, name, "Wrong-pass-1", address())
    row = re.compile(rf"<td[^>]*>\s*{name}\s*</td>")  # a row of the list, not the filter's echo
    admin = Browser(app, "admin")
    assert row.search(admin.text(f"/auditlogview/list/?_flt_0_username={name}"))
    bureau = Browser(app, "urumqi_bureau")  # a bureau sees its jurisdiction, not the whole region's
    assert not row.search(bureau.text(f"/auditlogview/list/?_flt_0_username={name}"))


# --- the password policy -------------------------------------------------------------------

WEAK = ["short1A!", "alllowercaseletters", "nodigits-here", "ALLUPPER12345"]


@pytest.mark.parametrize("weak", WEAK)
def test_policy_on_own_password_change(app, weak):
    username = new_user(app, "p")
    browser = Browser(app, username)
    page = browser.post("/resetmypassword/form", data={"password": weak, "conf_password": weak})
    assert "密码至少 10 位" in page.get_data(as_text=True)
    Browser(app, username)  # the old password still works


def test_policy_refuses_the_login_name(app):
    username = new_user(app, "p")
    browser = Browser(app, username)
    weak = f"X1-{username}"
    page = browser.post("/resetmypassword/form", data={"password": weak, "conf_password": weak})
    assert "密码不能包含登录名" in page.get_data(as_text=True)
    admin = Browser(app, "admin")
    page = admin.post(f"/resetpassword/form?pk={user_id(app, username)}",
                      data={"password": weak, "conf_password": weak})
    assert "密码不能包含登录名" in page.get_data(as_text=True)
    Browser(app, username)


def test_policy_on_the_user_api_and_screen(app):
    from core.testing.support import ApiClient

    admin = ApiClient(app, "admin")
    with app.app_context():
        role_id = app.appbuilder.sm.find_role("Clerk").id
        org_id = _organization_id(app, "乌鲁木齐市天山区财政局")
    name = f"p_{uuid.uuid4().hex[:8]}"
    body = {"username": name, "first_name": "甲", "last_name": "乙", "email": f"{name}@x.cn",
            "roles": [role_id], "active": True, "organization_id": org_id}
    response = admin.post("/api/v1/security/users/", json={**body, "password": "weakpass"})
    assert response.status_code == 400
    assert "密码至少 10 位" in str(response.get_json())
    created = admin.post("/api/v1/security/users/", json={**body, "password": "Good-pass-2026"})
    assert created.status_code == 201
    uid = user_id(app, name)
    response = admin.put(f"/api/v1/security/users/{uid}", json={"password": "weakpass"})
    assert response.status_code == 400 and "密码至少 10 位" in str(response.get_json())
    page = Browser(app, "admin").post("/users/add", data={
        "first_name": "甲", "last_name": "乙", "username": f"q_{uuid.uuid4().hex[:8]}", "active": "y",
        "email": "q@x.cn", "password": "weakpass", "conf_password": "weakpass"})
    assert "密码至少 10 位" in page.get_data(as_text=True)


def test_policy_on_the_cli(app):
    from core.cli.setup import create_user

    with app.app_context(), pytest.raises(ValueError, match=re.escape("密码至少 10 位")):
        create_user(f"c_{uuid.uuid4().hex[:8]}", "weakpass", "Admin", None, first_name="甲")


def test_behind_a_trusted_proxy_the_lockout_counts_the_forwarded_address(backend):
    """TRUSTED_PROXIES=1: the proxy's X-Forwarded-For names the client; without it the header is
    ignored, so a client cannot escape the per-address count by claiming another address."""
    from core.extensions import db
    from core.testing.support import fresh_demo, make_app

    proxied = make_app(backend, TRUSTED_PROXIES=1)
    fresh_demo(proxied)
    try:
        client_addr, proxy, victim = address(), address(), new_user(proxied, "p")
        for i in range(20):
            proxied.test_client(use_cookies=False).post(
                API_LOGIN, json={"username": f"spray_{i}_{uuid.uuid4().hex[:6]}",
                                 "password": "Wrong-pass-1", "provider": "db"},
                headers={"X-Forwarded-For": client_addr}, environ_base={"REMOTE_ADDR": proxy})

        def login_via_proxy(forwarded):
            return proxied.test_client(use_cookies=False).post(
                API_LOGIN, json={"username": victim, "password": PASSWORD, "provider": "db"},
                headers={"X-Forwarded-For": forwarded}, environ_base={"REMOTE_ADDR": proxy})

        assert login_via_proxy(client_addr).status_code == 429  # that client is locked out
        assert login_via_proxy(address()).status_code == 200  # others behind the proxy are not
    finally:
        with proxied.app_context():
            db.session.remove()
            db.engine.dispose()


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored(app):
    addr = address()
    for i in range(20):
        app.test_client(use_cookies=False).post(
            API_LOGIN, json={"username": f"spray_{i}_{uuid.uuid4().hex[:6]}",
                             "password": "Wrong-pass-1", "provider": "db"},
            headers={"X-Forwarded-For": address()}, environ_base={"REMOTE_ADDR": addr})
    assert api_login(app, new_user(app, "f"), PASSWORD, addr).status_code == 429


def _organization_id(app, name: str) -> int:
    from catalog.models import Organization
    from core.extensions import db

    with app.app_context():
        return db.session.execute(select(Organization.id).where(Organization.name == name)).scalar_one()


def test_the_user_api_needs_no_email_but_an_organisation_and_speaks_chinese(app):
    """/api/v1/security/users/ as the user screen: e-mail optional, 所属单位 required (it scopes
    what the user sees), roles by their Chinese labels, refusals in Chinese."""
    from core.testing.support import ApiClient

    admin = ApiClient(app, "admin")
    with app.app_context():
        role_id = app.appbuilder.sm.find_role("Clerk").id
    org_id = _organization_id(app, "乌鲁木齐市天山区财政局")
    name = f"u_{uuid.uuid4().hex[:8]}"
    body = {"username": name, "first_name": "建国", "last_name": "张", "roles": [role_id],
            "password": "Good-pass-2026"}
    refused = admin.post("/api/v1/security/users/", json=body)
    assert refused.status_code == 400
    assert refused.get_json()["message"] == "所属单位：必填，不能为空"
    with app.app_context():
        assert app.appbuilder.sm.find_user(username=name) is None
    for wrong, message in (({"organization_id": 999999}, "所属单位：所选的单位不存在"),
                           ({"email": "not-an-address"}, "电子邮箱：不是有效的电子邮箱地址"),
                           ({"roles": []}, "请至少选择一个角色")):
        response = admin.post("/api/v1/security/users/", json={**body, "organization_id": org_id, **wrong})
        assert response.status_code == 400 and message in response.get_json()["message"], response.get_json()
    created = admin.post("/api/v1/security/users/", json={**body, "organization_id": org_id})
    assert created.status_code == 201, created.get_json()
    shown = admin.get(f"/api/v1/security/users/{created.get_json()['id']}").get_json()["result"]
    assert shown["email"] is None and shown["organization"]["name"] == "乌鲁木齐市天山区财政局"
    assert shown["role_labels"] == ["经办人"]
    moved = admin.put(f"/api/v1/security/users/{created.get_json()['id']}",
                      json={"organization_id": _organization_id(app, "喀什市财政局")})
    assert moved.status_code == 200, moved.get_json()
    shown = admin.get(f"/api/v1/security/users/{created.get_json()['id']}").get_json()["result"]
    assert shown["organization"]["name"] == "喀什市财政局"
    # a blank address is no address, as on the form: two users may both have none
    second = admin.post("/api/v1/security/users/", json={**body, "username": f"v_{name}",
                                                          "organization_id": org_id, "email": " "})
    assert second.status_code == 201, second.get_json()
    again = admin.post("/api/v1/security/users/", json={**body, "organization_id": org_id})
    assert again.status_code == 422 and again.get_json()["message"] == "用户名或电子邮箱已被其他用户使用"
