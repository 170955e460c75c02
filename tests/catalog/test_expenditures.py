"""The shared expenditure ledger (Art. 10, 13, 15): posting, withdrawing, the read-only generic
paths, scope, the per-class totals the funds read, and its screens — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from catalog.expenditure_totals import expenditure_totals, expenditure_totals_by_organization
from catalog.expenditures import (
    RECEPTION,
    EconomicClass,
    Expenditure,
    load_economic_classes,
    post_expenditure,
    withdraw_expenditures,
)
from catalog.models import Jurisdiction, Organization, Person
from core.errors import WriteRefused
from core.extensions import db
from core.scoping import SYSTEM, acting_as
from tests.catalog.xlsx_helpers import upload, xlsx_bytes

#: a year no demo flow books in, so the totals are this test's alone
YEAR = 2019
DAY = dt.date(YEAR, 5, 20)
SOURCE = "test_ledger"
REFUSAL = "支出记录由业务模块在审批、结算时登记，不能直接新增、修改或删除"


def _org(name):
    return db.session.execute(select(Organization).where(Organization.name == name)).scalar_one()


def _jurisdiction(code):
    return db.session.execute(select(Jurisdiction).where(Jurisdiction.code == code)).scalar_one()


TIANSHAN_FINANCE = "乌鲁木齐市天山区财政局"
TIANSHAN_EDUCATION = "乌鲁木齐市天山区教育局"
URUMQI_FINANCE = "乌鲁木齐市财政局"
KASHGAR_FINANCE = "喀什市财政局"

#: (source id, organisation, class, amount, person times, batch)
ROWS = [
    (1, TIANSHAN_FINANCE, RECEPTION, "1200.50", 8, True),
    (2, TIANSHAN_FINANCE, RECEPTION, "800.00", 5, True),
    (3, TIANSHAN_FINANCE, "30201", "300.00", None, False),
    (4, TIANSHAN_EDUCATION, RECEPTION, "450.00", 3, True),
    (5, URUMQI_FINANCE, "30231", "2000.00", None, False),
    (6, KASHGAR_FINANCE, RECEPTION, "999.99", 6, True),
    (7, KASHGAR_FINANCE, "31013", "180000.00", None, False),
]


def _post(source_id, org, code, amount, people=None, batch=False, day=DAY, source=SOURCE,
          number=None):
    return post_expenditure(
        db.session, source_module="catalog", source_type=source, source_id=source_id,
        organization=_org(org), spent_on=day, economic_code=code, amount=amount,
        payee="测试收款方", description="测试", person_times=people, batch=batch,
        source_number=number or f"TL-{source_id:05d}")


def _current(what, code: str):
    """The version of ``code`` in force now (other tests add versions of earlier years)."""
    return select(what).where(EconomicClass.code == code, EconomicClass.effective_to.is_(None))


@pytest.fixture
def ledger(app):
    """The ROWS posted as the system, withdrawn after the test; their ids by source id."""
    with app.app_context(), acting_as(SYSTEM):
        for source_id, org, code, amount, people, batch in ROWS:
            _post(source_id, org, code, amount, people, batch)
        db.session.commit()
        ids = dict(db.session.execute(select(Expenditure.source_id, Expenditure.id)
                                      .where(Expenditure.source_type == SOURCE)).all())
    yield ids
    with app.app_context(), acting_as(SYSTEM):
        for source_id in {row[0] for row in ROWS} | {90, 91}:
            withdraw_expenditures(db.session, SOURCE, source_id)
        db.session.commit()


def _count(app, source=SOURCE):
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(Expenditure)
                                  .where(Expenditure.source_type == source)).scalar()


# ---- posting and withdrawing (Art. 13, 15) -------------------------------------------------------


def test_art13_posting_again_updates_the_one_row_of_a_source_and_class(app, ledger):
    """第十三条: a module posts again after a correction; the ledger keeps one row per source and
    class, and a second class of the same source is a second row."""
    with app.app_context(), acting_as(SYSTEM):
        _post(90, TIANSHAN_FINANCE, RECEPTION, "100", 2, True)
        db.session.commit()
        _post(90, TIANSHAN_FINANCE, RECEPTION, "150.456", 3, True)
        db.session.commit()
        rows = db.session.execute(select(Expenditure).where(
            Expenditure.source_type == SOURCE, Expenditure.source_id == 90)).scalars().all()
        assert [(r.amount, r.person_times, r.economic_class.code) for r in rows] == [
            (Decimal("150.46"), 3, RECEPTION)]
        _post(90, TIANSHAN_FINANCE, "30239", "20")
        db.session.commit()
    assert _count(app) == len(ROWS) + 2


def test_art15_withdrawing_a_voided_record_removes_its_rows(app, ledger):
    """第十五条: a voided record's spending leaves the ledger (every class it booked)."""
    with app.app_context(), acting_as(SYSTEM):
        _post(91, TIANSHAN_FINANCE, RECEPTION, "10")
        _post(91, TIANSHAN_FINANCE, "30239", "5")
        db.session.commit()
        assert withdraw_expenditures(db.session, SOURCE, 91) == 2
        db.session.commit()
        assert withdraw_expenditures(db.session, SOURCE, 91) == 0
    assert _count(app) == len(ROWS)


