"""Issue 12's done-when across the two modules, through the doors users use: a reception
(receptions, Art. 34) and a delegation (funds, Art. 13) entered over REST reach the 三公经费
disclosure PDF of 天山区财政局 and the roll-up of 乌鲁木齐市 — through the catalog's ledger, with
no import between the modules."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from catalog.models import Jurisdiction, Organization
from core.extensions import db
from plugins.funds.disclosure.figures import organization_table, rollup
from plugins.funds.disclosure.models import SangongDisclosure
from tests.plugins.funds.test_disclosure_trips import _approved_trip, _upload
from tests.plugins.receptions.helpers import approved_reception, pdf_text

FINANCE = "乌鲁木齐市天山区财政局"


def _figures(app, year):
    with app.app_context():
        finance = db.session.execute(select(Organization).where(Organization.name == FINANCE)).scalar_one()
        urumqi = db.session.execute(select(Jurisdiction).where(Jurisdiction.code == "650100")).scalar_one()
        own = organization_table(db.session, finance, year, "final")
        city = rollup(db.session, urumqi, year)
        line = next(one for one in city["lines"] if one["organization"].id == finance.id)
        return own, line, city["total"], finance.id


def _money(value) -> str:
    return f"{Decimal(value):,.2f}"


def test_art13_art34_the_walks_reception_and_delegation_reach_the_disclosure_and_the_rollup(
        app, api_client, login, rest):
    """第十三条、第三十四条: a reception with its 公函 approved and settled (1,234.56 元, 3 guests)
    and a delegation settled after its return (2 members) show in 天山区财政局's 三公经费决算公开表
    and in 乌鲁木齐市's 汇总表 — amounts, batches and person-times."""
    year = 2026
    before, _line, _total, _org = _figures(app, year)

    clerk = api_client("tianshan_clerk")
    reception = approved_reception(app, api_client, login, "伊犁州审计局（走查）", guests=3)
    settled = clerk.api("POST", "/api/v1/reception_settlement/", json={
        "reception_id": reception, "meals_cost": "1234.56", "lodging_cost": "0",
        "transport_cost": "0", "other_cost": "0"})
    assert settled.status_code == 201, settled.get_json()
    done = clerk.api("POST", f"/api/v1/reception_settlement/{settled.get_json()['id']}/complete",
                     json={"completed_on": "2026-11-04"})
    assert done.status_code == 200, done.get_json()

    trip = _approved_trip(app, rest, members=2)
    returned = rest("tianshan_clerk", "jwt")
    assert _upload(returned, trip, "trip_report").status_code == 201
    back = returned.api("POST", f"/api/v1/funds_outbound_trip/{trip}/settle",
                        json={"returned_on": "2026-06-06", "actual_cost": "20000.00"})
    assert back.status_code == 200, back.get_json()

    after, line, total, finance_id = _figures(app, year)
    assert after["figure"]["reception"] - before["figure"]["reception"] == Decimal("1234.56")
    assert after["figure"]["outbound"] - before["figure"]["outbound"] == Decimal("20000.00")
    assert after["reception_batches"] - before["reception_batches"] == 1
    assert after["reception_person_times"] - before["reception_person_times"] == 3
    assert after["outbound_batches"] - before["outbound_batches"] == 1
    assert after["outbound_person_times"] - before["outbound_person_times"] == 2

    with app.app_context():
        disclosure = db.session.execute(select(SangongDisclosure.id).where(
            SangongDisclosure.organization_id == finance_id, SangongDisclosure.year == year,
            SangongDisclosure.kind == "final", SangongDisclosure.published_on.is_(None))).scalars().first()
    own_pdf = returned.api("POST", "/api/v1/reports/funds_sangong_disclosure/render",
                           json={"params": {"disclosure_id": disclosure}})
    assert own_pdf.status_code == 200, own_pdf.get_data(as_text=True)[:300]
    text = pdf_text(own_pdf.data)
    for key in ("reception", "outbound", "total"):
        assert _money(after["figure"][key]) in text, key

    city_pdf = rest("urumqi_bureau", "jwt").api("POST", "/api/v1/reports/funds_sangong_rollup/render",
                                                json={"params": {"year": year}})
    assert city_pdf.status_code == 200, city_pdf.get_data(as_text=True)[:300]
    city = pdf_text(city_pdf.data)
    assert "乌鲁木齐市三公经费汇总表" in city.replace(" ", "")
    assert _money(line["figure"]["reception"]) in city and _money(line["figure"]["outbound"]) in city
    assert _money(total["figure"]["total"]) in city
