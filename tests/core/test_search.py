"""Search that finds Chinese (docs/search.md): filters, quick search, saved filters and the
global search, read as a user reads the pages, on SQLite and PostgreSQL."""

from __future__ import annotations

import html as html_lib
import json
import re

from sqlalchemy import select

from catalog.models import Organization
from core.extensions import db
from plugins.assets.cards.models import Asset

LIST = "/assetview/list/"
ALL = "psize_AssetView=100"


def _numbers(page: str) -> set[str]:
    """The asset numbers in the list's cells (not the search box echoing a filter)."""
    return set(re.findall(r"<td>\s*(ZC-[\w-]+)\s*</td>", page))


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


def test_impossible_operator_numbers_are_ignored_not_a_server_error(app, login):
    response = login("tianshan_clerk").get(f"{LIST}?_flt_7_status=idle")
    assert response.status_code == 200