@pytest.mark.parametrize("code, day", [(RECEPTION, dt.date(2017, 6, 1)), ("30298", DAY)])
def test_art10_a_class_not_in_force_is_refused_in_chinese(app, code, day):
    """第十条: spending is booked only under a class of the classification in force that day."""
    with app.app_context(), acting_as(SYSTEM):
        with pytest.raises(ValueError) as refused:
            _post(92, TIANSHAN_FINANCE, code, "10", day=day)
        db.session.rollback()
    assert str(refused.value) == f"支出经济分类 {code} 在 {day.isoformat()} 不在有效期内或不存在"
    assert _count(app) == 0


def test_art10_a_retired_class_keeps_its_rows_and_refuses_new_ones(app):
    """第十条: a revision retires a class (失效日期); spending after it is refused."""
    with app.app_context(), acting_as(SYSTEM):
        klass = EconomicClass(code="30297", name="测试旧科目", level=2, requires_invoice=True,
                              effective_from=dt.date(2018, 1, 1), effective_to=dt.date(2019, 12, 31),
                              parent=db.session.execute(_current(EconomicClass, "302")).scalar_one())
        db.session.add(klass)
        db.session.flush()
        assert _post(93, TIANSHAN_FINANCE, "30297", "10").economic_class is klass
        with pytest.raises(ValueError, match="30297 在 2020-01-02 不在有效期内"):
            _post(94, TIANSHAN_FINANCE, "30297", "10", day=dt.date(2020, 1, 2))
        db.session.rollback()


# ---- the generic paths are read-only ---------------------------------------------------------------


@pytest.mark.parametrize("username", ["tianshan_bureau", "tianshan_clerk"])
def test_art13_the_api_refuses_post_put_delete_with_a_bearer_token(app, ledger, rest, username):
    """第十三条: only the module's operation books spending; POST/PUT/DELETE write nothing."""
    client = rest(username, "jwt")
    pk = ledger[1]
    body = {"spent_on": "2019-06-01", "organization_id": 1, "jurisdiction_id": 1,
            "economic_class_id": 1, "amount": "5", "source_module": "x", "source_type": "x",
            "source_id": 1}
    answers = [client.open("POST", "/api/v1/expenditure/", json=body),
               client.open("PUT", f"/api/v1/expenditure/{pk}", json={"amount": "1"}),
               client.open("DELETE", f"/api/v1/expenditure/{pk}")]
    for response in answers:
        assert response.status_code == 403, response.get_json()
        if username == "tianshan_bureau":  # the clerk is refused earlier, by its role
            assert REFUSAL in response.get_json()["message"]
    assert _count(app) == len(ROWS)
    with app.app_context():
        assert db.session.get(Expenditure, pk).amount == Decimal("1200.50")
    assert pk in client.get(MINE).get_json()["ids"]  # reading it is allowed


