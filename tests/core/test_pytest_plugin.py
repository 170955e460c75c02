"""jiguan's pytest plugin: installed (pytest11), cheap, documented, and its fixtures do their job."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import select

from core.config import PROJECT_ROOT
from core.extensions import db
from core.scoping import acting_as
from core.testing import API_ACTIONS, Browser, authorization_cases, check_authorization_case
from plugins.land.parcels.models import LandParcel

DOCS = PROJECT_ROOT / "docs" / "plugins.md"
HEAVY = ("flask", "flask_appbuilder", "sqlalchemy", "core.app", "core.api")


def _pytest(folder, *args, env=None):
    """pytest in a fresh interpreter, in ``folder`` (its own rootdir and ini), outside the project."""
    import os

    environment = {k: v for k, v in os.environ.items() if not k.startswith("JIGUAN_")}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
                          cwd=folder, env=environment, capture_output=True, text=True, timeout=600)


def _plugin_fixtures(tmp_path) -> list[str]:
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    output = _pytest(tmp_path, "--fixtures").stdout
    section = output.split("fixtures defined from core.testing.pytest_plugin", 1)[1]
    section = re.split(r"\n-{5,} fixtures defined from ", section)[0]
    return re.findall(r"^(\w+)(?: \[\w+ scope\])? -- ", section, re.M)


def test_the_plugin_is_installed_and_its_fixtures_are_offered(tmp_path):
    names = _plugin_fixtures(tmp_path)
    assert {"app", "backend", "ctx", "login", "api_client", "cli", "findings", "pdf_text",
            "make_demo_app", "postgres_url", "jiguan_config"} <= set(names)


def test_every_fixture_is_documented_with_its_signature(tmp_path):
    docs = DOCS.read_text(encoding="utf-8")
    section = docs.split("## Testing your plugin", 1)[1].split("\n## ", 1)[0]
    missing = [n for n in _plugin_fixtures(tmp_path) if not re.search(rf"`{n}(\(|` )", section)]
    assert not missing, f"docs/plugins.md, 'Testing your plugin', lacks: {missing}"


def test_importing_the_plugin_imports_nothing_of_the_app():
    names = ", ".join(repr(n) for n in HEAVY)
    script = f"import sys, core.testing.pytest_plugin; print([m for m in ({names}) if m in sys.modules])"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_a_run_that_uses_no_fixture_loads_nothing_of_the_app(tmp_path):
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_plain.py").write_text(textwrap.dedent(f"""
        import sys

        def test_plain(request):
            assert request.config.pluginmanager.has_plugin("jiguan")
            assert [m for m in {HEAVY!r} if m in sys.modules] == []
    """))
    result = _pytest(tmp_path, "-q")
    assert result.returncode == 0 and "1 passed" in result.stdout, result.stdout


def test_a_plugin_authors_suite_configures_the_app(tmp_path):
    """The ini names the plugin (a dotted module here), conftest overrides ``jiguan_config``;
    without a PostgreSQL URL the postgresql backend is skipped with the reason."""
    (tmp_path / "pytest.ini").write_text("[pytest]\njiguan_plugins = jiguan_author_fixture\n")
    (tmp_path / "jiguan_author_fixture.py").write_text(textwrap.dedent("""
        from core.api import Module, hookimpl

        @hookimpl
        def register_module():
            return Module(key="author", label="作者", depends=("catalog",))
    """))
    (tmp_path / "conftest.py").write_text(textwrap.dedent("""
        import pytest

        @pytest.fixture(scope="session")
        def jiguan_config():
            return {"DISABLED_PLUGINS": ["vehicles", "assets"]}
    """))
    (tmp_path / "test_author.py").write_text(textwrap.dedent("""
        def test_app(app, cli):
            plugins = app.extensions["jiguan"].plugins
            assert "author" in plugins and "assets" not in plugins and "land" in plugins
            assert "author\\ton" in cli("modules", "status", "--jurisdiction", "650000").output
    """))
    result = _pytest(tmp_path, "-q", "-rs", env={"PYTHONPATH": str(tmp_path)})
    assert result.returncode == 0, result.stdout[-3000:]
    assert "1 passed, 1 skipped" in result.stdout and "no PostgreSQL URL given" in result.stdout
    unreachable = _pytest(tmp_path, "-q", "-rs", "--jiguan-postgres-url",
                          "postgresql+psycopg2://nobody@127.0.0.1:9/none", env={"PYTHONPATH": str(tmp_path)})
    assert "PostgreSQL unreachable at postgresql+psycopg2://nobody@127.0.0.1:9/none" in unreachable.stdout


def test_login_per_role_makes_the_user_once(app, login):
    auditor = login(role="Auditor", organization="乌鲁木齐市机关事务管理局")
    again = login(role="Auditor", organization="乌鲁木齐市机关事务管理局")
    assert auditor.username == again.username and auditor.username.startswith("t_auditor_")
    assert auditor.get("/landparcelview/list/").status_code == 200
    assert auditor.get("/landparcelview/add").status_code != 200  # an auditor only reads


def test_api_client_logs_in_and_sends_a_bearer_token(app, api_client):
    client = api_client("tianshan_clerk")
    assert client.access_token and client.headers == {"Authorization": f"Bearer {client.access_token}"}
    assert client.get("/api/v1/reports/").status_code == 200
    assert app.test_client().get("/api/v1/reports/").status_code == 401  # without the token


def test_api_client_reads_its_own_records_through_an_entity_api(api_client):
    response = api_client("tianshan_clerk").get("/api/v1/land_parcel/?q=(page_size:100)")
    assert response.status_code == 200
    names = {row["name"] for row in response.get_json()["result"]}
    assert "天山区财政局业务楼" in names and "喀什市财政局办公楼" not in names


def test_cli_runs_jiguan_commands_on_the_app(cli):
    result = cli("plugins", "list")
    assert result.exit_code == 0 and "land\t土地管理" in result.output


def test_findings_of_a_record(app, findings):
    """Art. 21: a registered parcel held by another than the bureau opens a finding."""
    with app.app_context():
        clerk = app.appbuilder.sm.find_user(username="tianshan_clerk")
        with acting_as(clerk):
            parcel = LandParcel(name="夹具-问题清单", jurisdiction_id=clerk.organization.jurisdiction_id,
                                organization_id=clerk.organization_id, location="天山区", area=10,
                                registration_status="registered", certificate_no="X-9",
                                title_holder_id=clerk.organization_id)
            db.session.add(parcel)
            db.session.commit()
        pk = parcel.id
    (finding,) = findings("land_parcel", pk)
    assert finding["article"] == 21 and finding["module"] == "land" and finding["status"] == "open"
    with app.app_context():
        record = db.session.execute(select(LandParcel).where(LandParcel.id == pk)).scalar_one()
        assert findings(record) == [finding]
    assert findings("land_parcel", pk, status="resolved") == []


def test_pdf_text_reads_a_report_back(login, pdf_text):
    response = login("urumqi_bureau").api("POST", "/api/v1/reports/land_registration/render",
                                          json={"params": {}})
    assert response.status_code == 200
    text = re.sub(r"\s+", "", pdf_text(response.data))
    assert "土地确权登记情况表" in text and "天山区" in text and "喀什" not in text


def test_matrix_cases_optionally_vary_the_auth_path():
    plain = authorization_cases(["land_parcel"], viewers=["v"], actions=["list", "api_get"])
    assert [c.id for c in plain] == ["land_parcel-list-v", "land_parcel-api_get-v"]
    assert plain[1].values == ("land_parcel", "api_get", "v")
    cases = authorization_cases(["land_parcel"], viewers=["v"], actions=["list", "api_get"],
                                auth_paths=("session", "jwt"))
    assert [c.id for c in cases] == ["land_parcel-list-session-v", "land_parcel-api_get-session-v",
                                     "land_parcel-api_get-jwt-v"]
    assert cases[2].values == ("land_parcel", "api_get", "jwt", "v")


@pytest.mark.parametrize(("entity_key", "action", "viewer"),
                         authorization_cases(["land_parcel"], actions=API_ACTIONS))
def test_the_matrix_on_the_bearer_path(app, api_client, entity_key, action, viewer):
    """The same cases through another client: a bearer token instead of the session."""
    check_authorization_case(app, api_client, entity_key, action, viewer)


def test_the_matrix_compares_a_client_with_a_reference(app, login):
    check_authorization_case(app, login, "land_parcel", "api_get", "kashgar_clerk", compare_to=login)

    def anonymous(_viewer):
        return Browser(app, None)  # 401, where the session answers 404

    with pytest.raises(AssertionError, match="through the reference"):
        check_authorization_case(app, anonymous, "land_parcel", "api_get", "kashgar_clerk",
                                 compare_to=login)
