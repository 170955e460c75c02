"""Sessions live on the server: logout, a password change and deactivation end them; timeouts;
a new id at every login; the database and the Redis store; the cookie's flags."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
import uuid
from contextlib import contextmanager

import pytest

from core.testing.support import PASSWORD, Browser, make_app

COOKIE = "session"
NEW_PASSWORD = "Neues-Passwort-2026"
ORG = "乌鲁木齐市天山区财政局"
REDIS_URL = os.environ.get("JIGUAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def new_user(app, prefix="s") -> str:
    """A clerk of its own for one test (its password and sessions may be changed)."""
    from sqlalchemy import select

    from core.cli.setup import create_user
    from core.extensions import db
    from core.tenancy import Organization

    username = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with app.app_context():
        org = db.session.execute(select(Organization).where(Organization.name == ORG)).scalar_one()
        create_user(username, PASSWORD, "Clerk", org, first_name=username)
        db.session.remove()
    return username


def user_id(app, username) -> int:
    with app.app_context():
        return app.appbuilder.sm.find_user(username=username).id


def cookie_of(browser) -> str:
    return browser.client.get_cookie(COOKIE).value


def replay(app, cookie: str):
    """A client of its own sending only ``cookie``: what an attacker holding a copy gets."""
    client = app.test_client()
    client.set_cookie(COOKIE, cookie)
    return client


def signed_in(client) -> bool:
    """Whether the API takes the client's cookie as a login (401 otherwise)."""
    status = client.get("/api/v1/land_parcel/").status_code
    assert status in (200, 401), status
    return status == 200


@contextmanager
def settings(app, **values):
    old = {k: app.config[k] for k in values}
    app.config.update(values)
    try:
        yield
    finally:
        app.config.update(old)


def test_logout_ends_the_session(app):
    browser = Browser(app, new_user(app))
    cookie = cookie_of(browser)
    assert signed_in(replay(app, cookie))
    # a GET (a link or an image on another site) ends nothing: logout is a POST (CSRF)
    assert browser.get("/logout/").status_code == 405
    assert signed_in(replay(app, cookie))
    page = browser.get("/users/userinfo/").get_data(as_text=True)
    assert 'method="post" action="/logout/"' in page  # the navbar's logout is a form
    browser.post("/logout/")
    thief = replay(app, cookie)
    assert not signed_in(thief)
    screen = thief.get("/users/userinfo/")
    assert screen.status_code == 302 and "/login" in screen.headers["Location"]
    assert not signed_in(browser.client)


def test_the_cookie_is_a_bare_id(app):
    """Nothing the server knows is in the cookie, so a cookie signed with any key opens nothing."""
    from flask import Flask
    from flask.sessions import SecureCookieSessionInterface

    from core.config import PLACEHOLDER_SECRET_KEY

    cookie = cookie_of(Browser(app, new_user(app)))
    assert "." not in cookie and len(cookie) >= 40  # no signed payload, 256 random bits
    admin_id = user_id(app, "admin")
    signer = Flask("forger")
    signer.secret_key = PLACEHOLDER_SECRET_KEY
    forged = SecureCookieSessionInterface().get_signing_serializer(signer).dumps(
        {"_user_id": str(admin_id), "_fresh": True})
    assert replay(app, forged).get("/api/v1/security/users/").status_code == 401


def test_own_password_change_ends_the_other_sessions(app):
    username = new_user(app)
    here, elsewhere = Browser(app, username), Browser(app, username)
    response = here.post("/resetmypassword/form", data={"password": NEW_PASSWORD,
                                                        "conf_password": NEW_PASSWORD})
    assert response.status_code == 302
    assert not signed_in(elsewhere.client)  # the other browser is logged out
    assert signed_in(here.client)  # the one that changed it stays
    Browser(app, username, NEW_PASSWORD)  # and the new password works


def test_admin_password_reset_ends_every_session_and_jwt(app, api_client):
    from core.testing.support import ApiClient

    username = new_user(app)
    browser = Browser(app, username)
    jwt = ApiClient(app, username)
    assert jwt.get("/api/v1/land_parcel/").status_code == 200
    time.sleep(1.1)  # a JWT's issue time is in whole seconds
    admin = ApiClient(app, "admin")
    response = admin.put(f"/api/v1/security/users/{user_id(app, username)}",
                         json={"password": NEW_PASSWORD})
    assert response.status_code == 200, response.get_json()
    assert not signed_in(browser.client)
    assert jwt.get("/api/v1/land_parcel/").status_code == 401  # access token issued before
    refreshed = jwt.client.post("/api/v1/security/refresh",
                                headers={"Authorization": f"Bearer {jwt.refresh_token}"})
    assert refreshed.status_code == 401  # and the refresh token
    assert ApiClient(app, username, NEW_PASSWORD).get("/api/v1/land_parcel/").status_code == 200


def test_admin_reset_screen_ends_the_sessions(app):
    username = new_user(app)
    browser = Browser(app, username)
    admin = Browser(app, "admin")
    response = admin.post(f"/resetpassword/form?pk={user_id(app, username)}",
                          data={"password": NEW_PASSWORD, "conf_password": NEW_PASSWORD})
    assert response.status_code == 302
    assert not signed_in(browser.client)
    assert signed_in(admin.client)  # an admin's own session is not touched


