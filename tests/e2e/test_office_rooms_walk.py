"""The buildings area walked in a real browser (docs/office_space.md, the buildings section), Art. 22.

tianshan_bureau sees the over-standard card and finding (天山区财政局's 科员 alone in 201) and finds
超标准使用清单 in 报表中心; its 调剂 of 301 to 天山区财政局 for a 科员 is refused on the page naming
第二十二条 and the figures, and the room stays as it was. tianshan_clerk lists its own rooms only.
"""

from __future__ import annotations

from sqlalchemy import select

from tests.e2e.test_assets_walk import _wait_flash
from tests.e2e.test_land_walk import _load

BUILDING = "天山区政府办公楼"


def _room(in_app, number: str):
    from plugins.office_space.buildings.demo import demo_room

    with in_app() as session:
        room = demo_room(session, BUILDING, number)
        return room.id, room.organization_id


def test_bureau_sees_the_flag_and_is_refused_an_over_standard_reallocation_clerk_sees_its_own(
        login_as, in_app):
    bureau = login_as("tianshan_bureau")
    bureau.open("/")
    assert "超标准使用的办公用房" in bureau.text()

    bureau.open("/findingview/list/?_flt_0_article=22")
    listed = bureau.text()
    assert "古丽娜·示例" in listed and "201" in listed

    bureau.open("/reports/")
    keys = [e.get_attribute("data-report") for e in bureau.find_all(".report-entry")]
    assert "office_space_over_standard" in keys and "office_space_usage" in keys
    assert "超标准使用清单" in bureau.text()

    room, organization = _room(in_app, "301")
    bureau.open(f"/officeroomview/show/{room}")
    bureau.wait_for("#operations")
    _load(bureau, bureau.find('#operations a[data-operation="reallocate"]'))
    bureau.wait_for("#operation-form")
    bureau.select("to_organization_id", "乌鲁木齐市天山区财政局")
    bureau.select("person_id", "王晓燕·示例（乌鲁木齐市天山区财政局，科员及以下）")
    _load(bureau, bureau.find("#operation-submit"))
    danger = [text for kind, text in _wait_flash(bureau) if kind == "danger"]
    page_text = bureau.text()
    assert any("301 室 24 m²，按标准最多 6 m²" in t for t in [*danger, page_text]), (danger, page_text[:1500])
    assert "第二十二条" in page_text
    assert _room(in_app, "301") == (room, organization)

    clerk = login_as("tianshan_clerk")
    clerk.open("/officeroomview/list/?psize_OfficeRoomView=100")
    numbers = clerk.table_column("房间号")
    assert "201" in numbers and "203" in numbers
    assert "303" not in numbers and "101" not in numbers  # 教育局's and the bureau's
    from catalog.models import Organization

    with in_app() as session:
        finance = session.execute(select(Organization.id).where(
            Organization.name == "乌鲁木齐市天山区财政局")).scalar_one()
    assert finance != organization
