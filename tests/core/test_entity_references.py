"""A relation by entity-type key (core/fab/references.py, docs/plugins.md "Pointing to another module's
entity type").

``tests/fixtures/reference_plugin.py`` declares ``asset_id = entity_reference("asset")`` without
importing the assets plugin and names ``assets`` in its manifest: the core adds the foreign key
and the ``asset`` relationship at start-up, so the form, the API, the XLSX import, the migrations
and the write pipeline's scope step (Art. 4-5) treat it like any other link. A plugin that
references a module it does not declare is refused at start-up. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import types

import pytest
import sqlalchemy as sa
from alembic.autogenerate import produce_migrations, render_python_code
from alembic.migration import MigrationContext
from flask_appbuilder import Model
from sqlalchemy import Column, Integer, String, func, select

from catalog.models import Organization
from core.api import EntityType, Module, Scope, entity_reference, hookimpl
from core.errors import ScopeViolation
from core.extensions import db
from core.plugins import PluginError
from core.scoping import SYSTEM, acting_as
from plugins.assets.cards.models import Asset
from tests.catalog.xlsx_helpers import read_xlsx, upload, xlsx_bytes
from tests.conftest import Browser, make_app
from tests.core.helpers import user
from tests.core.plugin_app import fixture_plugin_app
from tests.fixtures.reference_plugin import KEY, AssetInspection

TIANSHAN = "乌鲁木齐市天山区财政局"
KASHGAR = "喀什市财政局"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def ref_app(request, tmp_path_factory):
    yield from fixture_plugin_app(request.param, tmp_path_factory, ["tests.fixtures.reference_plugin"],
                                  [KEY], "jiguan_references_test")


def _ids(app) -> dict:
    """Tianshan's organisation and one of its cards; a card of Kashgar (another prefecture)."""
    with app.app_context():
        def card(name):
            return db.session.execute(
                select(Asset).join(Organization, Asset.organization_id == Organization.id)
                .where(Organization.name == name, Asset.voided_at.is_(None))
                .order_by(Asset.id).limit(1)).scalar_one()

        own, other = card(TIANSHAN), card(KASHGAR)
        org = db.session.execute(select(Organization.id).filter_by(name=TIANSHAN)).scalar_one()
        return {"org": org, "own": own.id, "own_number": own.number, "own_shown": repr(own),
                "other": other.id, "other_number": other.number}


def _inspection(app, title: str):
    with app.app_context():
        query = select(AssetInspection.asset_id).filter_by(title=title)
        return db.session.execute(query).scalar_one_or_none()


def _count(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count(AssetInspection.id))).scalar_one()


def test_a_reference_by_key_becomes_a_foreign_key_and_a_relationship(ref_app):
    column = AssetInspection.__table__.c.asset_id
    assert [fk.target_fullname for fk in column.foreign_keys] == ["assets_asset.id"]
    assert AssetInspection.asset.property.mapper.class_ is Asset  # named after the column, without _id
    with ref_app.app_context():
        found = sa.inspect(db.engine).get_foreign_keys("test_asset_inspection")
        assert {(tuple(fk["constrained_columns"]), fk["referred_table"]) for fk in found} >= {
            (("asset_id",), "assets_asset")}
        # what `jiguan db migrate` (Alembic's autogenerate) writes for the plugin's branch
        with sa.create_engine("sqlite://").connect() as empty:
            def ours(_obj, name, type_, *_):
                return type_ != "table" or name == "test_asset_inspection"

            context = MigrationContext.configure(empty, opts={"include_object": ours})
            code = render_python_code(produce_migrations(context, Model.metadata).upgrade_ops)
        assert "sa.ForeignKeyConstraint(['asset_id'], ['assets_asset.id']" in code


def test_the_link_works_on_the_form_the_api_and_the_import(ref_app):
    ids = _ids(ref_app)
    clerk = Browser(ref_app, "tianshan_clerk")
    form = clerk.post("/assetinspectionview/add", data={"title": "表单巡检", "organization": ids["org"],
                                                        "asset": ids["own"]})
    assert form.status_code == 302, Browser.flashes(form.get_data(as_text=True))
    assert _inspection(ref_app, "表单巡检") == ids["own"]
    with ref_app.app_context():
        pk = db.session.execute(select(AssetInspection.id).filter_by(title="表单巡检")).scalar_one()
    assert ids["own_shown"] in clerk.text(f"/assetinspectionview/show/{pk}")
    assert 'name="asset"' in clerk.text("/assetinspectionview/add")

    post = clerk.api("POST", "/api/v1/asset_inspection/", json={
        "title": "接口巡检", "organization": ids["org"], "asset": ids["own"]})
    assert post.status_code == 201, post.get_json()
    got = clerk.api("GET", f"/api/v1/asset_inspection/{post.get_json()['id']}").get_json()["result"]
    assert got["asset"]["id"] == ids["own"]

    data = xlsx_bytes(["*巡检事项", "*单位", "*资产"], [["导入巡检", TIANSHAN, ids["own_number"]]])
    response = clerk.post("/api/v1/asset_inspection/import", data=upload(data),
                          content_type="multipart/form-data")
    assert response.status_code == 200, response.get_json()
    assert _inspection(ref_app, "导入巡检") == ids["own"]
    _headers, rows = read_xlsx(clerk.get("/api/v1/asset_inspection/export.xlsx").data)
    assert {r["资产"] for r in rows} == {ids["own_number"]}  # the card by its natural key
    template, _rows = read_xlsx(clerk.get("/api/v1/asset_inspection/template.xlsx").data)
    assert template == ["*巡检事项", "*单位", "*资产"]


