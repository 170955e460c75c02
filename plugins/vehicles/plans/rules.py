"""Rules of the acquisition and renewal plan (Art. 27, 28), on every write of a line or a plan.

Block: a foreign brand (国产汽车), a line beyond the establishment in force on 1 January of the
plan year (holdings + additions, renewals replace), a unit price or displacement above the
category's cap, a total above the plan's purchase budget, a renewal that names no vehicle of the
organisation in service, a renewal of a vehicle another renewal line already names (in a plan not
rejected, or twice in one plan). Flag: a renewal before the renewal age and mileage, a new-energy share
below the target. Every number is a Standard (standards.py) in force on 1 January of the plan
year for the plan's jurisdiction. The submission and each approval run the blocking checks again
(:func:`refusals`): holdings, establishment and standards may have moved since a line was saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select

from catalog.models import standard_in_force
from core.api import Rule, measures_article
from plugins.vehicles.fleet.models import ENERGY_TYPES
from plugins.vehicles.plans.models import (
    ALL_KEY,
    DISPLACEMENT_CAP,
    NEW_ENERGY_SHARE,
    NO_DISPLACEMENT,
    PRICE_CAP,
    RENEWAL_HOLDING_STATES,
    RENEWAL_KM,
    RENEWAL_YEARS,
    VehiclePlan,
    VehiclePlanLine,
    adds_to,
    establishment_check,
    plan_day,
)


@dataclass
class Facts:
    """What a line's checks read: its plan, links (resolved before the flush) and the standards."""

    session: object
    plan: VehiclePlan
    category: object
    replaced: object
    organization_id: int
    standard: Callable[[str, str], Decimal | None]
    #: (line, its category id, the vehicle it replaces) of the plan's lines written in the same
    #: flush before this one and not in ``plan.lines`` (an import's chunk sets only their keys)
    earlier: list = field(default_factory=list)


def _standard_getter(session, jurisdiction, on, ctx=None):
    def get(kind: str, key: str) -> Decimal | None:
        if jurisdiction is None:
            return None
        if ctx is not None:
            found = ctx.standard(kind, key, jurisdiction, on)
        else:
            found = standard_in_force(session, kind, key, jurisdiction, on)
        return Decimal(found.value) if found is not None and found.value is not None else None
    return get


def _plan_jurisdiction(plan, related):
    found = related(plan, "jurisdiction")
    if found is None:
        org = related(plan, "organization")
        found = org.jurisdiction if org is not None else None
    return found


def _facts(line: VehiclePlanLine, ctx) -> Facts | None:
    plan = ctx.related(line, "plan")
    category = ctx.related(line, "category")
    if plan is None or category is None or plan.year is None:
        return None
    org_id = ctx.value(plan, "organization_id")
    jurisdiction = _plan_jurisdiction(plan, ctx.related)
    earlier = [other for other in ctx.new_before(line, VehiclePlanLine) if ctx.related(other, "plan") is plan]
    if earlier:
        listed = {id(other) for other in plan.lines}
        earlier = [(other, getattr(ctx.related(other, "category"), "id", None),
                    ctx.related(other, "replaces")) for other in earlier if id(other) not in listed]
    return Facts(ctx.session, plan, category, ctx.related(line, "replaces"), org_id,
                 _standard_getter(ctx.session, jurisdiction, plan_day(plan.year), ctx), earlier)


def _name(line) -> str:
    return f"{line.brand or ''}{line.model_name or ''}"


def _money(value) -> str:
    return format(Decimal(value), ",.2f")


def _litres(value) -> str:
    return format(Decimal(value).normalize(), "f")


# --- the checks: (line, facts) -> params or None --------------------------------------------------

def foreign_brand(line, facts: Facts):
    """Art. 28: 配备公务用车应当选用国产汽车."""
    if line.domestic is False:
        return {"name": _name(line)}
    return None


