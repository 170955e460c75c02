"""Authorization matrix generated from the catalog (Art. 4-5: each level sees its own scope).

For every registered entity type and every action — list, show, edit, delete, API
get/put/delete, export — a user of another jurisdiction gets nothing and changes nothing.
The API actions run on every authentication path (session, JWT, API token), the screens
on the session.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import inspect

from core.events import column_values
from core.extensions import db
from core.state import get_state
from tests.conftest import AUTH_PATHS
from tests.core.helpers import foreign_row, model_view_for

VIEWERS = ["kashgar_clerk", "urumqi_bureau"]
SCREEN_ACTIONS = ["list", "show", "edit_get", "edit_post", "delete", "export"]
API_ACTIONS = ["api_get", "api_list", "api_put", "api_delete"]
CASES = [(action, "session") for action in SCREEN_ACTIONS] + [
    (action, auth) for action in API_ACTIONS for auth in AUTH_PATHS]


def entity_keys():
    from tests.conftest import make_app

    app = make_app("sqlite://")
    with app.app_context():
        return [e.key for e in get_state().entities]


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize(("action", "auth"), CASES, ids=[f"{a}-{p}" for a, p in CASES])
@pytest.mark.parametrize("entity_key", entity_keys())
def test_other_jurisdiction_gets_nothing(app, login, rest, entity_key, action, auth, viewer):
    with app.app_context():
        entity = get_state().entities.get(entity_key)
        row = foreign_row(app, entity.model, viewer)
        assert row is not None, f"the demo has no {entity_key} row outside {viewer}'s scope"
        pk = inspect(row).identity[0]
        before = column_values(row)
        view = model_view_for(app, entity.model)
        db.session.remove()
    browser = login(viewer) if action in SCREEN_ACTIONS else None
    client = rest(viewer, auth) if action in API_ACTIONS else None
    base = view.route_base if view else None
    api = entity.api_path

    if action == "list":
        html = browser.text(f"{base}/list/?psize_{view.__class__.__name__}=100")
        assert not re.search(rf"/show/{pk}[\"?]", html)
    elif action == "show":
        assert browser.get(f"{base}/show/{pk}").status_code in (302, 403, 404)
    elif action == "edit_get":
        assert browser.get(f"{base}/edit/{pk}").status_code in (302, 403, 404)
    elif action == "edit_post":
        response = browser.post(f"{base}/edit/{pk}", data={"name": "越权修改"})
        assert response.status_code in (302, 403, 404)
    elif action == "delete":
        assert browser.post(f"{base}/delete/{pk}").status_code in (302, 403, 404)
    elif action == "api_get":
        status = client.get(f"{api}{pk}").status_code
        assert status in (403, 404)
        if auth != "session":  # a bearer is refused for the same reason as the session
            assert status == rest(viewer, "session").get(f"{api}{pk}").status_code
    elif action == "api_list":
        response = client.get(f"{api}?q=(page_size:100)")
        if auth != "session":
            assert response.status_code == rest(viewer, "session").get(f"{api}?q=(page_size:100)").status_code
        if response.status_code == 200:
            assert pk not in response.get_json()["ids"]
        else:
            assert response.status_code in (403, 404)
    elif action == "api_put":
        response = client.open("PUT", f"{api}{pk}", json={"name": "越权修改"})
        assert response.status_code in (403, 404, 422)
    elif action == "api_delete":
        assert client.open("DELETE", f"{api}{pk}").status_code in (403, 404)
    elif action == "export":
        response = browser.get(f"/catalog/export/{entity_key}.csv")
        if response.status_code == 200:
            lines = response.get_data(as_text=True).splitlines()
            ids = [line.split(",")[0].lstrip("\ufeff") for line in lines]
            assert str(pk) not in ids
        else:
            assert response.status_code in (302, 403, 404)

    with app.app_context():
        after = db.session.get(entity.model, pk)
        assert after is not None, "the row was deleted by a user outside its scope"
        assert column_values(after) == before, "the row was changed by a user outside its scope"
