"""Idle office space (Art. 24) on every path: a room unallocated longer than office_idle_days (a
Standard) is idle — listed in 闲置办公用房清单 (PDF read back) and on the bureau's home page; 出租出借
is refused without an approval (document number on every write path, 批准文件 before 办理); 处置 with
its decision; a room in use cannot be disposed of as idle."""

from __future__ import annotations

import datetime as dt

import pytest

from core.display import local_today
from core.extensions import db
from plugins.office_space.buildings.models import OfficeRoom
from plugins.office_space.idle.models import IdleSpaceDisposition
from tests.plugins.office_space.repairs_helpers import (
    ART24,
    BUREAU,
    CLERK,
    KASHGAR_BUREAU,
    PATHS,
    TIANSHAN,
    attach,
    make_building,
    rows_of,
    write_disposition,
)


def _room(app, pk) -> OfficeRoom:
    with app.app_context():
        room = db.session.get(OfficeRoom, pk)
        db.session.expunge(room)
        return room


def _execute(client, pk):
    return client.api("POST", f"/api/v1/office_idle_disposition/{pk}/execute", json={})


@pytest.mark.parametrize("path", PATHS)
def test_art24_lease_without_approval_number_is_refused(app, login, rest, path):
    """第二十四条: 出租出借 needs an approval: a lease naming no approval document is refused on every
    path, with a Chinese message saying so; nothing written."""
    _building, _name, rooms = make_building(app, rooms=(("301", None),))
    _none, answer = write_disposition(app, login, rest, path, rooms["301"], number=None, expect=False)
    assert "出租出借须经批准" in answer, answer
    if path != "import":
        assert ART24 in answer


@pytest.mark.parametrize("path", PATHS)
def test_art24_room_in_use_cannot_be_disposed_as_idle(app, login, rest, path):
    """第二十四条: only an unallocated room is leased or disposed of as idle space: a room in use is
    refused on every path naming the room and its state."""
    _building, name, rooms = make_building(app, rooms=(("302", TIANSHAN),))
    _none, answer = write_disposition(app, login, rest, path, rooms["302"], kind="dispose", expect=False)
    assert "只有未配置的闲置房间才能出租出借或处置" in answer and "使用中" in answer, answer


def test_art24_lease_is_done_only_with_the_approval_attached(app, login, rest):
    """第二十四条: 办理 of a lease without the 批准文件 is refused naming the article; with it the room
    becomes 出租出借 from today and the record says who did it and when."""
    _building, _name, rooms = make_building(app, rooms=(("303", None),))
    made = write_disposition(app, login, rest, "rest", rooms["303"])
    bureau = rest(BUREAU, "jwt")
    refused = _execute(bureau, made.id)
    assert refused.status_code == 422, refused.get_json()
    message = refused.get_json()["message"]
    assert "出租出借须经批准" in message and "批准文件" in message and ART24 in message
    assert _room(app, rooms["303"]).status == "vacant"
    assert attach(bureau, "office_idle_disposition", made.id, "approval").status_code == 201
    answer = _execute(bureau, made.id)
    assert answer.status_code == 200, answer.get_json()
    room = _room(app, rooms["303"])
    assert room.status == "leased" and room.status_since is not None
    done = rows_of(app, IdleSpaceDisposition, id=made.id)[0]
    assert done.status == "done" and done.done_by == BUREAU and done.done_on is not None
    changed = bureau.api(
        "PUT",
        f"/api/v1/office_idle_disposition/{made.id}",
        json={"counterparty": "另一单位", "version": done.version},
    )
    assert changed.status_code == 422 and "已办理，不能修改" in changed.get_json()["message"]
    assert ART24 in changed.get_json()["message"]


def test_art24_disposal_with_its_decision(app, login, rest):
    """第二十四条: 处置 is done on its decision: the room becomes 已处置; a 处置 without a decision
    number is refused at 办理."""
    _building, _name, rooms = make_building(app, rooms=(("304", None), ("305", None)))
    bare = write_disposition(app, login, rest, "rest", rooms["305"], kind="dispose", number=None)
    refused = _execute(rest(BUREAU, "jwt"), bare.id)
    assert refused.status_code == 422 and ART24 in refused.get_json()["message"]
    made = write_disposition(
        app, login, rest, "rest", rooms["304"], kind="dispose", number="天机事〔2026〕处置 1 号"
    )
    assert _execute(rest(BUREAU, "jwt"), made.id).status_code == 200
    assert _room(app, rooms["304"]).status == "disposed"


