"""机关运行成本 (Art. 15, 第十五条): the statistics from the ledger rows a test posts, the indicators,
the evaluation scored from the Standards, the roll-up and the official PDFs, over REST with a bearer
token and on the pages.

The app is shared by the session, so each test takes a year of its own (before the demo's) for the
jurisdiction it reports on, and sets that year's standards, establishments and office space."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import func, select

from catalog.expenditures import EconomicClass, economic_class_in_force, post_expenditure
from catalog.models import Establishment, Jurisdiction, Organization, Standard
from core.display import local_today
from core.extensions import db
from core.scoping import SYSTEM, acting_as, scope_for_user
from plugins.funds.opcost.categories import category_of
from plugins.funds.opcost.figures import covered_organizations
from plugins.funds.opcost.models import OpcostOfficeArea, OpcostReport
from reports.engine import render_pdf

API = "/api/v1/funds_opcost_report"
WEIGHTS = {"per_capita_cost": 30, "per_area_cost": 20, "budget_execution": 30, "sangong_control": 20}
TARGETS = {"per_capita_cost": 10000, "per_area_cost": 500, "budget_execution": 95, "sangong_control": 0}
GRADES = {"excellent": 90, "good": 80, "pass": 60}


def jurisdiction(code: str) -> Jurisdiction:
    return db.session.execute(select(Jurisdiction).where(Jurisdiction.code == code)).scalar_one()


def org_id(name: str) -> int:
    return db.session.execute(select(Organization.id).where(Organization.name == name)).scalar_one()


def prepare_year(app, code: str, year: int, *, actual: int = 10, area: int = 200, targets=None):
    """The year's standards for ``code``, an establishment (实有 ``actual``) and office space
    (``area`` m²) for each organisation the report covers; returns their ids."""
    with app.app_context(), acting_as(SYSTEM):
        jur = jurisdiction(code)
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        for kind, values in (("funds_opcost_indicator_weight", WEIGHTS),
                             ("funds_opcost_target", targets or TARGETS),
                             ("funds_opcost_grade_threshold", GRADES)):
            for key, value in values.items():
                db.session.add(Standard(kind=kind, key=key, value=Decimal(value), jurisdiction=jur,
                                        effective_from=start, effective_to=end, basis="测试",
                                        backdate_reason="测试：历史年度"))
        orgs = covered_organizations(db.session, jur)
        for org in orgs:
            db.session.add(Establishment(organization=org, administrative=actual + 2, institutional=0,
                                         actual=actual, leaders=1, effective_from=start,
                                         decision=f"测试〔{year}〕", approved_by="测试编办"))
            db.session.add(OpcostOfficeArea(organization=org, year=year, area=Decimal(area)))
        db.session.commit()
        return [org.id for org in orgs]


def book(app, org_ids, year: int, rows: dict[str, int], tag: str) -> None:
    """Post ``rows`` ({economic code: amount}) to the ledger for each organisation in ``year``."""
    with app.app_context(), acting_as(SYSTEM):
        for code in rows:  # years before the classification's 2018 edition: an earlier version
            if economic_class_in_force(db.session, code, dt.date(year, 5, 1)) is None:
                first = db.session.execute(select(func.min(EconomicClass.effective_from))
                                           .where(EconomicClass.code == code)).scalar()
                db.session.add(EconomicClass(
                    code=code, name=f"测试 {code}", level=2, effective_from=dt.date(2000, 1, 1),
                    effective_to=first - dt.timedelta(days=1) if first else None))
        db.session.flush()
        for org_id_ in org_ids:
            org = db.session.get(Organization, org_id_)
            for code, amount in rows.items():
                post_expenditure(db.session, source_module="funds", source_type=f"test_opcost_{tag}",
                                 source_id=org_id_ * 10000 + year, organization=org,
                                 spent_on=dt.date(year, 5, 1), economic_code=code, amount=amount)
        db.session.commit()


def bureau_id(code: str) -> int:
    return db.session.execute(select(Organization.id).join(Jurisdiction, Organization.jurisdiction_id ==
                                                          Jurisdiction.id)
                              .where(Organization.is_bureau.is_(True), Jurisdiction.code == code)
                              .order_by(Organization.id)).scalars().first()


def create_report(app, client, code: str, year: int, budget=None) -> int:
    with app.app_context():
        org = bureau_id(code)
    body = {"organization_id": org, "year": year, "remark": "测试"}
    if budget is not None:
        body["budget"] = budget
    response = client.post(f"{API}/", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_art15_cost_categories_map_economic_classes():
    """第十五条: 机关运行成本 categories by economic class; an exact code wins over 310 (资产购置)."""
    day = dt.date(2025, 12, 31)
    assert category_of("30201", day) == "administration"
    assert category_of("30217", day) == "administration"
    assert category_of("30206", day) == "energy"
    assert category_of("30209", day) == "property"
    assert category_of("30231", day) == "vehicles"
    assert category_of("31013", day) == "vehicles"  # 公务用车购置, not 资产购置
    assert category_of("31002", day) == "assets"
    assert category_of("30101", day) is None  # wages are no operating cost


def test_art15_figures_indicators_and_scores_from_the_ledger_over_rest(app, api_client):
    """第十五条 统计、分析、评价: cost per category, per capita, per m², change on last year and the
    score of each indicator from the Standards, computed by 计算 over REST (bearer token)."""
    year = 2023  # a year (and the one before) no other test books: tests/catalog read 2019-2020
    orgs = prepare_year(app, "650102", year, actual=10, area=200)
    prepare_year(app, "650102", year - 1, actual=10, area=200)
    tag = uuid.uuid4().hex[:6]
    # per organisation: 行政运行 60,000 (办公费 50,000 + 接待 10,000), 能耗 30,000, 公务用车 10,000
    book(app, orgs, year, {"30201": 50000, "30217": 10000, "30206": 30000, "30231": 10000,
                           "30101": 99999}, tag)
    book(app, orgs, year - 1, {"30201": 40000, "30217": 10000, "30206": 30000}, tag + "p")
    client = api_client("tianshan_bureau")
    n = len(orgs)
    pk = create_report(app, client, "650102", year, budget=100000 * n)
    done = client.post(f"{API}/{pk}/recompute", json={})
    assert done.status_code == 200, done.get_json()
    result = client.get(f"{API}/{pk}").get_json()["result"]
    figures = result["figures"]
    assert Decimal(figures["totals"]["administration"]) == 60000 * n
    assert Decimal(figures["totals"]["energy"]) == 30000 * n
    assert Decimal(figures["totals"]["vehicles"]) == 10000 * n
    assert Decimal(figures["total"]) == 100000 * n == Decimal(str(result["total_cost"]))
    assert figures["actual"] == 10 * n and figures["established"] == 12 * n
    assert Decimal(figures["per_capita"]) == 10000  # 100,000 / 10
    assert Decimal(figures["per_area"]) == 500  # 100,000 / 200
    assert Decimal(figures["previous"]["total"]) == 80000 * n
    assert Decimal(figures["change"]["total"]) == 25  # +25 %
    assert Decimal(figures["sangong"]) == 20000 * n and Decimal(figures["change"]["sangong"]) == 100
    scores = {row["key"]: Decimal(row["score"]) for row in figures["evaluation"]["indicators"]}
    # at target: full; execution 100 %: full; 三公 +100 % against a 0 % target: 0
    assert scores == {"per_capita_cost": 30, "per_area_cost": 20, "budget_execution": 30,
                      "sangong_control": 0}
    assert Decimal(str(result["total_score"])) == 80 and result["grade"] == "good"


def test_art15_scoring_rules_read_the_targets(app, api_client):
    """第十五条 绩效评价: over the target the score falls linearly (0 at twice the target); an
    execution below the target is proportional; the grade follows the thresholds (Standards)."""
    year = 2020
    orgs = prepare_year(app, "650103", year, actual=10, area=100,
                        targets={**TARGETS, "per_capita_cost": 8000, "sangong_control": 50})
    tag = uuid.uuid4().hex[:6]
    book(app, orgs, year, {"30201": 100000}, tag)  # per capita 10,000: 25 % over 8,000
    client = api_client("urumqi_bureau")  # the city's bureau may draw up 沙依巴克区's report
    n = len(orgs)
    pk = create_report(app, client, "650103", year, budget=Decimal(200000 * n))  # 50 % executed
    assert client.post(f"{API}/{pk}/recompute", json={}).status_code == 200
    figures = client.get(f"{API}/{pk}").get_json()["result"]["figures"]
    rows = {row["key"]: row for row in figures["evaluation"]["indicators"]}
    assert Decimal(rows["per_capita_cost"]["score"]) == Decimal("22.50")  # 30 × (1 − 0.25)
    assert Decimal(rows["per_area_cost"]["score"]) == 0  # 1,000 /m² is twice 500
    assert Decimal(rows["budget_execution"]["score"]) == Decimal("15.79")  # 30 × 50 / 95
    assert Decimal(rows["sangong_control"]["score"]) == 20  # no 三公 either year
    total = Decimal(figures["evaluation"]["total_score"])
    assert total == Decimal("58.29") and figures["evaluation"]["grade"] == "fail"


def test_art15_missing_standard_refuses_the_computation_naming_the_article(app, api_client):
    """第十五条: without the year's weights and targets nothing is scored — a Chinese 4xx, nothing stored."""
    client = api_client("kashgar_bureau")
    pk = create_report(app, client, "653101", 2012)
    refused = client.post(f"{API}/{pk}/recompute", json={})
    assert 400 <= refused.status_code < 500
    assert "第十五条" in refused.get_json()["message"] and "funds_opcost_indicator_weight" in \
        refused.get_json()["message"]
    assert client.get(f"{API}/{pk}").get_json()["result"]["figures"] is None


