"""The write pipeline (core/pipeline.py): one declared order for every write path.

derive → fill scope columns → scope (scope columns and every foreign key) → rules →
guards → audit. A row added at any step passes every later one; audit rows and findings
carry organisation and jurisdiction; portable column types reach the audit trail; only the
core listens to SQLAlchemy's session events (Art. 4-5 scope, Art. 41-42 audit).
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.models import Organization, Person
from core.errors import ScopeViolation, WriteRefused
from core.extensions import db
from core.models import AuditLog, Finding
from core.scoping import SYSTEM, acting_as
from tests.conftest import Browser
from tests.core.plugin_app import fixture_plugin_app
from tests.fixtures.pipeline_plugin import KEY, Visit, VisitKind

PLUGIN = "tests.fixtures.pipeline_plugin"
PG_SCHEMA = "jiguan_pipeline_test"
TIANSHAN = "乌鲁木齐市天山区财政局"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def pipe_app(request, tmp_path_factory):
    yield from fixture_plugin_app(request.param, tmp_path_factory, [PLUGIN], [KEY], PG_SCHEMA)


def _org(name: str) -> Organization:
    return db.session.execute(select(Organization).filter_by(name=name)).scalar_one()


def _person_of(name: str) -> Person:
    return db.session.execute(select(Person).join(Organization).where(Organization.name == name)
                              .limit(1)).scalar_one()


def _user(app, username):
    return app.appbuilder.sm.find_user(username=username)


def _audit(entity: str, entity_id) -> list[AuditLog]:
    return list(db.session.execute(select(AuditLog).where(
        AuditLog.entity == entity, AuditLog.entity_id == str(entity_id)).order_by(AuditLog.id)).scalars())


# --- 1. a derivation's row passes every later step ---------------------------------------------

def test_a_derived_row_is_scoped_rule_checked_and_audited_with_its_parent(pipe_app):
    """Art. 41-42: the dependent row a module adds on write is audited like the write itself."""
    with pipe_app.app_context():
        clerk = _user(pipe_app, "tianshan_clerk")
        org = _org(TIANSHAN)
        with acting_as(clerk):
            visit = Visit(organization=org, title="例行走访")
            db.session.add(visit)
            db.session.commit()
        [note] = visit.notes
        assert (note.organization_id, note.jurisdiction_id) == (org.id, org.jurisdiction_id)
        [row] = _audit("pipeline_visit_note", note.id)
        assert row.action == "create" and row.username == "tianshan_clerk"
        assert (row.organization_id, row.jurisdiction_id) == (org.id, org.jurisdiction_id)


def test_a_rule_on_a_derived_row_refuses_the_whole_write(pipe_app):
    with pipe_app.app_context():
        clerk = _user(pipe_app, "tianshan_clerk")
        refused = pytest.raises(WriteRefused, match="走访记录含有禁止的内容（《办法》第四十一条）")
        with acting_as(clerk), refused:
            db.session.add(Visit(organization=_org(TIANSHAN), title="禁止事项"))
            db.session.flush()
        db.session.rollback()
        assert db.session.execute(select(Visit).filter_by(title="禁止事项")).first() is None


def test_a_guard_refuses_the_flush_after_the_rules(pipe_app):
    with pipe_app.app_context(), acting_as(_user(pipe_app, "tianshan_clerk")):
        with pytest.raises(WriteRefused, match="示例守卫拒绝了这次保存"):
            db.session.add(Visit(organization=_org(TIANSHAN), title="守卫拒绝"))
            db.session.flush()
        db.session.rollback()


# --- 2. audit rows and findings carry organisation and jurisdiction ---------------------------

def test_an_organisation_scoped_type_gets_its_findings_and_audit_seen_by_the_bureau(pipe_app):
    """Art. 5-6: a Scope(organization=…) type's findings reach the bureau of its jurisdiction."""
    with pipe_app.app_context():
        org = _org(TIANSHAN)
        with acting_as(_user(pipe_app, "tianshan_clerk")):
            visit = Visit(organization=org, title="待查：消防通道")
            db.session.add(visit)
            db.session.commit()
        pk = visit.id
        finding = db.session.execute(select(Finding).filter_by(
            entity="pipeline_visit", entity_id=str(pk))).scalar_one()
        assert (finding.organization_id, finding.jurisdiction_id) == (org.id, org.jurisdiction_id)
        [row] = _audit("pipeline_visit", pk)
        assert row.jurisdiction_id == org.jurisdiction_id
    bureau = Browser(pipe_app, "urumqi_bureau")
    assert "走访标题标注待查" in bureau.text("/findingview/list/?psize_FindingView=100")
    history = bureau.get(f"/history/pipeline_visit/{pk}")
    assert history.status_code == 200 and "待查：消防通道" in history.get_data(as_text=True)


