"""schemathesis over the platform's own OpenAPI document: no server error, and every answer as
documented (status code, content type, body schema), as an admin and as a clerk, on SQLite and
PostgreSQL.

Bounded and reproducible: each operation gets ``JIGUAN_SCHEMATHESIS_EXAMPLES`` (2) valid and as
many invalid requests (the clerk: valid only), plus the document's example, derandomized,
through the WSGI app (no network). Run harder locally with
``JIGUAN_SCHEMATHESIS_EXAMPLES=50 pytest tests/security/test_schemathesis.py`` (docs/security.md).
The test writes whatever schemathesis generates, so it runs on a database of its own (a fresh
SQLite file; on PostgreSQL the configured database's name + ``_schemathesis``), never on the
``app`` fixture's demo the other tests read.
"""

from __future__ import annotations

import os
import re

import pytest

schemathesis = pytest.importorskip("schemathesis")

EXAMPLES = int(os.environ.get("JIGUAN_SCHEMATHESIS_EXAMPLES", "2"))
#: Operations left out, each with its reason: they change the test's own login or the roles'
#: permissions, after which every later request would be refused (401/403) and test nothing.
EXCLUDED = {
    r"^(PUT|DELETE) /api/v1/security/users/": "would change or delete the test's own user",
    r"^(PUT|DELETE) /api/v1/security/roles/": "would strip the admin role's permissions",
    r"^POST /api/v1/security/roles/\{[^}]+\}/": "sets a role's permissions, users and groups",
    r"^(PUT|DELETE) /api/v1/security/(permissions-resources|permissions|resources)/":
        "would remove the permissions the test's users run on",
    r"^DELETE /api/v1/tokens/": "would revoke the clerk's API token the test runs with",
}


def _database_of_its_own(url: str) -> str:
    """``url`` with ``_schemathesis`` appended to the database name, created when missing."""
    import sqlalchemy as sa

    target = sa.engine.make_url(url)
    name = f"{target.database}_schemathesis"
    engine = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.execute(sa.text("select 1 from pg_database where datname = :n"), {"n": name}).first():
            conn.execute(sa.text(f'create database "{name}"'))
    engine.dispose()
    return target.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzz_app(request, tmp_path_factory):
    from core.extensions import db
    from core.testing.support import fresh_demo, make_app

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'jiguan.db'}"
    else:
        url = _database_of_its_own(request.getfixturevalue("postgres_url"))
    # a server error must come back as a 500 for schemathesis to report, not raise in the test
    app = make_app(url, PROPAGATE_EXCEPTIONS=False)
    fresh_demo(app)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _bearer(app, username: str, kind: str) -> str:
    from tests.conftest import jwt_login

    access = jwt_login(app.test_client(), username)["access_token"]
    if kind == "jwt":
        return access
    response = app.test_client().post("/api/v1/tokens/", json={"name": "schemathesis", "days": 1},
                                      headers={"Authorization": f"Bearer {access}"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["result"]["token"]


def _excluded(label: str) -> str | None:
    return next((why for pattern, why in EXCLUDED.items() if re.search(pattern, label)), None)


def _probe(operation, mode, headers: dict, failures: list[str]) -> int:
    """Send ``EXAMPLES`` generated requests of ``mode`` to ``operation``; collect what fails."""
    from hypothesis import HealthCheck, Phase, given, settings
    from schemathesis import checks

    wanted = [checks.not_a_server_error, checks.status_code_conformance,
              checks.content_type_conformance, checks.response_schema_conformance]
    label = f"{operation.method.upper()} {operation.path} [{mode.value}]"
    sent = []

    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    @given(case=operation.as_strategy(generation_mode=mode))
    def probe(case):
        sent.append(case)
        try:
            response = case.call(headers=headers)
            case.validate_response(response, checks=wanted, headers=headers)
        except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001 - collect them all
            failures.append(f"{label}: {str(failure)[:1200]}")

    probe()
    return len(sent)


def _run(app, headers: dict, modes) -> tuple[int, list[str]]:
    """(requests sent, failures) over every operation of the user's document."""
    import warnings

    with warnings.catch_warnings():  # apispec warns about FAB's duplicate schema names
        warnings.simplefilter("ignore")
        schema = schemathesis.openapi.from_wsgi("/api/v1/_openapi", app, headers=headers)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 100, len(operations)  # the document was read, with every API
    sent, failures = 0, []
    for operation in operations:
        if not _excluded(f"{operation.method.upper()} {operation.path}"):
            sent += sum(_probe(operation, mode, headers, failures) for mode in modes)
    return sent, failures


@pytest.mark.slow
@pytest.mark.parametrize("username, kind, invalid",
                         [("admin", "jwt", True), ("tianshan_clerk", "token", False)])
def test_every_operation_answers_as_documented_and_never_with_a_server_error(fuzz_app, username, kind,
                                                                            invalid):
    """The admin reaches every operation with valid and invalid requests; the clerk, whose
    writes are mostly refused by role and scope, with valid ones (the bound on the run's time)."""
    from schemathesis.generation.modes import GenerationMode

    headers = {"Authorization": f"Bearer {_bearer(fuzz_app, username, kind)}"}
    modes = [GenerationMode.POSITIVE, *([GenerationMode.NEGATIVE] if invalid else [])]
    sent, failures = _run(fuzz_app, headers, modes)
    assert sent >= 150 * len(modes), sent
    assert failures == [], f"{len(failures)} failures:\n" + "\n\n".join(failures[:15])


def test_the_exclusions_are_only_security_state_changes():
    """The operations left out are few and each says why (docs/security.md, "Bad input")."""
    assert _excluded("PUT /api/v1/security/users/{pk}") and _excluded("DELETE /api/v1/tokens/{pk}")
    for kept in ("POST /api/v1/security/login", "GET /api/v1/security/users/", "PUT /api/v1/asset/{pk}",
                 "DELETE /api/v1/asset/{pk}", "POST /api/v1/tokens/", "POST /api/v1/security/roles/"):
        assert _excluded(kept) is None, kept
