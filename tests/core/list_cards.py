"""Two organisations of 天山区 with cards of their own, for the list tests (deep pages, kept
queries): made once (kept: a clerk's test login may belong to one), the cards removed after."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from catalog.models import Jurisdiction, Organization
from core.extensions import db
from plugins.assets.cards.models import Asset, AssetClass


@contextmanager
def organisations_with_cards(app, number: str, uscc: str, org_name: str, count: int,
                             card: Callable[[int], dict]) -> Iterator[dict]:
    """Organisations ``{org_name}A`` and ``…B`` (USCC ``{uscc}A000000000``…), ``count`` cards
    each, numbered ``{number}-A-000``…, with ``card(k)``'s name, date and status; yields their
    ids by side."""
    made = {}
    with app.app_context():
        jur_id = db.session.execute(
            sa.select(Jurisdiction.id).where(Jurisdiction.code == "650102")).scalar_one()
        class_id = db.session.execute(sa.select(AssetClass.id).limit(1)).scalar_one()
        orgs = Organization.__table__
        for side in "AB":
            code = f"{uscc}{side}{0:09d}"
            org_id = db.session.execute(sa.select(orgs.c.id).where(orgs.c.uscc == code)).scalar()
            if org_id is None:
                org_id = db.session.execute(sa.insert(orgs).values(
                    name=f"{org_name}{side}", uscc=code, org_type="party_government",
                    is_bureau=False, jurisdiction_id=jur_id, version=1,
                ).returning(orgs.c.id)).scalar_one()
            made[side] = org_id
            db.session.execute(sa.insert(Asset.__table__), [dict(
                number=f"{number}-{side}-{k:03d}", class_id=class_id, quantity=1, unit="台",
                original_value=100, funding_source="fiscal", organization_id=org_id,
                jurisdiction_id=jur_id, version=1, **card(k)) for k in range(count)])
        db.session.commit()
        db.session.remove()
    try:
        yield made
    finally:
        with app.app_context():
            db.session.execute(sa.delete(Asset.__table__).where(Asset.__table__.c.number.like(f"{number}-%")))
            db.session.commit()
            db.session.remove()
