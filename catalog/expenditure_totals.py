"""What the ledger adds up to: a year's spending per economic class, for the funds (Art. 13, 15).

The 三公经费 disclosure and the 机关运行成本 statistics read these, never a module's tables. A
class code of a 类 (``302``) stands for its every 款 (``302xx``): the classification's codes
nest by prefix (类 3 digits, 款 5). One grouped query per call; the roll-up runs over its few
grouped rows, not over the expenditures. They read the table, not the user's scope: the caller
passes the organisation or jurisdiction the user may see (as a report does).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import case, func, or_, select

from catalog.expenditures import EconomicClass, Expenditure
from catalog.models import Jurisdiction


def _empty() -> dict:
    return {"amount": Decimal("0.00"), "person_times": 0, "batches": 0}


def _id(value):
    return getattr(value, "id", value)


def _grouped(session, *, year: int, organization=None, jurisdiction=None, codes=None,
             by_organization: bool = False):
    """(organisation id or None, booked code, amount, person times, batches) per group."""
    org_column = Expenditure.organization_id if by_organization else None
    columns = [EconomicClass.code,
               func.coalesce(func.sum(Expenditure.amount), 0),
               func.coalesce(func.sum(Expenditure.person_times), 0),
               func.coalesce(func.sum(case((Expenditure.batch.is_(True), 1), else_=0)), 0)]
    query = (select(*([org_column] if by_organization else []), *columns)
             .join(EconomicClass, EconomicClass.id == Expenditure.economic_class_id)
             .where(Expenditure.spent_on >= dt.date(year, 1, 1),
                    Expenditure.spent_on <= dt.date(year, 12, 31)))
    if organization is not None:
        query = query.where(Expenditure.organization_id == _id(organization))
    if jurisdiction is not None:
        if not isinstance(jurisdiction, Jurisdiction):
            jurisdiction = session.get(Jurisdiction, jurisdiction)
        below = select(Jurisdiction.id).where(Jurisdiction.path.startswith(jurisdiction.path))
        query = query.where(Expenditure.jurisdiction_id.in_(below))
    if codes is not None:
        if not codes:
            return []
        query = query.where(or_(*(EconomicClass.code.startswith(code) for code in codes)))
    group = [org_column, EconomicClass.code] if by_organization else [EconomicClass.code]
    rows = session.execute(query.group_by(*group)).all()
    return [tuple(row) if by_organization else (None, *row) for row in rows]


def _add(totals: dict, code: str, amount, people, batches) -> None:
    entry = totals.setdefault(code, _empty())
    entry["amount"] += Decimal(str(amount)).quantize(Decimal("0.01"))
    entry["person_times"] += int(people or 0)
    entry["batches"] += int(batches or 0)


def _fold(rows, codes) -> dict:
    """Booked codes onto the asked ones (a 类 takes its 款); every asked code present, zero or not."""
    totals = {code: _empty() for code in codes} if codes is not None else {}
    for _org, booked, amount, people, batches in rows:
        if codes is None:
            _add(totals, booked, amount, people, batches)
            continue
        for code in codes:
            if booked.startswith(code):
                _add(totals, code, amount, people, batches)
    return totals


def expenditure_totals(session, *, year: int, organization=None, jurisdiction=None,
                       codes=None) -> dict[str, dict]:
    """A year's spending per economic class code: ``{code: {"amount", "person_times",
    "batches"}}``.

    ``organization`` (a row or id) keeps one organisation's; ``jurisdiction`` (a row or id) that
    jurisdiction's and everything below it. ``codes`` names the classes to report, each a key of
    the answer even when nothing was spent (a 类 code adds up its 款); ``None``: every class
    booked, by its own code.
    """
    codes = list(dict.fromkeys(codes)) if codes is not None else None
    rows = _grouped(session, year=year, organization=organization, jurisdiction=jurisdiction,
                    codes=codes)
    return _fold(rows, codes)


def expenditure_totals_by_organization(session, *, year: int, jurisdiction,
                                       codes=None) -> dict[int, dict[str, dict]]:
    """``expenditure_totals`` of every organisation that spent in ``jurisdiction`` and below:
    ``{organization id: {code: {...}}}`` (an organisation that booked nothing is absent)."""
    codes = list(dict.fromkeys(codes)) if codes is not None else None
    rows = _grouped(session, year=year, jurisdiction=jurisdiction, codes=codes,
                    by_organization=True)
    by_org: dict[int, list] = {}
    for row in rows:
        by_org.setdefault(row[0], []).append(row)
    return {org_id: _fold(org_rows, codes) for org_id, org_rows in by_org.items()}
