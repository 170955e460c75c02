"""The project's fixtures come from jiguan's pytest plugin (core/testing/pytest_plugin.py).

The plugin is installed with jiguan (``pytest11`` entry point), so the project's tests use
exactly the fixtures a plugin author's tests use: ``app`` (one demo-loaded app per backend,
a real SQLite file and real PostgreSQL), ``ctx``, ``login``, ``api_client`` … The names
below stay importable from here for the tests that import them.
"""

from __future__ import annotations

import os

from core.testing.pytest_plugin import app, backend, ctx, login  # noqa: F401  (see above)
from core.testing.support import PASSWORD, Browser, fresh_demo, make_app  # noqa: F401
from core.testing.support import postgres_unreachable as _unreachable

#: The PostgreSQL of tests that build their own schema in it (the ``postgres_url`` fixture
#: reads the same variable, then pyproject.toml's ``jiguan_postgres_url``: the same default).
POSTGRES_URL = os.environ.get(
    "JIGUAN_TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test"
)


def postgres_unreachable() -> str | None:
    return _unreachable(POSTGRES_URL)