# --- 3. every foreign key a write sets is within the writer's reach ----------------------------

def test_a_link_to_another_jurisdictions_person_is_refused_on_every_path(pipe_app):
    """Art. 4-5: a clerk may not point its record at a person of another county."""
    with pipe_app.app_context():
        org = _org(TIANSHAN)
        kashgar_person = _person_of("喀什市财政局").id
        own_person = _person_of(TIANSHAN).id
        with acting_as(SYSTEM):
            visit = Visit(organization=org, title="引用测试")
            db.session.add(visit)
            db.session.commit()
        pk, org_id = visit.id, org.id
        clerk = _user(pipe_app, "tianshan_clerk")
        with acting_as(clerk), pytest.raises(ScopeViolation, match="所选的工作人员不在您的权限范围内"):
            db.session.get(Visit, pk).person_id = kashgar_person
            db.session.flush()
        db.session.rollback()
    browser = Browser(pipe_app, "tianshan_clerk")
    # the generated API names a relation by the relationship: {"person": id}
    put = browser.api("PUT", f"/api/v1/pipeline_visit/{pk}", json={"person": kashgar_person})
    assert put.status_code == 403 and "工作人员" in put.get_json()["message"]
    post = browser.api("POST", "/api/v1/pipeline_visit/", json={
        "organization": org_id, "title": "新走访", "person": kashgar_person})
    assert post.status_code == 403
    put = browser.api("PUT", f"/api/v1/pipeline_visit/{pk}", json={"person": own_person})
    assert put.status_code == 200, put.get_json()
    with pipe_app.app_context():
        assert db.session.get(Visit, pk).person_id == own_person
        assert db.session.execute(select(Visit).filter_by(title="新走访")).first() is None


def test_the_tester_probes_of_foreign_links_are_refused(app, login):
    """The probes that got through before (issue 9): custodian, title holder, parent organisation —
    now on the paths that may set them (the custodian and the title holder are state fields: their
    operations and a new record's POST)."""
    with app.app_context():
        from plugins.assets.cards.models import Asset

        tianshan = _org(TIANSHAN)
        asset = db.session.execute(select(Asset).where(
            Asset.organization_id == tianshan.id, Asset.custodian_id.isnot(None),
            Asset.status == "in_use", Asset.voided_at.is_(None)).limit(1)).scalar_one()
        other_person = _person_of("喀什市财政局").id
        other_prefecture = _org("喀什市财政局").id
        urumqi_office = _org("乌鲁木齐市财政局")
        before = (asset.custodian_id, urumqi_office.parent_id)
        ids = (asset.id, urumqi_office.id)
        parcel = dict(name="越权权利人测试", location="天山区测试路 1 号", area=10, land_use="office",
                      registration_status="unregistered", in_compound=False,
                      organization_id=tianshan.id, jurisdiction_id=tianshan.jurisdiction_id)
    clerk = login("tianshan_clerk")
    moved = clerk.api("POST", f"/api/v1/asset/{ids[0]}/transfer",
                      json={"custodian_id": other_person, "location": "301 室"})
    assert moved.status_code in (403, 422), moved.get_json()
    post = clerk.api("POST", "/api/v1/land_parcel/", json={**parcel, "title_holder_id": other_prefecture})
    assert post.status_code == 403 and "所选的单位不在您的权限范围内" in post.get_json()["message"]
    put = login("urumqi_bureau").api("PUT", f"/api/v1/organization/{ids[1]}",
                                     json={"parent_id": other_prefecture})
    assert put.status_code == 403, put.get_json()
    with app.app_context():
        from plugins.assets.cards.models import Asset
        from plugins.land.parcels.models import LandParcel

        after = (db.session.get(Asset, ids[0]).custodian_id, db.session.get(Organization, ids[1]).parent_id)
        assert after == before
        assert db.session.execute(select(LandParcel).filter_by(name="越权权利人测试")).first() is None


def test_a_clerk_names_its_bureau_as_title_holder(app, login):
    """Art. 21: the bureau above is referable (not readable) from the clerk's parcel."""
    with app.app_context():
        tianshan = _org(TIANSHAN)
        bureau = _org("乌鲁木齐市机关事务管理局").id
        parcel = dict(name="权利人为管理局", location="天山区测试路 2 号", area=10, land_use="office",
                      registration_status="unregistered", in_compound=False,
                      organization_id=tianshan.id, jurisdiction_id=tianshan.jurisdiction_id)
    clerk = login("tianshan_clerk")
    post = clerk.api("POST", "/api/v1/land_parcel/", json={**parcel, "title_holder_id": bureau})
    assert post.status_code == 201, post.get_json()
    assert clerk.api("GET", f"/api/v1/organization/{bureau}").status_code == 404  # still not readable
    voided = clerk.api("POST", f"/api/v1/land_parcel/{post.get_json()['id']}/void", json={"reason": "测试"})
    assert voided.status_code == 200, voided.get_json()


