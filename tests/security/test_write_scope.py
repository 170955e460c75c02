"""Every foreign key a write sets is scope-checked, on update as on creation; a child row's
scope follows its parent; a line of a submitted or approved document can be neither moved
nor edited. The REST probes of issue 9, with a bearer token as a program would send them.

Demo facts used: the Tianshan finance bureau (tianshan_clerk) has stocktake 1 (submitted, one
surplus) and stocktake 3 (draft); Kashgar's finance bureau (kashgar_clerk) stocktake 4 (draft,
one surplus); Tianshan's government office stocktake 2 (draft).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.extensions import db
from core.tenancy import Organization

SURPLUS = "/api/v1/asset_stocktake_surplus/"


def _org(app, name: str) -> int:
    with app.app_context():
        found = db.session.execute(select(Organization.id).where(Organization.name == name)).scalar_one()
        db.session.remove()
    return found


def _row(app, model, pk: int) -> dict:
    with app.app_context():
        row = db.session.get(model, pk)
        values = {c.key: getattr(row, c.key) for c in model.__table__.c} if row else None
        db.session.remove()
    return values


def _stocktake(app, org_name: str, state: str) -> int:
    from plugins.assets.stocktake.models import Stocktake

    with app.app_context():
        found = db.session.execute(
            select(Stocktake.id).join(Organization, Organization.id == Stocktake.organization_id)
            .where(Organization.name == org_name, Stocktake.state == state).order_by(Stocktake.id)
        ).scalars().first()
        db.session.remove()
    return found


def _surplus_of(app, stocktake_id: int) -> int:
    from plugins.assets.stocktake.models import StocktakeSurplus

    with app.app_context():
        found = db.session.execute(select(StocktakeSurplus.id).where(
            StocktakeSurplus.stocktake_id == stocktake_id).order_by(StocktakeSurplus.id)).scalars().first()
        db.session.remove()
    return found


def _refused(response, *statuses) -> None:
    assert response.status_code in (statuses or (403, 409, 422)), \
        (response.status_code, response.get_data(as_text=True)[:300])
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.get_json()["message"])


TIANSHAN_FIN, TIANSHAN_OFFICE = "乌鲁木齐市天山区财政局", "乌鲁木齐市天山区人民政府办公室"
KASHGAR_FIN = "喀什市财政局"


def _new_surplus(client, app, stocktake_id: int, name: str) -> int:
    from plugins.assets.stocktake.models import StocktakeSurplus

    with app.app_context():
        class_id = db.session.execute(select(StocktakeSurplus.class_id)).scalars().first()
        db.session.remove()
    response = client.post(SURPLUS, json={"stocktake_id": stocktake_id, "class_id": class_id,
                                          "name": name, "quantity": 1, "unit": "台",
                                          "estimated_value": "100.00"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_a_surplus_cannot_move_into_another_organisations_stocktake(app, api_client):
    from plugins.assets.stocktake.models import StocktakeSurplus

    submitted = _stocktake(app, TIANSHAN_FIN, "submitted")
    kashgar = _stocktake(app, KASHGAR_FIN, "draft")
    surplus = _surplus_of(app, submitted)
    before = _row(app, StocktakeSurplus, surplus)
    # the probe: out of a submitted stocktake, into Kashgar's
    _refused(api_client("tianshan_clerk").put(f"{SURPLUS}{surplus}", json={"stocktake_id": kashgar}))
    assert _row(app, StocktakeSurplus, surplus) == before
    # out of one's own draft into another organisation's draft: refused as well
    draft = _stocktake(app, TIANSHAN_FIN, "draft")
    clerk = api_client("tianshan_clerk")
    own = _new_surplus(clerk, app, draft, "探针盘盈一")
    before = _row(app, StocktakeSurplus, own)
    for target in (kashgar, _stocktake(app, TIANSHAN_OFFICE, "draft")):
        _refused(clerk.put(f"{SURPLUS}{own}", json={"stocktake_id": target}))
        assert _row(app, StocktakeSurplus, own) == before


def test_a_line_of_a_submitted_document_can_be_neither_moved_nor_edited(app, api_client):
    from plugins.assets.stocktake.models import StocktakeSurplus

    clerk = api_client("tianshan_clerk")
    submitted = _stocktake(app, TIANSHAN_FIN, "submitted")
    draft = _stocktake(app, TIANSHAN_FIN, "draft")
    locked = _surplus_of(app, submitted)
    before = _row(app, StocktakeSurplus, locked)
    _refused(clerk.put(f"{SURPLUS}{locked}", json={"name": "改名"}))
    _refused(clerk.put(f"{SURPLUS}{locked}", json={"stocktake_id": draft}))
    assert _row(app, StocktakeSurplus, locked) == before
    # nor moved into a submitted document from a draft one
    free = _new_surplus(clerk, app, draft, "探针盘盈二")
    before = _row(app, StocktakeSurplus, free)
    _refused(clerk.put(f"{SURPLUS}{free}", json={"stocktake_id": submitted}))
    assert _row(app, StocktakeSurplus, free) == before


def test_a_childs_scope_follows_its_parent_on_every_change(app, api_client):
    from plugins.assets.stocktake.models import StocktakeSurplus

    region = api_client("xj_bureau")  # may write both organisations
    fin, office = _stocktake(app, TIANSHAN_FIN, "draft"), _stocktake(app, TIANSHAN_OFFICE, "draft")
    pk = _new_surplus(region, app, fin, "探针盘盈三")
    assert _row(app, StocktakeSurplus, pk)["organization_id"] == _org(app, TIANSHAN_FIN)
    response = region.put(f"{SURPLUS}{pk}", json={"stocktake_id": office})
    assert response.status_code == 200, response.get_json()
    row = _row(app, StocktakeSurplus, pk)
    assert (row["stocktake_id"], row["organization_id"]) == (office, _org(app, TIANSHAN_OFFICE))
    # a scope column sent with the move does not win over the parent's
    response = region.put(f"{SURPLUS}{pk}", json={"stocktake_id": fin,
                                                  "organization_id": _org(app, KASHGAR_FIN)})
    if response.status_code == 200:
        row = _row(app, StocktakeSurplus, pk)
        assert (row["stocktake_id"], row["organization_id"]) == (fin, _org(app, TIANSHAN_FIN))
    else:
        _refused(response)


def _foreign(app, model, column_org: str, org_name: str) -> int:
    with app.app_context():
        found = db.session.execute(select(model.id).join(
            Organization, Organization.id == getattr(model, column_org)).where(
            Organization.name == org_name).order_by(model.id)).scalars().first()
        db.session.remove()
    return found


@pytest.mark.parametrize("probe", ["custodian", "title_holder", "organization_parent"])
def test_a_foreign_relation_id_is_refused_on_put(app, api_client, probe):
    from catalog.models import Person
    from plugins.assets.cards.models import Asset
    from plugins.land.parcels.models import LandParcel

    if probe == "custodian":  # a person of another county
        model, user, url_key = Asset, "tianshan_clerk", "asset"
        pk = _foreign(app, Asset, "organization_id", TIANSHAN_FIN)
        body = {"custodian_id": _foreign(app, Person, "organization_id", KASHGAR_FIN)}
    elif probe == "title_holder":  # an organisation of another prefecture
        model, user, url_key = LandParcel, "tianshan_clerk", "land_parcel"
        pk = _foreign(app, LandParcel, "organization_id", TIANSHAN_FIN)
        body = {"title_holder_id": _org(app, KASHGAR_FIN)}
    else:  # an organisation's parent in another prefecture
        model, user, url_key = Organization, "urumqi_bureau", "organization"
        pk = _org(app, TIANSHAN_OFFICE)
        body = {"parent_id": _org(app, "喀什地区机关事务管理局")}
    assert pk is not None, probe
    before = _row(app, model, pk)
    response = api_client(user).put(f"/api/v1/{url_key}/{pk}", json=body)
    _refused(response)
    assert _row(app, model, pk) == before


def test_a_foreign_relation_id_is_refused_by_operations(app, api_client):
    """Custodian and title holder change only through operations: the same refusal there."""
    from catalog.models import Person
    from plugins.assets.cards.models import Asset
    from plugins.land.parcels.models import LandParcel

    clerk = api_client("tianshan_clerk")
    with app.app_context():
        org = _org(app, TIANSHAN_FIN)
        held = db.session.execute(select(Asset.id).where(
            Asset.organization_id == org, Asset.custodian_id.is_not(None))
            .order_by(Asset.id)).scalars().first()
        parcel = db.session.execute(select(LandParcel.id).where(
            LandParcel.organization_id == org).order_by(LandParcel.id)).scalars().first()
        db.session.remove()
    stranger = _foreign(app, Person, "organization_id", KASHGAR_FIN)
    before = _row(app, Asset, held)
    _refused(clerk.post(f"/api/v1/asset/{held}/transfer", json={"custodian_id": stranger}), 403, 422)
    assert _row(app, Asset, held) == before
    if _row(app, LandParcel, parcel)["registration_status"] == "unregistered":
        assert clerk.post(f"/api/v1/land_parcel/{parcel}/start_registration", json={}).status_code == 200
    before = _row(app, LandParcel, parcel)
    _refused(clerk.post(f"/api/v1/land_parcel/{parcel}/complete_registration", json={
        "certificate_no": "新(2026)探针第1号", "title_holder_id": _org(app, KASHGAR_FIN)}), 403, 422)
    assert _row(app, LandParcel, parcel) == before
