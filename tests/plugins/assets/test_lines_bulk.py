"""Header and lines on one page (issue 10, part 9): a disposal's cards picked several at once from
a searchable list with the columns a reviewer needs, locked after submission with no button left
to press; 申请调剂 on the 公物仓 item itself, and no 新增/编辑/删除 offered to a clerk on the
bureau's items."""

from __future__ import annotations

import re

from sqlalchemy import select

from core.display import local_today
from core.extensions import db
from plugins.assets.disposal.models import DisposalLine
from plugins.assets.pool.models import PoolRequest
from tests.plugins.assets.test_disposal import NEW, _decide, make_asset, make_disposal
from tests.plugins.assets.test_pool import TIANSHAN_FINANCE, _ids, make_item

KASHGAR = "喀什市财政局"


def _lines(app, disposal_id) -> list[int]:
    with app.app_context():
        return sorted(db.session.execute(select(DisposalLine.asset_id).where(
            DisposalLine.disposal_id == disposal_id)).scalars())


def _numbers(app, *asset_ids) -> list[str]:
    from plugins.assets.cards.models import Asset

    with app.app_context():
        return [db.session.get(Asset, a).number for a in asset_ids]


def test_a_clerk_adds_several_cards_at_once_from_the_disposal_page(app, login):
    first, second, third = (make_asset(app) for _ in range(3))
    disposal_id = make_disposal(app)
    clerk = login("tianshan_clerk")
    page = clerk.text(f"/disposalview/show/{disposal_id}")
    assert "批量添加：处置资产" in page
    picker = clerk.text(f"/disposalview/lines/{disposal_id}")
    for header in ("资产编号", "资产名称", "原值（元）", "取得日期", "最低使用年限届满日"):
        assert f"<th>{header}</th>" in picker
    numbers = _numbers(app, first, second, third)
    assert all(number in picker for number in numbers)
    # the search narrows the list to one card
    found = clerk.text(f"/disposalview/lines/{disposal_id}?q={numbers[1]}")
    assert numbers[1] in found and numbers[0] not in found
    html = clerk.post(f"/disposalview/lines/{disposal_id}", data={"ids": [first, second]},
                      follow_redirects=True).get_data(as_text=True)
    assert "已添加 2 条明细" in html
    assert _lines(app, disposal_id) == sorted([first, second])
    # the page lists the lines with what the reviewer needs; the picker no longer offers them
    assert "原值（元）" in html and "4800.00" in html and "最低使用年限届满日" in html
    picker = clerk.text(f"/disposalview/lines/{disposal_id}")
    assert numbers[0] not in picker and numbers[2] in picker


def test_a_young_card_needs_the_art19_reason_and_one_refusal_saves_nothing(app, login):
    old, young = make_asset(app), make_asset(app, acquired=NEW)
    disposal_id = make_disposal(app)
    clerk = login("tianshan_clerk")
    html = clerk.post(f"/disposalview/lines/{disposal_id}", data={"ids": [old, young]},
                      follow_redirects=True).get_data(as_text=True)
    assert "提前处置理由" in html and "第十九条" in html and 'id="picker-error"' in html
    assert _lines(app, disposal_id) == []
    # the ticks survive the refusal
    assert re.search(rf'value="{young}" id="pick-{young}" checked', html)
    html = clerk.post(f"/disposalview/lines/{disposal_id}", follow_redirects=True,
                      data={"ids": [old, young], "early_reason": "雷击损坏"}).get_data(as_text=True)
    assert "已添加 2 条明细" in html
    assert _lines(app, disposal_id) == sorted([old, young])


