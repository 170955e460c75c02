"""The per-person standard (Art. 22 超标准配备、使用): the demo's 天山区 person above it is flagged;
an allocation, reallocation or move-in that would create or increase over-standard use is refused
naming 第二十二条 and the figures (REST with a bearer token, the screen, the XLSX import); a
standard made stricter opens the flags at once, and lifting it closes them."""

from __future__ import annotations

from sqlalchemy import select

from catalog.models import Person
from core.extensions import db
from core.models import Finding
from plugins.office_space.buildings.demo import demo_room
from plugins.office_space.buildings.models import OfficeRoom, RoomOccupant
from tests.catalog.xlsx_helpers import upload, xlsx_bytes
from tests.plugins.office_space.conftest import ART22, TIANSHAN, org_named

BUREAU, CLERK = "tianshan_bureau", "tianshan_clerk"
TIANSHAN_BUILDING = "天山区政府办公楼"


def _demo_room(app, number: str) -> OfficeRoom:
    with app.app_context():
        room = demo_room(db.session, TIANSHAN_BUILDING, number)
        db.session.expunge(room)
        return room


def _person(app, name: str) -> int:
    with app.app_context():
        return db.session.execute(select(Person.id).where(Person.name == name)).scalar_one()


def _open(app, entity: str, pk: int, rule: str) -> list[tuple[int, str]]:
    with app.app_context():
        return [tuple(r) for r in db.session.execute(select(Finding.article, Finding.message).where(
            Finding.entity == entity, Finding.entity_id == str(pk), Finding.rule_key == rule,
            Finding.status == "open"))]


def _occupancies(app, room: int) -> list[tuple[int, object]]:
    with app.app_context():
        query = select(RoomOccupant.person_id, RoomOccupant.to_date).where(
            RoomOccupant.room_id == room, RoomOccupant.voided_at.is_(None)).order_by(RoomOccupant.id)
        return [tuple(r) for r in db.session.execute(query)]


def test_art22_the_demo_tianshan_person_above_the_standard_is_flagged(app):
    """第二十二条 超标准使用: 天山区财政局's 科员 alone in 201 (30 m², county staff standard 6 m²)."""
    room = _demo_room(app, "201")
    found = _open(app, "office_room", room.id, "office_space.room_over_standard")
    assert len(found) == 1 and found[0][0] == 22
    assert "30 m²" in found[0][1] and "6 m²" in found[0][1] and "古丽娜·示例" in found[0][1]
    assert _open(app, "office_room", _demo_room(app, "202").id, "office_space.room_over_standard") == []


def test_art22_a_reallocation_creating_over_standard_use_is_refused_rest(app, api_client):
    """第二十二条: the bureau's 调剂 of 301 (24 m²) to 天山区财政局 for a 科员 (6 m²) is refused over REST
    with the figures; the room stays as it was, nobody moves."""
    room = _demo_room(app, "301")
    person = _person(app, "王晓燕·示例")
    before = _occupancies(app, room.id)
    response = api_client(BUREAU).api("POST", f"/api/v1/office_room/{room.id}/reallocate", json={
        "to_organization_id": org_named_id(app, TIANSHAN), "person_id": person, "day": "2026-06-01"})
    assert response.status_code == 422, response.get_json()
    message = response.get_json()["message"]
    assert "乌鲁木齐市天山区财政局 301 室 24 m²，按标准最多 6 m²" in message and ART22 in message, message
    after = _demo_room(app, "301")
    assert (after.organization_id, after.status, after.status_since) == (
        room.organization_id, room.status, room.status_since)
    assert _occupancies(app, room.id) == before


def test_art22_a_reallocation_creating_over_standard_use_is_refused_on_the_screen(app, login):
    """第二十二条: the same 调剂 through the 操作 form of the room's page shows the refusal."""
    room = _demo_room(app, "301")
    page = login(BUREAU).post(f"/officeroomview/operation/{room.id}/reallocate", data={
        "to_organization_id": org_named_id(app, TIANSHAN), "person_id": _person(app, "王晓燕·示例"),
        "day": "2026-06-01"}, follow_redirects=True).get_data(as_text=True)
    assert "301 室 24 m²，按标准最多 6 m²" in page and ART22 in page
    assert _demo_room(app, "301").organization_id == room.organization_id


