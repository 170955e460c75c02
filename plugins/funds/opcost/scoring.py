"""绩效评价 (Art. 15): a score per indicator against its target, weighted, a total of 0-100 and a
grade — every weight, target and threshold a Standard of the report's jurisdiction in force on
31 December of the year (docs/funds.md, section opcost).

Scoring rules (the same for every jurisdiction; the numbers are Standards):
- 人均运行成本, 单位面积运行成本 (lower is better): full weight at or below the target, falling
  linearly to 0 at twice the target;
- 预算执行率 (%): full weight from the target up to 100 %, proportional below it, falling to 0
  at 200 %;
- 三公经费控制 (growth against the previous year, %): full weight when the growth is at most the
  target, falling linearly to 0 at 100 percentage points above it.
An indicator without its figure (no headcount, no office space entered, no budget) scores 0 and
says why. The total is the sum of the scores over the sum of the weights, times 100.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from catalog.models import standard_in_force
from core.api import WriteRefused, join_items

WEIGHT_KIND = "funds_opcost_indicator_weight"
TARGET_KIND = "funds_opcost_target"
GRADE_KIND = "funds_opcost_grade_threshold"
INDICATORS = {
    "per_capita_cost": (_l("人均运行成本"), "元/人"),
    "per_area_cost": (_l("单位面积运行成本"), "元/m²"),
    "budget_execution": (_l("预算执行率"), "%"),
    "sangong_control": (_l("三公经费增长率"), "%"),
}
#: grade keys, best first, by the threshold (Standard) a total must reach
GRADE_KEYS = ("excellent", "good", "pass")
HUNDRED = Decimal(100)


def plain(value: Decimal) -> str:
    """12000, 95.5: a Standard's number as people write it."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _clamp(x: Decimal) -> Decimal:
    return max(Decimal(0), min(Decimal(1), x))


def _fraction(key: str, value: Decimal, target: Decimal) -> Decimal:
    """The share of the weight an indicator earns (0..1)."""
    if key in ("per_capita_cost", "per_area_cost"):
        return Decimal(1) if value <= target else _clamp(1 - (value - target) / target if target else 0)
    if key == "budget_execution":
        if value > HUNDRED:
            return _clamp(1 - (value - HUNDRED) / HUNDRED)
        return Decimal(1) if value >= target else _clamp(value / target if target else 1)
    return Decimal(1) if value <= target else _clamp(1 - (value - target) / HUNDRED)


def _value(key: str, figures: dict) -> tuple[Decimal | None, str]:
    if key == "per_capita_cost":
        found = figures.get("per_capita")
        return (Decimal(found), "") if found is not None else (None, _("实有人数为 0 或未登记编制核定"))
    if key == "per_area_cost":
        found = figures.get("per_area")
        return (Decimal(found), "") if found is not None else (None, _("未录入办公用房面积"))
    if key == "budget_execution":
        budget = Decimal(figures["budget"]) if figures.get("budget") else None
        if not budget:
            return None, _("未填写机关运行经费预算数")
        return (Decimal(figures["total"]) * HUNDRED / budget).quantize(Decimal("0.01")), ""
    before, now = Decimal(figures["previous"]["sangong"]), Decimal(figures["sangong"])
    if before == 0:
        return (Decimal(0), _("上年无三公经费支出")) if now == 0 else (HUNDRED, _("上年无三公经费支出"))
    return ((now - before) * HUNDRED / before).quantize(Decimal("0.01")), ""


def _standard(session, kind: str, key: str, jurisdiction, on: dt.date, missing: list) -> Decimal | None:
    found = standard_in_force(session, kind, key, jurisdiction, on)
    if found is None or found.value is None:
        missing.append(f"{kind}:{key}")
        return None
    return Decimal(str(found.value))


def evaluate(session, report, figures: dict) -> dict:
    """Scores per indicator, the total and the grade; refused when a Standard is missing."""
    on = dt.date(report.year, 12, 31)
    jurisdiction, missing, rows = report.jurisdiction, [], []
    for key, (label, unit) in INDICATORS.items():
        weight = _standard(session, WEIGHT_KIND, key, jurisdiction, on, missing)
        target = _standard(session, TARGET_KIND, key, jurisdiction, on, missing)
        rows.append(dict(key=key, label=str(label), unit=unit, weight=weight, target=target))
    thresholds = {key: _standard(session, GRADE_KIND, key, jurisdiction, on, missing) for key in GRADE_KEYS}
    if missing:
        raise WriteRefused(_("绩效评价缺少 %(year)s 年适用的标准：%(names)s；请先在“标准”中设置（第十五条）",
                             year=report.year, names=join_items(missing)))
    earned = Decimal(0)
    for row in rows:
        value, note = _value(row["key"], figures)
        score = Decimal(0) if value is None else (row["weight"] * _fraction(row["key"], value, row["target"]))
        score = score.quantize(Decimal("0.01"))
        earned += score
        row.update(value=None if value is None else str(value), score=str(score), note=note,
                   weight=plain(row["weight"]), target=plain(row["target"]))
    weights = sum(Decimal(row["weight"]) for row in rows)
    total = (earned * HUNDRED / weights).quantize(Decimal("0.01")) if weights else Decimal(0)
    grade = next((key for key in GRADE_KEYS if total >= thresholds[key]), "fail")
    return dict(indicators=rows, total_score=str(total), grade=grade,
                thresholds={k: plain(v) for k, v in thresholds.items()})
