"""The 三公经费 table (Art. 13): budget figures against the expenditure ledger, for one
organisation or summed over a jurisdiction's subtree, each read with one grouped query."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from catalog.expenditure_totals import expenditure_totals, expenditure_totals_by_organization
from catalog.models import Jurisdiction, Organization
from plugins.funds.disclosure.models import CATEGORIES, SangongBudget

ZERO = Decimal("0.00")
CODES = {code: key for key, _label, code in CATEGORIES}
KEYS = tuple(key for key, _label, _code in CATEGORIES)


def _blank() -> dict:
    return {"amounts": dict.fromkeys(KEYS, ZERO), "reception_batches": 0, "reception_person_times": 0,
            "outbound_batches": 0, "outbound_person_times": 0}


def ledger_by_organization(session, year: int, *, organization_id=None, jurisdiction=None) -> dict:
    """{organization_id: actual figures of ``year``} from the ledger (the catalog's totals): amounts
    by 三公 class, batches and person-times of receptions (30217) and delegations (30212)."""
    if organization_id is not None:
        totals = {organization_id: expenditure_totals(session, year=year, organization=organization_id,
                                                      codes=list(CODES))}
    else:
        totals = expenditure_totals_by_organization(session, year=year, jurisdiction=jurisdiction,
                                                    codes=list(CODES))
    result: dict = {}
    for org_id, by_code in totals.items():
        row = result.setdefault(org_id, _blank())
        for code, figures in by_code.items():
            key = CODES[code]
            row["amounts"][key] += figures["amount"]
            if key in ("reception", "outbound"):
                row[f"{key}_batches"] += figures["batches"]
                row[f"{key}_person_times"] += figures["person_times"]
    return result


def budgets_by_organization(session, year: int, *, organization_id=None, jurisdiction_path=None) -> dict:
    """{organization_id: {category: 财政批复数}} of ``year``."""
    query = select(SangongBudget).where(SangongBudget.year == year)
    if organization_id is not None:
        query = query.where(SangongBudget.organization_id == organization_id)
    if jurisdiction_path is not None:
        query = (query.join(Jurisdiction, Jurisdiction.id == SangongBudget.jurisdiction_id)
                 .where(Jurisdiction.path.startswith(jurisdiction_path)))
    return {b.organization_id: {key: Decimal(getattr(b, key) or 0).quantize(ZERO) for key in KEYS}
            for b in session.execute(query).scalars()}


def _line(base: dict, actual: dict) -> dict:
    """One table: 预算数 (``base``), the compared figure, 增减, with the 公务用车 小计 and 合计."""
    def money(values):
        out = {key: Decimal(values.get(key, ZERO)).quantize(ZERO) for key in KEYS}
        out["vehicle"] = out["vehicle_purchase"] + out["vehicle_running"]
        out["total"] = out["outbound"] + out["vehicle"] + out["reception"]
        return out

    b, a = money(base), money(actual)
    return {"base": b, "figure": a, "change": {key: a[key] - b[key] for key in a}}


def organization_table(session, organization, year: int, kind: str) -> dict:
    """The table of one organisation: 决算 compares the ledger with the year's budget, 预算 the
    year's budget with the previous year's."""
    if kind == "final":
        base = budgets_by_organization(session, year, organization_id=organization.id).get(
            organization.id, {})
        ledger = ledger_by_organization(session, year, organization_id=organization.id).get(
            organization.id, _blank())
        table = _line(base, ledger["amounts"])
        table.update({k: v for k, v in ledger.items() if k != "amounts"})
    else:
        previous = budgets_by_organization(session, year - 1, organization_id=organization.id)
        current = budgets_by_organization(session, year, organization_id=organization.id)
        table = _line(previous.get(organization.id, {}), current.get(organization.id, {}))
    return table


def differs(table: dict) -> bool:
    """Art. 13: the compared figures differ from the base in some category (说明 required)."""
    return any(value != 0 for value in table["change"].values())


def rollup(session, jurisdiction, year: int) -> dict:
    """The 决算 table summed over ``jurisdiction`` and every level below it, with a line per
    organisation that has a budget or a ledger row: {"lines": [...], "total": {...}}."""
    path = jurisdiction.path
    ledger = ledger_by_organization(session, year, jurisdiction=jurisdiction)
    budgets = budgets_by_organization(session, year, jurisdiction_path=path)
    ids = set(ledger) | set(budgets)
    orgs = {o.id: o for o in session.execute(
        select(Organization).where(Organization.id.in_(ids))).scalars()} if ids else {}
    lines, total_base, total_actual = [], {}, {}
    counts = {k: 0 for k in _blank() if k != "amounts"}
    for org_id in sorted(ids, key=lambda i: (orgs[i].jurisdiction.path, orgs[i].name)):
        actual = ledger.get(org_id, _blank())
        line = _line(budgets.get(org_id, {}), actual["amounts"])
        line.update({k: v for k, v in actual.items() if k != "amounts"})
        line["organization"] = orgs[org_id]
        lines.append(line)
        for key in KEYS:
            total_base[key] = total_base.get(key, ZERO) + line["base"][key]
            total_actual[key] = total_actual.get(key, ZERO) + line["figure"][key]
        for key in counts:
            counts[key] += actual[key]
    total = _line(total_base, total_actual)
    total.update(counts)
    return {"lines": lines, "total": total}


def frozen(table: dict) -> dict:
    """The table as JSON (Decimal as strings) for a published disclosure."""
    out = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out[key] = {k: str(v) for k, v in value.items()}
        elif key != "organization":
            out[key] = value
    return out


def thawed(data: dict) -> dict:
    out = dict(data)
    for key in ("base", "figure", "change"):
        out[key] = {k: Decimal(v) for k, v in data.get(key, {}).items()}
    return out


def table_of(session, disclosure) -> dict:
    """A disclosure's table: as frozen at publication, else live from the budget and ledger."""
    if disclosure.figures:
        return thawed(disclosure.figures)
    organization = session.get(Organization, disclosure.organization_id)
    table = organization_table(session, organization, disclosure.year, disclosure.kind)
    table["vehicles_held"] = disclosure.vehicles_held
    return table
