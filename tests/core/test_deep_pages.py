"""Deep pages (issue 15, item 1): lists and the REST list API page by cursor where the sort is
indexed — first, previous, next and last walk the whole list without a gap or a duplicate, even
with ties in the sort column; scope, filters and bad cursors behave (docs/performance.md, "Deep pages").

Timing lives in benchmarks/deep_pages_benchmark.py; here the walks and the refusals.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re

import pytest
import sqlalchemy as sa

from core.extensions import db
from core.fab.keyset import Cursor, encode
from core.scoping import ROLE_CLERK
from plugins.assets.cards.models import Asset
from tests.core.list_cards import organisations_with_cards

LIST = "/assetview/list/"
API = "/api/v1/asset/"
STATUSES = ("in_use", "idle", "in_use", "in_use", "idle")  # ties: many rows per status


@pytest.fixture
def deep(app):
    """Two organisations (kept: the clerk test login belongs to one), 23 cards each, numbered
    DEEP-A-000…, DEEP-B-000… (removed after the test)."""
    with organisations_with_cards(app, "DEEP", "DEEPPAGE", "翻页测试单位", 23, lambda k: dict(
            name=f"翻页测试资产{k}", acquired_on=dt.date(2024, 1, 1),
            status=STATUSES[k % len(STATUSES)])) as made:
        yield made


def expected(app, org_id, column, direction) -> list[str]:
    """The organisation's card numbers in the list's order: the column, then id (ties)."""
    with app.app_context():
        order = [getattr(Asset, column), Asset.id]
        order = [o.desc() if direction == "desc" else o.asc() for o in order]
        numbers = db.session.execute(sa.select(Asset.number).where(Asset.organization_id == org_id)
                                     .order_by(*order)).scalars().all()
        db.session.remove()
    return list(numbers)


def numbers(text: str) -> list[str]:
    return re.findall(r"DEEP-[AB]-\d{3}", text)


def pager_link(text: str, rel: str) -> str | None:
    match = re.search(rf'<a href="([^"#]+)" rel="{rel}"', text)
    return html_lib.unescape(match.group(1)) if match else None


def walk_pages(browser, url, rel) -> tuple[list[str], list[str]]:
    """Follow the pager's ``rel`` links from ``url`` to the end: the rows seen, the positions shown."""
    seen, positions = [], []
    while url:
        response = browser.get(url)
        assert response.status_code == 200, url
        text = response.get_data(as_text=True)
        page = numbers(text)
        seen.extend(page if rel == "next" else reversed(page))
        positions.append(re.search(r'id="keyset-position">([^<]+)<', text).group(1))
        url = pager_link(text, rel)
        assert len(positions) < 20
    return seen, positions


@pytest.mark.parametrize("column,direction", [("status", "asc"), ("number", "desc"), ("id", "desc")])
def test_the_list_page_walks_by_cursor_without_gaps_or_duplicates(app, login, deep, column, direction):
    """A bureau filtered to one organisation: next to the end, then last and previous back."""
    browser = login("xj_bureau")
    start = (f"{LIST}?_flt_0_organization={deep['A']}&_oc_AssetView={column}&_od_AssetView={direction}"
             "&psize_AssetView=5")
    want = expected(app, deep["A"], column, direction)
    forward, positions = walk_pages(browser, start, "next")
    assert forward == want
    assert positions[0] == "第 1 页，共 5 页" and positions[-1] == "第 5 页，共 5 页"
    last = pager_link(browser.text(start), "last")
    assert "cursor_AssetView=" in last and "page_AssetView" not in last
    backward, _positions = walk_pages(browser, last, "prev")
    assert backward == list(reversed(want))
    # the last page holds a full page (the reversed first page), back to the first without a gap
    assert numbers(browser.text(last)) == want[-5:]


def test_an_old_page_number_still_works(app, login, deep):
    browser = login("xj_bureau")
    base = f"{LIST}?_flt_0_organization={deep['A']}&_oc_AssetView=number&_od_AssetView=asc&psize_AssetView=5"
    text = browser.text(base + "&page_AssetView=2")  # FAB's pages count from 0
    want = expected(app, deep["A"], "number", "asc")
    assert numbers(text) == want[10:15]
    assert "第 3 页" in text
    assert numbers(browser.text(pager_link(text, "next"))) == want[15:20]


