"""The statistics of a report (Art. 15 机关运行成本统计): cost per category from the ledger in one
grouped query, headcount from 编制核定, office space as entered; per-capita and per-m² indicators
and the change against the previous year. ``refresh`` stores them with the evaluation."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from catalog.expenditure_totals import expenditure_totals_by_organization
from catalog.models import Jurisdiction, Organization, establishment_in_force
from plugins.funds.opcost.categories import CATEGORY_LABELS, SANGONG_CODES, category_of
from plugins.funds.opcost.models import OpcostOfficeArea

CENT = Decimal("0.01")
ZERO = Decimal(0)


def money(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT, ROUND_HALF_UP)


def ratio(numerator, denominator) -> Decimal | None:
    """numerator / denominator to the cent; None when there is nothing to divide by."""
    denominator = Decimal(str(denominator or 0))
    return money(Decimal(str(numerator or 0)) / denominator) if denominator > 0 else None


def change(now, before) -> Decimal | None:
    """Percent change against the previous year (None: no previous figure)."""
    if now is None or before is None or Decimal(str(before)) == 0:
        return None
    return money((Decimal(str(now)) - Decimal(str(before))) * 100 / Decimal(str(before)))


def covered_organizations(session, jurisdiction: Jurisdiction) -> list[Organization]:
    """The organisations a jurisdiction's report covers: its own level's, and for a county the
    townships' under it too (they report with their county); a prefecture's or the region's report
    is of its own level, the levels below report their own and roll up (Art. 15)."""
    query = select(Organization).join(Jurisdiction, Organization.jurisdiction_id == Jurisdiction.id)
    if jurisdiction.level == "county":
        query = query.where(Jurisdiction.path.startswith(jurisdiction.path))
    else:
        query = query.where(Jurisdiction.id == jurisdiction.id)
    return list(session.execute(query.order_by(Organization.id)).scalars())


def reporting_jurisdiction(jurisdiction: Jurisdiction | None) -> Jurisdiction | None:
    """The jurisdiction whose report covers an organisation of ``jurisdiction``."""
    if jurisdiction is not None and jurisdiction.level == "township":
        return jurisdiction.parent
    return jurisdiction


def ledger_by_class(session, jurisdiction: Jurisdiction, org_ids: list[int],
                    year: int) -> dict[tuple[int, str], Decimal]:
    """{(organisation id, economic class code): amount} of one year for the covered organisations
    (all in ``jurisdiction``'s subtree): the catalog's totals, one grouped query."""
    if not org_ids:
        return {}
    wanted = set(org_ids)
    totals = expenditure_totals_by_organization(session, year=year, jurisdiction=jurisdiction)
    return {(org, code): money(figures["amount"]) for org, by_code in totals.items() if org in wanted
            for code, figures in by_code.items()}


def _areas(session, org_ids: list[int], year: int) -> dict[int, Decimal]:
    rows = session.execute(select(OpcostOfficeArea.organization_id, OpcostOfficeArea.area)
                           .where(OpcostOfficeArea.organization_id.in_(org_ids),
                                  OpcostOfficeArea.year == year)).all()
    return {org: Decimal(str(area)) for org, area in rows}


def year_figures(session, jurisdiction: Jurisdiction, year: int) -> dict:
    """The statistics of ``jurisdiction`` in ``year`` (amounts as strings, JSON-ready)."""
    orgs = covered_organizations(session, jurisdiction)
    ids = [org.id for org in orgs]
    ledger = ledger_by_class(session, jurisdiction, ids, year)
    areas = _areas(session, ids, year) if ids else {}
    year_end = dt.date(year, 12, 31)
    totals = dict.fromkeys(CATEGORY_LABELS, ZERO)
    sangong = ZERO
    rows = []
    for org in orgs:
        amounts = dict.fromkeys(CATEGORY_LABELS, ZERO)
        for (org_id, code), amount in ledger.items():
            if org_id != org.id:
                continue
            category = category_of(code, year_end)
            if category is not None:
                amounts[category] += amount
            if code in SANGONG_CODES:
                sangong += amount
        est = establishment_in_force(session, org, year_end)
        total = sum(amounts.values(), ZERO)
        actual = est.actual if est is not None else 0
        area = areas.get(org.id)
        for key in totals:
            totals[key] += amounts[key]
        rows.append(dict(
            id=org.id, name=org.name, amounts={k: str(v) for k, v in amounts.items()}, total=str(total),
            actual=actual, established=est.established if est is not None else None,
            area=str(area) if area is not None else None,
            per_capita=_s(ratio(total, actual)), per_area=_s(ratio(total, area)),
        ))
    total = sum(totals.values(), ZERO)
    actual = sum(row["actual"] for row in rows)
    area = sum((Decimal(row["area"]) for row in rows if row["area"]), ZERO)
    return dict(
        year=year, totals={k: str(v) for k, v in totals.items()}, total=str(total),
        actual=actual, established=sum(row["established"] or 0 for row in rows),
        area=str(area), per_capita=_s(ratio(total, actual)), per_area=_s(ratio(total, area)),
        sangong=str(sangong), organizations=rows,
        missing_area=[row["name"] for row in rows if row["area"] is None],
    )


def _s(value) -> str | None:
    return None if value is None else str(value)


def compute(session, report) -> dict:
    """This year's figures, last year's for comparison, and the evaluation."""
    from plugins.funds.opcost.scoring import evaluate

    now = year_figures(session, report.jurisdiction, report.year)
    before = year_figures(session, report.jurisdiction, report.year - 1)
    now["previous"] = {k: before[k] for k in ("total", "per_capita", "per_area", "actual", "sangong")}
    now["change"] = {k: _s(change(now[k], before[k])) for k in ("total", "per_capita", "per_area", "sangong")}
    now["budget"] = _s(money(report.budget)) if report.budget is not None else None
    now["evaluation"] = evaluate(session, report, now)
    return now


def refresh(session, report) -> None:
    """Store the figures on the report (the recompute operation and the submission call it)."""
    figures = compute(session, report)
    report.figures = figures
    report.total_cost = Decimal(figures["total"])
    report.total_score = Decimal(figures["evaluation"]["total_score"])
    report.grade = figures["evaluation"]["grade"]
    report.computed_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