def test_art24_a_clerk_cannot_lease_the_bureaus_rooms(app, login, rest):
    """第二十四条: the organisations do not lease the pool's rooms: a clerk cannot even name one."""
    _building, _name, rooms = make_building(app, rooms=(("306", None),))
    _none, answer = write_disposition(app, login, rest, "rest", rooms["306"], user=CLERK, expect=False)
    assert "权限" in answer or "无权" in answer, answer


def test_art24_idle_list_pdf_and_home_page(app, login, rest, pdf_text):
    """第二十四条: a room vacant since 2025-03-01 (over the 180 days of the Standard) is in the
    闲置办公用房清单 with its building, area, since and days, and on 天山区's bureau home page as
    闲置办公用房待处置利用; a room vacant for 10 days is not; 喀什市's bureau does not see it."""
    recent = local_today() - dt.timedelta(days=10)
    _building, name, rooms = make_building(app, rooms=(("401", None),), vacant_since=dt.date(2025, 3, 1))
    _b2, fresh_name, _r2 = make_building(app, rooms=(("402", None),), vacant_since=recent)
    response = rest(BUREAU, "jwt").api(
        "POST", "/api/v1/reports/office_idle_rooms/render", json={"params": {}}
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    text = pdf_text(response.data)
    assert "闲置办公用房清单" in text and name in text and "2025-03-01" in text and "18.00" in text
    assert fresh_name not in text
    days = (local_today() - dt.date(2025, 3, 1)).days
    assert str(days) in text or str(days + 1) in text  # the report counts in Beijing time
    page = login(BUREAU).get("/").get_data(as_text=True)
    assert "闲置办公用房待处置利用" in page and name in page
    assert "闲置办公用房" in page
    other = login(KASHGAR_BUREAU).get("/").get_data(as_text=True)
    assert name not in other
    kashgar = rest(KASHGAR_BUREAU, "jwt").api(
        "POST", "/api/v1/reports/office_idle_rooms/render", json={"params": {}}
    )
    assert kashgar.status_code == 200 and name not in pdf_text(kashgar.data)


def test_art24_bad_report_day_is_a_chinese_refusal(app, rest):
    """第二十四条: a day that is no day answers 400/422 in Chinese, no 500."""
    response = rest(BUREAU, "jwt").api(
        "POST", "/api/v1/reports/office_idle_rooms/render", json={"params": {"as_of": "不是日期"}}
    )
    assert response.status_code in (400, 422), response.get_data(as_text=True)[:200]


def test_art24_demo_idle_rooms(app):
    """第二十四条 (demo): 天山区政府办公楼 304 and 喀什市财政局办公楼 204 are idle, each with a
    disposition awaiting 办理."""
    with app.app_context():
        rows = db.session.query(IdleSpaceDisposition).filter_by(status="draft").all()
        names = {(r.room.building.name, r.room.number) for r in rows}
        assert ("天山区政府办公楼", "304") in names and ("喀什市财政局办公楼", "204") in names


def test_art24_execute_button_on_the_screen(app, login, rest):
    """第二十四条: the 办理 button of the record's page refuses a lease without its 批准文件, with the
    article on the page the bureau sees, and does it once the file is attached."""
    _building, _name, rooms = make_building(app, rooms=(("307", None),))
    made = write_disposition(app, login, rest, "form", rooms["307"])
    browser = login(BUREAU)
    page = browser.post(
        f"/idlespacedispositionview/operation/{made.id}/execute", data={}, follow_redirects=True
    ).get_data(as_text=True)
    assert "出租出借须经批准" in page and ART24 in page
    assert _room(app, rooms["307"]).status == "vacant"
    assert attach(rest(BUREAU, "jwt"), "office_idle_disposition", made.id, "approval").status_code == 201
    browser.post(f"/idlespacedispositionview/operation/{made.id}/execute", data={}, follow_redirects=True)
    assert _room(app, rooms["307"]).status == "leased"
