"""The project's fixtures come from jiguan's pytest plugin (core/testing/pytest_plugin.py).

The plugin is installed with jiguan (``pytest11`` entry point), so the project's tests use
exactly the fixtures a plugin author's tests use: ``app`` (one demo-loaded app per backend,
a real SQLite file and real PostgreSQL), ``ctx``, ``login``, ``api_client`` … The helpers
below stay importable from here for the tests that import them; ``rest`` adds a client per
authentication path (session, JWT, personal API token) for the project's own auth tests.
"""

from __future__ import annotations

import os

import pytest

from core.testing.support import PASSWORD, Browser, fresh_demo, make_app  # noqa: F401
from core.testing.support import postgres_unreachable as _unreachable

#: The PostgreSQL of tests that build their own schema in it (the ``postgres_url`` fixture
#: reads the same variable, then pyproject.toml's ``jiguan_postgres_url``: the same default).
POSTGRES_URL = os.environ.get(
    "JIGUAN_TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test"
)


def postgres_unreachable() -> str | None:
    return _unreachable(POSTGRES_URL)


#: How a REST client authenticates: the browser session, a JWT access token from
#: /api/v1/security/login, or a personal API token (docs/api.md).
AUTH_PATHS = ["session", "jwt", "token"]


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

        # kept on the app: an id() of a finished app may be reused by the next backend's app
        credentials = self.app.extensions.setdefault("tests_credentials", {})
        key = (self.username, self.auth)
        cached = credentials.get(key)
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
        credentials[key] = (value, time.monotonic())
        return value

    def open(self, method: str, url: str, **kw):
        headers = {**self.headers, **kw.pop("headers", {})}
        return self.client.open(url, method=method, headers=headers, **kw)

    def get(self, url, **kw):
        return self.open("GET", url, **kw)

    def api(self, method: str, url: str, **kw):  # the name core.testing's matrix calls
        return self.open(method, url, **kw)


@pytest.fixture
def rest(app):
    """Factory: ``rest(username, auth)`` → a :class:`RestClient`."""
    def _rest(username, auth):
        return RestClient(app, username, auth)

    return _rest
