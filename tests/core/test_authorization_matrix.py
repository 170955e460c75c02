"""Authorization matrix generated from the catalog (Art. 4-5: each level sees its own scope).

For every registered entity type and every action — list, show, edit, delete, API
get/put/delete, export — a user of another jurisdiction gets nothing and changes nothing.
The cases and their check come from ``core.testing`` (the pytest plugin's matrix), the same
a third-party plugin's tests use for its own entity types.
"""

from __future__ import annotations

import pytest

from core.state import get_state
from core.testing import authorization_cases, check_authorization_case


def entity_keys():
    from tests.conftest import make_app

    app = make_app("sqlite://")
    with app.app_context():
        return [e.key for e in get_state().entities]


@pytest.mark.parametrize(("entity_key", "action", "viewer"), authorization_cases(entity_keys()))
def test_other_jurisdiction_gets_nothing(app, login, entity_key, action, viewer):
    check_authorization_case(app, login, entity_key, action, viewer)
