"""The card history (资产变动记录, Art. 18) is complete whatever path changed the card."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from catalog.models import Organization, Person
from core.extensions import db
from core.scoping import acting_as
from plugins.assets.cards.models import Asset, AssetMovement
from tests.plugins.assets.helpers import equipment_class

TIANSHAN = "乌鲁木齐市天山区财政局"


def _card(app) -> tuple[int, list[int]]:
    with app.app_context():
        org = db.session.execute(select(Organization).where(Organization.name == TIANSHAN)).scalar_one()
        people = db.session.execute(select(Person.id).where(Person.organization_id == org.id)
                                    .order_by(Person.id)).scalars().all()
        clerk = app.appbuilder.sm.find_user(username="tianshan_clerk")
        with acting_as(clerk):
            asset = Asset(number=f"T-HIST-{dt.datetime.now():%H%M%S%f}", asset_class=equipment_class(),
                          name="历史测试机", quantity=1, unit="台", original_value=Decimal("3000"),
                          acquired_on=dt.date(2024, 3, 1), organization=org, jurisdiction=org.jurisdiction,
                          status="idle", location="库房")
            db.session.add(asset)
            db.session.commit()
        return asset.id, people


def _history(app, pk):
    with app.app_context():
        return [(m.kind, m.source, m.from_custodian_id, m.to_custodian_id, m.from_status, m.to_status,
                 m.to_location)
                for m in db.session.execute(select(AssetMovement).where(AssetMovement.asset_id == pk)
                                            .order_by(AssetMovement.id)).scalars()]


def test_a_card_moves_only_by_operations_each_with_its_history_line(app, login):
    """Art. 18: a PUT cannot move a card (nothing written, no line); the operations move it, each
    with its line."""
    pk, people = _card(app)
    clerk = login("tianshan_clerk")
    response = clerk.api("PUT", f"/api/v1/asset/{pk}", json={"custodian_id": people[0]})
    assert response.status_code == 422 and "领用" in response.get_json()["message"]
    response = clerk.api("PUT", f"/api/v1/asset/{pk}", json={"status": "in_use", "location": "301 室"})
    assert response.status_code == 422
    assert _history(app, pk) == []
    response = clerk.api("POST", f"/api/v1/asset/{pk}/set_status", json={"status": "in_use"})
    assert response.status_code == 200, response.get_json()
    response = clerk.api("POST", f"/api/v1/asset/{pk}/relocate", json={"location": "301 室"})
    assert response.status_code == 200, response.get_json()
    assert _history(app, pk) == [
        ("status_change", None, None, None, "idle", "in_use", None),
        ("relocation", None, None, None, None, None, "301 室"),
    ]


def test_an_edit_that_moves_nothing_writes_no_history(app, login):
    pk, _people = _card(app)
    clerk = login("tianshan_clerk")
    assert clerk.api("PUT", f"/api/v1/asset/{pk}", json={"note": "只改备注"}).status_code == 200
    assert _history(app, pk) == []
