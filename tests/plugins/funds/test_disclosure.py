"""三公经费公开 (Art. 13): the 决算 table is the ledger summed by class (30212 / 31013 / 30231 /
30217) with batches and person-times; a table that differs from the budget is published only with
its 说明; publication freezes and locks it; publication after the standard's days is flagged; the
overdue unpublished ones are on the 工作台; the roll-up sums the organisations below a
jurisdiction and not beside it; the PDFs show the figures."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from catalog.expenditures import EconomicClass, Expenditure, post_expenditure
from catalog.models import Jurisdiction, Organization
from core.display import local_today
from core.errors import WriteRefused
from core.extensions import db
from core.scoping import acting_as, scope_for_user
from core.workflow.runner import run_operation
from plugins.funds.disclosure.dashboard import overdue_disclosures
from plugins.funds.disclosure.figures import organization_table, rollup
from plugins.funds.disclosure.models import SangongBudget, SangongDisclosure
from reports.engine import render_pdf

OFFICE = "乌鲁木齐市天山区人民政府办公室"
FINANCE = "乌鲁木齐市天山区财政局"  # tianshan_clerk's
CITY_EDU = "乌鲁木齐市教育局"
KASHGAR = "喀什市财政局"
_source = iter(range(random.randint(10**6, 10**8), 10**9))


def org(name) -> Organization:
    return db.session.execute(select(Organization).where(Organization.name == name)).scalar_one()


def user(app, username):
    return app.appbuilder.sm.find_user(username=username)


_years = iter(range(random.randint(2030, 2060), 2100))


def a_year() -> int:
    """A year no other test books in (the app is shared by the session's tests)."""
    return next(_years)


def post(organization, year, code, amount, persons=None, batch=False):
    return post_expenditure(db.session, source_module="tests", source_type="tests_sangong",
                            source_id=next(_source), organization=organization, spent_on=dt.date(year, 6, 1),
                            economic_code=code, amount=amount, person_times=persons, batch=batch)


def budget(organization, year, **amounts):
    row = SangongBudget(organization=organization, jurisdiction=organization.jurisdiction, year=year,
                        approved_on=dt.date(year, 1, 20), **{k: Decimal(v) for k, v in amounts.items()})
    db.session.add(row)
    db.session.flush()
    return row


def test_art13_final_table_is_the_ledger_by_class_with_batches_and_person_times(ctx):
    office, year = org(OFFICE), a_year()
    budget(office, year, outbound="30000", vehicle_purchase="0", vehicle_running="20000", reception="8000")
    post(office, year, "30212", "25000.50", persons=3, batch=True)
    post(office, year, "30217", "1200", persons=5, batch=True)
    post(office, year, "30217", "800.25", persons=4, batch=True)
    post(office, year, "30231", "21000")
    post(office, year, "31013", "180000")
    post(office, year - 1, "30217", "999")  # another year: not counted
    db.session.flush()
    table = organization_table(db.session, office, year, "final")
    figure = table["figure"]
    assert figure["outbound"] == Decimal("25000.50")
    assert figure["reception"] == Decimal("2000.25")
    assert (figure["vehicle_purchase"], figure["vehicle_running"], figure["vehicle"]) == (
        Decimal("180000.00"), Decimal("21000.00"), Decimal("201000.00"))
    assert figure["total"] == Decimal("228000.75")
    assert table["base"]["total"] == Decimal("58000.00")
    assert table["change"]["reception"] == Decimal("-5999.75")
    assert (table["reception_batches"], table["reception_person_times"]) == (2, 9)
    assert (table["outbound_batches"], table["outbound_person_times"]) == (1, 3)


def test_art13_rollup_sums_the_organisations_below_and_not_beside(ctx):
    year = a_year()
    office, city, kashgar = org(OFFICE), org(CITY_EDU), org(KASHGAR)
    post(office, year, "30217", "100", persons=2, batch=True)
    post(city, year, "30217", "50", persons=1, batch=True)
    post(kashgar, year, "30217", "7000", persons=9, batch=True)
    budget(city, year, outbound="0", vehicle_purchase="0", vehicle_running="0", reception="60")
    db.session.flush()
    urumqi = db.session.execute(select(Jurisdiction).where(Jurisdiction.code == "650100")).scalar_one()
    data = rollup(db.session, urumqi, year)
    names = {line["organization"].name for line in data["lines"]}
    assert {OFFICE, CITY_EDU} <= names and KASHGAR not in names
    expected = db.session.execute(
        select(func.sum(Expenditure.amount))
        .join(EconomicClass, EconomicClass.id == Expenditure.economic_class_id)
        .join(Jurisdiction, Jurisdiction.id == Expenditure.jurisdiction_id)
        .where(EconomicClass.code == "30217", Jurisdiction.path.startswith(urumqi.path),
               Expenditure.spent_on.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))).scalar_one()
    assert data["total"]["figure"]["reception"] == Decimal(expected) == Decimal("150.00")
    assert data["total"]["reception_person_times"] == 3
    assert data["total"]["base"]["reception"] == Decimal("60")
    tianshan = db.session.execute(select(Jurisdiction).where(Jurisdiction.code == "650102")).scalar_one()
    assert CITY_EDU not in {line["organization"].name for line in rollup(db.session, tianshan, year)["lines"]}


