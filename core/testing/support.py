"""What the fixtures are made of: a test app, the demo database, logged-in clients, PDF text.

Cheap to import: the app's modules are imported inside the functions that need them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile

#: The password of every demo login in tests (``fresh_demo``) and of users made per role.
PASSWORD = "test-pass-123"

#: Tools of poppler-utils that read a PDF back (``make system-deps``).
PDFTOTEXT = "pdftotext"


def make_app(uri: str, **extra):
    """An app on ``uri`` for tests: no CSRF, a fixed secret, no entry-point plugins unless asked.

    ``extra`` is the app's configuration over these (``EXTRA_PLUGINS=["pkg.plugin"]``,
    ``LOAD_ENTRYPOINT_PLUGINS=["notes"]``, ``DISABLED_PLUGINS=["assets"]`` …).
    """
    from core import create_app

    config = {
        "SQLALCHEMY_DATABASE_URI": uri,
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "tests-only-secret-key-32-bytes-long",
        # the API's bearer tokens are signed with it; PyJWT warns below 32 bytes
        "JWT_SECRET_KEY": "tests-only-jwt-secret-of-32-bytes-or-more",
        # installed third-party plugins stay out of a test app unless it names them
        "LOAD_ENTRYPOINT_PLUGINS": False,
        **extra,
    }
    return create_app(config)


def fresh_demo(app, password: str = PASSWORD) -> None:
    """Empty the app's database and build the demo in it (every loaded module's demo data)."""
    from core.cli.demo import build_demo
    from core.cli.setup import drop_schema
    from core.extensions import db

    with app.app_context():
        drop_schema()  # the tables and alembic_version an earlier run left behind
        build_demo(password)  # migrates the empty database to every head
        db.session.remove()


def postgres_unreachable(url: str | None) -> str | None:
    """Why PostgreSQL at ``url`` cannot be used (None when it answers)."""
    if not url:
        return ("no PostgreSQL URL given: set JIGUAN_TEST_POSTGRES_URL, pytest's "
                "--jiguan-postgres-url or the ini option jiguan_postgres_url")
    import sqlalchemy as sa

    try:
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"PostgreSQL unreachable at {url}: {exc.__class__.__name__}"
    return None


def ensure_user(app, role: str, organization: str | None = None) -> str:
    """The username of a test login holding ``role`` in ``organization`` (by name); made once."""
    from sqlalchemy import select

    from core.cli.setup import create_user
    from core.extensions import db
    from core.tenancy import Organization

    with app.app_context():
        org = None
        if organization is not None:
            org = db.session.execute(
                select(Organization).where(Organization.name == organization)).scalar_one()
        username = "t_" + re.sub(r"\W+", "_", role.lower()) + (f"_{org.id}" if org else "")
        if app.appbuilder.sm.find_user(username=username) is None:
            create_user(username, PASSWORD, role, org, first_name=username)
        db.session.remove()
    return username


class Browser:
    """A logged-in test client (session cookie) with helpers that read what a user would read."""

    def __init__(self, app, username: str | None, password: str = PASSWORD):
        self.app = app
        self.username = username
        self.client = app.test_client()
        if username:
            response = self.client.post(
                "/login/", data={"username": username, "password": password}
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


class ApiClient:
    """A REST client the way a program is one: ``POST /api/v1/security/login``, then a bearer token.

    No cookies: every request carries ``Authorization: Bearer <access token>`` and nothing
    else, so it exercises the token path, not the browser session.
    """

    def __init__(self, app, username: str, password: str = PASSWORD):
        self.app = app
        self.username = username
        self.client = app.test_client(use_cookies=False)
        response = self.client.post("/api/v1/security/login", json={
            "username": username, "password": password, "provider": "db", "refresh": True})
        assert response.status_code == 200, f"API login failed for {username}: {response.get_data()!r}"
        body = response.get_json()
        self.access_token = body["access_token"]
        self.refresh_token = body.get("refresh_token")

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.access_token}"}

    def api(self, method, url, **kw):
        headers = {**self.headers, **(kw.pop("headers", None) or {})}
        return self.client.open(url, method=method, headers=headers, **kw)

    def get(self, url, **kw):
        return self.api("GET", url, **kw)

    def post(self, url, **kw):
        return self.api("POST", url, **kw)

    def put(self, url, **kw):
        return self.api("PUT", url, **kw)

    def delete(self, url, **kw):
        return self.api("DELETE", url, **kw)

    def text(self, url) -> str:
        return self.get(url, follow_redirects=True).get_data(as_text=True)


def record_findings(app, entity, pk=None, status: str | None = "open") -> list[dict]:
    """The findings (问题清单) of one record: ``entity`` is its entity key or the record itself.

    Each finding as a dict (``rule_key``, ``article``, ``module``, ``message``, ``status``);
    ``status=None`` gives every status.
    """
    from sqlalchemy import inspect, select

    from core.extensions import db
    from core.models import Finding
    from core.state import get_state

    with app.app_context():
        if not isinstance(entity, str):
            record, entity = entity, get_state().entities.for_model(type(entity)).key
            pk = inspect(record).identity[0] if pk is None else pk
        query = select(Finding).where(Finding.entity == entity, Finding.entity_id == str(pk))
        if status is not None:
            query = query.where(Finding.status == status)
        rows = [{"rule_key": f.rule_key, "article": f.article, "module": f.module,
                 "message": f.message, "status": f.status}
                for f in db.session.execute(query.order_by(Finding.id)).scalars()]
        db.session.remove()
    return rows


def poppler_missing() -> str | None:
    if shutil.which(PDFTOTEXT) is None:
        return (f"{PDFTOTEXT} (poppler-utils) is missing: install it (Debian: poppler-utils, "
                "or `make system-deps`) to read PDFs back")
    return None


def pdf_text(pdf: bytes, layout: bool = True) -> str:
    """The text of a PDF as pdftotext reads it (``-layout`` unless ``layout=False``)."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "read.pdf")
        with open(path, "wb") as f:
            f.write(pdf)
        args = [PDFTOTEXT, "-enc", "UTF-8", *(["-layout"] if layout else []), path, "-"]
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def schema_diff(app, tables=None) -> list:
    """What the app's database lacks or has beyond its models, by Alembic's ``compare_metadata``.

    ``[]`` when the migrations built exactly the models' schema. Only the app's own tables
    count (the core's and its loaded plugins', ``core.cli.installs.app_tables``), or ``tables``;
    tables of test-only plugins (``info={"jiguan_test_only": True}``) never do.
    """
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from flask_appbuilder import Model

    from core.cli.installs import app_tables
    from core.extensions import db

    with app.app_context():
        wanted = set(tables) if tables is not None else app_tables(app)

        def include(obj, name, type_, reflected, compare_to) -> bool:
            if type_ == "index" and reflected and compare_to is None and (name or "").endswith("_trgm"):
                return False  # a PostgreSQL-only search index the migration alone creates (docs/search.md)
            if type_ != "table":
                return True
            return name in wanted and (reflected or not obj.info.get("jiguan_test_only"))

        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": include})
            return compare_metadata(context, Model.metadata)