def test_a_link_to_another_jurisdictions_card_is_refused_on_every_path(ref_app):
    """Art. 4-5: a clerk may not point its inspection at a card of another prefecture."""
    ids = _ids(ref_app)
    before = _count(ref_app)
    clerk = Browser(ref_app, "tianshan_clerk")
    post = clerk.api("POST", "/api/v1/asset_inspection/", json={
        "title": "越权巡检", "organization": ids["org"], "asset": ids["other"]})
    assert post.status_code == 403
    assert post.get_json()["message"] == ("所选的资产卡片不在您的权限范围内："
                                          "不能引用本辖区（本单位）以外的记录")

    with ref_app.app_context(), acting_as(SYSTEM):
        inspection = AssetInspection(organization_id=ids["org"], asset_id=ids["own"], title="待改巡检")
        db.session.add(inspection)
        db.session.commit()
        pk = inspection.id
    put = clerk.api("PUT", f"/api/v1/asset_inspection/{pk}", json={"asset": ids["other"]})
    assert put.status_code == 403 and "资产卡片" in put.get_json()["message"]
    assert _inspection(ref_app, "待改巡检") == ids["own"]

    with ref_app.app_context(), acting_as(user(ref_app, "tianshan_clerk")):  # a CLI command, a job
        with pytest.raises(ScopeViolation, match="所选的资产卡片不在您的权限范围内"):
            db.session.add(AssetInspection(organization_id=ids["org"], asset_id=ids["other"],
                                           title="越权巡检"))
            db.session.flush()
        db.session.rollback()

    form = clerk.post("/assetinspectionview/add", data={"title": "越权巡检", "organization": ids["org"],
                                                        "asset": ids["other"]})
    assert "所选记录不存在或您无权选择" in form.get_data(as_text=True)

    data = xlsx_bytes(["*巡检事项", "*单位", "*资产"], [["越权巡检", TIANSHAN, ids["other_number"]]])
    response = clerk.post("/api/v1/asset_inspection/import", data=upload(data),
                          content_type="multipart/form-data")
    assert response.status_code == 422
    assert f"找不到“{ids['other_number']}”，或不在您的权限范围内" in response.get_json()["errors"][0]["text"]
    assert _count(ref_app) == before + 1  # only the system's 待改巡检
    assert _inspection(ref_app, "越权巡检") is None


def test_a_reference_to_a_module_not_declared_in_depends_refuses_start_up():
    with pytest.raises(PluginError) as refused:
        make_app("sqlite://", EXTRA_PLUGINS=["tests.fixtures.undeclared_reference_plugin"])
    message = str(refused.value)
    assert "模块 'stray_demo'" in message and "模块 'assets' 的实体类型 'asset'" in message
    assert "depends 中声明 'assets'" in message
    from tests.fixtures.undeclared_reference_plugin import StrayInspection

    assert not StrayInspection.__table__.c.asset_id.foreign_keys  # nothing linked


class UnknownReference(Model):
    __tablename__ = "test_unknown_reference"
    __table_args__ = {"info": {"jiguan_test_only": True}}

    id = Column(Integer, primary_key=True)
    organization_id = Column(Integer, nullable=False)
    vehicle_id = entity_reference("fleet_bus")  # no module registers such a type
    title = Column(String(64))


def test_a_reference_to_an_unknown_key_refuses_start_up():
    @hookimpl
    def register_module():
        return Module(key="fleet_demo", label="车辆示例", depends=("catalog",))

    @hookimpl
    def register_entity_types():
        return [EntityType(key="fleet_trip", label="出车示例", model=UnknownReference,
                           scope=Scope(organization="organization_id"))]

    plugin = types.SimpleNamespace(register_module=register_module,
                                   register_entity_types=register_entity_types)
    with pytest.raises(PluginError, match="模块 'fleet_demo' 的 UnknownReference.vehicle_id 引用的实体类型 "
                                          "'fleet_bus' 不存在"):
        make_app("sqlite://", EXTRA_PLUGINS=[plugin])
