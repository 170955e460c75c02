"""Helpers of the repairs and idle-space tests (Art. 23, 24). Each test makes its own building and
rooms (as the system, through the models) in 天山区 or 喀什市, named with a number no other test uses,
so the demo's buildings, rooms and plans stay as they are."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import time
from decimal import Decimal

from sqlalchemy import select

from catalog.expenditures import Expenditure
from catalog.models import Organization
from core.extensions import db
from plugins.office_space.buildings.models import OfficeBuilding, OfficeRoom
from plugins.office_space.idle.models import IdleSpaceDisposition
from plugins.office_space.repairs.models import DailyRepair, MajorRepairApplication
from tests.catalog.xlsx_helpers import upload, xlsx_bytes

CLERK = "tianshan_clerk"
BUREAU = "tianshan_bureau"
KASHGAR_BUREAU = "kashgar_bureau"
KASHGAR_CLERK = "kashgar_clerk"
TIANSHAN = "乌鲁木齐市天山区财政局"
TIANSHAN_BUREAU = "乌鲁木齐市天山区机关事务服务中心"
KASHGAR = "喀什市财政局"
TIANSHAN_EDU = "乌鲁木齐市天山区教育局"
ART23 = "第二十三条"
ART24 = "第二十四条"
PATHS = ("form", "rest", "import")
_serial = itertools.count()


def unique() -> int:
    return int(time.time() * 1000) % 10**6 * 100 + next(_serial) % 100


def org_of(name: str) -> Organization:
    return db.session.execute(select(Organization).where(Organization.name == name)).scalar_one()


def org_id(app, name: str = TIANSHAN) -> int:
    with app.app_context():
        return org_of(name).id


def make_building(
    app,
    *,
    last_repair=None,
    built=1995,
    bureau=TIANSHAN_BUREAU,
    rooms=(("101", TIANSHAN),),
    vacant_since=None,
) -> tuple[int, str, dict[str, int]]:
    """A building of ``bureau``'s jurisdiction with rooms (number, user organisation or None):
    (id, name, {number: room id}). An unallocated room is vacant since ``vacant_since``."""
    n = unique()
    name = f"测试办公楼{n}"
    with app.app_context():
        manager = org_of(bureau)
        building = OfficeBuilding(
            name=name,
            address=f"测试路 {n} 号",
            organization=manager,
            jurisdiction=manager.jurisdiction,
            built_year=built,
            last_major_repair_year=last_repair,
            title_status="registered",
        )
        db.session.add(building)
        db.session.flush()
        found = {}
        for number, user in rooms:
            owner = org_of(user) if user else None
            room = OfficeRoom(
                building=building,
                number=number,
                use_area=Decimal("18"),
                # a 服务用房: repairs and idle space concern every type, and an office room would
                # count against its organisation's per-person allowance (Art. 22, the buildings area)
                room_type="service",
                organization=owner,
                jurisdiction=manager.jurisdiction,
                status="in_use" if owner else "vacant",
                status_since=dt.date(2024, 1, 1) if owner else (vacant_since or dt.date(2025, 3, 1)),
            )
            db.session.add(room)
            db.session.flush()
            found[number] = room.id
        db.session.commit()
        return building.id, name, found


def rows_of(app, model, **where) -> list:
    with app.app_context():
        rows = list(db.session.execute(select(model).filter_by(**where).order_by(model.id)).scalars())
        db.session.expunge_all()
        return rows


def ledger(app, source_type: str, pk: int) -> list[tuple]:
    with app.app_context():
        rows = (
            db.session.execute(
                select(Expenditure).where(Expenditure.source_type == source_type, Expenditure.source_id == pk)
            )
            .scalars()
            .all()
        )
        return [(r.economic_class.code, Decimal(r.amount), r.spent_on) for r in rows]


def a_pdf(text="文件") -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


def attach(client, entity: str, pk: int, kind: str):
    return client.api(
        "POST",
        f"/api/v1/attachments/{entity}/{pk}/",
        data={"kind": kind, "files": [(io.BytesIO(a_pdf()), f"{kind}.pdf")]},
        content_type="multipart/form-data",
    )


def _import(login, user, entity, headers, row):
    response = login(user).post(
        f"/api/v1/{entity}/import",
        data=upload(xlsx_bytes(headers, [row])),
        content_type="multipart/form-data",
    )
    return response


# ---- 日常维修 ----------------------------------------------------------------------------------


def write_daily(
    app,
    login,
    rest,
    path,
    building,
    room,
    *,
    user=CLERK,
    amount="1200.00",
    day="2026-11-02",
    work="更换办公室门锁",
    org=None,
    expect=True,
):
    """A 日常维修 written on ``path``: the new record, or (None, the answer's text) when ``expect`` is
    False (refused)."""
    before = {r.id for r in rows_of(app, DailyRepair, building_id=building)}
    if path == "form":
        data = {
            "building": building,
            "room": room or "",
            "repaired_on": day,
            "work": work,
            "amount": amount,
            "contractor": "测试维修部",
            "note": "",
        }
        with app.app_context():
            data["organization"] = org_of(org or TIANSHAN).id
        answer = (
            login(user).post("/dailyrepairview/add", data=data, follow_redirects=True).get_data(as_text=True)
        )
    elif path == "rest":
        body = {
            "building_id": building,
            "room_id": room,
            "repaired_on": day,
            "work": work,
            "amount": amount,
            "contractor": "测试维修部",
        }
        if org:
            body["organization_id"] = org_id(app, org)
        response = rest(user, "jwt").api("POST", "/api/v1/office_daily_repair/", json=body)
        answer = str(response.get_json())
        assert response.status_code in (201, 403, 422), answer
    else:
        with app.app_context():
            name = db.session.get(OfficeBuilding, building).name
        response = _import(
            login,
            user,
            "office_daily_repair",
            [
                "building_id",
                "room_id",
                "repaired_on",
                "work",
                "amount",
                "contractor",
                "note",
                "organization_id",
            ],
            [name, room, day, work, float(amount), "测试维修部", "", org or TIANSHAN],
        )
        answer = str(response.get_json())
        assert response.status_code in (200, 403, 422), answer
    made = [r for r in rows_of(app, DailyRepair, building_id=building) if r.id not in before]
    if expect:
        assert len(made) == 1, answer
        return made[0]
    assert made == [], [(r.id, r.organization_id, r.room_id) for r in made]
    return None, answer


# ---- 大中修 ------------------------------------------------------------------------------------

PURPOSE_FIELDS = ("serves_safety", "serves_secrecy", "serves_function", "serves_energy")


def write_major(
    app,
    login,
    rest,
    path,
    building,
    *,
    user=CLERK,
    year=2027,
    cost="500000.00",
    purposes=("serves_function",),
    expect=True,
):
    """A 大中修 application written on ``path`` by ``user``: the new record, or (None, answer)."""
    before = {r.id for r in rows_of(app, MajorRepairApplication, building_id=building)}
    scope = "屋面防水和外墙翻新"
    if path == "form":
        data = {
            "building": building,
            "rooms": "",
            "year": str(year),
            "scope_of_work": scope,
            "estimated_cost": cost,
            "applied_on": "2026-11-20",
            "note": "",
        }
        data.update({field: "y" for field in purposes})
        with app.app_context():
            data["organization"] = org_of({CLERK: TIANSHAN, KASHGAR_CLERK: KASHGAR}.get(user, TIANSHAN)).id
        answer = (
            login(user)
            .post("/majorrepairapplicationview/add", data=data, follow_redirects=True)
            .get_data(as_text=True)
        )
    elif path == "rest":
        body = {
            "building_id": building,
            "year": year,
            "scope_of_work": scope,
            "estimated_cost": cost,
            "applied_on": "2026-11-20",
            **{field: field in purposes for field in PURPOSE_FIELDS},
        }
        response = rest(user, "jwt").api("POST", "/api/v1/office_major_repair/", json=body)
        answer = str(response.get_json())
        assert response.status_code in (201, 403, 422), answer
    else:
        with app.app_context():
            name = db.session.get(OfficeBuilding, building).name
        response = _import(
            login,
            user,
            "office_major_repair",
            ["building_id", "year", "scope_of_work", "estimated_cost", *PURPOSE_FIELDS, "applied_on"],
            [
                name,
                year,
                scope,
                float(cost),
                *["是" if f in purposes else "否" for f in PURPOSE_FIELDS],
                "2026-11-20",
            ],
        )
        answer = str(response.get_json())
        assert response.status_code in (200, 403, 422), answer
    made = [r for r in rows_of(app, MajorRepairApplication, building_id=building) if r.id not in before]
    if expect:
        assert len(made) == 1, answer
        return made[0]
    assert made == [], [(r.id, r.organization_id, r.room_id) for r in made]
    return None, answer


def decide(client, pk, action, comment="测试"):
    return client.api(
        "POST", f"/api/v1/office_major_repair/{pk}/workflow/{action}", json={"comment": comment}
    )


# ---- 闲置用房 ----------------------------------------------------------------------------------


def write_disposition(
    app, login, rest, path, room, *, user=BUREAU, kind="lease", number="天机事〔2026〕测试 1 号", expect=True
):
    before = {r.id for r in rows_of(app, IdleSpaceDisposition, room_id=room)}
    if path == "form":
        with app.app_context():
            bureau = org_of({BUREAU: TIANSHAN_BUREAU}.get(user, TIANSHAN_BUREAU)).id
        data = {
            "organization": bureau,
            "room": room,
            "kind": kind,
            "decision_number": number or "",
            "decided_on": "2026-11-01",
            "counterparty": "测试借用单位",
            "period_from": "",
            "period_to": "",
            "reason": "测试",
        }
        answer = (
            login(user)
            .post("/idlespacedispositionview/add", data=data, follow_redirects=True)
            .get_data(as_text=True)
        )
    elif path == "rest":
        body = {
            "room_id": room,
            "kind": kind,
            "decision_number": number,
            "decided_on": "2026-11-01",
            "counterparty": "测试借用单位",
            "reason": "测试",
        }
        response = rest(user, "jwt").api("POST", "/api/v1/office_idle_disposition/", json=body)
        answer = str(response.get_json())
        assert response.status_code in (201, 403, 422), answer
    else:
        labels = {"lease": "出租出借", "dispose": "处置"}
        response = _import(
            login,
            user,
            "office_idle_disposition",
            ["room_id", "kind", "decision_number", "decided_on", "counterparty", "reason"],
            [room, labels[kind], number, "2026-11-01", "测试借用单位", "测试"],
        )
        answer = str(response.get_json())
        assert response.status_code in (200, 403, 422), answer
    made = [r for r in rows_of(app, IdleSpaceDisposition, room_id=room) if r.id not in before]
    if expect:
        assert len(made) == 1, answer
        return made[0]
    assert made == [], [(r.id, r.organization_id, r.room_id) for r in made]
    return None, answer
