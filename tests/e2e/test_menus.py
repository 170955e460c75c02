"""Each demo user logs in through the form and sees their name and the menu their role allows."""

from __future__ import annotations

import pytest

from core.cli.demo import DEMO_USERS

NAMES = {username: name for username, _role, _org, name, _label in DEMO_USERS}
LAND = "土地管理"
OVERSIGHT = "监督管理"

#: username -> (organisation shown on the home page, sees oversight, sees security)
EXPECTED = {
    "admin": ("新疆维吾尔自治区机关事务管理局", True, True),
    "xj_bureau": ("新疆维吾尔自治区机关事务管理局", True, False),
    "urumqi_bureau": ("乌鲁木齐市机关事务管理局", True, False),
    "tianshan_clerk": ("乌鲁木齐市天山区财政局", False, False),
    "kashgar_clerk": ("喀什市财政局", False, False),
    "urumqi_fin_reviewer": ("乌鲁木齐市财政局", False, False),
    # the county's own offices, for the same-level review of its plans and disposals (Art. 17, 19)
    "tianshan_bureau": ("乌鲁木齐市天山区机关事务服务中心", True, False),
    "tianshan_fin_reviewer": ("乌鲁木齐市天山区财政局", False, False),
    "kashgar_bureau": ("喀什市机关事务管理局", True, False),
    "kashgar_fin_reviewer": ("喀什市财政局", False, False),
}


def _links(menu: dict[str, dict[str, str]]) -> set[str]:
    return {href for items in menu.values() for href in items.values()}


def test_every_demo_user_is_covered():
    assert set(EXPECTED) == set(NAMES)


@pytest.mark.parametrize("username", list(EXPECTED))
def test_login_shows_name_and_menu(login_as, username):
    org, oversight, security = EXPECTED[username]
    page = login_as(username)

    assert page.path.rstrip("/") == ""  # the form lands on the home page
    assert NAMES[username] in page.text(".navbar-right"), "the navbar names the user"
    scope = page.text("#scope")
    assert NAMES[username] in scope and org in scope, scope  # people by name, not login

    menu = page.menu()
    links = _links(menu)
    # every demo jurisdiction has the land module enabled (demo data) and every role reads parcels
    assert LAND in menu, menu
    assert "宗地台账" in menu[LAND] and menu[LAND]["宗地台账"].startswith("/landparcelview/list")
    assert "确权登记进度" in menu[LAND]
    assert "土地管理" in page.text("#modules")

    if oversight:
        assert OVERSIGHT in menu, menu
        assert {"模块启用", "问题清单"} <= set(menu[OVERSIGHT]), menu[OVERSIGHT]
        assert menu[OVERSIGHT]["模块启用"].startswith("/modules")
    else:
        assert OVERSIGHT not in menu, menu
        assert not any(link.startswith(("/modules", "/findingview")) for link in links), links

    security_links = {link for link in links if link.startswith(("/users/", "/roles/"))}
    if security:
        assert "/users/list/" in security_links, menu
    else:
        assert not security_links, menu


def test_clerk_reaches_parcels_through_the_menu(login_as):
    page = login_as("tianshan_clerk")
    page.click_menu(LAND, "宗地台账")
    page.wait_for("div.table-responsive > table")
    assert page.path.startswith("/landparcelview/list")
    assert "天山区财政局业务楼" in page.table_column("宗地名称")


def test_clerk_is_refused_the_oversight_pages(login_as):
    page = login_as("tianshan_clerk")
    page.open("/modules/?jurisdiction=650102")
    body = page.text()
    assert "模块启用" not in body and "停用" not in body
    assert "无权访问" in body and "403" in page.driver.title, body[:200]
