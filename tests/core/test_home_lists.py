"""The home page's list item (``core.api.DashboardList``): a module's short list of texts for the
viewer — its label, the first ``limit`` entries the function gives for the logged-in user, each a
link when it has a url, its date, the count of all, escaped text, an empty list said in Chinese,
and only where the module is active for the viewer."""

from __future__ import annotations

import datetime as dt
import re

from core.api import DashboardList


def _panel(html: str, key: str) -> str:
    found = re.search(rf'data-list="{key}">(.*?)</ul>', html, re.S)
    return found.group(1) if found else ""


def _with_items(app, module, *items):
    registered = app.extensions["jiguan_home_items"]
    added = [(module, item) for item in items]
    registered.extend(added)
    return lambda: [registered.remove(entry) for entry in added]


def test_a_list_shows_the_users_first_entries_with_links_and_dates(app, login):
    seen = []

    def entries(user):
        seen.append(user.username)
        return [(f"事项{i} <b>{user.username}</b>", f"/somewhere/{i}" if i % 2 else None,
                 dt.date(2026, 12, i)) for i in range(1, 8)]

    remove = _with_items(app, None, DashboardList("test_list", "测试列表", entries, limit=3))
    try:
        html = login("tianshan_clerk").text("/")
    finally:
        remove()
    panel = _panel(html, "test_list")
    assert "<strong>测试列表</strong>" in panel and '<span class="badge">7</span>' in panel
    assert seen == ["tianshan_clerk"]
    assert '<a href="/somewhere/1">事项1 &lt;b&gt;tianshan_clerk&lt;/b&gt;</a>' in panel
    assert "事项2 &lt;b&gt;tianshan_clerk&lt;/b&gt;" in panel and 'href="/somewhere/2"' not in panel
    assert "2026-12-03" in panel and "事项4" not in panel  # the first three only


def test_an_empty_list_says_so(app, login):
    remove = _with_items(app, None, DashboardList("test_empty", "空列表", lambda user: []))
    try:
        panel = _panel(login("kashgar_clerk").text("/"), "test_empty")
    finally:
        remove()
    assert "空列表" in panel and "暂无" in panel


def test_a_list_of_an_inactive_module_is_not_shown(app, login):
    remove = _with_items(app, "no_such_module", DashboardList("test_hidden", "隐藏列表", lambda user: []))
    try:
        html = login("kashgar_clerk").text("/")
    finally:
        remove()
    assert 'data-list="test_hidden"' not in html and "隐藏列表" not in html
