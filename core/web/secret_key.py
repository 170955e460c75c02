"""The secret key: refuse to start with one anyone can know or guess.

``SECRET_KEY`` signs CSRF tokens and JWTs and keys the API-token lookup. The web service
checks it first when it installs itself, so ``create_app`` fails before anything is served.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from core.config import PLACEHOLDER_SECRET_KEY

#: The shortest SECRET_KEY accepted; PyJWT also warns below 32 bytes for HS256.
SECRET_KEY_MIN_LENGTH = 32
#: The file in the instance folder the ``jiguan`` command fills with a random key (mode 0600).
SECRET_KEY_FILE = "secret_key"


class InsecureSecretKey(RuntimeError):
    """The app would sign tokens with a key anyone can know or guess."""


def secret_key_from_instance(config, instance_path: str) -> None:
    """With no key configured, take ``<instance>/secret_key``; the ``jiguan`` command
    (``GENERATE_SECRET_KEY``) first writes one there, random and readable by its owner only,
    so a fresh clone's ``jiguan demo``/``jiguan run`` work while a WSGI server needs a real key."""
    if config.get("SECRET_KEY") not in (None, "", PLACEHOLDER_SECRET_KEY):
        return
    path = Path(instance_path) / SECRET_KEY_FILE
    if not path.is_file() and config.get("GENERATE_SECRET_KEY"):
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


def init_secret_key(app) -> None:
    secret_key_from_instance(app.config, app.instance_path)
    check_secret_key(app.config)
