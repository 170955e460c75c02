"""Alembic migrations: an empty database migrated to every head equals the models, on both backends."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from alembic.util import to_tuple
from flask_appbuilder import Model

from core.cli.installs import app_tables
from core.cli.migrations import migrate
from core.cli.setup import MIGRATIONS_DIR, upgrade_schema, version_locations
from core.extensions import db
from core.testing.support import schema_diff
from tests.conftest import POSTGRES_URL, make_app, postgres_unreachable

#: The session's demo app lives in PostgreSQL's public schema; these tests wipe and rebuild a
#: schema of their own in the same database, so they never pull the tables from under it.
PG_SCHEMA = "jiguan_migration_test"


def _postgres_url() -> str:
    reason = postgres_unreachable()
    if reason:
        if os.environ.get("JIGUAN_REQUIRE_POSTGRES"):
            pytest.fail(reason + " (JIGUAN_REQUIRE_POSTGRES is set)")
        pytest.skip(reason)
    url = sa.make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={PG_SCHEMA}"})
    return url.render_as_string(hide_password=False)


def _wipe(engine: sa.Engine) -> None:
    """Start from an empty database: no tables (alembic_version included), sequences or functions."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
            conn.execute(sa.text(f"CREATE SCHEMA {PG_SCHEMA}"))
        else:
            tables = sa.MetaData()
            tables.reflect(conn)
            tables.drop_all(conn)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_app(request, tmp_path):
    uri = f"sqlite:///{tmp_path / 'migrations.db'}" if request.param == "sqlite" else _postgres_url()
    app = make_app(uri)
    with app.app_context():
        _wipe(db.engine)
        assert sa.inspect(db.engine).get_table_names() == []
        yield app
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
        db.engine.dispose()


def _alembic_config():
    return migrate.get_config(str(MIGRATIONS_DIR))


def _applied_versions() -> set[str]:
    with db.engine.connect() as conn:
        return set(conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars())


def test_migrations_match_the_models(empty_app):
    """Only this app's tables count: Model.metadata also holds the models of plugins that other
    apps of this process loaded (an installed entry-point plugin, tests/fixtures), and a database
    migrated for this app rightly lacks them (core.cli.installs.app_tables)."""
    upgrade_schema()
    diff = schema_diff(empty_app)
    assert diff == [], f"the migrations and the models differ: {diff}"


def test_other_apps_plugins_do_not_count(empty_app, tmp_path, monkeypatch):
    """A plugin with models loaded by another app of the process leaves this app's check clean."""
    package = tmp_path / "site" / "jiguan_stray_fixture"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "plugin.py").write_text(STRAY_PLUGIN)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    other = make_app(f"sqlite:///{tmp_path / 'other.db'}", EXTRA_PLUGINS=["jiguan_stray_fixture.plugin"])
    assert "stray_thing" in Model.metadata.tables and "stray_thing" in app_tables(other)
    upgrade_schema()
    assert "stray_thing" not in app_tables(empty_app)
    assert schema_diff(empty_app) == []
    # the same database checked against every table of the process would miss stray_thing
    assert "stray_thing" in [d[1].name for d in schema_diff(empty_app, tables=Model.metadata.tables)]


STRAY_PLUGIN = '''
from sqlalchemy import Column, Integer

from core.api import Model, Module, hookimpl


class StrayThing(Model):
    __tablename__ = "stray_thing"
    id = Column(Integer, primary_key=True)


@hookimpl
def register_module():
    return Module(key="stray", label="Stray", depends=("catalog",))
'''


def _applied_with_ancestors(script) -> set[str]:
    """The revisions applied: those alembic_version names and all they stand on. A branch head
    another branch depends on (land's, under office space) is applied without being named."""
    return {rev.revision for rev in script.iterate_revisions(tuple(_applied_versions()), "base")}


def test_every_branch_is_applied(empty_app):
    upgrade_schema()
    script = ScriptDirectory.from_config(_alembic_config())
    core_head, land_head = script.get_revision("core@head"), script.get_revision("land@head")
    assert {core_head.revision, land_head.revision} <= set(script.get_heads())
    assert land_head.revision in _applied_with_ancestors(script)
    roots = {label: root for root in map(script.get_revision, script.get_bases())
             for label in root.branch_labels}
    assert set(roots) >= {"core", "land"}
    # a plugin branch starts after the core tables it refers to
    assert roots["core"].revision in to_tuple(roots["land"].dependencies)