def test_the_api_walks_by_cursor(app, api_client, deep):
    """A clerk of A (its scope: A's cards only) pages the API by next_cursor, then back by prev."""
    from core.testing.support import ensure_user

    clerk = api_client(ensure_user(app, ROLE_CLERK, "翻页测试单位A"))
    q = "?q=(order_column:status,order_direction:desc,page_size:4)"
    seen, cursor, pages = [], None, []
    while True:
        body = clerk.get(API + q + (f"&cursor={cursor}" if cursor else "")).get_json()
        pages.append(body)
        seen.extend(row["number"] for row in body["result"])
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == expected(app, deep["A"], "status", "desc")
    assert pages[0]["prev_cursor"] is None and pages[0]["last_cursor"]
    last = clerk.get(API + q + f"&cursor={pages[0]['last_cursor']}").get_json()
    assert [row["number"] for row in last["result"]] == seen[-4:] and last["next_cursor"] is None
    back, cursor = [], last["prev_cursor"]
    while cursor:
        body = clerk.get(API + q + f"&cursor={cursor}").get_json()
        back = [row["number"] for row in body["result"]] + back
        cursor = body["prev_cursor"]
    assert back + seen[-4:] == seen


def test_a_crafted_cursor_never_leaves_the_scope(app, api_client, login, deep):
    """The cursor only adds a WHERE on top of the scope: a clerk of A reaches none of B's cards."""
    from core.testing.support import ensure_user

    username = ensure_user(app, ROLE_CLERK, "翻页测试单位A")
    with app.app_context():
        top = db.session.execute(sa.select(sa.func.max(Asset.id))).scalar_one()
        db.session.remove()
    crafted = encode(Cursor("id", "desc", (top + 1,), False, 1, False))
    body = api_client(username).get(f"{API}?q=(page_size:100)&cursor={crafted}").get_json()
    assert sorted(row["number"] for row in body["result"]) == [f"DEEP-A-{k:03d}" for k in range(23)]
    back = encode(Cursor("number", "asc", ("DEEP-B-999",), True, 1, False))
    text = login(username).text(f"{LIST}?_oc_AssetView=number&_od_AssetView=asc&cursor_AssetView={back}")
    assert "DEEP-B-" not in text and "DEEP-A-022" in text


@pytest.mark.parametrize("cursor,sort", [
    ("garbage", False), ("eyJvIjoiaWQifQ", False),  # not base64 JSON; JSON without the rest
    (encode(Cursor("id", "desc", ("x",), False, 1, False)), False),  # a text id
    (encode(Cursor("id", "desc", (2**70,), False, 1, False)), False),  # beyond the database's integers
    # status is not unique: its cursor holds the id too; the status alone is refused
    (encode(Cursor("status", "asc", ("idle",), False, 1, False)), True)])
def test_a_bad_cursor_is_refused_in_chinese(app, login, api_client, deep, cursor, sort):
    """An unreadable cursor, or one whose key does not fit the sort: 400 with the reason, no 500."""
    order = "&_oc_AssetView=status&_od_AssetView=asc" if sort else ""
    response = login("xj_bureau").get(f"{LIST}?cursor_AssetView={cursor}{order}")
    assert response.status_code == 400
    assert "翻页位置（cursor）无效，请从第一页重新浏览" in response.get_data(as_text=True)
    api = api_client("xj_bureau").get(f"{API}?cursor={cursor}"
                                      + ("&q=(order_column:status,order_direction:asc)" if order else ""))
    assert api.status_code == 400
    assert api.get_json()["message"] == "翻页位置（cursor）无效，请从第一页重新浏览"


def test_a_cursor_of_another_order_starts_the_new_order(app, login, deep):
    """A sort header keeps the list's arguments, the cursor among them: the new order's first page."""
    cursor = encode(Cursor("id", "desc", (1,), False, 7, False))
    text = login("xj_bureau").text(f"{LIST}?_flt_0_organization={deep['A']}&_oc_AssetView=number"
                                   f"&_od_AssetView=asc&psize_AssetView=5&cursor_AssetView={cursor}")
    assert numbers(text) == expected(app, deep["A"], "number", "asc")[:5]
    assert "第 1 页，共 5 页" in text
