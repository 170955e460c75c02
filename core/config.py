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


#: The shipped SECRET_KEY: never valid outside tests (``check_secret_key``).
PLACEHOLDER_SECRET_KEY = "change-me-in-instance/jiguan.cfg"
#: The shortest SECRET_KEY accepted; PyJWT also warns below 32 bytes for HS256.
SECRET_KEY_MIN_LENGTH = 32
#: The file in the instance folder ``jiguan demo`` fills with a random key (mode 0600).
SECRET_KEY_FILE = "secret_key"


class DefaultConfig:
    APP_NAME = "机关事务管理平台"
    #: Signs what the server hands out (CSRF tokens, JWTs): at least 32 characters. With the
    #: placeholder, create_app reads ``<instance>/secret_key`` (``jiguan demo`` writes one) and
    #: otherwise refuses to start, except under TESTING (``check_secret_key``). The ``jiguan``
    #: command sets GENERATE_SECRET_KEY: it writes that file first when it is missing.
    SECRET_KEY = PLACEHOLDER_SECRET_KEY
    #: Write ``<instance>/secret_key`` when no key is configured (the ``jiguan`` command only).
    GENERATE_SECRET_KEY = False
    SQLALCHEMY_DATABASE_URI = None  # set by create_app: an SQLite file under instance/
    SQLALCHEMY_TRACK_MODIFICATIONS = False
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
    WTF_CSRF_ENABLED = True
    #: Built-in plugins to skip (keys), e.g. for a slim deployment.
    DISABLED_PLUGINS: list[str] = []
    #: Load third-party plugins from the ``jiguan.plugins`` entry-point group.
    LOAD_ENTRYPOINT_PLUGINS = True
    #: Extra plugin objects or dotted names, loaded after the built-ins (tests use it).
    EXTRA_PLUGINS: list = []
    #: Meets the password policy (PASSWORD_MIN_LENGTH, PASSWORD_MIN_CLASSES).
    DEMO_PASSWORD = "jiguan-demo-1"
    #: Reports estimated above this many rows render as background jobs, not in the request.
    REPORT_INLINE_MAX_ROWS = 2000
    #: Background jobs (docs/jobs.md): "local" (a thread pool in the web process), "celery"
    #: (workers on any node, Redis as broker) or "eager" (run at once in the caller; tests, CLI).
    JOBS_BACKEND = "local"
    #: Threads of the local backend (per web process).
    JOBS_WORKERS = 1
    #: Where results are kept: "files" (JOBS_DIR/<id>/) or "database" (core_job.result_data).
    JOBS_STORAGE = "files"
    #: Folder of the result files; None: ``<instance>/jobs``. Shared by every node with "files".
    JOBS_DIR: str | None = None
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

    # Sessions, login and passwords (docs/security.md, "Sessions", "Login protection …")
    #: Sessions live on the server (core/web/sessions.py): "database" (table core_session of
    #: the app's own database, every node sees it) or "redis" (SESSION_REDIS_URL). The cookie
    #: holds only a random id, so logout and a password change can end a session.
    SESSION_BACKEND = "database"
    SESSION_REDIS_URL = "redis://127.0.0.1:6379/0"
    #: Prefix of the Redis keys (several apps may share one Redis).
    SESSION_KEY_PREFIX = "jiguan:session:"
    #: A session unused this long ends (idle timeout) …
    SESSION_IDLE_TIMEOUT = dt.timedelta(minutes=30)
    #: … and every session ends this long after the login (absolute timeout).
    SESSION_ABSOLUTE_TIMEOUT = dt.timedelta(hours=12)
    #: Flask's: "https" when the site is served over HTTPS (then every cookie is Secure).
    PREFERRED_URL_SCHEME = "http"
    #: The cookie is sent over HTTPS only when True, or when PREFERRED_URL_SCHEME is "https".
    SESSION_COOKIE_SECURE = False
    SESSION_COOKIE_HTTPONLY = True
    #: Lax: the cookie goes with top-level navigation to the site, never with a cross-site POST.
    SESSION_COOKIE_SAMESITE = "Lax"
    #: The login form never sets Flask-Login's remember-me cookie; flagged in case a view does.
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    #: Failed logins (form and API) allowed per account name within LOGIN_FAILURE_WINDOW, then
    #: the name is locked for LOGIN_LOCKOUT — also names that do not exist, so a lockout tells
    #: nothing about who has an account (core/web/login_guard.py).
    LOGIN_MAX_FAILURES = 5
    #: The same per client address (any names): a password spray from one machine.
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    LOGIN_FAILURE_WINDOW = dt.timedelta(minutes=15)
    LOGIN_LOCKOUT = dt.timedelta(minutes=15)
    #: Password policy of every path that sets one (forms, user API, CLI): the length, how many
    #: of the classes lower case, upper case, digits and other characters, never the login name.
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


class InsecureSecretKey(RuntimeError):
    """The app would sign sessions and tokens with a key anyone can know or guess."""


def secret_key_from_instance(config, instance_path: str) -> None:
    """With no key configured, take ``<instance>/secret_key``; the ``jiguan`` command
    (``GENERATE_SECRET_KEY``) first writes one there, random and readable by its owner only,
    so a fresh clone's ``jiguan demo``/``jiguan run`` work while a WSGI server needs a real key."""
    if config.get("SECRET_KEY") not in (None, "", PLACEHOLDER_SECRET_KEY):
        return
    path = Path(instance_path) / SECRET_KEY_FILE
    if not path.is_file() and config.get("GENERATE_SECRET_KEY"):
        import secrets

        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(secrets.token_urlsafe(48) + "\n")
    if path.is_file():
        config["SECRET_KEY"] = path.read_text(encoding="utf-8").strip()


def check_secret_key(config) -> None:
    """Refuse to start outside tests with the placeholder or a short SECRET_KEY."""
    key = config.get("SECRET_KEY") or ""
    if config.get("TESTING") or (key != PLACEHOLDER_SECRET_KEY and len(key) >= SECRET_KEY_MIN_LENGTH):
        return
    raise InsecureSecretKey(
        f"SECRET_KEY 未设置、仍是示例值或短于 {SECRET_KEY_MIN_LENGTH} 个字符，拒绝启动："
        "请设置环境变量 JIGUAN_SECRET_KEY 或 instance/jiguan.cfg 中的 SECRET_KEY"
        "（如 python -c 'import secrets; print(secrets.token_urlsafe(48))'），"
        "演示环境运行 jiguan demo 会自动生成。 / "
        f"SECRET_KEY is unset, the placeholder or shorter than {SECRET_KEY_MIN_LENGTH} "
        "characters: set JIGUAN_SECRET_KEY or SECRET_KEY in instance/jiguan.cfg "
        "(`jiguan demo` generates one for a demo)."
    )