def test_a_card_of_another_organisation_is_neither_offered_nor_added(app, login):
    mine, theirs = make_asset(app), make_asset(app, owner=KASHGAR)
    disposal_id = make_disposal(app)
    clerk = login("tianshan_clerk")
    assert _numbers(app, theirs)[0] not in clerk.text(f"/disposalview/lines/{disposal_id}")
    html = clerk.post(f"/disposalview/lines/{disposal_id}", data={"ids": [mine, theirs]},
                      follow_redirects=True).get_data(as_text=True)
    assert "所选记录中有的已不可添加" in html
    assert _lines(app, disposal_id) == []
    html = clerk.post(f"/disposalview/lines/{disposal_id}", data={}, follow_redirects=True)
    html = html.get_data(as_text=True)
    assert "请至少勾选一项" in html


def test_after_submission_the_lines_offer_no_buttons_and_the_picker_is_closed(app, login):
    asset_id = make_asset(app)
    disposal_id = make_disposal(app, asset_id)
    clerk = login("tianshan_clerk")
    page = clerk.text(f"/disposalview/show/{disposal_id}")
    assert "/disposallineview/edit/" in page and "/disposallineview/delete/" in page
    _decide(clerk, disposal_id, "submit")
    page = clerk.text(f"/disposalview/show/{disposal_id}")
    assert "批量添加" not in page
    assert "/disposallineview/edit/" not in page and "/disposallineview/delete/" not in page
    assert "/disposallineview/add" not in page
    assert _numbers(app, asset_id)[0] in page  # still listed, read-only
    html = clerk.post(f"/disposalview/lines/{disposal_id}", data={"ids": [make_asset(app)]},
                      follow_redirects=True).get_data(as_text=True)
    assert "该记录已提交或已办结，不能再添加明细" in html
    assert _lines(app, disposal_id) == [asset_id]


def test_a_clerk_is_offered_no_add_edit_or_delete_on_the_bureaus_pool(app, login):
    _asset, item_id = make_item(app)
    clerk_list = login("tianshan_clerk").text("/poolitemview/list/")
    assert f"/poolitemview/show/{item_id}" in clerk_list
    assert f"/poolitemview/edit/{item_id}" not in clerk_list
    assert f"/poolitemview/delete/{item_id}" not in clerk_list
    assert "/poolitemview/add" not in clerk_list
    bureau_list = login("urumqi_bureau").text("/poolitemview/list/")
    assert f"/poolitemview/edit/{item_id}" in bureau_list and "/poolitemview/add" in bureau_list
    # nor on the item's page: its repairs are the bureau's
    assert "/poolrepairview/add" not in login("tianshan_clerk").text(f"/poolitemview/show/{item_id}")
    assert "/poolrepairview/add" in login("urumqi_bureau").text(f"/poolitemview/show/{item_id}")


def test_a_clerk_requests_a_pool_item_from_the_item_itself(app, login):
    _asset, item_id = make_item(app)
    clerk = login("tianshan_clerk")
    page = clerk.text(f"/poolitemview/show/{item_id}")
    link = re.search(r'data-record-action="request" href="([^"]+)">申请调剂</a>', page)
    assert link, "no 申请调剂 on the item"
    form = clerk.text(link.group(1).replace("&amp;", "&"))
    assert "用途" in form
    org_id, = _ids(app, TIANSHAN_FINANCE)
    clerk.post(link.group(1).replace("&amp;", "&"), data={
        "organization": org_id, "purpose": "新增岗位", "requested_by": "",
        "requested_on": local_today().isoformat(), "target_status": "in_use", "note": ""},
        follow_redirects=True)
    with app.app_context():
        request = db.session.execute(select(PoolRequest).where(PoolRequest.item_id == item_id)).scalar_one()
        assert request.state == "draft" and request.organization_id == org_id
    # once requested and submitted it is reserved: no second 申请调剂
    assert "申请调剂" in clerk.text(f"/poolitemview/show/{item_id}")
    clerk.post(f"/poolrequestview/workflow/{request.id}/submit", data={"comment": ""})
    assert 'data-record-action="request"' not in clerk.text(f"/poolitemview/show/{item_id}")
