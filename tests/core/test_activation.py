"""Module activation per jurisdiction (installed ≠ enabled), inherited down the tree."""

from __future__ import annotations

import contextlib

import pytest
from sqlalchemy import select

from catalog.models import Jurisdiction
from core.activation import active_modules, set_module
from core.errors import WriteRefused
from core.extensions import db
from core.models import AuditLog, ModuleActivation


def _jur(code):
    return db.session.execute(select(Jurisdiction).where(Jurisdiction.code == code)).scalar_one()


@contextlib.contextmanager
def land_setting(app, code, enabled):
    """Set land at ``code`` for the block, then remove the explicit setting again. Office space
    stands on land: turning land off turns it off first."""
    keys = ("land",) if enabled else ("office_space", "land")
    with app.app_context():
        for key in keys:
            set_module(_jur(code), key, enabled)
        db.session.commit()
    try:
        yield
    finally:
        with app.app_context():
            rows = db.session.execute(
                select(ModuleActivation).join(Jurisdiction).where(
                    Jurisdiction.code == code, ModuleActivation.module_key.in_(keys))
            ).scalars().all()
            assert len(rows) == len(keys)
            for row in rows:
                db.session.delete(row)
            db.session.commit()


def test_demo_enables_land_in_region_and_inherits_down(ctx):
    assert "land" in active_modules(_jur("650000"))
    assert "land" in active_modules(_jur("653101"))  # no setting of its own


def test_disabled_module_is_gone_for_users_there(app, login):
    with land_setting(app, "653101", False):
        kashgar = login("kashgar_clerk")
        assert kashgar.get("/landparcelview/list/").status_code == 404
        assert kashgar.get("/api/v1/land_parcel/").status_code == 404
        assert kashgar.get("/land/progress/").status_code == 404
        home = kashgar.text("/")
        assert "宗地台账" not in home and 'data-module="land"' not in home
        catalog = kashgar.get("/api/v1/catalog/").get_json()["result"]
        assert "land_parcel" not in {e["key"] for e in catalog}
        # the neighbouring jurisdiction keeps it
        tianshan = login("tianshan_clerk")
        assert tianshan.get("/landparcelview/list/").status_code == 200
        assert "宗地台账" in tianshan.text("/")


def test_setting_below_overrides_the_one_above(app, login):
    with land_setting(app, "653100", False), land_setting(app, "653101", True):
        with app.app_context():
            assert "land" not in active_modules(_jur("653121"))  # 疏附县 inherits off
            assert "land" in active_modules(_jur("653101"))  # 喀什市 turned it back on
        assert login("kashgar_clerk").get("/landparcelview/list/").status_code == 200


def test_required_module_cannot_be_disabled(ctx):
    with pytest.raises(WriteRefused, match="必需模块"):
        set_module(_jur("650100"), "catalog", False)


def test_unknown_module_is_refused(ctx):
    with pytest.raises(WriteRefused, match="未安装"):
        set_module(_jur("650100"), "nope", True)


def test_activation_changes_are_audited(app):
    with app.app_context():
        before = db.session.query(AuditLog).filter_by(entity="core_module_activation").count()
    with land_setting(app, "650105", False):
        pass
    with app.app_context():
        rows = db.session.execute(
            select(AuditLog).where(AuditLog.entity == "core_module_activation")
            .order_by(AuditLog.id)
        ).scalars().all()
        # office space (which stands on land) went off and back with it: two settings, two deletes
        assert len(rows) == before + 4
        assert [row.action for row in rows[-4:]] == ["create", "create", "delete", "delete"]
        assert {row.after["module_key"] for row in rows[-4:-2]} == {"land", "office_space"}
        assert all(row.after["enabled"] is False for row in rows[-4:-2])


