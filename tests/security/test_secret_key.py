"""The app refuses to start with the shipped placeholder or a short SECRET_KEY, except in tests;
the ``jiguan`` command on a fresh clone writes a random key into the instance folder."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from core import create_app
from core.config import PLACEHOLDER_SECRET_KEY
from core.web.secret_key import InsecureSecretKey


@pytest.fixture
def fresh_instance(tmp_path, monkeypatch):
    """An empty instance folder and no key in the environment: a fresh clone."""
    monkeypatch.setenv("JIGUAN_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("JIGUAN_SECRET_KEY", raising=False)
    return tmp_path / "instance"


def build(**config):
    return create_app({"LOAD_ENTRYPOINT_PLUGINS": False, **config})


@pytest.mark.parametrize("key", [None, PLACEHOLDER_SECRET_KEY, "short-key-of-31-characters-xxxx"])
def test_refuses_a_guessable_key(fresh_instance, key):
    config = {} if key is None else {"SECRET_KEY": key}
    with pytest.raises(InsecureSecretKey) as refused:
        build(**config)
    assert "拒绝启动" in str(refused.value) and "JIGUAN_SECRET_KEY" in str(refused.value)


def test_refuses_the_wsgi_entry_point_without_a_key(fresh_instance):
    """What ``gunicorn 'core.wsgi:app'`` does on a server where no key was set."""
    env = {k: v for k, v in os.environ.items() if k != "JIGUAN_SECRET_KEY"}
    env["JIGUAN_LOAD_ENTRYPOINT_PLUGINS"] = "false"
    result = subprocess.run([sys.executable, "-c", "import core.wsgi"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "InsecureSecretKey" in result.stderr
    assert not (fresh_instance / "secret_key").exists()  # a server never invents one


def test_a_long_key_starts(fresh_instance):
    assert build(SECRET_KEY="k" * 32).config["SECRET_KEY"] == "k" * 32


def test_tests_may_use_the_placeholder(fresh_instance):
    assert build(TESTING=True).config["SECRET_KEY"] == PLACEHOLDER_SECRET_KEY


def test_the_command_line_writes_a_random_key_once(fresh_instance):
    """``jiguan …`` (demo, run, plugin new) on a fresh clone: a random key, mode 0600, kept."""
    env = {k: v for k, v in os.environ.items() if k != "JIGUAN_SECRET_KEY"}
    env.update(JIGUAN_LOAD_ENTRYPOINT_PLUGINS="false",
               JIGUAN_DATABASE_URL=f"sqlite:///{fresh_instance.parent / 'cli.db'}")
    result = subprocess.run([sys.executable, "-m", "core.cli", "plugins", "list"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    path = fresh_instance / "secret_key"
    key = path.read_text().strip()
    assert len(key) >= 32 and key != PLACEHOLDER_SECRET_KEY
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # every later app of this instance (``jiguan run``, a WSGI server) signs with the same key
    assert build().config["SECRET_KEY"] == key
    assert build(GENERATE_SECRET_KEY=True).config["SECRET_KEY"] == key
