"""Search that finds Chinese (docs/search.md): filters, quick search, saved filters and the
global search, read as a user reads the pages, on SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import html as html_lib
import json
import re

from sqlalchemy import select

from catalog.models import Jurisdiction, Organization
from core.activation import set_module
from core.extensions import db
from core.search.models import SavedFilter
from plugins.assets.cards.models import Asset

LIST = "/assetview/list/"
ALL = "psize_AssetView=100"


def _numbers(page: str) -> set[str]:
    """The asset numbers in the list's cells (not the search box echoing a filter)."""
    return set(re.findall(r"<td>\s*([A-Z][A-Z0-9]*-[\w-]+)\s*</td>", page))  # ZC-…, other tests' T-…


def _assets(app, org_name: str, *where) -> set[str]:
    with app.app_context():
        return set(db.session.execute(
            select(Asset.number).join(Organization, Asset.organization_id == Organization.id)
            .where(Organization.name == org_name, Asset.status != "disposed", *where)).scalars())


TIANSHAN = "乌鲁木齐市天山区财政局"


def _filter_panel(page: str) -> tuple:
    """(labels, fields, operators, active) the filter panel's script receives."""
    rest = page.split("new AdminFilters(", 1)[1].split(",", 1)[1]
    decoder, found = json.JSONDecoder(), []
    for _ in range(4):
        rest = rest.lstrip(" \n,")
        value, end = decoder.raw_decode(rest)
        found.append(value)
        rest = rest[end:]
    return tuple(found)


def _text(page: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", page))


# ---- list filters --------------------------------------------------------------------------------

def test_text_filters_default_to_contains_in_plain_chinese(app, login):
    page = login("tianshan_clerk").text(LIST)
    # the filter panel's operators of 资产名称, in the order offered: 包含 first
    labels, _fields, operators, _active = _filter_panel(page)
    assert labels["name"] == "资产名称"
    assert operators["name"][:4] == ["包含", "不包含", "等于", "不等于"]
    assert operators["acquired_on"] == ["等于", "晚于", "早于", "不等于"]
    assert operators["organization"] == ["是", "不是"]
    for machine in ("以开始", "Starts with", "Not In", '"In"'):
        assert machine not in page


def test_searching_computers_finds_the_computers(app, login):
    page = login("tianshan_clerk").text(f"{LIST}?_flt_0_name=计算机&{ALL}")
    expected = _assets(app, TIANSHAN, Asset.name.contains("计算机"))
    assert expected and _numbers(page) == expected
    assert "资产名称 包含 计算机" in re.sub(r"\s+", " ", _text(page))


def test_status_is_a_drop_down_of_labels_and_finds_idle_cards(app, login):
    clerk = login("tianshan_clerk")
    idle = _assets(app, TIANSHAN, Asset.status == "idle")
    assert idle
    picked = clerk.text(f"{LIST}?_flt_0_status=idle&{ALL}")
    typed = clerk.text(f"{LIST}?_flt_0_status=闲置&{ALL}")
    assert _numbers(picked) == _numbers(typed) == idle
    # the search form offers the labels, never the codes as text
    _labels, fields, operators, active = _filter_panel(picked)
    assert operators["status"] == ["是", "不是"]
    assert re.search(r'<option[^>]*value="idle"[^>]*>闲置</option>', fields["status"])
    assert active == [["status", "是", ["idle"]]]
    summary = re.sub(r"\s+", " ", _text(picked.split('id="active-filters"')[1].split("</p>")[0]))
    assert "资产状态 是 闲置" in summary and "清除" in summary
    # the filter panel stays open while a filter is active
    assert 'id="accordion1_href" class="panel-collapse collapse in"' in picked
    assert 'id="accordion1_href" class="panel-collapse collapse in"' not in clerk.text(LIST)


def test_quick_search_over_the_lists_text_columns(app, login):
    clerk = login("tianshan_clerk")
    page = clerk.text(f"{LIST}?q=计算机&{ALL}")
    assert 'id="quick-search"' in page and "资产名称" in page.split('id="quick-search"')[1][:800]
    assert _numbers(page) == _assets(app, TIANSHAN, Asset.name.contains("计算机"))
    # a status's label finds its codes: typing 闲置 lists the idle cards
    assert _numbers(clerk.text(f"{LIST}?q=闲置&{ALL}")) == _assets(app, TIANSHAN, Asset.status == "idle")
    # the term is text, never a pattern
    assert _numbers(clerk.text(f"{LIST}?q=%25&{ALL}")) == set()


def test_an_operator_number_a_column_lacks_means_its_default(app, login):
    # FAB's old numbering: _flt_3_status was "equal to"; the column now has two operators
    page = login("tianshan_clerk").text(f"{LIST}?_flt_3_status=idle&{ALL}")
    assert _numbers(page) == _assets(app, TIANSHAN, Asset.status == "idle")
    assert _filter_panel(page)[3] == [["status", "是", ["idle"]]]


# ---- saved filters -------------------------------------------------------------------------------

def _saved(app, username: str) -> list[str]:
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=username)
        return [row.name for row in db.session.query(SavedFilter).filter_by(user_id=user.id)]


