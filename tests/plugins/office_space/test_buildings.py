"""Buildings, floors and rooms (Art. 22): the room's jurisdiction is its building's, its floor is one
of its building's (on the form, REST and the XLSX import), 配置/调剂/收回 are the bureau's
operations with their history, and organisation-level staff cannot run them."""

from __future__ import annotations

from sqlalchemy import select

from core.extensions import db
from plugins.office_space.buildings.models import OfficeRoom, RoomAllocation, RoomOccupant
from tests.catalog.xlsx_helpers import upload, xlsx_bytes
from tests.plugins.office_space.conftest import ART22, TIANSHAN, org_named

BUREAU, CLERK = "tianshan_bureau", "tianshan_clerk"


def _room(app, pk) -> OfficeRoom:
    with app.app_context():
        room = db.session.get(OfficeRoom, pk)
        db.session.expunge(room)
        return room


def _rooms_numbered(app, building: int, number: str) -> list[int]:
    with app.app_context():
        return list(db.session.execute(select(OfficeRoom.id).where(
            OfficeRoom.building_id == building, OfficeRoom.number == number)).scalars())


def test_art22_a_room_takes_its_buildings_jurisdiction_over_rest(app, api_client, space):
    """第二十二条 集中统一管理: a room added over REST is in its building's jurisdiction."""
    building = space.building()
    response = api_client(BUREAU).api("POST", "/api/v1/office_room/", json={
        "building_id": building["id"], "floor_id": building["floors"][1], "number": "R1", "use_area": "12",
        "room_type": "office"})
    assert response.status_code == 201, response.get_json()
    space.rooms.append(response.get_json()["id"])
    with app.app_context():
        room = db.session.get(OfficeRoom, response.get_json()["id"])
        assert room.jurisdiction_id == org_named(TIANSHAN).jurisdiction_id
        assert room.status == "vacant" and room.organization_id is None


def test_art22_a_rooms_floor_must_be_of_its_building_rest(app, api_client, space):
    """第二十二条: a floor of another building is refused over REST, with a Chinese message."""
    building, other = space.building(), space.building()
    response = api_client(BUREAU).api("POST", "/api/v1/office_room/", json={
        "building_id": building["id"], "floor_id": other["floors"][1], "number": "F1", "use_area": "12",
        "room_type": "office"})
    assert response.status_code == 422, response.get_json()
    assert "不属于办公楼" in response.get_json()["message"] and ART22 in response.get_json()["message"]
    assert _rooms_numbered(app, building["id"], "F1") == []


def test_art22_a_rooms_floor_must_be_of_its_building_form(app, login, space):
    """第二十二条: the same on the add form: the page says why, nothing is saved."""
    building, other = space.building(), space.building()
    page = login(BUREAU).post("/officeroomview/add", data={
        "building": building["id"], "floor": other["floors"][1], "number": "F2", "use_area": "12",
        "room_type": "office"}, follow_redirects=True).get_data(as_text=True)
    assert "不属于办公楼" in page and ART22 in page
    assert _rooms_numbered(app, building["id"], "F2") == []


def test_art22_a_rooms_floor_must_be_of_its_building_xlsx(app, login, space):
    """第二十二条: the same on the XLSX import: the row's error names the article, nothing is saved."""
    building, other = space.building(), space.building()
    headers = ["*办公楼", "楼层", "*房间号", "*使用面积（m²）", "*用房类型"]
    row = [building["name"], other["floor_names"][1], "F3", 12, "办公室用房"]
    response = login(BUREAU).post("/api/v1/office_room/import", data=upload(xlsx_bytes(headers, [row])),
                                  content_type="multipart/form-data")
    assert response.status_code == 422, response.get_json()
    texts = " ".join(e["text"] for e in response.get_json()["errors"])
    assert "不属于办公楼" in texts and ART22 in texts, texts
    assert _rooms_numbered(app, building["id"], "F3") == []


def test_art22_allocate_then_take_back_records_the_history(app, api_client, space):
    """第二十二条 配置调剂: the bureau allocates a vacant room with the person moving in, then takes it
    back; each is a RoomAllocation, the room's status and day follow, the occupancy is end-dated."""
    building = space.building()
    room = space.room(building, "A1", "6")
    person = space.person(TIANSHAN)
    with app.app_context():
        finance = org_named(TIANSHAN).id
    bureau = api_client(BUREAU)
    done = bureau.api("POST", f"/api/v1/office_room/{room}/allocate", json={
        "to_organization_id": finance, "person_id": person, "day": "2026-03-01",
        "decision_no": "测试〔2026〕1号"})
    assert done.status_code == 200, done.get_json()
    back = bureau.api("POST", f"/api/v1/office_room/{room}/take_back", json={"day": "2026-04-01"})
    assert back.status_code == 200, back.get_json()
    with app.app_context():
        row = db.session.get(OfficeRoom, room)
        assert (row.status, row.organization_id, str(row.status_since)) == ("vacant", None, "2026-04-01")
        history = db.session.execute(select(RoomAllocation).where(RoomAllocation.room_id == room)
                                     .order_by(RoomAllocation.id)).scalars().all()
        assert [(h.kind, h.from_organization_id, h.to_organization_id) for h in history] == [
            ("allocate", None, finance), ("take_back", finance, None)]
        assert history[0].decision_no == "测试〔2026〕1号"
        occupancy = db.session.execute(select(RoomOccupant).where(RoomOccupant.room_id == room)).scalar_one()
        assert (occupancy.person_id, str(occupancy.from_date), str(occupancy.to_date)) == (
            person, "2026-03-01", "2026-04-01")


