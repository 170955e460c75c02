"""``jiguan db revision --plugin KEY``: the branch, its folder and its dependencies set for you."""

from __future__ import annotations

import sqlalchemy as sa

from core.cli.installs import script_directory
from core.extensions import db
from tests.conftest import make_app

PLUGIN = '''
from sqlalchemy import Column, ForeignKey, Integer, String

from core.api import Model, Module, hookimpl


class {cls}(Model):
    __tablename__ = "{key}_item"
    id = Column(Integer, primary_key=True)
    title = Column(String(64), nullable=False)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False)


@hookimpl
def register_module():
    return Module(key="{key}", label="{key}", depends={depends})
'''


def _package(root, key, cls, depends):
    package = root / f"jiguan_{key}_rev"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "plugin.py").write_text(PLUGIN.format(key=key, cls=cls, depends=depends))
    return package


def test_revision_for_a_plugin_starts_its_branch_then_continues_it(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    notes = _package(site, "notes", "RevNote", ("catalog", "land"))
    _package(site, "jots", "RevJot", ("catalog",))  # loaded too: its table must stay out of notes'
    monkeypatch.syspath_prepend(str(site))
    app = make_app(f"sqlite:///{tmp_path / 'rev.db'}",
                   EXTRA_PLUGINS=["jiguan_notes_rev.plugin", "jiguan_jots_rev.plugin"])
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0

    result = runner.invoke(args=["db", "revision", "--plugin", "notes", "-m", "notes tables",
                                 "--autogenerate"])
    assert result.exit_code == 0, result.output
    versions = notes / "migrations" / "versions"
    (first,) = versions.glob("*.py")
    text = first.read_text()
    assert "branch_labels = ('notes',)" in text and "down_revision = None" in text
    assert "op.create_table('notes_item'" in text and "jots_item" not in text
    with app.app_context():
        script = script_directory()
        root = script.get_revision("notes@head")
        assert set(root.dependencies) == {script.get_revision("core@head").revision,
                                          script.get_revision("land@head").revision}

    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with app.app_context():
        assert sa.inspect(db.engine).has_table("notes_item")
        db.engine.dispose()

    result = runner.invoke(args=["db", "revision", "--plugin", "notes", "-m", "notes index"])
    assert result.exit_code == 0, result.output
    (second,) = [p for p in versions.glob("*.py") if p != first]
    with app.app_context():
        head = script_directory().get_revision("notes@head")
        assert head.path == str(second) and head.down_revision == root.revision
        assert not head.dependencies
    assert "branch_labels = None" in second.read_text()  # the branch's label is its root's


def test_revision_for_an_unknown_plugin_or_the_catalog_is_refused(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'rev.db'}")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "revision", "--plugin", "canteen", "-m", "x"])
    assert result.exit_code == 1 and "插件 canteen 未加载" in result.output
    result = runner.invoke(args=["db", "revision", "--plugin", "catalog", "-m", "x"])
    assert result.exit_code == 1 and "core@head" in result.output
    result = runner.invoke(args=["db", "revision", "--plugin", "land", "--head", "core@head", "-m", "x"])
    assert result.exit_code == 1 and "请勿同时给出" in result.output