def renewal_vehicle(line, facts: Facts):
    """Art. 28: a renewal replaces a vehicle of the organisation in service; a new line replaces none."""
    replaced = facts.replaced
    if line.action == "renewal":
        if replaced is None:
            return {"name": _name(line), "problem": _("为更新，须选择被更新的车辆")}
        if replaced.organization_id != facts.organization_id:
            return {"name": _name(line),
                    "problem": _("被更新车辆“%(plate)s”不是本单位的车辆", plate=replaced.plate)}
        if replaced.status != "in_service" or replaced.voided_at is not None:
            return {"name": _name(line),
                    "problem": _("被更新车辆“%(plate)s”不在用，无需更新", plate=replaced.plate)}
        if (line.quantity or 0) != 1:
            return {"name": _name(line), "problem": _("为更新，一行更新一辆车，数量应为 1")}
    elif replaced is not None:
        return {"name": _name(line), "problem": _("为新增配备，不应选择被更新车辆；更新车辆请选择“更新”")}
    return None


def renewed_twice(line, facts: Facts):
    """Art. 28: a vehicle is renewed once — a renewal line names no vehicle that another renewal line
    already names, in the same plan, in another plan not rejected (draft, submitted, reviewed: that
    plan still asks for the money) or approved for this year or a later one. An approved plan of an
    earlier year no longer holds it: the vehicle is still in service, so that year's renewal was
    not carried out and a new plan may ask again."""
    replaced = facts.replaced
    if line.action != "renewal" or replaced is None or replaced.id is None:
        return None
    for other, _category, other_replaced in facts.earlier:
        if other.action == "renewal" and other_replaced is replaced:
            plan = facts.plan
            number = plan.document_number or _("草稿 %(id)s", id=plan.id)
            org = plan.organization.name if plan.organization is not None else ""
            return {"plate": replaced.plate, "number": number,
                    "plan": _("%(org)s %(year)s 年度，%(state)s", org=org, year=plan.year,
                              state=plan.state_label)}
    plan_id = facts.plan.id
    query = (select(VehiclePlanLine).join(VehiclePlan, VehiclePlanLine.plan_id == VehiclePlan.id)
             .where(VehiclePlanLine.action == "renewal", VehiclePlanLine.replaces_id == replaced.id,
                    or_(VehiclePlan.id == plan_id,
                        VehiclePlan.state.in_([s for s in RENEWAL_HOLDING_STATES if s != "approved"]),
                        and_(VehiclePlan.state == "approved", VehiclePlan.year >= facts.plan.year)))
             .order_by(VehiclePlanLine.id))
    if line.id is not None:
        query = query.where(VehiclePlanLine.id != line.id)
    other = facts.session.execute(query).scalars().first()
    if other is None:
        return None
    plan = other.plan
    number = plan.document_number or _("草稿 %(id)s", id=plan.id)
    org = plan.organization.name if plan.organization is not None else ""
    return {"plate": replaced.plate, "number": number,
            "plan": _("%(org)s %(year)s 年度，%(state)s", org=org, year=plan.year, state=plan.state_label)}


def beyond_establishment(line, facts: Facts):
    """Art. 27, 28: holdings of the category and the year's additions stay within the establishment."""
    own = adds_to(line, facts.category.id, line_category=facts.category.id, replaced=facts.replaced)
    if not own:
        return None
    own += sum(adds_to(other, facts.category.id, line_category=category_id, replaced=replaced)
               for other, category_id, replaced in facts.earlier)
    check = establishment_check(facts.session, facts.plan, facts.category, line=line, own=own)
    if not check.over:
        return None
    return {"cat": facts.category.name, "year": facts.plan.year,
            "quota": check.quota if check.quota is not None else _("0（未核定）"),
            "held": check.held, "added": check.added}


def above_price_cap(line, facts: Facts):
    """Art. 28: the unit price stays within the category's price cap."""
    cap = facts.standard(PRICE_CAP, facts.category.code)
    if cap is None or line.unit_price is None or Decimal(line.unit_price) <= cap:
        return None
    return {"name": _name(line), "price": _money(line.unit_price), "cat": facts.category.name,
            "cap": _money(cap)}


