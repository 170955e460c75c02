"""``jiguan plugin new``: the generated package installs with pip and passes its own tests.

The slow test generates a plugin into a tmp folder with the real command (a subprocess),
installs it with pip into a private target (never into this environment), and runs its
tests in a subprocess on SQLite and on PostgreSQL (a schema of its own in the test database).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from core.config import PROJECT_ROOT
from core.scaffold import ScaffoldError, core_head, generate
from core.testing.support import postgres_unreachable

KEY = "sdk_sample"
PACKAGE = f"jiguan_{KEY}"
PG_SCHEMA = "jiguan_scaffold_test"


def _jiguan(*args, cwd, tmp_path):
    """``jiguan ARGS`` in a fresh interpreter, with an instance folder and database of its own."""
    env = {**os.environ, "JIGUAN_INSTANCE_PATH": str(tmp_path / "instance"),
           "JIGUAN_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
           "JIGUAN_LOAD_ENTRYPOINT_PLUGINS": "false"}
    return subprocess.run([sys.executable, "-m", "core.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def _postgres_schema_url():
    """A URL to the test PostgreSQL with its own search_path, or None (skip or fail as the suite does)."""
    url = os.environ.get("JIGUAN_TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
    reason = postgres_unreachable(url)
    if reason:
        if os.environ.get("JIGUAN_REQUIRE_POSTGRES"):
            pytest.fail(reason + " (JIGUAN_REQUIRE_POSTGRES is set)")
        return url, None
    return url, sa.make_url(url).update_query_dict(
        {"options": f"-csearch_path={PG_SCHEMA}"}).render_as_string(hide_password=False)


def _pg(url, sql):
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(sql))
    engine.dispose()


@pytest.mark.slow
def test_generated_plugin_installs_and_passes_its_own_tests_on_both_backends(tmp_path):
    result = _jiguan("plugin", "new", KEY, "--dir", str(tmp_path), "--label", "公务用车示例",
                     "--label-en", "Sample cars", cwd=tmp_path, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    root = tmp_path / "jiguan-sdk-sample"
    assert f"已生成 {root}" in result.stdout

    ruff = Path(sys.executable).with_name("ruff")
    if ruff.exists():  # the generated code keeps the house style, with its own ruff settings
        lint = subprocess.run([str(ruff), "check", "."], cwd=root, capture_output=True, text=True)
        assert lint.returncode == 0, lint.stdout

    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-build-isolation", "--target", str(target), str(root)], check=True)
    installed = {p.relative_to(target / PACKAGE).as_posix() for p in (target / PACKAGE).rglob("*")
                 if p.is_file() and "__pycache__" not in p.parts}
    assert {"plugin.py", f"templates/{KEY}/report_register.html", "translations/en/LC_MESSAGES/messages.mo",
            } <= installed and any(p.startswith("migrations/versions/") for p in installed)

    base_url, pg_url = _postgres_schema_url()
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIGUAN_")}
    env.update(PYTHONPATH=str(target), JIGUAN_INSTANCE_PATH=str(tmp_path / "instance"))
    if os.environ.get("JIGUAN_REQUIRE_POSTGRES"):
        env["JIGUAN_REQUIRE_POSTGRES"] = "1"
    if pg_url:
        env["JIGUAN_TEST_POSTGRES_URL"] = pg_url
        _pg(base_url, f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE; CREATE SCHEMA {PG_SCHEMA}")
    try:
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                              "-p", "no:randomly"], cwd=root, env=env, capture_output=True,
                             text=True, timeout=900)
    finally:
        if pg_url:
            _pg(base_url, f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE")
    summary = run.stdout.strip().splitlines()[-1]
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
    passed = int(re.search(r"(\d+) passed", summary).group(1))
    if pg_url:  # every test ran on both backends
        assert "skipped" not in summary and passed >= 2 * 25, summary
    else:
        assert passed >= 25, summary

    # the project's environment is as it was: the plugin was never installed into it
    assert KEY not in {ep.name for ep in entry_points(group="jiguan.plugins")}
    assert not any(m.startswith(PACKAGE) for m in sys.modules)


def test_plugin_new_refuses_bad_keys_and_existing_folders(tmp_path):
    for key, message in (("Bad-Key", "不合规"), ("land", "已被核心或内置模块占用"),
                         ("core", "已被核心或内置模块占用")):
        result = _jiguan("plugin", "new", key, "--dir", str(tmp_path), cwd=tmp_path, tmp_path=tmp_path)
        assert result.returncode == 1 and message in result.stderr, (key, result.stderr)
    (tmp_path / "jiguan-notes").mkdir()
    (tmp_path / "jiguan-notes" / "keep.txt").write_text("mine")
    result = _jiguan("plugins", "new", "notes", "--dir", str(tmp_path), cwd=tmp_path, tmp_path=tmp_path)
    assert result.returncode == 1 and "已存在且不为空" in result.stderr
    assert (tmp_path / "jiguan-notes" / "keep.txt").read_text() == "mine"
    with pytest.raises(ScaffoldError, match="引号"):
        generate("notes", tmp_path / "other", label='公务"用车')


def test_generated_package_is_wired_to_the_core(tmp_path):
    root = generate("notes", tmp_path, label="公务用车", label_en="Official cars")
    pyproject = (root / "pyproject.toml").read_text()
    assert 'name = "jiguan-notes"' in pyproject
    assert '[project.entry-points."jiguan.plugins"]\nnotes = "jiguan_notes.plugin"' in pyproject
    assert 'jiguan_plugins = ["notes"]' in pyproject
    (migration,) = (root / "jiguan_notes" / "migrations" / "versions").glob("*.py")
    text = migration.read_text()
    assert "branch_labels = ('notes',)" in text and f"depends_on = '{core_head()}'" in text
    plugin = (root / "jiguan_notes" / "plugin.py").read_text()
    assert 'area_rooms("jiguan_notes", AREAS, room)' in plugin and 'contract=">=1.0,<2"' in plugin
    assert (root / "jiguan_notes" / "templates" / "notes" / "report_register.html").exists()


def test_generated_english_catalogue_translates_every_string_it_uses(tmp_path):
    root = generate("notes", tmp_path, label="公务用车", label_en="Official cars")
    folder = root / "jiguan_notes" / "translations"
    with open(folder / "messages.pot", "rb") as f:
        used = {m.id for m in read_po(f) if m.id}
    with open(folder / "en" / "LC_MESSAGES" / "messages.po", "rb") as f:
        po = {m.id: m.string for m in read_po(f) if m.id}
    with open(folder / "en" / "LC_MESSAGES" / "messages.mo", "rb") as f:
        mo = {m.id: m.string for m in read_mo(f) if m.id}
    assert {"公务用车", "公务用车登记", "名称", "合计"} <= used  # Python and the report template
    assert set(po) == used and all(po.values()) and mo == po
    assert po["公务用车登记"] == "Official cars records"


def test_generated_code_keeps_the_house_style_even_at_the_longest_names(tmp_path):
    ruff = Path(sys.executable).with_name("ruff")
    if not ruff.exists():
        pytest.skip("ruff is not installed next to this Python (pip install -e '.[test]')")
    root = generate("a_long_module_key_for_xx", tmp_path, label="名字很长的示例模块用于检",
                    label_en="A long english name for checking widths")
    lint = subprocess.run([str(ruff), "check", "--output-format", "concise", "."], cwd=root,
                          capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout
    with pytest.raises(ScaffoldError, match="最长 12 个字符"):
        generate("notes", tmp_path / "x", label="名字很长的示例模块用于检查")


def test_scaffold_templates_are_package_data():
    setup_cfg = (PROJECT_ROOT / "setup.cfg").read_text()
    assert "scaffold/template/**/*.tmpl" in setup_cfg
