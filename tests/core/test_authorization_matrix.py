"""Authorization matrix generated from the catalog (Art. 4-5: each level sees its own scope).

For every registered entity type and every action — list, show, edit, delete, API
get/list/put/delete, export — a user of another jurisdiction gets nothing and changes nothing.
The API actions run on every authentication path (session, JWT, API token) and a bearer's
read answers as the session's does; the screens run on the session. The cases and their
check come from ``core.testing`` (the pytest plugin's matrix), the same a third-party
plugin's tests use for its own entity types.
"""

from __future__ import annotations

import pytest

from core.state import get_state
from core.testing import authorization_cases, check_authorization_case
from tests.conftest import AUTH_PATHS


def entity_keys():
    from tests.conftest import make_app

    app = make_app("sqlite://")
    with app.app_context():
        # public reference data (the economic classification) is everyone's to read: no row is
        # outside a scope; who writes it is tested with the type (tests/catalog/test_expenditures.py)
        return [e.key for e in get_state().entities if not e.scope.public]


@pytest.mark.parametrize(("entity_key", "action", "auth", "viewer"),
                         authorization_cases(entity_keys(), auth_paths=AUTH_PATHS))
def test_other_jurisdiction_gets_nothing(app, login, rest, entity_key, action, auth, viewer):
    if auth == "session":
        check_authorization_case(app, login, entity_key, action, viewer)
    else:
        check_authorization_case(app, lambda username: rest(username, auth), entity_key, action,
                                 viewer, compare_to=lambda username: rest(username, "session"))