def test_art13_the_screen_offers_no_add_edit_or_delete(app, ledger, login):
    """第十三条: 支出台账 lists and shows; the add, edit and delete routes refuse and write nothing."""
    bureau = login("tianshan_bureau")
    page = bureau.text("/expenditureview/list/")
    assert "支出台账" in page and REFUSAL in page
    assert "/expenditureview/add" not in page and "/expenditureview/edit/" not in page
    assert "xlsx-import" not in page
    pk = ledger[1]
    bureau.post("/expenditureview/add", data={"amount": "5", "payee": "x"})
    bureau.post(f"/expenditureview/edit/{pk}", data={"amount": "1"})
    bureau.post(f"/expenditureview/delete/{pk}")
    assert _count(app) == len(ROWS)
    with app.app_context():
        assert db.session.get(Expenditure, pk).amount == Decimal("1200.50")


LEDGER_HEADERS = ["*支出日期", "*单位", "*经济分类", "*金额（元）"]


def test_art13_the_xlsx_import_refuses_the_ledger(app, ledger, login, cli, tmp_path):
    """第十三条: neither the import API nor `jiguan import` writes an expenditure."""
    data = xlsx_bytes(LEDGER_HEADERS, [[DAY, TIANSHAN_FINANCE, "30217 公务接待费", 10]])
    response = login("tianshan_bureau").post("/api/v1/expenditure/import", data=upload(data),
                                             content_type="multipart/form-data")
    assert response.status_code in (403, 422), response.get_json()
    assert REFUSAL in response.get_json()["message"]
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(data)
    result = cli("import", "expenditure", str(path))
    assert result.exit_code != 0 and REFUSAL in result.output
    assert _count(app) == len(ROWS)


def test_art13_a_direct_write_is_refused_by_the_ledger_guard(app, ledger):
    """第十三条: a program changing a row without post_expenditure is refused at the flush."""
    with app.app_context(), acting_as(SYSTEM):
        row = db.session.get(Expenditure, ledger[2])
        row.amount = Decimal("1")
        with pytest.raises(WriteRefused, match=REFUSAL):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.get(Expenditure, ledger[2]))
        with pytest.raises(WriteRefused, match=REFUSAL):
            db.session.flush()
        db.session.rollback()
        assert db.session.get(Expenditure, ledger[2]).amount == Decimal("800.00")


# ---- scope -----------------------------------------------------------------------------------------


#: this test's rows only, whatever the demo booked
MINE = "/api/v1/expenditure/?q=(filters:!((col:source_type,opr:eq,value:test_ledger)),page_size:100)"


def _listed_sources(client, ids) -> set:
    listed = set(client.get(MINE).get_json()["ids"])
    return {source for source, pk in ids.items() if pk in listed}


def test_art13_a_clerk_reads_its_organisation_and_a_bureau_its_subtree(ledger, rest):
    """第十三条: each unit's spending is its own; a bureau reads its jurisdiction and below."""
    assert _listed_sources(rest("tianshan_clerk", "jwt"), ledger) == {1, 2, 3}
    assert _listed_sources(rest("tianshan_bureau", "jwt"), ledger) == {1, 2, 3, 4}
    assert _listed_sources(rest("urumqi_bureau", "jwt"), ledger) == {1, 2, 3, 4, 5}
    assert _listed_sources(rest("kashgar_bureau", "jwt"), ledger) == {6, 7}
    assert _listed_sources(rest("xj_bureau", "jwt"), ledger) == set(ledger)


# ---- totals ----------------------------------------------------------------------------------------


