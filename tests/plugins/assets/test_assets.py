"""The assets module: demo data, class tree, standards and screens (Art. 16-19)."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from catalog.models import Standard
from core.extensions import db
from core.state import get_state
from plugins.assets.cards.models import Asset, AssetClass


def test_module_and_standard_kinds_registered(ctx):
    state = get_state()
    assert state.modules["assets"].articles == (14, 16, 17, 18, 19)
    assert state.entities.get("asset").model is Asset


def test_demo_classes_standards_and_cards(ctx):
    session = db.session
    # the national categories (X000000); other tests add top classes of their own (27000NN)
    tops = session.execute(select(AssetClass.code, AssetClass.name)
                           .where(AssetClass.parent_id.is_(None), AssetClass.code.like("_000000"))
                           .order_by(AssetClass.code)).all()
    assert [c for c, _n in tops] == [f"{n}000000" for n in range(1, 9)]
    assert dict(tops)["2000000"] == "设备" and dict(tops)["8000000"] == "无形资产"
    computers = session.execute(select(AssetClass).where(AssetClass.code == "2010000")).scalar_one()
    assert computers.parent.code == "2000000" and computers.level == 2
    caps = session.execute(select(Standard.value).where(Standard.kind == "asset_price_cap",
                                                        Standard.key == "2010000")).scalars().all()
    assert [int(v) for v in caps] == [6000]
    assets = session.execute(select(Asset)).scalars().all()
    assert len(assets) >= 40
    assert len({a.jurisdiction_id for a in assets}) >= 3
    assert {"in_use", "idle"} <= {a.status for a in assets}
    assert all(a.jurisdiction_id == a.organization.jurisdiction_id for a in assets)
    assert all(a.min_life_ends_on is not None for a in assets)


def test_clerk_sees_only_its_own_assets(app, login):
    html = login("tianshan_clerk").text("/assetview/list/?psize_AssetView=100")
    assert "资产卡片" in html and "ZC-650102-" in html
    assert "ZC-653101-" not in html and "ZC-650000-" not in html
    with app.app_context():
        count = db.session.execute(select(func.count(Asset.id))
                                   .where(Asset.number.like("ZC-650102-%"))).scalar()
    assert count > 0


def test_clerk_add_form_offers_asset_classes(login):
    html = login("tianshan_clerk").text("/assetview/add")
    assert "计算机设备" in html and "家具" in html
    assert "闲置" in html and "财政拨款" in html


def test_class_tree_is_readable(login):
    for user in ("tianshan_clerk", "urumqi_bureau"):
        html = login(user).text("/assets/classes/")
        assert "2000000" in html and "计算机设备" in html and "无形资产" in html


def test_sorting_by_a_label_or_an_unknown_column_never_fails(app, login):
    """The 资产状态 header sorts by the status code; a made-up sort column is ignored, not a 500."""
    clerk = login("tianshan_clerk")
    html = clerk.text("/assetview/list/?_oc_AssetView=status_label&_od_AssetView=asc")
    rows = re.findall(r"<td>\s*(ZC-[^<\s]+)\s*</td>", html)
    with app.app_context():
        by_number = dict(db.session.execute(
            select(Asset.number, Asset.status).where(Asset.number.in_(rows))).all())
    assert rows and [by_number[n] for n in rows] == sorted(by_number[n] for n in rows)
    for bogus in ("version_id_col", "__class__", "organization.nonexistent", "status_label.x"):
        response = clerk.get(f"/assetview/list/?_oc_AssetView={bogus}&_od_AssetView=asc")
        assert response.status_code == 200, bogus
    response = clerk.get("/api/v1/asset/?q=(order_column:status_label,order_direction:asc)")
    assert response.status_code in (200, 400), response.status_code
