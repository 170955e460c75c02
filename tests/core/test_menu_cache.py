"""The menu bar is kept per language, roles and active modules (core/web/menu_cache.py): each
user still sees exactly the entries it may use, in its language, and a module switched off or
on changes the menu at the next page of the same process."""

from __future__ import annotations

import contextlib

from sqlalchemy import select

from catalog.models import Jurisdiction
from core.activation import set_module
from core.extensions import db
from core.models import ModuleActivation

LAND_LIST = "/landparcelview/list/"
USERS_LIST = "/users/list/"


def _menu(browser) -> str:
    html = browser.text("/")
    start = html.index('<ul class="nav navbar-nav">')
    return html[start:html.index("navbar-right", start)]


@contextlib.contextmanager
def land_off(app, code):
    """Land and what stands on it off at ``code`` for the block (Art. 5: per jurisdiction)."""
    with app.app_context():
        place = db.session.execute(select(Jurisdiction).where(Jurisdiction.code == code)).scalar_one()
        for key in ("office_space", "land"):
            set_module(place, key, False)
        db.session.commit()
    try:
        yield
    finally:
        with app.app_context():
            for row in db.session.execute(select(ModuleActivation).join(Jurisdiction).where(
                    Jurisdiction.code == code,
                    ModuleActivation.module_key.in_(("office_space", "land")))).scalars():
                db.session.delete(row)
            db.session.commit()


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