def test_deactivated_users_sessions_end(app):
    from core.extensions import db

    username = new_user(app)
    browser = Browser(app, username)
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=username)
        user.active = False
        db.session.commit()
        user = app.appbuilder.sm.find_user(username=username)
        user.active = True  # even switched back on, the old session stays ended
        db.session.commit()
        db.session.remove()
    assert not signed_in(browser.client)


def test_idle_timeout(app):
    browser = Browser(app, new_user(app))
    with settings(app, SESSION_IDLE_TIMEOUT=1):  # seconds, as JIGUAN_SESSION_IDLE_TIMEOUT=1 gives
        assert signed_in(browser.client)
        time.sleep(1.3)
        assert not signed_in(browser.client)


def test_absolute_timeout_despite_activity(app):
    with settings(app, SESSION_IDLE_TIMEOUT=dt.timedelta(minutes=5),
                  SESSION_ABSOLUTE_TIMEOUT=dt.timedelta(seconds=2)):
        browser = Browser(app, new_user(app))
        for _ in range(3):
            assert signed_in(browser.client)
            time.sleep(0.5)
        time.sleep(0.8)
        assert not signed_in(browser.client)


def test_the_id_changes_at_login(app):
    username = new_user(app)
    client = app.test_client()
    client.set_cookie(COOKIE, "attacker-chosen-session-id-0123456789abcdef")  # fixation attempt
    client.get("/lang/en")  # an anonymous session with something in it
    before = client.get_cookie(COOKIE).value
    assert before != "attacker-chosen-session-id-0123456789abcdef"  # a client's id is never adopted
    assert client.post("/login/", data={"username": username, "password": PASSWORD}).status_code == 302
    after = client.get_cookie(COOKIE).value
    assert after != before
    assert signed_in(client)
    assert not signed_in(replay(app, before))  # the pre-login id opens nothing


def test_cookie_flags(app):
    client = app.test_client()
    response = client.post("/login/", data={"username": new_user(app), "password": PASSWORD})
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(COOKIE + "="))
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Secure" not in header
    with settings(app, PREFERRED_URL_SCHEME="https"):
        response = app.test_client().post("/login/", data={"username": new_user(app),
                                                           "password": PASSWORD})
        header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(COOKIE + "="))
        assert "Secure" in header and "HttpOnly" in header


def redis_unreachable() -> str | None:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"Redis unreachable at {REDIS_URL}: {exc.__class__.__name__}"
    return None


@pytest.fixture
def redis_app(app):
    reason = redis_unreachable()
    if reason:
        if os.environ.get("JIGUAN_REQUIRE_POSTGRES"):
            pytest.fail(reason + " (JIGUAN_REQUIRE_POSTGRES is set: CI needs every service)")
        pytest.skip(reason)
    import redis

    prefix = f"jiguan-test-{uuid.uuid4().hex[:12]}:"
    other = make_app(app.config["SQLALCHEMY_DATABASE_URI"], SESSION_BACKEND="redis",
                     SESSION_REDIS_URL=REDIS_URL, SESSION_KEY_PREFIX=prefix)
    yield other
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    from core.extensions import db

    with other.app_context():
        db.engine.dispose()


def test_redis_store(redis_app):
    import redis

    app = redis_app
    prefix = app.config["SESSION_KEY_PREFIX"]
    username = new_user(app)
    first, second = Browser(app, username), Browser(app, username)
    assert list(redis.Redis.from_url(REDIS_URL).scan_iter(f"{prefix}s:*"))  # stored there
    cookie = cookie_of(first)
    first.post("/logout/")
    assert not signed_in(replay(app, cookie))
    assert signed_in(second.client)
    with app.app_context():
        from core.extensions import db

        app.appbuilder.sm.reset_password(user_id(app, username), NEW_PASSWORD)
        db.session.remove()
    assert not signed_in(second.client)


@pytest.fixture(scope="module")
def schema_app(tmp_path_factory):
    """The demo on PostgreSQL in a schema of its own, chosen by the engine's connect_args."""
    from tests.core.plugin_app import fixture_plugin_app

    yield from fixture_plugin_app("postgresql", tmp_path_factory, [], [], "sessions_own_schema")


def test_sessions_live_in_the_apps_schema(schema_app):
    """The store's own pool keeps the app's engine options: a deployment in a schema (or with
    SSL options) keeps its sessions beside its tables, not in another schema's core_session."""
    import sqlalchemy as sa

    from tests.conftest import POSTGRES_URL

    browser = Browser(schema_app, new_user(schema_app))
    assert signed_in(browser.client)
    key = hashlib.sha256(cookie_of(browser).encode()).hexdigest()
    engine = sa.create_engine(POSTGRES_URL)
    try:
        with engine.connect() as conn:
            here = conn.execute(sa.text("SELECT count(*) FROM sessions_own_schema.core_session "
                                        "WHERE sid_hash = :key"), {"key": key}).scalar_one()
            public = conn.execute(sa.text("SELECT to_regclass('public.core_session')")).scalar_one()
            elsewhere = 0 if public is None else conn.execute(sa.text(
                "SELECT count(*) FROM public.core_session WHERE sid_hash = :key"), {"key": key}).scalar_one()
    finally:
        engine.dispose()
    assert (here, elsewhere) == (1, 0)
