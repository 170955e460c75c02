"""汇总 (Art. 15 报送上级): what a bureau sees of the reports submitted to it — per jurisdiction
directly below, the accepted and pending report with its totals and indicators, and a sum line
of those only (its own level's report is not below it)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from catalog.models import Jurisdiction
from core.api import db, scoped
from plugins.funds.opcost.figures import ratio
from plugins.funds.opcost.models import OpcostReport

SHOWN_STATES = ("submitted", "approved")


def rollup(jurisdiction: Jurisdiction, year: int, scope=None) -> dict:
    """Rows per child jurisdiction of ``jurisdiction`` for ``year`` and their sum."""
    children = db.session.execute(
        select(Jurisdiction).where(Jurisdiction.parent_id == jurisdiction.id,
                                   Jurisdiction.level != "township")
        .order_by(Jurisdiction.code)).scalars().all()
    query = select(OpcostReport).where(OpcostReport.year == year,
                                       OpcostReport.jurisdiction_id.in_([c.id for c in children]))
    reports = {r.jurisdiction_id: r for r in db.session.execute(scoped(query, OpcostReport, scope)).scalars()}
    rows, total, actual, area = [], Decimal(0), 0, Decimal(0)
    for child in children:
        report = reports.get(child.id)
        figures = (report.figures or {}) if report is not None else {}
        counted = report is not None and report.state in SHOWN_STATES and bool(figures)
        rows.append(dict(jurisdiction=child, report=report, figures=figures, counted=counted))
        if counted:
            total += Decimal(figures["total"])
            actual += figures.get("actual") or 0
            area += Decimal(figures.get("area") or 0)
    return dict(jurisdiction=jurisdiction, year=year, rows=rows,
                sum=dict(total=total, actual=actual, area=area, per_capita=ratio(total, actual),
                         per_area=ratio(total, area),
                         reports=sum(1 for row in rows if row["counted"])))
