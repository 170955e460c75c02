"""The menu bar is kept per language, roles and active modules (core/web/menu_cache.py): each
user still sees exactly the entries it may use, in its language, and a module switched off or
on changes the menu at the next page of the same process."""

from __future__ import annotations

from tests.core.helpers import modules_switched

LAND_LIST = "/landparcelview/list/"
USERS_LIST = "/users/list/"


def _menu(browser) -> str:
    html = browser.text("/")
    start = html.index('<ul class="nav navbar-nav">')
    return html[start:html.index("navbar-right", start)]


def land_off(app, code):
    """Land and what stands on it off at ``code`` for the block (Art. 5: per jurisdiction)."""
    return modules_switched(app, {code: {"office_space": False, "land": False}})


def test_each_role_sees_its_own_entries(login):
    admin, clerk = _menu(login("admin")), _menu(login("tianshan_clerk"))
    assert USERS_LIST in admin and USERS_LIST not in clerk
    assert LAND_LIST in admin and LAND_LIST in clerk
    assert _menu(login("tianshan_clerk")) == clerk  # the kept menu is the same menu


def test_a_module_switched_off_leaves_the_menu_at_the_next_page(app, login):
    kashgar = login("kashgar_clerk")
    assert LAND_LIST in _menu(kashgar)
    with land_off(app, "653101"):
        assert LAND_LIST not in _menu(kashgar)
        assert LAND_LIST in _menu(login("tianshan_clerk"))  # another jurisdiction keeps it
    assert LAND_LIST in _menu(kashgar)


def test_the_menu_speaks_the_users_language(login):
    browser = login("admin")
    chinese = _menu(browser)
    assert browser.get("/lang/en").status_code == 302
    english = _menu(browser)
    assert english != chinese and "Land parcel" in english and "土地宗地" not in english
    assert browser.get("/lang/zh").status_code == 302
    assert _menu(browser) == chinese