def _disclosure(organization, year, kind="final", approved_on=None, **extra):
    row = SangongDisclosure(organization=organization, jurisdiction=organization.jurisdiction, year=year,
                            kind=kind, approved_on=approved_on or dt.date(year, 3, 1), vehicles_held=2,
                            **extra)
    db.session.add(row)
    db.session.flush()
    return row


def test_art13_publication_refused_without_the_explanation_of_a_change(ctx):
    office, year = org(FINANCE), a_year()
    budget(office, year, outbound="0", vehicle_purchase="0", vehicle_running="0", reception="500")
    post(office, year, "30217", "480", persons=3, batch=True)
    with acting_as(user(ctx, "tianshan_clerk")):
        row = _disclosure(office, year)
        with pytest.raises(WriteRefused, match="第十三条") as refused:
            run_operation(row, "publish", {"published_on": dt.date(year, 3, 5).isoformat(),
                                           "place": "http://example.gov.cn/"})
        assert "说明" in str(refused.value)
        db.session.rollback()


def test_art13_publication_freezes_and_locks_the_table(ctx):
    office, year = org(FINANCE), a_year()
    budget(office, year, outbound="0", vehicle_purchase="0", vehicle_running="0", reception="500")
    post(office, year, "30217", "480", persons=3, batch=True)
    with acting_as(user(ctx, "tianshan_clerk")):
        row = _disclosure(office, year, explanation="接待批次减少，实际支出低于预算。")
        run_operation(row, "publish", {"published_on": dt.date(year, 3, 5).isoformat(), "place": "公告栏"})
        assert row.published_on == dt.date(year, 3, 5)
        assert row.figures["figure"]["reception"] == "480.00"
        post(office, year, "30217", "100")  # booked later: the published table keeps its figures
        db.session.flush()
        from plugins.funds.disclosure.figures import table_of

        assert table_of(db.session, row)["figure"]["reception"] == Decimal("480.00")
        row.explanation = "改写说明"
        with pytest.raises(WriteRefused, match="已于 .* 公开，不能再修改"):
            db.session.flush()
        db.session.rollback()


def test_art13_no_explanation_needed_when_the_figures_agree(ctx):
    office, year = org(FINANCE), a_year()
    budget(office, year, outbound="0", vehicle_purchase="0", vehicle_running="0", reception="480")
    post(office, year, "30217", "480", persons=3, batch=True)
    with acting_as(user(ctx, "tianshan_clerk")):
        row = _disclosure(office, year)
        run_operation(row, "publish", {"published_on": dt.date(year, 3, 5).isoformat(), "place": "公告栏"})
        assert row.published_on is not None


