"""Per-person caps (第十七条) multiply the establishment in force (编制人数, 第十二条 定员定额), not the
staff on the list; an organisation without a recorded 编制 is told so instead of being checked
against a count of people."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from catalog.demo import make_uscc
from catalog.models import Jurisdiction, Organization, Person
from core.errors import WriteRefused
from core.extensions import db
from core.scoping import SYSTEM, acting_as
from plugins.assets.cards.models import Asset
from plugins.assets.plans.models import AssetPlan, AssetPlanLine
from tests.plugins.assets.test_plans import CLERK, line_form, lines, new_plan
from tests.plugins.assets.test_rules import ORG_NAME, _ids, fresh_class

NO_ESTABLISHMENT = "未核定编制测试单位"


@pytest.fixture
def ids(app):
    return _ids(app)


@pytest.fixture
def extra_staff(app):
    """Three more people on 天山区财政局's staff list than its 编制 (2, tests/plugins/assets/conftest.py)."""
    with app.app_context(), acting_as(SYSTEM):
        org = db.session.execute(select(Organization).where(Organization.name == ORG_NAME)).scalar_one()
        db.session.add_all([Person(name=f"借调人员{n}", organization=org) for n in range(3)])
        db.session.commit()
    yield
    with app.app_context(), acting_as(SYSTEM):
        for person in db.session.execute(select(Person).where(Person.name.startswith("借调人员"))).scalars():
            db.session.delete(person)
        db.session.commit()


def test_art17_per_person_cap_counts_the_establishment_not_the_staff_list(app, login, ids, extra_staff):
    """Computers, 1 per person: 编制 2 with 2 held is full, however many people are listed."""
    pk = new_plan(app, login, ids, "测试计划：按编制人数核定")
    html = login(CLERK).post("/assetplanlineview/add", data=line_form(pk, ids["computers"]),
                             follow_redirects=True).get_data(as_text=True)
    assert "现有 2 件加本计划 1 件超过数量上限 2 件" in html and "第十七条" in html
    assert lines(app, pk) == []


def _org_without_establishment(app) -> Organization:
    with app.app_context(), acting_as(SYSTEM):
        org = db.session.execute(select(Organization).where(Organization.name == NO_ESTABLISHMENT)
                                 ).scalar_one_or_none()
        if org is None:
            county = db.session.execute(select(Jurisdiction).where(Jurisdiction.code == "650102")
                                        ).scalar_one()
            org = Organization(name=NO_ESTABLISHMENT, uscc=make_uscc("1", "1", "650102", "NE0000001"),
                               jurisdiction=county)
            db.session.add(org)
            db.session.commit()
        return org.id, org.jurisdiction_id


def test_art17_without_an_establishment_a_plan_line_is_refused_with_the_reason(app):
    org_id, jur_id = _org_without_establishment(app)
    cls = fresh_class(app, per_person=1)
    with app.app_context(), acting_as(SYSTEM):
        plan = AssetPlan(organization_id=org_id, year=2027, title="测试计划：未核定编制")
        db.session.add(plan)
        db.session.flush()
        with pytest.raises(WriteRefused, match=f"“{NO_ESTABLISHMENT}”尚未登记编制.*编制核定.*第十七条"):
            db.session.add(AssetPlanLine(plan_id=plan.id, class_id=cls, name="计算机", quantity=1, unit="台",
                                         unit_price=Decimal(3000)))
            db.session.flush()
        db.session.rollback()


def test_art17_without_an_establishment_a_purchase_is_refused_on_the_api(app, login):
    org_id, jur_id = _org_without_establishment(app)
    cls = fresh_class(app, per_person=1)
    clerk = login(role="Clerk", organization=NO_ESTABLISHMENT)
    body = {"number": "T-NOEST-1", "class_id": cls, "name": "计算机", "quantity": 1, "unit": "台",
            "original_value": 3000, "acquired_on": "2026-05-01", "funding_source": "fiscal",
            "acquisition_method": "purchase", "organization_id": org_id, "jurisdiction_id": jur_id,
            "status": "in_use"}
    response = clerk.api("POST", "/api/v1/asset/", json=body)
    assert response.status_code == 422, response.get_json()
    assert "尚未登记编制" in response.get_json()["message"] and "第十七条" in response.get_json()["message"]
    with app.app_context():
        query = select(Asset).where(Asset.number == "T-NOEST-1")
        assert db.session.execute(query).scalar_one_or_none() is None
    # a class without a per-person standard does not need the 编制
    other = fresh_class(app, per_org=5)
    created = clerk.api("POST", "/api/v1/asset/", json={**body, "class_id": other, "number": "T-NOEST-2"})
    assert created.status_code == 201, created.get_json()
    with app.app_context(), acting_as(SYSTEM):
        db.session.delete(db.session.get(Asset, created.get_json()["id"]))
        db.session.commit()
