"""A demo app with test-only plugins (tests/fixtures/…): their tables and modules set up."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from core.extensions import db


def fixture_plugin_app(backend: str, tmp_path_factory, plugins: list[str], modules: list[str],
                       pg_schema: str):
    """A demo app with test-only plugins loaded, their tables created (no migration knows them)
    and their modules enabled for the region, on ``backend`` ("sqlite" or "postgresql", in a
    schema of its own). A generator: ``yield from`` it in a module-scoped fixture."""
    from catalog.models import Jurisdiction
    from core.activation import set_module
    from core.cli.demo import build_demo
    from core.cli.setup import create_schema, drop_schema
    from core.scoping import SYSTEM, acting_as
    from tests.conftest import PASSWORD, POSTGRES_URL, make_app, postgres_unreachable

    def run(sql: str) -> None:
        engine = sa.create_engine(POSTGRES_URL)
        with engine.begin() as conn:
            conn.execute(sa.text(sql))
        engine.dispose()

    extra = {}
    if backend == "sqlite":
        uri = f"sqlite:///{tmp_path_factory.mktemp(pg_schema) / 'app.db'}"
    else:
        reason = postgres_unreachable()
        if reason:
            if os.environ.get("JIGUAN_REQUIRE_POSTGRES"):
                pytest.fail(reason + " (JIGUAN_REQUIRE_POSTGRES is set)")
            pytest.skip(reason)
        uri = POSTGRES_URL
        run(f"DROP SCHEMA IF EXISTS {pg_schema} CASCADE; CREATE SCHEMA {pg_schema}")
        extra["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": f"-csearch_path={pg_schema}"}}
    app = make_app(uri, EXTRA_PLUGINS=plugins, **extra)
    with app.app_context():
        drop_schema()
        build_demo(PASSWORD)
        create_schema()
        with acting_as(SYSTEM):
            region = db.session.execute(select(Jurisdiction).filter_by(code="650000")).scalar_one()
            for key in modules:
                set_module(region, key, True)
            db.session.commit()
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if backend == "postgresql":
        run(f"DROP SCHEMA IF EXISTS {pg_schema} CASCADE")
