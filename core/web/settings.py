"""The web service's settings: response headers and CSRF, uploads, sessions, login, passwords.

Defaults the web service installs into ``app.config`` when it installs itself (``install_web``);
an operator's value (``instance/jiguan.cfg``, ``JIGUAN_*``, the app's config) wins. They live
here, not in ``core.config``, because they belong to this service, not to the kernel; Flask's
own settings that the service sets (MAX_CONTENT_LENGTH, the session cookie's flags) stay there.
"""

from __future__ import annotations

import datetime as dt


class WebSettings:
    #: False: the app installs no screen and no API (FAB's own neither), only what the rest of
    #: the app needs of the web service (the security manager and its users, the built-in roles,
    #: each view's module by name). The command line builds such an app for the commands that
    #: serve nothing (core/cli/__init__.py, ``WITHOUT_VIEWS``): ~0.6 s less of each start.
    WEB_VIEWS = True

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
    #: Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host are believed
    #: (werkzeug's ProxyFix): the client's address for the login lockout, HTTPS for cookies and
    #: HSTS. 0: the headers are ignored — a client could otherwise claim any address.
    TRUSTED_PROXIES = 0
    #: The statements every request runs (its user, its session, the bell, a list's saved
    #: searches) are PREPAREd once per PostgreSQL connection (core/fab/prepared.py). False
    #: behind a pooler that moves a client between server connections per transaction
    #: (PgBouncer's transaction mode), which loses them.
    PREPARED_STATEMENTS = True

    # Pages (docs/performance.md, "Near the floor": the eighth pass)
    #: A list page's layout, list header, header row and search filters written once per shape
    #: and language and kept in the process, their per-request values filled in
    #: (core/web/page_fragments.py). Off: every page renders them afresh (the tests compare both).
    PAGE_FRAGMENTS_KEPT = True

    # Uploads (docs/security.md, "Uploads")
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

    # Sessions, login and passwords (docs/security.md, "Sessions", "Login protection …")
    #: Where sessions live (the cookie holds a random id): "database" (core_session) or "redis".
    SESSION_BACKEND = "database"
    SESSION_REDIS_URL = "redis://127.0.0.1:6379/0"
    SESSION_KEY_PREFIX = "jiguan:session:"
    #: A session ends unused this long (idle), and this long after the login (absolute).
    SESSION_IDLE_TIMEOUT = dt.timedelta(minutes=30)
    SESSION_ABSOLUTE_TIMEOUT = dt.timedelta(hours=12)
    #: Failed logins per name and per address within the window before a lockout (login_guard).
    LOGIN_MAX_FAILURES = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    LOGIN_FAILURE_WINDOW = dt.timedelta(minutes=15)
    LOGIN_LOCKOUT = dt.timedelta(minutes=15)
    #: Password policy (core/web/passwords.py): length, classes of lower/upper/digit/other.
    PASSWORD_MIN_LENGTH = 10
    PASSWORD_MIN_CLASSES = 3


def install_settings(app) -> None:
    """Every setting above that the app was not given."""
    for name in dir(WebSettings):
        if name.isupper():
            app.config.setdefault(name, getattr(WebSettings, name))