def displacement_filled(line, facts: Facts):
    """Art. 28: an engine's displacement is what the cap reads; a battery or fuel-cell vehicle has none."""
    energy = str(ENERGY_TYPES.get(line.energy_type, line.energy_type or ""))
    if line.energy_type in NO_DISPLACEMENT:
        if line.displacement is not None and Decimal(line.displacement) > 0:
            return {"name": _name(line),
                    "problem": _("为%(energy)s汽车，没有排量，不应填写排量", energy=energy)}
        return None
    if line.displacement is None:
        return {"name": _name(line), "problem": _("为%(energy)s汽车，须填写排量（升）", energy=energy)}
    return None


def above_displacement_cap(line, facts: Facts):
    """Art. 28: the displacement stays within the category's displacement cap."""
    if line.energy_type in NO_DISPLACEMENT or line.displacement is None:
        return None
    cap = facts.standard(DISPLACEMENT_CAP, facts.category.code)
    if cap is None or Decimal(line.displacement) <= cap:
        return None
    return {"name": _name(line), "value": _litres(line.displacement), "cat": facts.category.name,
            "cap": _litres(cap)}


def _lines_total(plan, line=None) -> Decimal:
    others = sum((other.amount for other in plan.lines if other is not line), Decimal(0))
    return others + (line.amount if line is not None else Decimal(0))


def above_budget(line, facts: Facts):
    """Art. 28: the plan is financed by the purchase money of the department budget."""
    budget = facts.plan.budget
    if budget is None:
        return None
    total = _lines_total(facts.plan, line)
    if total <= Decimal(budget):
        return None
    return {"total": _money(total), "budget": _money(budget)}


def renewal_early(line, facts: Facts):
    """Art. 28: a vehicle is renewed once it reaches the renewal age or the renewal mileage."""
    replaced = facts.replaced
    if line.action != "renewal" or replaced is None:
        return None
    years, km = facts.standard(RENEWAL_YEARS, ALL_KEY), facts.standard(RENEWAL_KM, ALL_KEY)
    if years is None and km is None:
        return None
    acquired = replaced.acquired_on
    day = plan_day(facts.plan.year)
    age = None
    if acquired is not None:
        age = Decimal((day - acquired).days) / Decimal("365.25")
    reached_age = years is not None and age is not None and age >= years
    reached_km = km is not None and (replaced.odometer_km or 0) >= km
    if reached_age or reached_km:
        return None
    return {"plate": replaced.plate,
            "age": format(age.quantize(Decimal("0.1")), "f") if age is not None else "—",
            "km": replaced.odometer_km or 0, "years": _litres(years) if years is not None else "—",
            "limit": _litres(km) if km is not None else "—"}


def plan_above_budget(plan: VehiclePlan, ctx):
    """Art. 28: a plan whose budget is lowered below its lines' total is refused too."""
    if plan.budget is None or not plan.lines:
        return None
    total = _lines_total(plan)
    if total <= Decimal(plan.budget):
        return None
    return {"total": _money(total), "budget": _money(plan.budget)}


def share_target(session, plan: VehiclePlan, ctx=None) -> Decimal | None:
    jurisdiction = _plan_jurisdiction(plan, ctx.related if ctx is not None else (lambda r, n: getattr(r, n)))
    return _standard_getter(session, jurisdiction, plan_day(plan.year), ctx)(NEW_ENERGY_SHARE, ALL_KEY)


def share_below(plan: VehiclePlan, ctx):
    """Art. 28: new-energy vehicles are preferred; a share below the target is flagged for the reviewers."""
    if plan.year is None:
        return None
    share = plan.new_energy_share
    target = share_target(ctx.session, plan, ctx)
    if share is None or target is None or share >= target:
        return None
    return {"share": format(share, "f"), "count": plan.new_energy_count, "total": plan.vehicle_count,
            "target": _litres(target)}


def _on_line(check):
    def rule_check(line: VehiclePlanLine, ctx):
        facts = _facts(line, ctx)
        return check(line, facts) if facts is not None else None
    rule_check.__doc__ = check.__doc__
    rule_check.__wrapped__ = check
    return rule_check


