"""A list page's chrome is kept per shape (core/web/page_fragments.py): the layout, the list's
header, its table's header row and the search filters are written once and their per-request
values filled in.
A page served from the kept fragments is the page rendered afresh — for several modules,
sorted, filtered and paged, as an admin, a bureau and a clerk, in Chinese and English, after a
module goes read-only and after a role change — and no fragment carries one user's name or one
language's words to another page."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from core.cli.setup import create_user
from core.extensions import db
from core.scoping import ROLE_BUREAU_ADMIN, ROLE_CLERK
from core.tenancy import Organization
from core.testing.support import PASSWORD
from tests.core.helpers import modules_switched

LISTS = ("/assetview/list/", "/landparcelview/list/", "/vehicleview/list/",
         "/expenditureclaimview/list/")
ASSETS = "/assetview/list/"
SHAPES = (ASSETS, ASSETS + "?_oc_AssetView=number&_od_AssetView=asc",
          ASSETS + "?_oc_AssetView=number&_od_AssetView=desc",
          ASSETS + "?_flt_2_name=%E5%8A%9E%E5%85%AC", ASSETS + "?q=%E8%BD%A6&psize_AssetView=50")
USERS = ("admin", "urumqi_bureau", "tianshan_clerk")


def _page(browser, url) -> str:
    response = browser.get(url)
    assert response.status_code == 200, url
    # the script nonce is new on every request, kept or not; the CSRF token is the session's,
    # signed with the time of its rendering: its signature is left out, never the session's part
    page = re.sub(r'nonce="[^"]*"', 'nonce=""', response.get_data(as_text=True))
    return re.sub(r'((?:name="csrf-token" content=|name="csrf_token" value=)"[^".]+)\.[^"]*"', r'\1"', page)


def _token(page: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def _kept_and_fresh(app, browser, url, recorder=None) -> tuple[str, str]:
    """The page from its kept fragments (recorded by the request before, ``recorder``'s when
    given: another user), then rendered afresh."""
    try:
        app.config["PAGE_FRAGMENTS_KEPT"] = True
        _page(recorder or browser, url)
        kept = _page(browser, url)
        app.config["PAGE_FRAGMENTS_KEPT"] = False
        return kept, _page(browser, url)
    finally:
        app.config["PAGE_FRAGMENTS_KEPT"] = True


def _pager(page: str, rel: str) -> str:
    return html.unescape(re.search(rf'<a href="([^"#]+)" rel="{rel}"', page).group(1))


@pytest.fixture
def fresh_store(app):
    app.extensions.pop("jiguan_page_fragments", None)
    yield app.extensions.setdefault("jiguan_page_fragments", {})


def _assert_same(app, browser, url, recorder=None):
    kept, fresh = _kept_and_fresh(app, browser, url, recorder)
    assert kept == fresh, url
    return kept


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("username", USERS)
def test_a_kept_page_is_the_page_rendered_afresh(app, login, fresh_store, username, language):
    """Each page's fragments recorded by another user first (in the same language)."""
    browser, recorder = login(username), login("kashgar_bureau")
    for someone in (browser, recorder):
        assert someone.get(f"/lang/{language}").status_code == 302
    for url in (*LISTS, *SHAPES):
        page = _assert_same(app, browser, url, recorder)
        assert ("记录数目" in page) == (language == "zh") and ("Record Count" in page) == (language == "en")
    small = _page(browser, ASSETS + "?psize_AssetView=3")  # pages of 3: every user has several
    _assert_same(app, browser, _pager(small, "next"))  # by cursor: first, ‹, › and » links
    _assert_same(app, browser, _pager(small, "last"))
    assert {key[0] for key in fresh_store} >= {"layout", "list_header", "thead", "search"}


def test_a_filtered_list_renders_its_search_filters_each_time(login, fresh_store):
    browser = login("admin")
    page = _page(browser, SHAPES[3])
    assert '[["name", ' in page and '["\\u529e\\u516c"]]]' in page  # 办公, for FAB's filter script
    assert not [key for key in fresh_store if key[0] == "search"]
    _page(browser, ASSETS)
    assert [key for key in fresh_store if key[0] == "search"]


def test_a_sorted_column_keeps_its_own_header_row(login, fresh_store):
    browser = login("admin")
    ascending = _page(browser, SHAPES[1])
    assert "fa-chevron-up" in ascending and "_od_AssetView=desc" in ascending
    descending = _page(browser, SHAPES[2])
    assert "fa-chevron-down" in descending and "fa-chevron-up" not in descending
    assert len([key for key in fresh_store if key[0] == "thead"]) == 2