def test_a_line_does_not_move_into_another_organisations_document(app, login):
    """Issue 9's probe: PUT asset_stocktake_surplus {stocktake_id: another org's} was accepted."""
    with app.app_context():
        from plugins.assets.stocktake.models import Stocktake, StocktakeSurplus

        tianshan = _org(TIANSHAN)
        own = db.session.execute(select(Stocktake).filter_by(organization_id=tianshan.id, state="draft")
                                 .limit(1)).scalar_one()
        other = db.session.execute(select(Stocktake).where(Stocktake.organization_id != tianshan.id)
                                   .limit(1)).scalar_one()
        with acting_as(SYSTEM):
            from plugins.assets.cards.models import AssetClass

            some_class = db.session.execute(select(AssetClass.id).limit(1)).scalar_one()
            surplus = StocktakeSurplus(stocktake=own, name="盘盈打印机", quantity=1, class_id=some_class)
            db.session.add(surplus)
            db.session.commit()
        pk, own_id, other_id = surplus.id, own.id, other.id
        assert surplus.organization_id == own.organization_id
        assert surplus.jurisdiction_id == own.jurisdiction_id
    put = login("tianshan_clerk").api("PUT", f"/api/v1/asset_stocktake_surplus/{pk}",
                                      json={"stocktake_id": other_id})
    assert put.status_code == 403, put.get_json()
    with app.app_context():
        from plugins.assets.stocktake.models import StocktakeSurplus

        assert db.session.get(StocktakeSurplus, pk).stocktake_id == own_id
        db.session.delete(db.session.get(StocktakeSurplus, pk))
        db.session.commit()


# --- 4. portable column types --------------------------------------------------------------------

def test_time_enum_and_json_columns_reach_the_audit_trail(pipe_app):
    with pipe_app.app_context():
        with acting_as(_user(pipe_app, "tianshan_clerk")):
            visit = Visit(organization=_org(TIANSHAN), title="类型测试", starts_at=dt.time(9, 30),
                          kind=VisitKind.survey, details={"rooms": [1, 2], "on": "2026-12-03"})
            db.session.add(visit)
            db.session.commit()
        [row] = _audit("pipeline_visit", visit.id)
        assert row.after["starts_at"] == "09:30:00"
        assert row.after["kind"] == "survey"
        assert row.after["details"] == {"rooms": [1, 2], "on": "2026-12-03"}
        with acting_as(_user(pipe_app, "tianshan_clerk")):
            visit.starts_at = dt.time(14, 0)
            db.session.commit()
        assert _audit("pipeline_visit", visit.id)[-1].before["starts_at"] == "09:30:00"


def test_a_time_column_on_the_api(pipe_app):
    browser = Browser(pipe_app, "tianshan_clerk")
    with pipe_app.app_context():
        org = _org(TIANSHAN).id
    post = browser.api("POST", "/api/v1/pipeline_visit/", json={
        "organization": org, "title": "接口走访", "starts_at": "10:15:00"})
    assert post.status_code == 201, post.get_json()
    got = browser.api("GET", f"/api/v1/pipeline_visit/{post.get_json()['id']}").get_json()
    assert got["result"]["starts_at"] == "10:15:00"


# --- 5. only the core listens to the session --------------------------------------------------

def _listeners(target, name):
    dispatch = getattr(target.dispatch, name)
    found = list(getattr(dispatch, "listeners", ()))
    for fns in getattr(dispatch, "_clslevel", {}).values():
        found.extend(fns)
    return [getattr(fn, "__module__", "") for fn in found]


def test_no_plugin_listens_to_sqlalchemy_events(app):
    """Modules contribute through hooks (register_derivations …); a listener of their own would
    run outside the pipeline's order, unchecked and unaudited."""
    names = ["before_flush", "after_flush", "after_flush_postexec", "before_commit",
             "after_commit", "after_attach", "after_begin"]
    modules = [m for name in names for m in _listeners(Session, name)]
    with app.app_context():
        for mapper in Visit.registry.mappers:
            for name in ("before_insert", "before_update", "before_delete", "after_insert",
                         "after_update", "after_delete"):
                modules.extend(_listeners(mapper, name))
    outside = sorted({m for m in modules if m and not m.startswith(("core.", "sqlalchemy", "flask_"))})
    assert outside == [], f"listeners outside the core: {outside}"
    assert "core.pipeline" in modules


def test_the_core_pipeline_is_the_one_before_flush_listener_of_jiguan():
    ours = {m for m in _listeners(Session, "before_flush") if m.startswith(("core.", "plugins.", "catalog."))}
    assert ours == {"core.pipeline"}