LINE_BLOCKS = [
    Rule(key="vehicles.plan_domestic", article=28, severity="block", model=VehiclePlanLine,
         message=_l("“%(name)s”非国产品牌，不得列入配备更新计划"), check=_on_line(foreign_brand)),
    Rule(key="vehicles.plan_renewal_vehicle", article=28, severity="block", model=VehiclePlanLine,
         message=_l("配备更新计划明细“%(name)s”%(problem)s"), check=_on_line(renewal_vehicle)),
    Rule(key="vehicles.plan_renewal_twice", article=28, severity="block", model=VehiclePlanLine,
         message=_l("车辆“%(plate)s”已列入配备更新计划 %(number)s（%(plan)s）的更新明细，"
                    "同一车辆不得重复列入更新计划"),
         check=_on_line(renewed_twice)),
    Rule(key="vehicles.plan_establishment", article=27, severity="block", model=VehiclePlanLine,
         message=_l("超出车辆编制：%(cat)s编制 %(quota)s 辆（%(year)s 年 1 月 1 日现行核定），"
                    "现有 %(held)s 辆，本年度计划新增 %(added)s 辆；"
                    "配备更新计划应在编制内编报（第二十八条）"),
         check=_on_line(beyond_establishment)),
    Rule(key="vehicles.plan_price_cap", article=28, severity="block", model=VehiclePlanLine,
         message=_l("“%(name)s”单价 %(price)s 元超过%(cat)s车辆价格上限 %(cap)s 元，不得列入配备更新计划"),
         check=_on_line(above_price_cap)),
    Rule(key="vehicles.plan_displacement", article=28, severity="block", model=VehiclePlanLine,
         message=_l("“%(name)s”%(problem)s"), check=_on_line(displacement_filled)),
    Rule(key="vehicles.plan_displacement_cap", article=28, severity="block", model=VehiclePlanLine,
         message=_l("“%(name)s”排量 %(value)s 升超过%(cat)s车辆排量上限 %(cap)s 升，不得列入配备更新计划"),
         check=_on_line(above_displacement_cap)),
    Rule(key="vehicles.plan_budget", article=28, severity="block", model=VehiclePlanLine,
         message=_l("配备更新计划明细合计 %(total)s 元超过购置经费预算 %(budget)s 元"),
         check=_on_line(above_budget)),
]

RULES = [
    *LINE_BLOCKS,
    Rule(key="vehicles.plan_renewal_early", article=28, severity="flag", model=VehiclePlanLine,
         message=_l("车辆“%(plate)s”尚未达到更新标准（已使用 %(age)s 年、行驶 %(km)s 公里；更新标准为使用满 "
                    "%(years)s 年或行驶满 %(limit)s 公里），请审核时重点审查提前更新的理由"),
         check=_on_line(renewal_early)),
    Rule(key="vehicles.plan_budget_total", article=28, severity="block", model=VehiclePlan,
         message=_l("配备更新计划明细合计 %(total)s 元超过购置经费预算 %(budget)s 元"),
         check=plan_above_budget),
    Rule(key="vehicles.plan_new_energy_share", article=28, severity="flag", model=VehiclePlan,
         message=_l("配备更新计划的新能源汽车占比 %(share)s%%（%(count)s/%(total)s 辆）"
                    "低于目标 %(target)s%%，应优先选用新能源汽车"),
         check=share_below),
]


def refusals(session, plan: VehiclePlan) -> list[str]:
    """The blocking rules' messages for the plan's lines as they stand (the submission's check)."""
    jurisdiction = plan.jurisdiction or (plan.organization.jurisdiction if plan.organization else None)
    standard = _standard_getter(session, jurisdiction, plan_day(plan.year))
    found = []
    for line in plan.lines:
        facts = Facts(session, plan, line.category, line.replaces, plan.organization_id, standard)
        for rule in LINE_BLOCKS:
            params = rule.check.__wrapped__(line, facts)
            if params:
                found.append(str(rule.message) % params + measures_article(rule.article))
    return found