def test_art22_an_allocation_above_the_organisations_allowance_is_refused(app, api_client, space):
    """第二十二条 超标准配备: an organisation of 1 编制 (one 科员: 6 m²) cannot be given a 10 m² office;
    a 6 m² one is allocated."""
    org = space.organization(1)
    building = space.building()
    big, small = space.room(building, "B1", "10"), space.room(building, "B2", "6")
    bureau = api_client(BUREAU)
    target = {"to_organization_id": org_named_id(app, org)}
    refused = bureau.api("POST", f"/api/v1/office_room/{big}/allocate", json=target)
    assert refused.status_code == 422, refused.get_json()
    assert f"{org}办公室用房将达 10 m²，按标准最多 6 m²" in refused.get_json()["message"]
    assert ART22 in refused.get_json()["message"]
    done = bureau.api("POST", f"/api/v1/office_room/{small}/allocate", json=target)
    assert done.status_code == 200, done.get_json()


def test_art22_moving_in_above_the_standard_is_refused_rest(app, api_client, space):
    """第二十二条: 天山区财政局's clerk puts a 科员 in a 6 m² office (saved), then a second person's
    12 m² office for a 科员 is refused with the figures."""
    building = space.building()
    fits = space.room(building, "M1", "6", org=TIANSHAN)
    big = space.room(building, "M2", "12", org=TIANSHAN)
    first, second = space.person(TIANSHAN), space.person(TIANSHAN)
    clerk = api_client(CLERK)
    ok = clerk.api("POST", "/api/v1/office_room_occupant/", json={"room_id": fits, "person_id": first,
                                                                    "from_date": "2026-01-05"})
    assert ok.status_code == 201, ok.get_json()
    refused = clerk.api("POST", "/api/v1/office_room_occupant/", json={"room_id": big, "person_id": second,
                                                                         "from_date": "2026-01-05"})
    assert refused.status_code == 422, refused.get_json()
    message = refused.get_json()["message"]
    assert "M2 室 12 m²，按标准最多 6 m²" in message and ART22 in message
    assert _occupancies(app, big) == []


def test_art22_moving_in_above_the_standard_is_refused_form(app, login, space):
    """第二十二条: the same on the 办公室使用人员 add form."""
    building = space.building()
    big = space.room(building, "M3", "12", org=TIANSHAN)
    person = space.person(TIANSHAN)
    data = {"room": big, "person": person, "from_date": "2026-01-05"}
    page = login(CLERK).post("/roomoccupantview/add", data=data, follow_redirects=True).get_data(as_text=True)
    assert "M3 室 12 m²，按标准最多 6 m²" in page and ART22 in page
    assert _occupancies(app, big) == []


def test_art22_moving_in_above_the_standard_is_refused_xlsx(app, login, space):
    """第二十二条: the same on the XLSX import of 办公室使用人员."""
    building = space.building()
    big = space.room(building, "M4", "12", org=TIANSHAN)
    name = f"导入人员{big}"
    space.person(TIANSHAN, name=name)
    headers = ["*房间", "*人员", "*迁入日期"]
    row = [big, name, "2026-01-05"]
    response = login(CLERK).post("/api/v1/office_room_occupant/import",
                                 data=upload(xlsx_bytes(headers, [row])), content_type="multipart/form-data")
    assert response.status_code == 422, response.get_json()
    texts = " ".join(e["text"] for e in response.get_json()["errors"])
    assert "按标准最多 6 m²" in texts and ART22 in texts, texts
    assert _occupancies(app, big) == []


def test_art22_one_office_room_per_person_and_moving_out_keeps_the_history(app, api_client, space):
    """第二十二条: a person in one office cannot be put in a second; 迁出 end-dates, never deletes."""
    building = space.building()
    first = space.room(building, "P1", "6", org=TIANSHAN)
    second = space.room(building, "P2", "6", org=TIANSHAN)
    person = space.person(TIANSHAN)
    clerk = api_client(CLERK)
    made = clerk.api("POST", "/api/v1/office_room_occupant/", json={"room_id": first, "person_id": person,
                                                                      "from_date": "2026-01-05"})
    assert made.status_code == 201, made.get_json()
    twice = clerk.api("POST", "/api/v1/office_room_occupant/", json={"room_id": second, "person_id": person,
                                                                       "from_date": "2026-02-01"})
    assert twice.status_code == 422 and "一人只能使用一处办公室" in twice.get_json()["message"]
    out = clerk.api("POST", f"/api/v1/office_room_occupant/{made.get_json()['id']}/move_out",
                    json={"to_date": "2026-01-31"})
    assert out.status_code == 200, out.get_json()
    again = clerk.api("POST", "/api/v1/office_room_occupant/", json={"room_id": second, "person_id": person,
                                                                       "from_date": "2026-02-01"})
    assert again.status_code == 201, again.get_json()
    assert [str(d) for _p, d in _occupancies(app, first)] == ["2026-01-31"]
    deleted = clerk.api("DELETE", f"/api/v1/office_room_occupant/{made.get_json()['id']}")
    assert deleted.status_code in (403, 405, 409, 422), deleted.status_code
    assert len(_occupancies(app, first)) == 1