def test_art22_organisation_staff_cannot_allocate(app, api_client, login, space):
    """第二十二条 集中统一管理: 天山区财政局's clerk is not offered 调剂/收回 on its own room's page and
    cannot run them (REST 403), nor can the region's bureau run a 天山区 room's allocation."""
    building = space.building()
    room = space.room(building, "C1", "12", org=TIANSHAN)
    with app.app_context():
        other = org_named("乌鲁木齐市天山区教育局").id
    refused = api_client(CLERK).api("POST", f"/api/v1/office_room/{room}/reallocate",
                                    json={"to_organization_id": other})
    assert refused.status_code in (403, 404), refused.get_json()
    page = login(CLERK).text(f"/officeroomview/show/{room}")
    assert 'data-operation="reallocate"' not in page and 'data-operation="take_back"' not in page
    assert 'data-operation="reallocate"' in login("tianshan_bureau").text(f"/officeroomview/show/{room}")
    above = api_client("xj_bureau").api("POST", f"/api/v1/office_room/{room}/reallocate",
                                        json={"to_organization_id": other})
    assert above.status_code == 403, above.get_json()
    assert "机关事务管理部门统一办理" in above.get_json()["message"] and ART22 in above.get_json()["message"]
    assert _room(app, room).organization_id == org_named_id(app, TIANSHAN)


def org_named_id(app, name: str) -> int:
    with app.app_context():
        return org_named(name).id


def test_art22_bad_input_on_an_allocation_is_refused_in_chinese(app, api_client, space):
    """第二十二条: no organisation, one of another jurisdiction, or a person not of the receiving
    organisation: 422 with a Chinese message, and the room stays vacant with no history."""
    building = space.building()
    room = space.room(building, "X1", "12")
    person = space.person("乌鲁木齐市天山区教育局")
    bureau = api_client(BUREAU)
    missing = bureau.api("POST", f"/api/v1/office_room/{room}/allocate", json={})
    assert missing.status_code == 422, missing.get_json()
    assert "使用单位" in str(missing.get_json())
    elsewhere = bureau.api("POST", f"/api/v1/office_room/{room}/allocate",
                           json={"to_organization_id": org_named_id(app, "喀什市财政局")})
    assert elsewhere.status_code == 422 and "须为本辖区或下级辖区的其他单位" in str(elsewhere.get_json())
    stranger = bureau.api("POST", f"/api/v1/office_room/{room}/allocate", json={
        "to_organization_id": org_named_id(app, TIANSHAN), "person_id": person})
    assert stranger.status_code == 422, stranger.get_json()
    assert "入驻人员须为新的使用单位的工作人员" in stranger.get_json()["message"]
    after = _room(app, room)
    assert (after.status, after.organization_id) == ("vacant", None)
    with app.app_context():
        history = select(RoomAllocation.id).where(RoomAllocation.room_id == room)
        assert db.session.execute(history).first() is None


def test_art22_the_standard_takes_only_organ_level_and_rank_keys(app, api_client):
    """第二十二条: the per-person standard's keys are organ level × rank; a typo is refused."""
    from plugins.office_space.buildings.standards import area_keys

    keys = dict(area_keys())
    assert "county:staff" in keys and "region:provincial_chief" in keys and len(keys) == 4 * 9
    with app.app_context():
        from core.tenancy import Jurisdiction

        region = db.session.execute(select(Jurisdiction.id).where(Jurisdiction.code == "650000")).scalar_one()
    refused = api_client("xj_bureau").api("POST", "/api/v1/standard/", json={
        "kind": "office_area_per_person", "key": "county:clerk", "value": "6", "jurisdiction_id": region,
        "effective_from": "2099-01-01", "basis": "测试"})
    assert refused.status_code == 422, refused.get_json()
    assert "county:clerk" in str(refused.get_json())


def test_art22_the_allocation_history_is_written_by_the_operations_only(app, api_client, space):
    """第二十二条: a 配置调剂记录 cannot be made by hand over REST, nor deleted; a room's organisation
    and status cannot be set by editing it (operations only)."""
    building = space.building()
    room = space.room(building, "H1", "12", org=TIANSHAN)
    bureau = api_client(BUREAU)
    with app.app_context():
        history = db.session.execute(
            select(RoomAllocation).where(RoomAllocation.room_id != room)).scalars().first()
        pk, jurisdiction = history.id, history.jurisdiction_id
    made = bureau.api("POST", "/api/v1/office_room_allocation/", json={
        "room_id": room, "kind": "allocate", "to_organization_id": org_named_id(app, TIANSHAN),
        "day": "2026-01-01", "jurisdiction_id": jurisdiction})
    assert made.status_code in (403, 405, 422), made.get_json()
    assert "由房间的“配置”“调剂”“收回”操作生成" in made.get_json()["message"]
    gone = bureau.api("DELETE", f"/api/v1/office_room_allocation/{pk}")
    assert gone.status_code in (403, 404, 405, 409, 422), gone.status_code
    with app.app_context():
        assert db.session.get(RoomAllocation, pk) is not None
    edited = bureau.api("PUT", f"/api/v1/office_room/{room}", json={"status": "vacant"})
    assert edited.status_code in (403, 422), edited.get_json()
    assert _room(app, room).status == "in_use"