def test_plugins_bring_their_own_version_locations(tmp_path):
    locations = version_locations(make_app(f"sqlite:///{tmp_path / 'unused.db'}"))
    assert locations[0] == str(MIGRATIONS_DIR / "versions")
    assert any(path.endswith(os.path.join("plugins", "land", "migrations", "versions"))
               for path in locations)


def test_downgrade_to_base_removes_everything(empty_app):
    upgrade_schema()
    command.downgrade(_alembic_config(), "base")
    assert set(sa.inspect(db.engine).get_table_names()) == {"alembic_version"}
    assert _applied_versions() == set()
    upgrade_schema()  # and back up again: the downgrade left nothing in the way
    assert sa.inspect(db.engine).has_table("land_parcel")


@pytest.mark.parametrize("empty_app", ["postgresql"], indirect=True)  # the trigger is PostgreSQL's
def test_audit_log_is_append_only_on_postgresql(empty_app):
    upgrade_schema()
    with db.engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO core_audit_log (at, username, entity, entity_id, action) "
            "VALUES (now(), 'tester', 'land_parcel', '1', 'create')"
        ))
    for statement in ("UPDATE core_audit_log SET action = 'delete'", "DELETE FROM core_audit_log",
                      "TRUNCATE core_audit_log"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), db.engine.begin() as conn:
            conn.execute(sa.text(statement))
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT action FROM core_audit_log")).scalars().all() == ["create"]


def test_cli_db_upgrade_brings_every_branch(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'cli.db'}")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert result.exception is None
    with app.app_context():
        script = ScriptDirectory.from_config(_alembic_config())
        assert {"core", "land"} <= {label for head in script.get_heads()
                                    for label in script.get_revision(head).branch_labels}
        assert script.get_revision("land@head").revision in _applied_with_ancestors(script)
        assert {"ab_user", "catalog_organization", "core_audit_log", "land_parcel"} <= set(
            sa.inspect(db.engine).get_table_names()
        )
        db.engine.dispose()


THIRD_PARTY_PLUGIN = '''
from core.api import Module, hookimpl


@hookimpl
def register_module():
    return Module(key="notes", label="Notes", depends=("catalog",))
'''

THIRD_PARTY_REVISION = '''
from alembic import op
import sqlalchemy as sa

revision = "a1b2c3d4e5f6"
down_revision = None
branch_labels = ("notes",)
depends_on = "{core_head}"


def upgrade():
    op.create_table(
        "notes_note",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("organization_id", sa.Integer(), sa.ForeignKey("catalog_organization.id")),
    )


def downgrade():
    op.drop_table("notes_note")
'''


def test_a_third_party_plugin_brings_its_own_branch(tmp_path, monkeypatch):
    """An installed plugin package with ``migrations/versions`` next to its module: no core change needed."""
    package = tmp_path / "site" / "jiguan_notes_fixture"
    (package / "migrations" / "versions").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "plugin.py").write_text(THIRD_PARTY_PLUGIN)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    app = make_app(f"sqlite:///{tmp_path / 'notes.db'}", EXTRA_PLUGINS=["jiguan_notes_fixture.plugin"])
    with app.app_context():
        core_head = ScriptDirectory.from_config(_alembic_config()).get_revision("core@head").revision
    (package / "migrations" / "versions" / "a1b2c3d4e5f6_notes.py").write_text(
        THIRD_PARTY_REVISION.format(core_head=core_head))

    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert sa.inspect(db.engine).has_table("notes_note")
        assert "a1b2c3d4e5f6" in _applied_versions()
        db.engine.dispose()


def test_migrated_sqlite_tables_never_reuse_ids(app, backend):
    """Every table with an ``id`` key keeps AUTOINCREMENT after the migrations, also those that
    SQLite rebuilt for an ALTER (batch mode): a deleted record's audit trail never continues
    into a new record that got its id."""
    if not backend.startswith("sqlite"):
        pytest.skip("PostgreSQL sequences never reuse ids")
    with app.app_context():
        created = dict(db.session.execute(sa.text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table'")).all())
    keyed = [t.name for t in Model.metadata.sorted_tables
             if [c.key for c in t.primary_key.columns] == ["id"] and t.name in created
             and not t.info.get("jiguan_test_only")]
    assert "assets_asset" in keyed
    assert [name for name in keyed if "AUTOINCREMENT" not in created[name].upper()] == []