def test_art22_a_stricter_standard_opens_the_flags_and_lifting_it_closes_them(app, space):
    """第二十二条: 天山区 sets the county 科员 standard to 5 m²: a room of 6 m² for one 科员 and its
    organisation (1 编制) are flagged at once; removing the standard closes both."""
    org = space.organization(1)
    building = space.building()
    room = space.room(building, "S1", "6", org=org)
    space.occupant(room, space.staff(org)[0])
    org_id = org_named_id(app, org)
    assert _open(app, "office_room", room, "office_space.room_over_standard") == []
    standard = space.standard("county:staff", "5")
    assert len(_open(app, "office_room", room, "office_space.room_over_standard")) == 1
    flagged = _open(app, "organization", org_id, "office_space.organization_over_standard")
    assert len(flagged) == 1 and "6 m²" in flagged[0][1] and "5 m²" in flagged[0][1], flagged
    space.drop_standard(standard)
    assert _open(app, "office_room", room, "office_space.room_over_standard") == []
    assert _open(app, "organization", org_id, "office_space.organization_over_standard") == []


def org_named_id(app, name: str) -> int:
    with app.app_context():
        return org_named(name).id


def test_art22_a_smaller_establishment_or_a_lower_rank_reopens_the_flags(app, space):
    """第二十二条: an organisation of 2 编制 (a 股长-level 科员 and a section chief: 6 + 12 m²) holds
    18 m² of offices, within; a new decision of 1 编制 flags it (12 m² allowed); the chief in a
    12 m² office demoted to 科员 flags the room (6 m² allowed)."""
    import datetime as dt

    from catalog.models import Establishment

    org = space.organization(2, ranks=("section_chief", "staff"))
    org_id = org_named_id(app, org)
    chief, _clerk = space.staff(org)
    building = space.building()
    office = space.room(building, "E1", "12", org=org)
    space.room(building, "E2", "6", org=org)
    space.occupant(office, chief)
    assert _open(app, "organization", org_id, "office_space.organization_over_standard") == []
    with app.app_context():
        db.session.add(Establishment(organization_id=org_id, administrative=1, institutional=0, actual=1,
                                     leaders=0, effective_from=dt.date(2021, 1, 1),
                                     decision="测试编办〔2021〕1号", approved_by="测试"))
        db.session.commit()
    flagged = _open(app, "organization", org_id, "office_space.organization_over_standard")
    assert len(flagged) == 1 and "18 m²" in flagged[0][1] and "12 m²" in flagged[0][1], flagged
    assert _open(app, "office_room", office, "office_space.room_over_standard") == []
    with app.app_context():
        db.session.get(Person, chief).rank = "staff"
        db.session.commit()
    assert len(_open(app, "office_room", office, "office_space.room_over_standard")) == 1


def test_art22_a_persons_write_costs_the_same_statements_for_3_or_30_staff(app, space):
    """第二十二条: each person's write re-measures the organisation's allowance over its staff;
    a rank's standard is read once, so the statements do not grow with the staff
    (docs/performance.md, "Throughput")."""
    import sqlalchemy as sa

    def counted(org: str) -> int:
        seen = []

        def count(*_args):
            seen.append(1)

        with app.app_context():
            engine = db.engine
            sa.event.listen(engine, "before_cursor_execute", count)
            try:
                db.session.add(Person(name="测试新人", rank="staff", title="测试",
                                      organization=org_named(org)))
                db.session.commit()
            finally:
                sa.event.remove(engine, "before_cursor_execute", count)
        return len(seen)

    small = space.organization(40, ranks=("section_chief",) + ("staff",) * 2)
    large = space.organization(40, ranks=("section_chief",) * 10 + ("staff",) * 20)
    building = space.building()
    space.room(building, "S1", "20", org=small)
    space.room(building, "L1", "20", org=large)
    counted(small)  # what is read once per process (standards' jurisdictions) read already
    assert counted(large) == counted(small)
