"""Fixtures: one demo-loaded app per backend (a real SQLite file and real PostgreSQL)."""

from __future__ import annotations

import os
import re

import pytest
import sqlalchemy as sa

from core import create_app
from core.demo import build_demo
from core.extensions import db
from core.setup import drop_schema

PASSWORD = "test-pass-123"
POSTGRES_URL = os.environ.get(
    "JIGUAN_TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test"
)


def postgres_unreachable() -> str | None:
    try:
        engine = sa.create_engine(POSTGRES_URL)
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"PostgreSQL unreachable at {POSTGRES_URL}: {exc.__class__.__name__}"
    return None


def make_app(uri: str, **extra):
    config = {
        "SQLALCHEMY_DATABASE_URI": uri,
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "tests-only-secret-key-32-bytes-long",  # HS256 wants 32 bytes
        "LOAD_ENTRYPOINT_PLUGINS": False,
        **extra,
    }
    return create_app(config)


def fresh_demo(app) -> None:
    with app.app_context():
        drop_schema()  # the tables and alembic_version an earlier run left behind
        build_demo(PASSWORD)  # migrates the empty database to every head
        db.session.remove()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request, tmp_path_factory):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'jiguan.db'}"
    reason = postgres_unreachable()
    if reason:
        if os.environ.get("JIGUAN_REQUIRE_POSTGRES"):
            pytest.fail(reason + " (JIGUAN_REQUIRE_POSTGRES is set)")
        pytest.skip(reason)
    return POSTGRES_URL


@pytest.fixture(scope="session")
def app(backend):
    app = make_app(backend)
    fresh_demo(app)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app
        db.session.rollback()
        db.session.remove()


class Browser:
    """A logged-in test client with helpers that read what a user would read."""

    def __init__(self, app, username: str):
        self.app = app
        self.username = username
        self.client = app.test_client()
        if username:
            response = self.client.post(
                "/login/", data={"username": username, "password": PASSWORD}
            )
            assert response.status_code == 302, f"login failed for {username}"

    def get(self, url, **kw):
        return self.client.get(url, **kw)

    def post(self, url, **kw):
        return self.client.post(url, **kw)

    def api(self, method, url, **kw):
        return self.client.open(url, method=method, **kw)

    def text(self, url) -> str:
        response = self.client.get(url, follow_redirects=True)
        return response.get_data(as_text=True)

    @staticmethod
    def flashes(html: str) -> list[str]:
        return [re.sub(r"\s+", " ", m).strip()
                for m in re.findall(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', html, re.S)]


@pytest.fixture
def login(app):
    def _login(username):
        return Browser(app, username)

    return _login


#: How a REST client authenticates: the browser session, a JWT access token from
#: /api/v1/security/login, or a personal API token (docs/api.md).
AUTH_PATHS = ["session", "jwt", "token"]
_credentials: dict = {}


def jwt_login(client, username: str, refresh: bool = False) -> dict:
    """What a REST client does first: POST /api/v1/security/login."""
    response = client.post("/api/v1/security/login", json={
        "username": username, "password": PASSWORD, "provider": "db", "refresh": refresh})
    assert response.status_code == 200, (username, response.get_json())
    return response.get_json()


class RestClient:
    """A REST client of one user on one authentication path; bearer clients send no cookie."""

    def __init__(self, app, username: str, auth: str):
        self.app, self.username, self.auth = app, username, auth
        self.client = Browser(app, username).client if auth == "session" else app.test_client()
        self.headers = {} if auth == "session" else {"Authorization": f"Bearer {self._bearer()}"}

    def _bearer(self) -> str:
        import time

        key = (id(self.app), self.username, self.auth)
        cached = _credentials.get(key)
        if cached and (self.auth == "token" or time.monotonic() - cached[1] < 600):
            return cached[0]  # access tokens live 15 minutes: log in again after 10
        access = jwt_login(self.app.test_client(), self.username)["access_token"]
        value = access
        if self.auth == "token":
            response = self.app.test_client().post(
                "/api/v1/tokens/", json={"name": "tests", "days": 30},
                headers={"Authorization": f"Bearer {access}"})
            assert response.status_code == 201, response.get_json()
            value = response.get_json()["result"]["token"]
        _credentials[key] = (value, time.monotonic())
        return value

    def open(self, method: str, url: str, **kw):
        headers = {**self.headers, **kw.pop("headers", {})}
        return self.client.open(url, method=method, headers=headers, **kw)

    def get(self, url, **kw):
        return self.open("GET", url, **kw)


@pytest.fixture
def rest(app):
    """Factory: ``rest(username, auth)`` → a :class:`RestClient`."""
    def _rest(username, auth):
        return RestClient(app, username, auth)

    return _rest