def test_saved_filters_belong_to_their_user(app, login):
    clerk = login("tianshan_clerk")
    page = clerk.post("/assetview/saved-filters/save",
                      data={"name": "闲置资产", "args": "_flt_0_status=idle"}, follow_redirects=True)
    page = page.get_data(as_text=True)
    assert "已保存筛选“闲置资产”" in page
    try:
        listing = clerk.text(LIST)
        saved = listing.split('id="saved-filters"')[1].split("</div>")[0]
        assert "我的筛选" in saved and "闲置资产" in saved
        link = re.search(r'<a href="([^"]+)">闲置资产</a>', saved).group(1)
        applied = clerk.text(html_lib.unescape(link) + f"&{ALL}")
        assert _numbers(applied) == _assets(app, TIANSHAN, Asset.status == "idle")
        # another user neither sees it nor deletes it
        other = login("kashgar_clerk")
        assert "闲置资产" not in other.text(LIST)
        with app.app_context():
            pk = db.session.query(SavedFilter).filter_by(name="闲置资产").one().id
        assert other.post(f"/assetview/saved-filters/{pk}/delete").status_code == 404
        assert _saved(app, "tianshan_clerk") == ["闲置资产"]
        # a nameless save changes nothing and says why
        refused = clerk.post("/assetview/saved-filters/save", data={"name": " ", "args": "q=x"},
                             follow_redirects=True).get_data(as_text=True)
        assert "请填写筛选名称" in refused and _saved(app, "tianshan_clerk") == ["闲置资产"]
        deleted = clerk.post(f"/assetview/saved-filters/{pk}/delete", follow_redirects=True)
        assert "已删除筛选“闲置资产”" in deleted.get_data(as_text=True)
    finally:
        with app.app_context():
            db.session.query(SavedFilter).delete()
            db.session.commit()
    assert _saved(app, "tianshan_clerk") == []


# ---- global search -------------------------------------------------------------------------------

def _groups(page: str) -> dict[str, list[str]]:
    """Result titles by group heading, as the page shows them."""
    found = {}
    for section in page.split('<section class="jiguan-search-group"')[1:]:
        heading = _text(section.split("<h4>")[1].split("<small>")[0]).strip()
        found[heading] = [_text(t).strip() for t in re.findall(r"<li><a [^>]*>(.*?)</a>", section)]
    return found


def test_global_search_finds_computers_in_the_users_scope_only(app, login):
    clerk = login("tianshan_clerk")
    assert 'id="navbar-search"' in clerk.text("/")
    page = clerk.text("/search/?q=计算机")
    groups = _groups(page)
    mine = _assets(app, TIANSHAN, Asset.name.contains("计算机"))
    shown = {title.split()[0] for title in groups["资产卡片"]}
    assert shown and shown <= mine and len(shown) == min(len(mine), 10)
    assert not any("653101" in number for number in shown)  # no card of Kashgar
    link = re.search(r'<li><a href="(/assetview/show/\d+)">', page).group(1)
    assert clerk.get(link).status_code == 200
    # Kashgar's clerk finds Kashgar's computers, none of Tianshan's
    kashgar = {t.split()[0] for t in _groups(login("kashgar_clerk").text("/search/?q=计算机"))["资产卡片"]}
    assert kashgar and not kashgar & mine
    assert "没有找到" in clerk.text("/search/?q=不存在的东西XYZ")


@contextlib.contextmanager
def tianshan_assets_off(app):
    """The assets module (and vehicles, which depends on it) off at Tianshan for the block."""
    def switch(on: bool):
        with app.app_context():
            tianshan = db.session.query(Jurisdiction).filter_by(code="650102").one()
            for key in ("assets", "vehicles") if on else ("vehicles", "assets"):  # dependants first off
                set_module(tianshan, key, on)
            db.session.commit()

    switch(False)
    try:
        yield
    finally:
        switch(True)


def test_global_search_leaves_out_inactive_modules(app, login):
    with tianshan_assets_off(app):
        assert "资产卡片" not in _groups(login("tianshan_clerk").text("/search/?q=计算机"))


def test_global_search_over_rest_with_a_bearer_token(app, api_client):
    client = api_client("tianshan_clerk")
    response = client.get("/api/v1/search/?text=计算机")
    assert response.status_code == 200
    groups = {g["key"]: g for g in response.get_json()["groups"]}
    numbers = {r["title"].split()[0] for r in groups["asset"]["results"]}
    assert numbers and numbers <= _assets(app, TIANSHAN, Asset.name.contains("计算机"))
    assert all(r["url"].startswith("/assetview/show/") for r in groups["asset"]["results"])
    idle = client.get("/api/v1/search/?text=闲置").get_json()["groups"]
    assert {r["title"].split()[0] for g in idle if g["key"] == "asset" for r in g["results"]} == \
        _assets(app, TIANSHAN, Asset.status == "idle")
    refused = client.get("/api/v1/search/")
    assert refused.status_code == 400 and "text" in refused.get_json()["message"]
    assert app.test_client().get("/api/v1/search/?text=计算机").status_code == 401