def test_art13_late_publication_is_flagged_and_timely_is_not(app, rest, findings):
    clerk = rest("tianshan_clerk", "jwt")
    with app.app_context():
        office_id = org(FINANCE).id
    year = a_year()
    ids = {}
    for label, approved, published in (("late", f"{year}-01-10", f"{year}-02-20"),
                                       ("timely", f"{year}-02-10", f"{year}-02-20")):
        created = clerk.api("POST", "/api/v1/funds_sangong_disclosure/", json={
            "organization_id": office_id, "year": year, "kind": "budget", "approved_on": approved,
            "vehicles_held": 1, "explanation": "说明"})
        assert created.status_code == 201, created.get_json()
        pk = ids[label] = created.get_json()["id"]
        done = clerk.api("POST", f"/api/v1/funds_sangong_disclosure/{pk}/publish",
                         json={"published_on": published, "place": "http://example.gov.cn/sg"})
        assert done.status_code == 200, done.get_json()
    late = [f for f in findings("funds_sangong_disclosure", ids["late"])
            if f["rule_key"] == "funds.disclosure_deadline"]
    assert len(late) == 1 and late[0]["article"] == 13 and f"{year}-01-30" in late[0]["message"]
    assert not [f for f in findings("funds_sangong_disclosure", ids["timely"])
                if f["rule_key"] == "funds.disclosure_deadline"]
    # published: PUT is refused (locked), naming 第十三条
    put = clerk.api("PUT", f"/api/v1/funds_sangong_disclosure/{ids['late']}", json={"explanation": "改"})
    assert put.status_code in (409, 422) and "第十三条" in put.get_json()["message"]
    again = clerk.api("POST", f"/api/v1/funds_sangong_disclosure/{ids['late']}/publish",
                      json={"place": "公告栏"})
    assert again.status_code in (409, 422)


def test_art13_publish_needs_a_place(app, rest):
    clerk = rest("tianshan_clerk", "jwt")
    with app.app_context():
        office_id = org(FINANCE).id
    created = clerk.api("POST", "/api/v1/funds_sangong_disclosure/", json={
        "organization_id": office_id, "year": a_year(), "kind": "budget", "approved_on": "2026-01-10"})
    pk = created.get_json()["id"]
    response = clerk.api("POST", f"/api/v1/funds_sangong_disclosure/{pk}/publish", json={"place": " "})
    assert response.status_code == 422 and "公开位置" in response.get_json()["message"]
    bad = clerk.api("POST", "/api/v1/funds_sangong_disclosure/", json={
        "organization_id": office_id, "year": 2026, "kind": "monthly", "approved_on": "2026-01-10"})
    assert bad.status_code == 422 and "预算" in str(bad.get_json())


def test_art13_overdue_unpublished_disclosures_are_on_the_bureaus_workbench(ctx):
    office = org(OFFICE)
    today = local_today()
    row = _disclosure(office, a_year(), kind="budget", approved_on=today - dt.timedelta(days=40))
    fresh = _disclosure(office, a_year(), kind="budget", approved_on=today - dt.timedelta(days=3))
    items = overdue_disclosures(scope_for_user(user(ctx, "tianshan_bureau")), today)
    records = [item.record for item in items]
    assert row in records and fresh not in records
    assert "第十三条" in next(i.text for i in items if i.record is row)
    kashgar = overdue_disclosures(scope_for_user(user(ctx, "kashgar_bureau")), today)
    assert row not in [i.record for i in kashgar]


def _money(value) -> str:
    return f"{Decimal(value):,.2f}"


