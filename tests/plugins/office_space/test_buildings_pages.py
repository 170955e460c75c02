"""What users read (Art. 22): the two reports read back from the PDF, the floor plan with the rooms'
numbers drawn on it, the bureau's 超标准使用的办公用房 card, and each level seeing only its own rooms."""

from __future__ import annotations

import io

from core.extensions import db
from plugins.office_space.buildings.demo import demo_room
from tests.plugins.office_space.conftest import TIANSHAN

BUREAU, CLERK = "tianshan_bureau", "tianshan_clerk"


def _room_id(app, building: str, number: str) -> int:
    with app.app_context():
        return demo_room(db.session, building, number).id


def test_art22_over_standard_list_names_the_tianshan_person_for_the_bureau_only(app, api_client, pdf_text):
    """第二十二条 监督: 超标准使用清单 of 天山区's bureau lists 201 with 古丽娜·示例 and the figures;
    喀什市's bureau does not see it."""
    response = api_client(BUREAU).api("POST", "/api/v1/reports/office_space_over_standard/render",
                                      json={"params": {}})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    text = pdf_text(response.data)
    assert "超标准使用清单" in text and "古丽娜·示例" in text and "201" in text
    assert "30" in text and "24" in text  # 30 m² used, 24 m² above the 6 m² standard
    kashgar = api_client("kashgar_bureau").api("POST", "/api/v1/reports/office_space_over_standard/render",
                                               json={"params": {}})
    assert kashgar.status_code == 200
    assert "古丽娜·示例" not in pdf_text(kashgar.data)


def test_art22_usage_table_lists_the_organisations_with_their_figures(app, api_client, pdf_text):
    """第二十二条: 办公用房使用情况表 lists 天山区财政局 with its 编制人数, rooms and office-room area
    (30 + 18 + 12 = 60 m² in the demo, and whatever other tests add is not its office rooms)."""
    response = api_client(BUREAU).api("POST", "/api/v1/reports/office_space_usage/render",
                                      json={"params": {}})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    text = pdf_text(response.data)
    assert "办公用房使用情况表" in text and TIANSHAN in text and "编制人数" in text
    assert "按标准核定" in text


def test_art22_floor_page_draws_room_numbers_on_the_uploaded_plan(app, api_client, login, space):
    """第二十二条: a floor without a drawing says so; after the 楼层平面图 is uploaded the page shows it
    with each room's number at its plan_x/plan_y, as SVG attributes (no inline style or script)."""
    from PIL import Image

    building = space.building()
    room = space.room(building, "N1", "12")
    with app.app_context():
        from plugins.office_space.buildings.models import OfficeRoom

        row = db.session.get(OfficeRoom, room)
        row.plan_x, row.plan_y = 25, 40
        db.session.commit()
    floor = building["floors"][1]
    browser = login(BUREAU)
    page = browser.text(f"/officefloorview/show/{floor}")
    assert "尚未上传楼层平面图" in page
    png = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(png, format="PNG")
    png.seek(0)
    uploaded = api_client(BUREAU).api("POST", f"/api/v1/attachments/office_floor/{floor}/",
                                      data={"kind": "plan", "files": [(png, "平面图.png")]},
                                      content_type="multipart/form-data")
    assert uploaded.status_code == 201, uploaded.get_json()
    page = browser.text(f"/officefloorview/show/{floor}")
    assert "尚未上传楼层平面图" not in page and "<svg" in page
    assert 'x="25.00%" y="40.00%"' in page and 'data-room="N1">N1</text>' in page
    assert "style=" not in page.split('id="floor-plan"')[1].split("</svg>")[0]


def test_art22_the_bureau_card_counts_over_standard_rooms(app, login):
    """第二十二条: 天山区's bureau sees the card 超标准使用的办公用房 on its home page."""
    page = login(BUREAU).text("/")
    assert "超标准使用的办公用房" in page


def test_art22_the_clerk_sees_its_own_rooms_only(app, login):
    """集中统一管理 (第二十二条): 天山区财政局's clerk lists its rooms, not the bureau's or 教育局's."""
    page = login(CLERK).text("/officeroomview/list/?psize_OfficeRoomView=100")
    assert "201" in page and "使用中" in page
    assert f"/officeroomview/show/{_room_id(app, '天山区政府办公楼', '303')}\"" not in page
    assert f"/officeroomview/show/{_room_id(app, '天山区政府办公楼', '201')}\"" in page