def test_global_search_costs_one_statement_for_every_type_plus_one_per_type_found(app, api_client):
    """Dozens of searchable types, one round trip to find their matches (docs/performance.md,
    "Throughput"): a statement per type made the search the slowest request under load."""
    from tests.core.test_list_performance import statements

    client = api_client("xj_bureau")
    client.get("/api/v1/search/?text=计算机")  # module activation read and kept
    with app.app_context():
        from core.state import get_state

        searched = sum(entity.search_fields != () for entity in get_state().entities)
    assert searched >= 20
    for term, found in (("不存在的东西XYZ", 0), ("计算机", None)):
        with statements(app) as seen:
            response = client.get(f"/api/v1/search/?text={term}")
        groups = response.get_json()["groups"]
        assert response.status_code == 200 and (found is None or len(groups) == found)
        # the user's lookup, one statement for every type's matches, one per group shown
        assert len(seen) <= 2 + len(groups) + 1, (term, len(seen), len(groups))


def test_global_search_shows_the_newest_matches_of_a_rare_or_a_common_term(app, api_client, monkeypatch):
    """A rare term's matches are collected by the index and ordered after (ordering the statement
    let the planner walk 3.7 million rows for old matches: docs/performance.md, "Growth"); a
    term with more than CANDIDATES matches is read newest first by the key. Both show the same."""
    from core.search import global_search as search

    client = api_client("xj_bureau")

    def shown():
        groups = client.get("/api/v1/search/?text=计算机").get_json()["groups"]
        return {g["key"]: ([r["id"] for r in g["results"]], g["more"]) for g in groups}

    rare = shown()
    monkeypatch.setattr(search, "CANDIDATES", 2)  # every type with 3 matches or more: common
    common = shown()
    assert rare == common and len(rare["asset"][0]) == 10 and rare["asset"][1] is True
    assert rare["asset"][0] == sorted(rare["asset"][0], reverse=True)


def test_global_search_keeps_its_statement_and_finds_the_same_as_one_built_afresh(app, api_client):
    """The statement finding every type's matches is built once per shape (user scope, types,
    labelled codes the term finds) and reused with another term bound (docs/performance.md,
    "Throughput"): two users of different scope, other terms and a deactivated module find what
    a statement built for the request finds."""

    def shown(username, term, fresh=False):
        if fresh:
            app.extensions.pop("jiguan_search_statements", None)
        response = api_client(username).get(f"/api/v1/search/?text={term}")
        assert response.status_code == 200, response.get_json()
        return {g["key"]: [r["id"] for r in g["results"]] for g in response.get_json()["groups"]}

    searches = [("tianshan_clerk", "计算机"), ("kashgar_clerk", "计算机"), ("tianshan_clerk", "打印机"),
                ("kashgar_clerk", "不存在的东西XYZ"), ("tianshan_clerk", "闲置"), ("xj_bureau", "计算机")]
    app.extensions.pop("jiguan_search_statements", None)  # what other tests' searches kept
    kept_results = [shown(user, term) for user, term in searches]  # later ones reuse statements
    kept = app.extensions["jiguan_search_statements"]
    assert 0 < len(kept) < len(searches)  # other terms of the same shape reused one
    assert kept_results == [shown(user, term, fresh=True) for user, term in searches]
    assert kept_results[0]["asset"] and kept_results[1]["asset"]
    assert not set(kept_results[0]["asset"]) & set(kept_results[1]["asset"])  # each user's scope
    assert "asset" in kept_results[4]  # 闲置 finds the idle cards by their status label

    shown("tianshan_clerk", "计算机")  # kept for Tianshan with the assets module on
    with tianshan_assets_off(app):
        off = shown("tianshan_clerk", "计算机")
        assert "asset" not in off and off == shown("tianshan_clerk", "计算机", fresh=True)
        assert shown("kashgar_clerk", "计算机") == kept_results[1]  # Kashgar's modules unchanged
    assert shown("tianshan_clerk", "计算机") == kept_results[0]


def test_excel_export_exports_what_the_quick_search_lists(app, login):
    from tests.catalog.xlsx_helpers import read_xlsx

    clerk = login("tianshan_clerk")
    page = clerk.text(f"{LIST}?q=计算机")
    export = html_lib.unescape(re.search(r'id="xlsx-export" href="([^"]+)"', page).group(1))
    assert "q=" in export
    _headers, rows = read_xlsx(clerk.get(export).data)
    assert {r["资产编号"] for r in rows} == _assets(app, TIANSHAN, Asset.name.contains("计算机"))