def test_art13_disclosure_pdf_of_tianshan_finance_shows_reception_and_outbound(ctx, pdf_text):
    """The done-when: 天山区财政局's 决算 table shows the receptions and delegations of the walk."""
    finance = org("乌鲁木齐市天山区财政局")
    year = local_today().year
    post(finance, year, "30217", "3456.78", persons=6, batch=True)  # as the receptions module does
    db.session.flush()
    row = db.session.execute(select(SangongDisclosure).where(
        SangongDisclosure.organization_id == finance.id, SangongDisclosure.year == year,
        SangongDisclosure.kind == "final", SangongDisclosure.published_on.is_(None))).scalars().first()
    table = organization_table(db.session, finance, year, "final")
    assert table["figure"]["outbound"] > 0 and table["figure"]["reception"] >= Decimal("3456.78")
    text = pdf_text(render_pdf("funds_sangong_disclosure", {"disclosure_id": row.id},
                               scope_for_user(user(ctx, "tianshan_clerk"))))
    for label in ("三公经费决算公开表", "因公出国（境）费", "公务用车购置及运行维护费", "公务接待费",
                  "决算数", "增减", "说明"):
        assert label in text.replace(" ", ""), label
    for key in ("outbound", "reception", "total"):
        assert _money(table["figure"][key]) in text, key
    assert f"{table['outbound_person_times']}" in text


def test_art13_rollup_pdf_of_urumqi_shows_tianshan_and_not_kashgar(ctx, pdf_text):
    finance = org("乌鲁木齐市天山区财政局")
    year = local_today().year
    post(finance, year, "30217", "2222.22", persons=2, batch=True)
    db.session.flush()
    urumqi = db.session.execute(select(Jurisdiction).where(Jurisdiction.code == "650100")).scalar_one()
    data = rollup(db.session, urumqi, year)
    text = pdf_text(render_pdf("funds_sangong_rollup", {"year": year},
                               scope_for_user(user(ctx, "urumqi_bureau"))))
    flat = text.replace(" ", "")
    assert "乌鲁木齐市三公经费汇总表" in flat and "天山区财政局" in flat and KASHGAR not in flat
    line = next(one for one in data["lines"] if one["organization"].id == finance.id)
    assert _money(line["figure"]["reception"]) in text and _money(line["figure"]["outbound"]) in text
    assert _money(data["total"]["figure"]["total"]) in text


def test_art13_rollup_page_drills_down_to_an_organisation(app, login):
    year = local_today().year
    bureau = login("urumqi_bureau")
    page = bureau.text(f"/funds/sangong/?year={year}")
    assert "乌鲁木齐市三公经费汇总表" in page and "乌鲁木齐市天山区财政局" in page and KASHGAR not in page
    with app.app_context():
        finance_id = org("乌鲁木齐市天山区财政局").id
        kashgar_id = org(KASHGAR).id
    assert f"organization={finance_id}" in page
    detail = bureau.text(f"/funds/sangong/?year={year}&organization={finance_id}")
    assert "乌鲁木齐市天山区财政局" in detail and "决算数" in detail
    outside = bureau.text(f"/funds/sangong/?year={year}&organization={kashgar_id}")
    assert "不在您的权限范围内" in outside
    assert "不在您的权限范围内" in login("tianshan_clerk").text(f"/funds/sangong/?organization={kashgar_id}")


def test_art13_the_workbench_of_the_bureau_lists_the_overdue_demo_disclosure(app, login):
    """The demo's 天山区教育局 预算 disclosure, approved in January and unpublished (第十三条)."""
    page = login("tianshan_bureau").text("/")
    assert "逾期未公开的三公经费" in page and "天山区教育局" in page


def test_art13_a_published_disclosure_is_voided_even_after_later_bookings(ctx):
    """作废 of a published table stays possible when the ledger moved after the publication."""
    finance, year = org(FINANCE), a_year()
    budget(finance, year, outbound="0", vehicle_purchase="0", vehicle_running="0", reception="480")
    post(finance, year, "30217", "480", persons=3, batch=True)
    with acting_as(user(ctx, "tianshan_clerk")):
        row = _disclosure(finance, year)
        run_operation(row, "publish", {"published_on": dt.date(year, 3, 5).isoformat(), "place": "公告栏"})
        post(finance, year, "30217", "20")
        db.session.flush()
        run_operation(row, "void", {"reason": "数据有误，重新公开"})
        assert row.voided_at is not None