def test_art15_computed_figures_are_not_typed_in(app, api_client):
    """第十五条: the figures come from the ledger; PUT cannot set them (state fields)."""
    client = api_client("kashgar_bureau")
    pk = create_report(app, client, "653101", 2013)
    refused = client.put(f"{API}/{pk}", json={"total_cost": 1})
    assert refused.status_code == 422
    assert client.get(f"{API}/{pk}").get_json()["result"]["total_cost"] is None


def test_art15_rollup_sums_only_the_reports_below(app, login):
    """第十五条 报送上级: 乌鲁木齐市's roll-up lists 天山区 (pending) and 沙依巴克区 (accepted) of the
    demo year, sums them only — not the city's own report — and links down to each report."""
    year = local_today().year - 1
    with app.app_context():
        reports = {r.jurisdiction.code: r for r in db.session.execute(
            select(OpcostReport).where(OpcostReport.year == year)).scalars()}
        assert reports["650102"].state == "submitted" and reports["650103"].state == "approved"
        expected = reports["650102"].total_cost + reports["650103"].total_cost
        with acting_as(SYSTEM):  # the city's own level: not below it
            if "650100" not in reports:
                own = OpcostReport(organization_id=bureau_id("650100"), year=year, budget=1)
                db.session.add(own)
                db.session.flush()
                own.figures, own.total_cost = {"total": "123456789.00", "actual": 1, "area": "1"}, 123456789
                db.session.commit()
        tianshan_pk = reports["650102"].id
    browser = login("urumqi_bureau")
    page = browser.get(f"/funds/opcost/rollup/?year={year}")
    assert page.status_code == 200, page.headers.get("Location")
    html = page.get_data(as_text=True)
    assert 'data-code="650102"' in html and "天山区" in html and "沙依巴克区" in html
    assert f"{expected:,.2f}" in html and "123,456,789.00" not in html
    assert f"/opcostreportview/show/{tianshan_pk}" in html
    show = browser.text(f"/opcostreportview/show/{tianshan_pk}")
    assert "乌鲁木齐市天山区财政局" in show and "人均运行成本（元/人）" in show and "绩效评价" in show
    assert 'id="rollup-link"' in show  # back up to the roll-up it went to
    own = login("tianshan_bureau").text(f"/opcostreportview/show/{tianshan_pk}")
    assert "乌鲁木齐市天山区财政局" in own and 'id="rollup-link"' not in own  # not its roll-up
    # 喀什市's bureau does not see 乌鲁木齐市's roll-up
    home = browser.text("/")  # the 工作台 card of what waits for the city's decision
    assert "待审核的下级运行成本报告" in home and "/funds/opcost/rollup/" in home
    outside = login("kashgar_bureau").get(f"/funds/opcost/rollup/?jurisdiction=650100&year={year}")
    assert outside.status_code == 404


def test_art15_pdfs_read_back(app, pdf_text):
    """第十五条: 机关运行成本统计表 and 绩效评价表 of 天山区's demo report, read back with pdftotext."""
    year = local_today().year - 1
    with app.app_context():
        report = db.session.execute(select(OpcostReport).join(Jurisdiction).where(
            Jurisdiction.code == "650102", OpcostReport.year == year)).scalar_one()
        scope = scope_for_user(app.appbuilder.sm.find_user(username="urumqi_bureau"))
        text = pdf_text(render_pdf("funds_opcost_statistics", {"report": str(report.id)}, scope))
        assert "机关运行成本统计表" in text and "行政运行" in text and "公务用车" in text
        assert f"{report.total_cost:,.2f}" in text
        assert "乌鲁木齐市天山区财政局" in text
        text = pdf_text(render_pdf("funds_opcost_evaluation", {"report": str(report.id)}, scope))
        assert "绩效评价表" in text and "人均运行成本" in text and "三公经费增长率" in text
        assert str(report.total_score) in text and report.grade_label in text
