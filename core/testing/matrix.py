"""The authorization matrix (Art. 4-5): another jurisdiction's user gets nothing, changes nothing.

For every entity type, every action — list, show, edit, delete, API get/list/put/delete,
export — and every viewer, a row outside the viewer's scope must stay invisible and
unchanged. The project's own matrix (tests/core/test_authorization_matrix.py) and every
plugin's generate their cases here::

    from core.testing import authorization_cases, check_authorization_case

    @pytest.mark.parametrize(("entity_key", "action", "viewer"), authorization_cases(["notes_record"]))
    def test_other_jurisdiction_gets_nothing(app, login, entity_key, action, viewer):
        check_authorization_case(app, login, entity_key, action, viewer)

``client`` is how a viewer reaches the app: ``login`` (a browser session) or ``api_client``
(a bearer token), or anything else with ``get``/``post`` and ``api`` or ``open``, so an auth
path can be varied; ``authorization_cases(..., auth_paths=…)`` runs the API actions once per
path.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import pytest

#: A clerk of 喀什市 (its own organisation) and the bureau of 乌鲁木齐市 (its subtree).
VIEWERS = ("kashgar_clerk", "urumqi_bureau")
ACTIONS = ("list", "show", "edit_get", "edit_post", "delete", "api_get", "api_list", "api_put",
           "api_delete", "export")


#: The actions on the REST API (the others are screens, reached with a browser session).
API_ACTIONS = ("api_get", "api_list", "api_put", "api_delete")


def authorization_cases(entity_keys: Iterable[str], viewers: Iterable[str] = VIEWERS,
                        actions: Iterable[str] = ACTIONS,
                        auth_paths: Iterable[str] | None = None) -> list:
    """One ``pytest.param(entity_key, action, viewer)`` per case, id ``"<entity>-<action>-<viewer>"``.

    With ``auth_paths`` (``("session", "jwt", "token")``), each API action runs once per path and
    the screens on ``"session"``: ``pytest.param(entity_key, action, auth, viewer)``, id
    ``"<entity>-<action>-<auth>-<viewer>"``; the test picks its client by ``auth``.
    """
    viewers, actions = tuple(viewers), tuple(actions)
    if auth_paths is None:
        return [pytest.param(key, action, viewer, id=f"{key}-{action}-{viewer}")
                for key in entity_keys for action in actions for viewer in viewers]
    paths = tuple(auth_paths)
    pairs = [(action, auth) for action in actions
             for auth in (paths if action in API_ACTIONS else ("session",))]
    return [pytest.param(key, action, auth, viewer, id=f"{key}-{action}-{auth}-{viewer}")
            for key in entity_keys for action, auth in pairs for viewer in viewers]


def _open(client, method: str, url: str, **kw):
    """A request through any test client: ``Browser``/``ApiClient`` (``api``) or ``open``."""
    call = getattr(client, "api", None)
    return call(method, url, **kw) if call is not None else client.open(url, method=method, **kw)


def model_view_for(app, model):
    """The CRUD screen (a FAB ModelView) installed for ``model``, or None."""
    from flask_appbuilder import ModelView

    for view in app.appbuilder.baseviews:
        if isinstance(view, ModelView) and view.datamodel.obj is model:
            return view
    return None


def foreign_row(app, model, username):
    """A row of ``model`` the user may not read (None if every row is visible). In an app context."""
    from sqlalchemy import not_, select

    from core.extensions import db
    from core.scoping import read_clause, scope_for_user

    clause = read_clause(model, scope_for_user(app.appbuilder.sm.find_user(username=username)))
    query = select(model)
    if clause is not None:
        query = query.where(not_(clause))
    return db.session.execute(query.order_by(model.id).limit(1)).scalar_one_or_none()


def check_authorization_case(app, client: Callable, entity_key: str, action: str, viewer: str,
                             compare_to: Callable | None = None) -> None:
    """Run one case: ``viewer``, through ``client(viewer)``, tries ``action`` on a row out of scope.

    ``compare_to`` (another client factory, e.g. the session's) makes an API read answer with
    the same status through both: a bearer is refused for the same reason as the session.
    """
    from sqlalchemy import inspect

    from core.events import column_values
    from core.extensions import db
    from core.state import get_state

    with app.app_context():
        entity = get_state().entities.get(entity_key)
        assert entity is not None, f"no entity type {entity_key!r} is registered"
        row = foreign_row(app, entity.model, viewer)
        assert row is not None, (f"the demo has no {entity_key} row outside {viewer}'s scope: "
                                 "give the demo data rows in more than one jurisdiction")
        pk = inspect(row).identity[0]
        before = column_values(row)
        view = model_view_for(app, entity.model)
        db.session.remove()
    browser = client(viewer)
    base = view.route_base if view else None
    api = entity.api_path

    if action == "list":
        if base is not None:
            html = browser.text(f"{base}/list/?psize_{view.__class__.__name__}=100")
            # the view's own link to the row: a page may link other views' rows of that id
            # (the ledger links each posting's source record)
            assert not re.search(rf"{re.escape(base)}/show/{pk}[\"?]", html)
    elif action in ("show", "edit_get"):
        if base is not None:
            verb = "show" if action == "show" else "edit"
            assert browser.get(f"{base}/{verb}/{pk}").status_code in (302, 403, 404)
    elif action == "edit_post":
        if base is not None:
            response = browser.post(f"{base}/edit/{pk}", data={"name": "越权修改"})
            assert response.status_code in (302, 403, 404)
    elif action == "delete":
        if base is not None:
            assert browser.post(f"{base}/delete/{pk}").status_code in (302, 403, 404)
    elif action in ("api_get", "api_list"):
        url = f"{api}{pk}" if action == "api_get" else f"{api}?q=(page_size:100)"
        response = _open(browser, "GET", url)
        if compare_to is not None:
            reference = _open(compare_to(viewer), "GET", url).status_code
            assert response.status_code == reference, (
                f"{url}: {response.status_code} through this client, {reference} through the reference")
        if action == "api_get":
            assert response.status_code in (403, 404)
        elif response.status_code == 200:
            assert pk not in response.get_json()["ids"]
        else:
            assert response.status_code in (403, 404)
    elif action == "api_put":
        response = _open(browser, "PUT", f"{api}{pk}", json={"name": "越权修改"})
        assert response.status_code in (403, 404, 422)
    elif action == "api_delete":
        assert _open(browser, "DELETE", f"{api}{pk}").status_code in (403, 404)
    elif action == "export":
        response = browser.get(f"/catalog/export/{entity_key}.csv")
        if response.status_code == 200:
            lines = response.get_data(as_text=True).splitlines()
            ids = [line.split(",")[0].lstrip("\ufeff") for line in lines]
            assert str(pk) not in ids
        else:
            assert response.status_code in (302, 403, 404)
    else:
        raise ValueError(f"unknown action {action!r} (one of {', '.join(ACTIONS)})")

    with app.app_context():
        after = db.session.get(entity.model, pk)
        assert after is not None, "the row was deleted by a user outside its scope"
        assert column_values(after) == before, "the row was changed by a user outside its scope"
        db.session.remove()
