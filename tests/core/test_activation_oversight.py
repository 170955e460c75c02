"""Art. 5-6: a bureau guides and supervises the levels below it — it reads, it does not write.

A module on for a district (天山区 650102) and off at the prefecture above it (乌鲁木齐市
650100): the prefecture's bureau sees the module's menus and the district's records
read-only (list, show, export, history), cannot add, edit, delete or approve there, and its
own level stays off. Also: ``Module(default_enabled=…)`` decides what ``jiguan demo`` enables.
"""

from __future__ import annotations

import contextlib
import types

import pytest
from flask import g
from flask_login import login_user
from sqlalchemy import func, select

from catalog.models import Jurisdiction, Organization
from core.activation import set_module
from core.extensions import db
from core.models import ModuleActivation
from plugins.land.parcels.models import LandParcel

DISTRICT_PARCEL = "天山区财政局业务楼"  # a demo parcel of 650102
READS = ("can_list", "can_show", "can_get", "can_export", "can_history", "can_info")
WRITES = ("can_add", "can_edit", "can_delete", "can_post", "can_put", "can_approve")


def _jur(code):
    return db.session.execute(select(Jurisdiction).where(Jurisdiction.code == code)).scalar_one()


@contextlib.contextmanager
def land_settings(app, **codes):
    """Explicit land settings (``c650100=False``) for the block, removed again afterwards. Office
    space stands on land: where land goes off, office space goes off first."""
    with app.app_context():
        for code, enabled in codes.items():
            for key in ("land",) if enabled else ("office_space", "land"):
                set_module(_jur(code[1:]), key, enabled)
        db.session.commit()
    try:
        yield
    finally:
        with app.app_context():
            for code in codes:
                rows = db.session.execute(select(ModuleActivation).join(Jurisdiction).where(
                    Jurisdiction.code == code[1:],
                    ModuleActivation.module_key.in_(("land", "office_space")))).scalars().all()
                assert rows
                for row in rows:
                    db.session.delete(row)
            db.session.commit()


@pytest.fixture
def district_only(app):
    with land_settings(app, c650100=False, c650102=True):
        yield


def _parcel(app, name=DISTRICT_PARCEL):
    with app.app_context():
        parcel = db.session.execute(select(LandParcel).where(LandParcel.name == name)).scalar_one()
        return parcel.id, parcel.name, parcel.version


def _count(app, name) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).where(LandParcel.name == name)).scalar()


def test_art5_6_bureau_above_reads_the_district_module(app, login, district_only):
    pk, _name, _v = _parcel(app)
    bureau = login("urumqi_bureau")
    assert "宗地台账" in bureau.text("/")  # the menu shows
    listing = bureau.get("/landparcelview/list/?psize_LandParcelView=100")
    assert listing.status_code == 200 and DISTRICT_PARCEL in listing.get_data(as_text=True)
    assert "/landparcelview/add" not in listing.get_data(as_text=True)  # no 新增 button
    assert bureau.get(f"/landparcelview/show/{pk}").status_code == 200
    assert bureau.get(f"/api/v1/land_parcel/{pk}").status_code == 200
    assert DISTRICT_PARCEL in bureau.get("/catalog/export/land_parcel.csv").get_data(as_text=True)
    assert bureau.get("/api/v1/land_parcel/export.xlsx").status_code == 200
    assert bureau.get(f"/history/land_parcel/{pk}").status_code == 200


def test_art5_6_bureau_above_cannot_write_there(app, login, district_only):
    pk, name, version = _parcel(app)
    with app.app_context():
        ids = {"jur": _jur("650102").id, "org": db.session.execute(select(Organization.id).where(
            Organization.name == "乌鲁木齐市天山区财政局")).scalar_one()}
    bureau = login("urumqi_bureau")
    assert bureau.get("/landparcelview/add").status_code != 200
    form = {"name": "上级越级新增", "jurisdiction": ids["jur"], "organization": ids["org"],
            "location": "天山区", "area": "100", "land_use": "office",
            "registration_status": "unregistered"}
    bureau.post("/landparcelview/add", data=form)
    bureau.post(f"/landparcelview/edit/{pk}", data={**form, "name": "上级改名", "lock_version": version})
    bureau.post(f"/landparcelview/delete/{pk}")
    api = {"name": "上级接口新增", "jurisdiction_id": ids["jur"], "organization_id": ids["org"],
           "location": "天山区", "area": 100, "land_use": "office", "registration_status": "unregistered"}
    assert bureau.api("POST", "/api/v1/land_parcel/", json=api).status_code == 403
    assert bureau.api("PUT", f"/api/v1/land_parcel/{pk}", json={"name": "上级改名"}).status_code == 403
    assert bureau.api("DELETE", f"/api/v1/land_parcel/{pk}").status_code == 403
    assert _count(app, "上级越级新增") == 0 and _count(app, "上级接口新增") == 0
    assert _parcel(app) == (pk, name, version)  # unchanged, not deleted
    # the district itself keeps writing
    clerk = login("tianshan_clerk")
    clerk.post("/landparcelview/add", data={**form, "name": "天山区自行新增"})
    assert _count(app, "天山区自行新增") == 1


def test_art5_6_only_reads_are_granted_on_a_read_only_module(app, district_only):
    with app.test_request_context():
        sm = app.appbuilder.sm
        g.user = sm.find_user(username="urumqi_bureau")  # what FAB's before_request sets
        login_user(g.user)
        assert all(sm.has_access(p, "LandParcelView") for p in READS[:2] + ("can_export",))
        assert all(sm.has_access(p, "LandParcelApi") for p in ("can_get", "can_info"))
        assert not any(sm.has_access(p, "LandParcelView") for p in WRITES)
        assert not any(sm.has_access(p, "LandParcelApi") for p in WRITES)


def test_art5_6_the_bureaus_own_level_stays_off(app, district_only):
    status = app.test_cli_runner().invoke(args=["modules", "status", "--jurisdiction", "650100"]).output
    assert "land\toff" in status
    status = app.test_cli_runner().invoke(args=["modules", "status", "--jurisdiction", "650102"]).output
    assert "land\ton" in status


def test_art5_6_reading_from_below_is_for_bureaus_not_clerks(app, login, district_only):
    clerk = login(role="Clerk", organization="乌鲁木齐市财政局")  # at 650100, not a bureau role
    assert clerk.get("/landparcelview/list/").status_code == 404


def test_art5_6_nothing_on_below_means_nothing_to_read(app, login):
    with land_settings(app, c653100=False):
        bureau = login(role="Bureau Admin", organization="喀什地区机关事务管理局")
        assert bureau.get("/landparcelview/list/").status_code == 404
        assert "宗地台账" not in bureau.text("/")
    with land_settings(app, c653100=False, c653101=True):  # 喀什市 turns it on: now it reads
        bureau = login(role="Bureau Admin", organization="喀什地区机关事务管理局")
        assert bureau.get("/landparcelview/list/").status_code == 200
        assert bureau.get("/landparcelview/add").status_code != 200


def _module(key, default_enabled):
    from core.api import Module, hookimpl

    @hookimpl
    def register_module():
        return Module(key=key, label=key, depends=("catalog",), default_enabled=default_enabled)

    return types.SimpleNamespace(register_module=register_module)


def test_demo_enables_only_modules_enabled_by_default(make_demo_app):
    app = make_demo_app(EXTRA_PLUGINS=[_module("eager", True), _module("shy", False)])
    status = app.test_cli_runner().invoke(args=["modules", "status", "--jurisdiction", "650000"]).output
    assert "eager\ton" in status and "shy\toff" in status and "land\ton" in status
