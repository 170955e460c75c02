"""Numbers and amounts through one locale-aware place (core/display/locale.py): Chinese and
English read as before, Uyghur with Babel's own signs (Latin digits, "," and ".")."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from flask_babel import force_locale

from core.display import format_amount, format_number, locale_of, text_direction


@pytest.mark.parametrize("lang", ["zh", "en", "ug"])
def test_amounts_and_numbers(app, lang):
    with app.test_request_context(), force_locale(lang):
        assert format_amount(Decimal("1234567.5")) == f"{Decimal('1234567.5'):,.2f}" == "1,234,567.50"
        assert format_amount(0) == "0.00" and format_amount(None) == "" and format_amount("x") == "x"
        assert format_number(Decimal("3000.0000")) == "3,000"
        assert format_number(Decimal("0.95")) == "0.95" and format_number(12345) == "12,345"
        assert text_direction() == ("rtl" if lang == "ug" else "ltr")


def test_locale_of_a_user(app):
    class User:
        locale = None

    with app.app_context():
        assert locale_of(User()) == "zh" and locale_of(None) == "zh"
        User.locale = "ug"
        assert locale_of(User()) == "ug"
        User.locale = "fr"  # no longer offered: the default
        assert locale_of(User()) == "zh"


@pytest.mark.parametrize(("lang", "joined"),
                         [("zh", "档案、卡片"), ("en", "档案, 卡片"), ("ug", "档案، 卡片")])
def test_an_enumeration_is_joined_as_the_language_writes_it(app, login, lang, joined):
    """Issue 16: an English or Uyghur sentence listing names took the Chinese 、 between them."""
    from core.display import join_items

    with app.test_request_context(), force_locale(lang):
        assert join_items(iter(["档案", "卡片"])) == joined and join_items([]) == ""
    # a screen that lists: a role's actions on one view (查看、新增、…)
    with app.app_context():
        clerk = app.appbuilder.sm.find_role("Clerk").id
    html = login("admin").text(f"/roles/show/{clerk}?_l_={lang}")
    table = re.search(r'<table[^>]*id="role-permissions".*?</table>', html, re.S).group(0)
    separator = joined[2:-2]
    assert re.search(rf"\w{re.escape(separator)}\w", table), (lang, table[:400])
    if lang != "zh":
        assert "、" not in table, lang
