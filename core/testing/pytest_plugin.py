"""jiguan's pytest plugin: fixtures for the project's tests and for plugin authors.

Installed with jiguan (entry point ``pytest11: jiguan``), so any test suite in an
environment where jiguan is installed can ask for these fixtures; a run that asks for none
of them imports nothing of the app. Which plugins the ``app`` loads, and which PostgreSQL
database it may use, come from the ini file (``pyproject.toml``'s ``[tool.pytest.ini_options]``):

    jiguan_plugins = ["notes"]          # installed entry points (= module keys), or modules
    jiguan_postgres_url = "postgresql+psycopg2://…"   # or JIGUAN_TEST_POSTGRES_URL, or the option

Every fixture is documented, with its signature, in docs/plugins.md ("Testing your plugin").
"""

from __future__ import annotations

import os

import pytest

BACKENDS = ("sqlite", "postgresql")


def pytest_addoption(parser):
    group = parser.getgroup("jiguan", "jiguan test apps")
    group.addoption("--jiguan-postgres-url", dest="jiguan_postgres_url", default=None,
                    help="PostgreSQL URL for the postgresql backend of the app fixture "
                         "(over JIGUAN_TEST_POSTGRES_URL and the ini option)")
    parser.addini("jiguan_plugins", type="args", default=[],
                  help="plugins the app fixture loads besides the built-ins: names of installed "
                       "entry points (the module key), else modules to import (dotted paths)")
    parser.addini("jiguan_postgres_url", default="",
                  help="PostgreSQL URL of the postgresql backend when neither "
                       "--jiguan-postgres-url nor JIGUAN_TEST_POSTGRES_URL is given")


def _postgres_url(config) -> str | None:
    return (config.getoption("jiguan_postgres_url") or os.environ.get("JIGUAN_TEST_POSTGRES_URL")
            or config.getini("jiguan_postgres_url") or None)


def plugin_config(config) -> dict:
    """The app configuration that loads the ini's ``jiguan_plugins`` and no other installed plugin."""
    from importlib.metadata import entry_points

    from core.plugins import ENTRYPOINT_GROUP

    installed = {ep.name for ep in entry_points(group=ENTRYPOINT_GROUP)}
    names = list(config.getini("jiguan_plugins"))
    by_entry_point = [n for n in names if n in installed]  # else a module to import
    dotted = [n for n in names if n not in installed]
    return {"LOAD_ENTRYPOINT_PLUGINS": by_entry_point or False, "EXTRA_PLUGINS": dotted}


@pytest.fixture(scope="session")
def jiguan_config() -> dict:
    """Configuration of the ``app`` fixture's app, over the plugins the ini names.

    Override it in your ``conftest.py`` (session scope), e.g. to leave a built-in out:
    ``return {"DISABLED_PLUGINS": ["assets"]}``.
    """
    return {}


@pytest.fixture(scope="session")
def postgres_url(request) -> str:
    """The PostgreSQL URL to test on; skips (fails under JIGUAN_REQUIRE_POSTGRES) without one."""
    from core.testing.support import postgres_unreachable

    url = _postgres_url(request.config)
    reason = postgres_unreachable(url)
    if reason:
        if os.environ.get("JIGUAN_REQUIRE_POSTGRES"):
            pytest.fail(reason + " (JIGUAN_REQUIRE_POSTGRES is set)")
        pytest.skip(reason)
    return url


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request, tmp_path_factory) -> str:
    """The database URL of one backend: a fresh SQLite file, then PostgreSQL when configured."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'jiguan.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture(scope="session")
def app(request, backend, jiguan_config):
    """The demo app on ``backend``: the built-ins, the ini's ``jiguan_plugins``, the demo data."""
    from core.extensions import db
    from core.testing.support import fresh_demo, make_app

    app = make_app(backend, **{**plugin_config(request.config), **jiguan_config})
    fresh_demo(app)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def ctx(app):
    """An app context on ``app``, rolled back after the test."""
    from core.extensions import db

    with app.app_context():
        yield app
        db.session.rollback()
        db.session.remove()


@pytest.fixture
def login(app):
    """``login(username)`` or ``login(role=…, organization=…)`` → a logged-in ``Browser``."""
    from core.testing.support import Browser, ensure_user

    def _login(username: str | None = None, *, role: str | None = None,
               organization: str | None = None):
        if role is not None:
            username = ensure_user(app, role, organization)
        return Browser(app, username)

    yield _login
    _forget_languages(app)


def _forget_languages(app) -> None:
    """A language chosen in a test (``/lang/en``) is stored on the user (docs/i18n.md): forget it,
    so the next test's login of the same user starts in the default language."""
    from sqlalchemy import text

    from core.extensions import db

    with app.app_context():
        db.session.execute(text("UPDATE ab_user SET locale = NULL WHERE locale IS NOT NULL"))
        db.session.commit()
        db.session.remove()


@pytest.fixture
def api_client(app):
    """``api_client(username)`` → an ``ApiClient`` sending ``Authorization: Bearer <token>``."""
    from core.testing.support import ApiClient

    def _client(username: str):
        return ApiClient(app, username)

    return _client


@pytest.fixture
def cli(app):
    """``cli(*args, input=None)`` → click's ``Result`` of ``jiguan <args>`` on ``app``."""

    def _invoke(*args: str, input: str | None = None):
        return app.test_cli_runner().invoke(args=list(args), input=input)

    return _invoke


@pytest.fixture
def findings(app):
    """``findings(entity_key, pk, status="open")`` or ``findings(record)`` → the record's findings."""
    from core.testing.support import record_findings

    def _findings(entity, pk=None, status: str | None = "open") -> list[dict]:
        return record_findings(app, entity, pk, status)

    return _findings


@pytest.fixture
def pdf_text():
    """``pdf_text(pdf_bytes, layout=True)`` → the PDF's text (pdftotext); skips without poppler."""
    from core.testing import support

    reason = support.poppler_missing()
    if reason:
        if os.environ.get("JIGUAN_REQUIRE_POSTGRES"):
            pytest.fail(reason + " (JIGUAN_REQUIRE_POSTGRES is set: CI must read the PDFs)")
        pytest.skip(reason)
    return support.pdf_text


@pytest.fixture
def make_demo_app(request, tmp_path_factory, jiguan_config):
    """``make_demo_app(**config)`` → another demo app on a fresh SQLite file (plugins as ``app``)."""
    from core.extensions import db
    from core.testing.support import fresh_demo, make_app

    made = []

    def _make(**config):
        uri = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'jiguan.db'}"
        made.append(make_app(uri, **{**plugin_config(request.config), **jiguan_config, **config}))
        fresh_demo(made[-1])
        return made[-1]

    yield _make
    for made_app in made:
        with made_app.app_context():
            db.session.remove()
            db.engine.dispose()
