"""The 数据目录 (Art. 8): every entity type with its fields, owner, sharing and rows in scope."""

from __future__ import annotations

from sqlalchemy import func, select

from catalog.models import Organization
from core.extensions import db
from plugins.land.parcels.models import LandParcel


def _parcels_of(app, org_name):
    with app.app_context():
        return db.session.execute(
            select(func.count(LandParcel.id))
            .join(Organization, LandParcel.organization_id == Organization.id)
            .where(Organization.name == org_name)).scalar()


def test_catalog_api_lists_every_entity_type_with_its_rest_path(login):
    entries = {e["key"]: e for e in login("xj_bureau").get("/api/v1/catalog/").get_json()["result"]}
    assert {"jurisdiction", "organization", "person", "standard", "land_parcel"} <= set(entries)
    land = entries["land_parcel"]
    assert land["module"] == "land" and land["rest_path"] == "/api/v1/land_parcel/"
    assert land["sharing"] == "conditional" and land["sharing_label"] == "有条件共享"
    fields = {f["name"]: f for f in land["fields"]}
    assert fields["certificate_no"]["label"] == "不动产权证书号" and fields["area"]["nullable"] is False
    assert entries["jurisdiction"]["sharing_label"] == "无条件共享"


def test_row_counts_are_those_of_the_users_scope(app, login):
    clerk = {e["key"]: e for e in login("tianshan_clerk").get("/api/v1/catalog/").get_json()["result"]}
    assert clerk["land_parcel"]["row_count"] == _parcels_of(app, "乌鲁木齐市天山区财政局")
    assert clerk["organization"]["row_count"] == 1
    with app.app_context():
        everything = db.session.execute(select(func.count(LandParcel.id))).scalar()
    region = {e["key"]: e for e in login("xj_bureau").get("/api/v1/catalog/").get_json()["result"]}
    assert region["land_parcel"]["row_count"] == everything > clerk["land_parcel"]["row_count"]


def test_catalog_page_shows_the_same(login):
    html = login("urumqi_bureau").text("/catalog/")
    assert 'data-key="land_parcel"' in html and "有条件共享" in html and "/api/v1/land_parcel/" in html


def test_export_is_scoped(app, login):
    csv = login("kashgar_clerk").get("/catalog/export/land_parcel.csv").get_data(as_text=True)
    lines = csv.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("id,name,jurisdiction_id")
    assert len(lines) - 1 == _parcels_of(app, "喀什市财政局")
    assert all("喀什" in line for line in lines[1:])


def test_export_of_unknown_type_is_404(login):
    assert login("xj_bureau").get("/catalog/export/nothing.csv").status_code == 404
