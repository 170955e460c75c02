"""Configuration layers: defaults → instance file → JIGUAN_* environment → overrides."""

from core import create_app
from core.config import env_settings


def test_env_settings_map_and_parse():
    settings = env_settings({"JIGUAN_DATABASE_URL": "sqlite:///x.db", "JIGUAN_DISABLED_PLUGINS": '["land"]',
                             "OTHER": "1"})
    assert settings == {"SQLALCHEMY_DATABASE_URI": "sqlite:///x.db", "DISABLED_PLUGINS": ["land"]}


def test_layers_in_order(tmp_path, monkeypatch):
    # keys of 32 characters or more: create_app refuses shorter ones (tests/security/test_secret_key.py)
    from_file, from_env = "from-file-" + "f" * 32, "from-env-" + "e" * 32
    (tmp_path / "jiguan.cfg").write_text(f"APP_NAME = '文件'\nSECRET_KEY = {from_file!r}\n", encoding="utf-8")
    monkeypatch.setenv("JIGUAN_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("JIGUAN_SECRET_KEY", from_env)
    app = create_app({"LOAD_ENTRYPOINT_PLUGINS": False, "DISABLED_PLUGINS": ["office_space", "land"]})
    assert app.config["APP_NAME"] == "文件"  # instance file over defaults
    assert app.config["SECRET_KEY"] == from_env  # environment over the file
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'jiguan.db'}"
    assert "land" not in app.extensions["jiguan"].plugins  # explicit overrides win
