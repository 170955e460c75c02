"""年度绩效评价 of official vehicles (Art. 29): per vehicle and per organisation, a score per
indicator against its Standard, weighted, a total of 0-100 and a grade. Every weight, cap, target
and threshold is a Standard of the organisation's jurisdiction in force on 31 December of the year.

Scoring (the pattern of the operating-cost evaluation, docs/funds.md; the numbers are Standards):
- 单车年运行费用, 每公里运行费用 (lower is better): full weight at or below the cap, falling
  linearly to 0 at twice the cap;
- 定点维修保养占比 (%): full weight at or above the target, proportional below it; a year
  without repairs or maintenance scores full weight and says so.
An indicator without its figure (fewer than two odometer readings: km unknown) scores 0 and says
why. The total is the sum of the scores over the sum of the weights, times 100.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import gettext as _

from catalog.models import standard_in_force
from core.api import WriteRefused, join_items
from plugins.vehicles.costs.accounting import ZERO, organization_vehicles, vehicle_figures
from plugins.vehicles.costs.standards import (
    ALL_VEHICLES,
    COST_PER_KM_CAP,
    DESIGNATED_TARGET,
    GRADE_KEYS,
    GRADE_KIND,
    INDICATORS,
    RUNNING_COST_CAP,
    WEIGHT_KIND,
)

HUNDRED = Decimal(100)
TARGETS = {"running_cost": RUNNING_COST_CAP, "cost_per_km": COST_PER_KM_CAP,
           "designated_repairs": DESIGNATED_TARGET}
UNITS = {"running_cost": "元/辆·年", "cost_per_km": "元/公里", "designated_repairs": "%"}


def plain(value) -> str:
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _clamp(x: Decimal) -> Decimal:
    return max(Decimal(0), min(Decimal(1), x))


def _fraction(key: str, value: Decimal, target: Decimal) -> Decimal:
    if key == "designated_repairs":
        return Decimal(1) if value >= target else _clamp(value / target if target else Decimal(1))
    return Decimal(1) if value <= target else _clamp(1 - (value - target) / target if target else Decimal(0))


def standards(session, jurisdiction, year: int) -> dict:
    """The weights, targets and thresholds in force; refused (Chinese, Art. 29) when one is missing."""
    on, missing = dt.date(year, 12, 31), []

    def get(kind, key):
        found = standard_in_force(session, kind, key, jurisdiction, on)
        if found is None or found.value is None:
            missing.append(f"{kind}:{key}")
            return None
        return Decimal(str(found.value))

    found = {
        "weights": {key: get(WEIGHT_KIND, key) for key in INDICATORS},
        "targets": {key: get(kind, ALL_VEHICLES) for key, kind in TARGETS.items()},
        "thresholds": {key: get(GRADE_KIND, key) for key in GRADE_KEYS},
    }
    if missing:
        raise WriteRefused(_("公务用车绩效评价缺少 %(year)s 年适用的标准：%(names)s；请先在“标准”中设置"
                             "（《办法》第二十九条）", year=year, names=join_items(missing)))
    return found


def _values(figures: dict) -> dict:
    """Each indicator's value and a note when it cannot be computed."""
    share_note = ""
    if figures["repairs"]:
        share = Decimal(figures["designated_repairs"]) * HUNDRED / figures["repairs"]
        share = share.quantize(Decimal("0.01"))
    else:
        share, share_note = HUNDRED, _("本年无维修、保养")
    per_km = figures.get("per_km")
    return {
        "running_cost": (Decimal(figures["per_vehicle"]), ""),
        "cost_per_km": (Decimal(per_km), "") if per_km is not None else
        (None, _("里程读数不足两次，无法计算行驶里程")),
        "designated_repairs": (share, share_note),
    }


def score(figures: dict, found: dict) -> dict:
    rows, earned = [], Decimal(0)
    for key, label in INDICATORS.items():
        value, note = _values(figures)[key]
        weight, target = found["weights"][key], found["targets"][key]
        got = Decimal(0) if value is None else weight * _fraction(key, value, target)
        got = got.quantize(Decimal("0.01"))
        earned += got
        rows.append(dict(key=key, label=str(label), unit=UNITS[key], weight=plain(weight),
                         target=plain(target), value=None if value is None else plain(value),
                         score=str(got), note=note))
    weights = sum(found["weights"].values(), Decimal(0))
    total = (earned * HUNDRED / weights).quantize(Decimal("0.01")) if weights else Decimal(0)
    grade = next((key for key in GRADE_KEYS if total >= found["thresholds"][key]), "fail")
    return dict(indicators=rows, total_score=str(total), grade=grade)


def _money(value) -> str:
    return str(Decimal(value).quantize(Decimal("0.01")))


def evaluate(session, organization, year: int) -> dict:
    """The frozen figures of the organisation's year: each vehicle scored, and the organisation
    (running cost per vehicle = all costs ÷ vehicles; per km = all costs ÷ all km known)."""
    jurisdiction = organization.jurisdiction
    found = standards(session, jurisdiction, year)
    vehicles, total, km, km_cost, repairs, designated = [], ZERO, 0, ZERO, 0, 0
    for vehicle in organization_vehicles(session, organization.id, year):
        fig = vehicle_figures(session, vehicle, year, jurisdiction)
        fig["per_vehicle"] = fig["total"]
        result = score(fig, found)
        total += fig["total"]
        repairs += fig["repairs"]
        designated += fig["designated_repairs"]
        if fig["km"]:
            km += fig["km"]
            km_cost += fig["total"]
        vehicles.append(dict(
            plate=fig["plate"], name=fig["name"], total=_money(fig["total"]),
            by_kind={k: _money(v) for k, v in fig["by_kind"].items()}, km=fig["km"],
            per_km=None if fig["per_km"] is None else _money(fig["per_km"]),
            repairs=fig["repairs"], designated_repairs=fig["designated_repairs"], **result))
    count = len(vehicles)
    org_fig = {"per_vehicle": (total / count) if count else ZERO,
               "per_km": (km_cost / km).quantize(Decimal("0.01")) if km else None,
               "repairs": repairs, "designated_repairs": designated}
    organization_result = score(org_fig, found)
    return dict(
        year=year, vehicles=vehicles, vehicle_count=count, total=_money(total), km=km or None,
        per_vehicle=_money(org_fig["per_vehicle"]),
        per_km=None if org_fig["per_km"] is None else _money(org_fig["per_km"]),
        repairs=repairs, designated_repairs=designated,
        thresholds={k: plain(v) for k, v in found["thresholds"].items()},
        organization=organization_result)
