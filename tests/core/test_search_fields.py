"""The search filters' controls are rendered once per view and language and kept
(core/fab/search_fields.py, issue 15 item 2): what a page hands FAB's filter script is the same
as rendering them afresh, in the user's language, and a relation filter the request carries
still shows its chosen row."""

from __future__ import annotations

from catalog.models import Organization
from core.extensions import db
from tests.core.helpers import user

LIST = "/assetview/list/"


def _filter_script(html: str) -> str:
    """The arguments of FAB's filter script: labels, controls, filter names, active filters."""
    start = html.index("new AdminFilters(")
    script = html[start:html.index(");", start)]
    return script.encode("ascii", "backslashreplace").decode("unicode_escape")  # JSON's \\uXXXX read


def _forget(app):
    app.extensions.pop("jiguan_search_controls", None)
    app.extensions.pop("jiguan_page_fragments", None)  # the whole widget, kept over its controls


def test_kept_controls_are_what_rendering_gives(app, login):
    browser = login("xj_bureau")
    _forget(app)
    fresh = _filter_script(browser.text(LIST))
    assert app.extensions["jiguan_search_controls"], "the static controls are kept"
    kept = _filter_script(browser.text(LIST))
    assert kept == fresh
    assert "资产编号" in kept and "在用" in kept  # a label and a status choice, in Chinese


def test_controls_are_kept_per_language(app, login):
    browser = login("xj_bureau")
    _forget(app)
    chinese = _filter_script(browser.text(LIST))
    assert browser.get("/lang/en").status_code == 302
    try:
        english = _filter_script(browser.text(LIST))
        _forget(app)
        assert _filter_script(browser.text(LIST)) == english  # fresh English = kept English
    finally:
        browser.get("/lang/zh")
    assert english != chinese and "资产编号" not in english  # labels and choices in English
    assert _filter_script(browser.text(LIST)) == chinese


def test_a_relation_filter_in_the_request_is_not_the_kept_empty_box(app, login):
    with app.app_context():
        org = db.session.get(Organization, user(app, "tianshan_clerk").organization_id)
        org_id, org_name = org.id, org.name
    browser = login("xj_bureau")
    browser.text(LIST)  # the empty organisation box is kept
    option = f'<option value="{org_id}" selected>{org_name}</option>'
    assert option in _filter_script(browser.text(f"{LIST}?_flt_0_organization={org_id}"))
    assert str(org_id) not in _filter_script(browser.text(LIST))  # and the next page's box is empty