def test_art13_totals_per_organisation_and_jurisdiction_add_up(app, ledger):
    """第十三条: the 三公 figures (amount, 人次, 批次) per class, by organisation and by
    jurisdiction with everything below it; a 类 code adds up its 款."""
    with app.app_context():
        own = expenditure_totals(db.session, year=YEAR, organization=_org(TIANSHAN_FINANCE))
        assert own == {
            RECEPTION: {"amount": Decimal("2000.50"), "person_times": 13, "batches": 2},
            "30201": {"amount": Decimal("300.00"), "person_times": 0, "batches": 0},
        }
        urumqi = _jurisdiction("650100")
        asked = expenditure_totals(db.session, year=YEAR, jurisdiction=urumqi,
                                   codes=["302", RECEPTION, "31013"])
        assert asked == {
            "302": {"amount": Decimal("4750.50"), "person_times": 16, "batches": 3},
            RECEPTION: {"amount": Decimal("2450.50"), "person_times": 16, "batches": 3},
            "31013": {"amount": Decimal("0.00"), "person_times": 0, "batches": 0},
        }
        region = expenditure_totals(db.session, year=YEAR, jurisdiction=_jurisdiction("650000").id,
                                    codes=["302", "310"])
        assert region["302"]["amount"] == Decimal("5750.49")
        assert region["310"]["amount"] == Decimal("180000.00")
        assert expenditure_totals(db.session, year=YEAR + 1, jurisdiction=urumqi,
                                  codes=[RECEPTION])[RECEPTION]["amount"] == 0

        by_org = expenditure_totals_by_organization(db.session, year=YEAR, jurisdiction=urumqi,
                                                    codes=[RECEPTION])
        names = {org_id: db.session.get(Organization, org_id).name for org_id in by_org}
        assert {names[k]: v[RECEPTION]["amount"] for k, v in by_org.items()} == {
            TIANSHAN_FINANCE: Decimal("2000.50"), TIANSHAN_EDUCATION: Decimal("450.00")}
        # 乌鲁木齐市财政局 booked no 30217 that year: absent, not a row of zeros
        assert sum(v[RECEPTION]["amount"] for v in by_org.values()) == asked[RECEPTION]["amount"]
        assert sum(v[RECEPTION]["batches"] for v in by_org.values()) == asked[RECEPTION]["batches"]


# ---- the screens -----------------------------------------------------------------------------------


def test_art13_the_ledger_page_lists_the_rows_sums_per_class_and_links_the_source(app, ledger,
                                                                                   login):
    """第十三条: 支出台账 shows date, unit, class, amount, source with a link to its page, and a
    summary per class of what the filters select (the year picker's filters here)."""
    with app.app_context(), acting_as(SYSTEM):
        person_id = db.session.execute(select(Person.id).join(Organization).where(
            Organization.name == TIANSHAN_FINANCE)).scalars().first()
        _post(person_id, TIANSHAN_FINANCE, "30239", "66", source="person", number="PERSON-LINK",
              day=dt.date(YEAR - 1, 3, 1))
        db.session.commit()
    try:
        clerk = login("tianshan_clerk")
        page = clerk.text("/expenditureview/list/")
        assert "支出台账" in page and "按经济分类汇总" in page
        assert "/expenditureview/list/?_flt_1_spent_on=2018-12-31&amp;_flt_2_spent_on=2020-01-01" in page
        year = clerk.text("/expenditureview/list/?_flt_1_spent_on=2018-12-31&_flt_2_spent_on=2020-01-01")
        assert "TL-00001" in year and "1,200.50" in year and "测试收款方" in year
        assert "TL-00006" not in year  # 喀什市's
        summary = year.split('id="ledger-summary"')[1].split("</table>")[0]
        assert "公务接待费" in summary and "2,000.50" in summary and "2,300.50" in summary
        assert "其他交通费用" not in summary  # the person row is of 2018
        before = clerk.text("/expenditureview/list/?_flt_1_spent_on=2017-12-31&_flt_2_spent_on=2019-01-01")
        assert f'href="/personview/show/{person_id}">PERSON-LINK</a>' in before
    finally:
        with app.app_context(), acting_as(SYSTEM):
            withdraw_expenditures(db.session, "person", person_id)
            db.session.commit()


