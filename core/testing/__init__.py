"""Testing support for jiguan and its plugins: the pytest plugin's helpers, importable.

The fixtures themselves live in :mod:`core.testing.pytest_plugin`, which pytest loads
through the ``pytest11`` entry point of the ``jiguan`` distribution; this package is what a
test module imports by name (``from core.testing import authorization_cases``). Importing
it is cheap: nothing of the app (Flask, FAB, SQLAlchemy models) is imported until a helper
runs.
"""

from core.testing.matrix import (
    ACTIONS,
    API_ACTIONS,
    VIEWERS,
    authorization_cases,
    check_authorization_case,
    foreign_row,
    model_view_for,
)
from core.testing.support import (
    PASSWORD,
    ApiClient,
    Browser,
    fresh_demo,
    make_app,
    pdf_text,
    postgres_unreachable,
    record_findings,
)

__all__ = [
    "ACTIONS",
    "API_ACTIONS",
    "PASSWORD",
    "VIEWERS",
    "ApiClient",
    "Browser",
    "authorization_cases",
    "check_authorization_case",
    "foreign_row",
    "fresh_demo",
    "make_app",
    "model_view_for",
    "pdf_text",
    "postgres_unreachable",
    "record_findings",
]
