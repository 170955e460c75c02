"""Configuration layers: defaults → instance file → ``JIGUAN_*`` environment → overrides."""

from __future__ import annotations

import json
import os
from pathlib import Path

from flask_appbuilder.const import AUTH_DB

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Environment variables that map to a Flask/FAB setting of another name.
ENV_ALIASES = {
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
}


class DefaultConfig:
    APP_NAME = "机关事务管理平台"
    SECRET_KEY = "change-me-in-instance/jiguan.cfg"
    SQLALCHEMY_DATABASE_URI = None  # set by create_app: an SQLite file under instance/
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    AUTH_TYPE = AUTH_DB
    AUTH_ROLE_ADMIN = "Admin"
    AUTH_ROLE_PUBLIC = "Public"
    FAB_ADD_SECURITY_API = True
    FAB_API_SWAGGER_UI = False  # the Swagger UI loads assets from a CDN
    FAB_UPDATE_PERMS = False  # roles are built-in (FAB_ROLES), computed from the views
    BABEL_DEFAULT_LOCALE = "zh"
    #: jiguan's own catalogues (docs/i18n.md). FAB's BabelManager puts its bundled
    #: catalogues in front of this ("<fab>/translations;<ours>"); Flask-Babel merges every
    #: directory, so both load, and for a msgid in both the later (ours) wins. Extra
    #: directories (e.g. a third-party plugin's) go after it, separated by ";".
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
    DEMO_PASSWORD = "jiguan-demo"


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
