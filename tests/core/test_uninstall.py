"""After an uninstall: the database names the missing plugin, and a purge removes what it left.

A real distribution (pip install --target) with a model and a root revision that depends on
the core's current head, on a real SQLite file and PostgreSQL (a schema of its own).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
import sqlalchemy as sa

from core.cli.installs import script_directory
from core.extensions import db
from tests.conftest import make_app

PG_SCHEMA = "jiguan_uninstall_test"

DIST = {
    "pyproject.toml": """
        [build-system]
        requires = ["setuptools>=64"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "jiguan-memo"
        version = "0.4.2"

        [project.entry-points."jiguan.plugins"]
        memo = "jiguan_memo.plugin"

        [tool.setuptools]
        packages = ["jiguan_memo"]

        [tool.setuptools.package-data]
        jiguan_memo = ["migrations/versions/*.py"]
    """,
    "jiguan_memo/__init__.py": "",
    "jiguan_memo/plugin.py": """
        from sqlalchemy import Column, ForeignKey, Integer, String

        from core.api import EntityType, Model, Module, Scope, hookimpl


        class Memo(Model):
            __tablename__ = "memo_memo"
            id = Column(Integer, primary_key=True)
            title = Column(String(64), nullable=False)
            organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False)


        @hookimpl
        def register_module():
            return Module(key="memo", label="备忘", version="0.4.2", depends=("catalog",),
                          contract=">=1.0,<2")


        @hookimpl
        def register_entity_types():
            return [EntityType(key="memo_memo", label="备忘", model=Memo,
                               scope=Scope(organization="organization_id"))]
    """,
    "jiguan_memo/migrations/versions/c0ffee000001_memo.py": """
        import sqlalchemy as sa
        from alembic import op

        revision = "c0ffee000001"
        down_revision = None
        branch_labels = ("memo",)
        depends_on = "{core_head}"


        def upgrade():
            op.create_table(
                "memo_memo",
                sa.Column("id", sa.Integer(), primary_key=True),
                sa.Column("title", sa.String(64), nullable=False),
                sa.Column("organization_id", sa.Integer(), sa.ForeignKey("catalog_organization.id"),
                          nullable=False),
                sqlite_autoincrement=True,
            )


        def downgrade():
            op.drop_table("memo_memo")
    """,
}


@pytest.fixture(scope="module")
def core_head(tmp_path_factory):
    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('head') / 'x.db'}")
    with app.app_context():
        return script_directory().get_revision("core@head").revision


@pytest.fixture(scope="module")
def memo_installed(tmp_path_factory, core_head):
    src = tmp_path_factory.mktemp("memo-src")
    for name, text in DIST.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(textwrap.dedent(text).replace("{core_head}", core_head), encoding="utf-8")
    target = tmp_path_factory.mktemp("memo-site")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-build-isolation", "--target", str(target), str(src)], check=True)
    sys.path.insert(0, str(target))
    yield target
    sys.path.remove(str(target))
    for name in [m for m in sys.modules if m.startswith("jiguan_memo")]:
        del sys.modules[name]


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'memo.db'}"
        return
    url = request.getfixturevalue("postgres_url")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE; CREATE SCHEMA {PG_SCHEMA}"))
    yield sa.make_url(url).update_query_dict(
        {"options": f"-csearch_path={PG_SCHEMA}"}).render_as_string(hide_password=False)
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
    engine.dispose()


def _run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def _versions(app) -> set[str]:
    with app.app_context():
        with db.engine.connect() as conn:
            return set(conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars())


def _applied(app, rows: set[str]) -> set[str]:
    """Every revision the ``alembic_version`` rows stand for (they and their ancestors)."""
    from core.cli.uninstall import _ancestors, script_directory

    with app.app_context():
        script = script_directory()
        known = {rev.revision for rev in script.walk_revisions()}
        return _ancestors(script, rows, known)


def _count(app, sql) -> int:
    with app.app_context():
        with db.engine.connect() as conn:
            return conn.execute(sa.text(sql)).scalar()


def _installed_with_data(database):
    """The plugin installed and upgraded, enabled in the region, with a finding and an event."""
    from catalog.demo import demo_uscc
    from catalog.models import Jurisdiction, Organization
    from core.activation import set_module
    from core.models import Finding
    from core.scoping import SYSTEM, acting_as
    from core.workflow.approval import WorkflowEvent

    app = make_app(database, LOAD_ENTRYPOINT_PLUGINS=["memo"])
    result = _run(app, "db", "upgrade")
    assert result.exit_code == 0, result.output
    with app.app_context(), acting_as(SYSTEM):
        region = Jurisdiction(code="650000", name="新疆维吾尔自治区", level="region")
        org = Organization(name="测试局", uscc=demo_uscc(1, "party_government", "650000"),
                           org_type="party_government", jurisdiction=region, is_bureau=True)
        db.session.add_all([region, org])
        db.session.flush()
        set_module(region, "memo", True)
        db.session.execute(sa.text("INSERT INTO memo_memo (title, organization_id) VALUES ('一', :o)"),
                           {"o": org.id})
        db.session.add(Finding(rule_key="memo.x", article=1, module="memo", entity="memo_memo",
                               entity_id="1", message="问题", organization_id=org.id))
        db.session.add(WorkflowEvent(entity="memo_memo", entity_id="1", action="submit",
                                     from_state="draft", to_state="submitted", username="system"))
        db.session.commit()
        db.session.remove()
    return app


def test_upgrade_records_what_each_plugin_installed(memo_installed, database, core_head):
    from core.cli.installs import PluginInstall

    app = _installed_with_data(database)
    with app.app_context():
        rows = {r.module_key: r for r in db.session.execute(sa.select(PluginInstall)).scalars()}
        memo = rows["memo"]
        assert (memo.version, memo.source) == ("0.4.2", "jiguan-memo 0.4.2")
        assert memo.revisions == ["c0ffee000001"] and memo.dependencies == {"c0ffee000001": [core_head]}
        assert memo.tables == ["memo_memo"] and memo.entities == ["memo_memo"]
        assert rows["land"].tables == ["land_parcel"] and rows["catalog"].tables == []
    # the core's head is a row of its own no more: the plugin's revision implies it
    assert core_head not in _versions(app) and "c0ffee000001" in _versions(app)


def test_after_an_uninstall_db_commands_name_the_plugin_and_the_way_out(memo_installed, database):
    _installed_with_data(database)
    without = make_app(database)  # the same database, the plugin gone
    for args in (("db", "upgrade"), ("db", "current"), ("db", "downgrade", "land@-1"), ("init",),
                 ("demo", "--keep")):
        result = _run(without, *args)
        assert result.exit_code == 1, (args, result.output)
        assert "插件 memo（jiguan-memo 0.4.2）未安装" in result.output, args
        assert "c0ffee000001" in result.output and "pip install jiguan-memo==0.4.2" in result.output
        assert "jiguan plugins purge memo" in result.output
    disabled = make_app(database, LOAD_ENTRYPOINT_PLUGINS=True, DISABLED_PLUGINS=["memo"])
    result = _run(disabled, "db", "current")
    assert result.exit_code == 1
    assert "插件 memo（jiguan-memo 0.4.2）已停用（DISABLED_PLUGINS）" in result.output


def test_purge_removes_what_the_plugin_left_but_not_the_audit_trail(memo_installed, database, core_head):
    app = _installed_with_data(database)
    refused = _run(app, "plugins", "purge", "memo", "--yes")
    assert refused.exit_code == 1 and "仍在加载" in refused.output
    audit_before = _count(app, "SELECT count(*) FROM core_audit_log")
    assert audit_before > 0

    without = make_app(database)
    declined = _run(without, "plugins", "purge", "memo", input="n\n")
    assert declined.exit_code == 1 and "数据表 memo_memo（1 行）" in declined.output
    assert "审计日志（core_audit_log）只增不改" in declined.output
    assert _count(without, "SELECT count(*) FROM memo_memo") == 1  # nothing removed

    result = _run(without, "plugin", "purge", "memo", "--yes")
    assert result.exit_code == 0, result.output
    with without.app_context():
        assert not sa.inspect(db.engine).has_table("memo_memo")
    remaining = _versions(without)
    # the core stays at its head: a row of its own, or implied by a branch that stands on it
    # (the funds module's root depends on the core's head)
    assert "c0ffee000001" not in remaining and core_head in _applied(without, remaining)
    for sql in ("SELECT count(*) FROM core_module_activation WHERE module_key = 'memo'",
                "SELECT count(*) FROM core_finding WHERE module = 'memo'",
                "SELECT count(*) FROM core_workflow_event WHERE entity = 'memo_memo'",
                "SELECT count(*) FROM core_plugin_install WHERE module_key = 'memo'"):
        assert _count(without, sql) == 0, sql
    # the trail keeps every row, and the purge's own deletions are in it
    assert _count(without, "SELECT count(*) FROM core_audit_log") > audit_before
    # the core did not move back: every command works again, and the upgrade changes nothing
    for args in (("db", "current"), ("db", "upgrade"), ("db", "check")):
        result = _run(without, *args)
        assert result.exit_code == 0, (args, result.output)
    assert core_head in _applied(without, _versions(without))


def test_purge_needs_a_record(database):
    app = make_app(database)
    assert _run(app, "db", "upgrade").exit_code == 0
    result = _run(app, "plugins", "purge", "memo", "--yes")
    assert result.exit_code == 1 and "没有插件 memo 的安装记录" in result.output