def _land_off_at_urumqi(app):
    """Land off at 乌鲁木齐市 (650100), on at 天山区 below it: its bureau reads land, read-only
    (Art. 5-6)."""
    return modules_switched(app, {"650100": {"office_space": False, "land": False},
                                  "650102": {"land": True}})


def test_a_module_gone_read_only_loses_its_buttons_at_the_next_page(app, login, fresh_store):
    browser = login("urumqi_bureau")
    url = "/landparcelview/list/"
    writable = _assert_same(app, browser, url)
    assert "/landparcelview/add" in writable
    with _land_off_at_urumqi(app):
        read_only = _assert_same(app, browser, url)
        assert "/landparcelview/add" not in read_only and "土地宗地" in read_only
    assert _assert_same(app, browser, url) == writable


def test_a_role_change_shows_at_the_next_page(app, login, fresh_store):
    with app.app_context():
        org = db.session.execute(select(Organization).where(
            Organization.name.like("%天山区财政局%"))).scalars().first()
        sm = app.appbuilder.sm
        user = sm.find_user(username="t_fragments_role") or create_user(
            "t_fragments_role", PASSWORD, ROLE_CLERK, org, first_name="角色变更")
        user.roles = [sm.find_role(ROLE_CLERK)]
        db.session.commit()
    browser = login("t_fragments_role")
    clerk = _assert_same(app, browser, ASSETS)
    try:
        with app.app_context():
            user = app.appbuilder.sm.find_user(username="t_fragments_role")
            user.roles = [app.appbuilder.sm.find_role(ROLE_BUREAU_ADMIN)]
            db.session.commit()
        bureau = _assert_same(app, browser, ASSETS)
        assert bureau != clerk and "/users/list/" not in bureau
    finally:
        with app.app_context():
            user = app.appbuilder.sm.find_user(username="t_fragments_role")
            user.roles = [app.appbuilder.sm.find_role(ROLE_CLERK)]
            db.session.commit()


def test_no_fragment_carries_a_users_name_or_a_language_to_another_page(app, login, fresh_store):
    """Two clerks of one organisation share every key: each page still names its own user,
    in its own language."""
    with app.app_context():
        org = db.session.execute(select(Organization).where(
            Organization.name.like("%天山区财政局%"))).scalars().first()
        sm = app.appbuilder.sm
        for username, name in (("t_fragments_a", "甲经办"), ("t_fragments_b", "乙经办")):
            if sm.find_user(username=username) is None:
                create_user(username, PASSWORD, ROLE_CLERK, org, first_name=name)
        db.session.commit()
    first, second = login("t_fragments_a"), login("t_fragments_b")
    page_a = _page(first, ASSETS)
    assert "甲经办" in page_a
    page = _page(second, ASSETS)
    assert "乙经办" in page and "甲经办" not in page
    # each page carries its own session's CSRF token, in the head and in the logout form
    assert _token(page) != _token(page_a) and _token(_page(second, ASSETS)) == _token(page)
    assert page.count(_token(page)) >= 2 and _token(page_a) not in page
    layouts = len([key for key in fresh_store if key[0] == "layout"])
    assert second.get("/lang/en").status_code == 302
    english = _page(second, ASSETS)
    assert "乙经办" in english and "Record Count" in english and "记录数目" not in english
    assert "甲经办" in _page(first, ASSETS) and "记录数目" in _page(first, ASSETS)
    assert len([key for key in fresh_store if key[0] == "layout"]) == layouts + 1  # one per language


def test_a_region_whose_slots_a_filter_changed_is_rendered_each_time(app):
    """A slot's marker turned into JSON cannot be found again: the region is not kept."""
    from flask import render_template_string

    with app.test_request_context("/"):
        app.extensions.pop("jiguan_page_fragments", None)
        template = ("{% call jiguan_kept('probe', ('probe',)) %}{{ {'t': csrf_token()}|tojson }}"
                    "{% endcall %}")
        first, second = render_template_string(template), render_template_string(template)
        assert first == second and '"t": "' in first and "\\ue000" not in first
        assert app.extensions["jiguan_page_fragments"][("probe", "zh", "", ("probe",))] is False


def test_regions_do_not_nest(app):
    from flask import render_template_string

    with app.test_request_context("/"):
        template = ("{% call jiguan_kept('outer', ('o',)) %}{% call jiguan_kept('inner', ('i',)) %}"
                    "x{% endcall %}{% endcall %}")
        with pytest.raises(RuntimeError, match="do not nest"):
            render_template_string(template)
