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
    #: The one time zone of screens, PDFs and XLSX files (core/display, docs/display.md).
    DISPLAY_TIMEZONE = "Asia/Shanghai"
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
    #: FAB's screens of its permission tables: with built-in roles those rows decide nothing
    #: (the role screen shows what a role may do); hidden so nobody edits them in vain
    FAB_ADD_SECURITY_PERMISSION_VIEW = False
    FAB_ADD_SECURITY_VIEW_MENU_VIEW = False
    FAB_ADD_SECURITY_PERMISSION_VIEWS_VIEW = False
    BABEL_DEFAULT_LOCALE = "zh"
    #: jiguan's own catalogues (docs/i18n.md). FAB's BabelManager puts its bundled
    #: catalogues in front of this ("<fab>/translations;<ours>"); Flask-Babel merges every
    #: directory, so both load, and for a msgid in both the later (ours) wins. Each loaded
    #: plugin's ``translations/`` folder is put in front of ours by create_app
    #: (core/web/plugin_folders.py): a plugin adds its strings, the core's wording stays.
    #: translations/framework (zh for FAB's English msgids, docs/i18n.md) sits between FAB's and
    #: ours: it wins over FAB's own zh catalogue and never over jiguan's strings.
    BABEL_TRANSLATION_DIRECTORIES = ";".join(
        str(PROJECT_ROOT / "translations" / sub) for sub in ("framework", ""))
    LANGUAGES = {
        "zh": {"flag": "cn", "name": "简体中文"},
        "en": {"flag": "gb", "name": "English"},
        "ug": {"flag": "cn", "name": "ئۇيغۇرچە"},
    }
    #: Built-in plugins to skip (keys), e.g. for a slim deployment.
    DISABLED_PLUGINS: list[str] = []
    #: Load third-party plugins from the ``jiguan.plugins`` entry-point group.
    LOAD_ENTRYPOINT_PLUGINS = True
    #: Extra plugin objects or dotted names, loaded after the built-ins (tests use it).
    EXTRA_PLUGINS: list = []
    #: Seconds a process keeps a jurisdiction's active modules (0: read them on every request).
    #: A change made in this process applies at once; other processes see it within this time.
    MODULE_ACTIVATION_CACHE_SECONDS = 10
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

    # Flask's own settings (the web service's are in core/web/settings.py; docs/security.md)
    #: The largest request body of any kind: beyond it the answer is 413, in Chinese. Above the
    #: largest upload (10 MB, 13.4 MB as a Base64 import job's parameters).
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    #: Cookies over HTTPS only when True or PREFERRED_URL_SCHEME is "https"; SameSite Lax: the
    #: cookie goes with top-level navigation to the site, never with a cross-site POST.
    SESSION_COOKIE_SECURE = False
    PREFERRED_URL_SCHEME = "http"
    SESSION_COOKIE_SAMESITE = "Lax"

    # Job results (docs/security.md, "Several web nodes")
    #: Where job results are kept: "database" (core_job_result: every web node reads them) or
    #: "files" (JOBS_DIR/<id>/, which every node must then mount).
    JOBS_STORAGE = "database"
    #: Folder of the result files with JOBS_STORAGE "files"; None: ``<instance>/jobs``.
    JOBS_DIR: str | None = None


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

