"""Configuration layers: defaults → instance file → ``JIGUAN_*`` environment → overrides."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: The core branch's Alembic environment (``migrate.init_app(..., directory=MIGRATIONS_DIR)``).
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

#: Environment variables that map to a Flask/FAB setting of another name.
ENV_ALIASES = {
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
}


#: The shipped SECRET_KEY: never valid outside tests (core/web/secret_key.py).
PLACEHOLDER_SECRET_KEY = "change-me-in-instance/jiguan.cfg"


class DefaultConfig:
    APP_NAME = "机关事务管理平台"
    #: ≥ 32 characters or no start outside tests; unset: ``<instance>/secret_key``, which the
    #: ``jiguan`` command writes when missing (GENERATE_SECRET_KEY, core/web/secret_key.py).
    SECRET_KEY = PLACEHOLDER_SECRET_KEY
    GENERATE_SECRET_KEY = False
    SQLALCHEMY_DATABASE_URI = None  # set by create_app: an SQLite file under instance/
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    #: Engine options; create_app merges an operator's own over these. ``pool_pre_ping`` tests a
    #: pooled connection before use, so after a database restart only the requests in flight
    #: fail, not every request that draws a connection the restart killed (docs/security.md).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    AUTH_TYPE = 1  # flask_appbuilder.const.AUTH_DB: logins and password hashes in the database
    AUTH_ROLE_ADMIN = "Admin"
    AUTH_ROLE_PUBLIC = "Public"
    FAB_ADD_SECURITY_API = True
    FAB_API_SWAGGER_UI = False  # ours is core/web/openapi.py: Chinese, assets served here
    #: Personal API tokens (docs/api.md) are FAB's API keys, created and checked by core/web/auth.py
    #: and core/web/api_tokens.py; FAB's own key API stays off (no expiry required, no audit).
    FAB_API_KEY_ENABLED = False
    FAB_API_KEY_PREFIXES = ["jg_"]
    #: A token is 256 random bits, beyond guessing: a slow password hash would only cost each
    #: request ~90 ms; lookup is by a keyed hash anyway.
    FAB_API_KEY_HASH_METHOD = "pbkdf2:sha256:1000"
    #: The longest lifetime of a personal API token, in days; every token has an expiry.
    API_TOKEN_MAX_DAYS = 365
    #: Lifetimes of the JWT access and refresh tokens of /api/v1/security/login (docs/api.md):
    #: Flask-JWT-Extended's own defaults, named here so an office can shorten them.
    JWT_ACCESS_TOKEN_EXPIRES = dt.timedelta(minutes=15)
    JWT_REFRESH_TOKEN_EXPIRES = dt.timedelta(days=30)
    FAB_UPDATE_PERMS = False  # roles are built-in (FAB_ROLES), computed from the views
    BABEL_DEFAULT_LOCALE = "zh"
    #: jiguan's own catalogues (docs/i18n.md). FAB's BabelManager puts its bundled
    #: catalogues in front of this ("<fab>/translations;<ours>"); Flask-Babel merges every
    #: directory, so both load, and for a msgid in both the later (ours) wins. Each loaded
    #: plugin's ``translations/`` folder is put in front of ours by create_app
    #: (core/web/plugin_folders.py): a plugin adds its strings, the core's wording stays.
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "translations")
    LANGUAGES = {
        "zh": {"flag": "cn", "name": "简体中文"},
        "en": {"flag": "gb", "name": "English"},
    }
    #: Built-in plugins to skip (keys), e.g. for a slim deployment.
    DISABLED_PLUGINS: list[str] = []
    #: Load third-party plugins from the ``jiguan.plugins`` entry-point group.
    LOAD_ENTRYPOINT_PLUGINS = True
    #: Extra plugin objects or dotted names, loaded after the built-ins (tests use it).
    EXTRA_PLUGINS: list = []
    DEMO_PASSWORD = "jiguan-demo-1"
    #: Reports estimated above this many rows render as background jobs, not in the request.
    REPORT_INLINE_MAX_ROWS = 2000
    #: Background jobs (docs/jobs.md): "local" (a thread pool in the web process), "celery"
    #: (workers on any node, Redis as broker) or "eager" (run at once in the caller; tests, CLI).
    JOBS_BACKEND = "local"
    #: Threads of the local backend (per web process).
    JOBS_WORKERS = 1
    #: ``jiguan jobs purge`` removes finished jobs and their results older than this.
    JOBS_KEEP_DAYS = 7
    #: ``jiguan jobs purge`` marks jobs queued or running for longer than this as failed.
    JOBS_STALE_HOURS = 6
    #: Modules imported (``"pkg.mod"``) or callables called (``"pkg.mod:func"``) when the job
    #: system starts, in the web process and in every worker: they register job kinds.
    JOBS_IMPORTS: list[str] = []
    #: Celery backend: the broker, and the queue the web submits to and ``jiguan worker`` reads.
    CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    JOBS_QUEUE = "jiguan"

    # Response headers and CSRF (core/web/csrf.py, core/web/headers.py; docs/security.md)
    #: Flask-WTF's CSRF check on every screen write, and the X-CSRFToken header on API writes
    #: made with the session cookie. Off only in unit tests' apps (core/testing/support.py).
    WTF_CSRF_ENABLED = True
    #: Extra sources per Content-Security-Policy directive, for a deployment that embeds
    #: something from another origin, e.g. ``{"img-src": ["https://tiles.example.gov.cn"]}``.
    CSP_EXTRA_SOURCES: dict[str, list[str]] = {}
    #: Strict-Transport-Security on answers served over HTTPS (``request.is_secure``; behind a
    #: proxy that needs ProxyFix). Off by default: once sent, browsers refuse plain HTTP to the
    #: host for HSTS_MAX_AGE seconds, so turn it on only when every name is served over HTTPS.
    HSTS_ENABLED = False
    HSTS_MAX_AGE = 31536000
    #: Referrer-Policy: a link to another site carries no path (ids, filters) of ours.
    REFERRER_POLICY = "same-origin"

    # Uploads and job results (docs/security.md, "Uploads" and "Several web nodes")
    #: The largest request body of any kind (Flask): beyond it the answer is 413, in Chinese.
    #: Above the largest upload (10 MB, 13.4 MB as a Base64 import job's parameters).
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    #: One uploaded file (an attachment); the XLSX import has XLSX_IMPORT_MAX_BYTES.
    UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    #: The XLSX import (docs/xlsx.md): the file's size, and its data rows (blank rows skipped).
    XLSX_IMPORT_MAX_BYTES = 10 * 1024 * 1024
    XLSX_IMPORT_MAX_ROWS = 10_000
    #: A ZIP-based upload (.xlsx, .docx): the sum of its members' uncompressed sizes, each big
    #: member's uncompressed/compressed ratio, and its number of members: past any, a zip bomb.
    UPLOAD_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
    UPLOAD_MAX_RATIO = 100
    UPLOAD_MAX_MEMBERS = 500
    #: Rows (blank ones included) and columns a sheet of an imported .xlsx may declare or hold;
    #: None: XLSX_IMPORT_MAX_ROWS (10,000 data rows) + 2,000, read in well under a second.
    XLSX_IMPORT_MAX_SHEET_ROWS: int | None = None
    XLSX_IMPORT_MAX_COLUMNS = 200
    #: Where job results are kept: "database" (core_job_result: every web node reads them) or
    #: "files" (JOBS_DIR/<id>/, which every node must then mount).
    JOBS_STORAGE = "database"
    #: Folder of the result files with JOBS_STORAGE "files"; None: ``<instance>/jobs``.
    JOBS_DIR: str | None = None

    # Sessions, login and passwords (docs/security.md, "Sessions", "Login protection …")
    #: Where sessions live (the cookie holds a random id): "database" (core_session) or "redis".
    SESSION_BACKEND = "database"
    SESSION_REDIS_URL = "redis://127.0.0.1:6379/0"
    SESSION_KEY_PREFIX = "jiguan:session:"
    #: A session ends unused this long (idle), and this long after the login (absolute).
    SESSION_IDLE_TIMEOUT = dt.timedelta(minutes=30)
    SESSION_ABSOLUTE_TIMEOUT = dt.timedelta(hours=12)
    #: Cookies over HTTPS only when True or PREFERRED_URL_SCHEME is "https" (Flask's setting).
    SESSION_COOKIE_SECURE = False
    PREFERRED_URL_SCHEME = "http"
    #: Lax: the cookie goes with top-level navigation to the site, never with a cross-site POST.
    SESSION_COOKIE_SAMESITE = "Lax"
    #: Failed logins per name and per address within the window before a lockout (login_guard).
    LOGIN_MAX_FAILURES = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    LOGIN_FAILURE_WINDOW = dt.timedelta(minutes=15)
    LOGIN_LOCKOUT = dt.timedelta(minutes=15)
    #: Password policy (core/web/passwords.py): length, classes of lower/upper/digit/other.
    PASSWORD_MIN_LENGTH = 10
    PASSWORD_MIN_CLASSES = 3


def env_settings(environ=os.environ) -> dict:
    """Read ``JIGUAN_*`` variables; values that parse as JSON are taken as JSON."""
    settings = {}
    for name, raw in environ.items():
        if not name.startswith("JIGUAN_"):
            continue
        key = name[len("JIGUAN_"):]
        key = ENV_ALIASES.get(key, key)
        try:
            value = json.loads(raw)
        except ValueError:
            value = raw
        settings[key] = value
    return settings