def test_bureau_screen_toggles_module_within_its_jurisdiction(app, login):
    urumqi = login("urumqi_bureau")
    page = urumqi.text("/modules/?jurisdiction=650102")
    assert 'data-module="land" data-active="1"' in page
    # land is refused while office space, which stands on it, is on
    urumqi.post("/modules/set", data={"jurisdiction": "650102", "module": "land", "enabled": "0"})
    page = urumqi.text("/modules/?jurisdiction=650102")  # the flash of the refusal
    assert "被已启用的模块依赖：办公用房" in page and 'data-module="land" data-active="1"' in page
    urumqi.post("/modules/set", data={"jurisdiction": "650102", "module": "office_space", "enabled": "0"})
    urumqi.post("/modules/set", data={"jurisdiction": "650102", "module": "land", "enabled": "0"})
    try:
        assert 'data-module="land" data-active="0"' in urumqi.text("/modules/?jurisdiction=650102")
        assert login("tianshan_clerk").get("/landparcelview/list/").status_code == 404
    finally:
        urumqi.post("/modules/set", data={"jurisdiction": "650102", "module": "land", "enabled": "1"})
        urumqi.post("/modules/set", data={"jurisdiction": "650102", "module": "office_space", "enabled": "1"})
    assert login("tianshan_clerk").get("/landparcelview/list/").status_code == 200
    # outside its jurisdiction the screen does not exist for it
    assert urumqi.get("/modules/?jurisdiction=653101").status_code == 404
    response = urumqi.post("/modules/set", data={"jurisdiction": "653101", "module": "land",
                                                  "enabled": "0"})
    assert response.status_code == 404


def test_clerk_has_no_activation_screen(login):
    assert login("tianshan_clerk").get("/modules/").status_code in (302, 403)


def test_cli_enable_disable_status(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["modules", "disable", "land", "--jurisdiction", "652301"])
    assert result.exit_code != 0 and "办公用房" in result.output  # stands on land: off first
    for key in ("office_space", "land"):
        result = runner.invoke(args=["modules", "disable", key, "--jurisdiction", "652301"])
        assert result.exit_code == 0, result.output
    status = runner.invoke(args=["modules", "status", "--jurisdiction", "652301"])
    assert "land\toff" in status.output and "catalog\ton" in status.output
    for key in ("land", "office_space"):
        result = runner.invoke(args=["modules", "enable", key, "--jurisdiction", "652301"])
        assert result.exit_code == 0
    assert "land\ton" in runner.invoke(args=["modules", "status", "--jurisdiction", "652301"]).output
    bad = runner.invoke(args=["modules", "disable", "catalog", "--jurisdiction", "652301"])
    assert bad.exit_code != 0 and "必需模块" in bad.output
    nowhere = runner.invoke(args=["modules", "status", "--jurisdiction", "999999"])
    assert nowhere.exit_code != 0 and "找不到行政区划代码" in nowhere.output


def test_cli_as_user_is_scoped(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["modules", "disable", "housing", "--jurisdiction", "653101",
                                 "--as", "urumqi_bureau"])
    assert result.exit_code != 0 and "无权" in result.output


def test_a_change_applies_at_once_here_and_after_the_kept_copy_expires_elsewhere(app, backend,
                                                                                 monkeypatch):
    """Each process keeps a jurisdiction's active modules for MODULE_ACTIVATION_CACHE_SECONDS
    (docs/architecture.md): a second app on the same database stands for another worker."""
    import time

    from core.testing.support import Browser, make_app

    other = make_app(backend, MODULE_ACTIVATION_CACHE_SECONDS=10)
    here, there = Browser(app, "kashgar_clerk"), Browser(other, "kashgar_clerk")
    assert here.get("/landparcelview/list/").status_code == 200
    assert there.get("/landparcelview/list/").status_code == 200  # kept by the other worker
    try:
        with land_setting(app, "653101", False):
            assert here.get("/landparcelview/list/").status_code == 404  # at once, here
            assert there.get("/landparcelview/list/").status_code == 200  # still its copy
            later = time.monotonic() + 11
            monkeypatch.setattr("core.activation.time.monotonic", lambda: later)
            assert there.get("/landparcelview/list/").status_code == 404  # copy expired
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_bulk_statement_clears_the_kept_modes_too(app, login):
    from sqlalchemy import update

    clerk = login("kashgar_clerk")
    with land_setting(app, "653101", False):
        assert clerk.get("/landparcelview/list/").status_code == 404
        with app.app_context():  # a bulk update, not through the ORM unit of work
            db.session.execute(update(ModuleActivation)
                               .where(ModuleActivation.module_key == "land")
                               .where(ModuleActivation.jurisdiction_id == _jur("653101").id)
                               .values(enabled=True))
            db.session.commit()
        assert clerk.get("/landparcelview/list/").status_code == 200