def test_art10_the_classification_page_and_its_loader(app, login, cli):
    """第十条: 支出经济分类 lists the shipped classes as a tree; loading again adds nothing."""
    page = login("tianshan_clerk").text("/economicclassview/list/")
    assert "支出经济分类" in page and "30217" in page and "公务接待费" in page
    assert "/economicclassview/add" not in page  # reference data: a clerk reads it
    result = cli("load-economic-classes")
    assert result.exit_code == 0 and "新增 0 个" in result.output, result.output
    with app.app_context():
        assert load_economic_classes(db.session) == 0
        reception = db.session.execute(_current(EconomicClass, RECEPTION)).scalar_one()
        assert (reception.parent.code, reception.level, reception.effective_from) == (
            "302", 2, dt.date(2018, 1, 1))
        assert "政府收支分类科目" in reception.basis


def test_art10_the_admin_imports_a_revision_of_the_classification(app, login):
    """第十条: the classification is national reference data: the system admin imports a
    revision's new classes (XLSX); a bureau cannot."""
    from tests.catalog.xlsx_helpers import read_xlsx

    admin = login("admin")
    template = admin.get("/api/v1/economic_class/template.xlsx")
    assert template.status_code == 200
    headers, _rows = read_xlsx(template.data)
    values = {"科目代码": "30298", "科目名称": "测试修订新增科目", "上级科目": "302", "级次": "款",
              "须附发票": "是", "生效日期": dt.date(2027, 1, 1), "依据文件": "测试修订"}
    row = [values.get(h.lstrip("*")) for h in headers]
    data = xlsx_bytes(headers, [row])
    refused = login("tianshan_bureau").post("/api/v1/economic_class/import", data=upload(data),
                                            content_type="multipart/form-data")
    assert refused.status_code in (403, 422)
    with app.app_context():
        assert db.session.execute(select(EconomicClass).where(
            EconomicClass.code == "30298")).scalar_one_or_none() is None
    response = admin.post("/api/v1/economic_class/import", data=upload(data),
                          content_type="multipart/form-data")
    assert response.status_code == 200, response.get_json()
    try:
        with app.app_context():
            klass = db.session.execute(select(EconomicClass).where(
                EconomicClass.code == "30298")).scalar_one()
            assert (klass.parent.code, klass.level, klass.effective_from) == ("302", 2, dt.date(2027, 1, 1))
    finally:
        with app.app_context(), acting_as(SYSTEM):
            db.session.execute(EconomicClass.__table__.delete().where(EconomicClass.code == "30298"))
            db.session.commit()


@pytest.mark.parametrize("username", ["urumqi_bureau", "tianshan_clerk"])
def test_art10_only_the_system_admin_changes_the_classification(app, rest, username):
    """第十条: a bureau or a clerk reads the national classification and cannot change it."""
    with app.app_context():
        pk = db.session.execute(_current(EconomicClass.id, RECEPTION)).scalar_one()
    client = rest(username, "jwt")
    assert client.get(f"/api/v1/economic_class/{pk}").get_json()["result"]["name"] == "公务接待费"
    put = client.open("PUT", f"/api/v1/economic_class/{pk}", json={"name": "改名"})
    delete = client.open("DELETE", f"/api/v1/economic_class/{pk}")
    assert put.status_code in (403, 422) and delete.status_code in (403, 409, 422)
    with app.app_context():
        assert db.session.get(EconomicClass, pk).name == "公务接待费"


def test_art10_a_class_in_use_is_retired_not_deleted(app, ledger, rest):
    """第十条: a class with spending booked (or with sub-classes) cannot be deleted, even by the
    system admin: a revision sets its 失效日期 instead."""
    with app.app_context():
        pk = db.session.execute(_current(EconomicClass.id, "30201")).scalar_one()
        parent = db.session.execute(_current(EconomicClass.id, "302")).scalar_one()
    admin = rest("admin", "jwt")
    for target in (pk, parent):
        response = admin.open("DELETE", f"/api/v1/economic_class/{target}")
        assert response.status_code == 422, response.get_json()
        assert "不能删除" in response.get_json()["message"]
        assert "第十条" in response.get_json()["message"]
    with app.app_context():
        assert db.session.get(EconomicClass, pk) is not None
