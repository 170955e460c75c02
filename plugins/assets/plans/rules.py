"""Rules of configuration plans (Art. 14, 17, 18), on every write of a plan line.

Art. 14 asks that the configuration standards are executed strictly; it allows no exception.
The one route above a standard is the configuration plan itself (Art. 17): a line asks for a
deviation with its reason, and only the plan's review by the bureau and finance approves it
(经批准的超标准配置). Art. 14's own rule here is the ban on designating a brand, model or
origin (指定或者变相指定品牌、型号、产地) in what the line asks for.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from catalog.designation import WHAT, designations
from core.api import Rule, join_items
from plugins.assets.plans.models import AssetPlan, AssetPlanLine, LineCheck, check_line


def excess_detail(check: LineCheck) -> str:
    """What a line exceeds, in words (shared with the screens and the report)."""
    parts = []
    if check.over_price:
        parts.append(_("单价超过上限 %(cap)s 元", cap=format(check.price_cap, ",.2f")))
    if check.over_quantity:
        parts.append(_("现有 %(held)s 件加本计划 %(asked)s 件超过数量上限 %(limit)s 件",
                       held=check.holdings, asked=check.requested, limit=check.quantity_limit))
    return "；".join(parts)


def _check(line: AssetPlanLine, ctx) -> LineCheck | None:
    asset_class = ctx.related(line, "asset_class")
    if asset_class is None or line.quantity is None or line.quantity <= 0:
        return None
    plan_id = ctx.value(line, "plan_id")
    # the lines of the same plan and class before this one in the flush (an import's chunk)
    pending = sum(other.quantity or 0 for other in ctx.new_before(line, AssetPlanLine)
                  if plan_id is not None and ctx.value(other, "plan_id") == plan_id
                  and getattr(ctx.related(other, "asset_class"), "id", None) == asset_class.id)
    return check_line(ctx.session, line, organization_id=ctx.value(line, "organization_id"),
                      class_id=asset_class.id, on=ctx.today, pool_shown=3, pending=pending)


def _above_standard(line: AssetPlanLine, ctx):
    """Art. 17: a line above a standard asks for an approved deviation with its reason, else it is refused."""
    check = _check(line, ctx)
    if check is None or not check.exceeds or line.exception_requested:
        return None
    return {"name": line.name, "detail": excess_detail(check)}


def _establishment_missing(line: AssetPlanLine, ctx):
    """Art. 17: a per-person standard multiplies the establishment (编制人数); without one
    recorded the line cannot be checked, and no count of staff stands in for it."""
    check = _check(line, ctx)
    if check is None or not check.establishment_missing:
        return None
    asset_class, org = ctx.related(line, "asset_class"), ctx.related(line, "organization")
    return {"org": org.name if org is not None else "", "cls": asset_class.name}


def _exception_without_reason(line: AssetPlanLine, ctx):
    """Art. 17: a deviation is asked for with its reason, for the plan's reviewers to weigh."""
    if line.exception_requested and not (line.exception_reason or "").strip():
        return {"name": line.name}
    return None


def _exception_for_reviewers(line: AssetPlanLine, ctx):
    """Art. 17: a deviation request is flagged for the reviewers (a finding until it is gone)."""
    check = _check(line, ctx)
    if check is None or not check.exception:
        return None
    return {"name": line.name, "detail": excess_detail(check), "reason": line.exception_reason or ""}


def pool_items_text(check: LineCheck) -> str:
    """The pool items a line should reuse, as the finding and the plan's page name them."""
    return join_items(_("%(number)s %(name)s（%(bureau)s公物仓）", number=item.asset.number,
                       name=item.asset.name, bureau=item.organization.name) for item in check.pool_items)


def _reuse_first(line: AssetPlanLine, ctx):
    """Art. 18: what the pools the organisation may request from hold of the class is reused first —
    only those pools (the pool's own rule says which), not idle assets it could not have."""
    check = _check(line, ctx)
    if check is None or not check.reuse_first:
        return None
    asset_class = ctx.related(line, "asset_class")
    more = _("等") if check.pool_count > len(check.pool_items) else ""
    return {"count": check.pool_count, "cls": asset_class.name, "examples": pool_items_text(check) + more}


def _designates(line: AssetPlanLine, ctx):
    """Art. 14: the line asks for a function and a performance, never a brand, model or origin."""
    found = designations(line.name, line.specification)
    if not found:
        return None
    return {"name": line.name, "found": join_items(f"{WHAT.get(what, what)}“{word}”" for what, word in found)}


def _plan_of(line: AssetPlanLine, ctx) -> AssetPlan | None:
    return ctx.related(line, "plan")


RULES = [
    Rule(
        key="assets.plan_line_establishment", article=17, severity="block", model=AssetPlanLine,
        message=_l("“%(org)s”尚未登记编制：“%(cls)s”的配置标准按人均核定数量，需要编制人数；"
                   "请先由机关事务管理部门在“编制核定”中登记该单位的编制"),
        check=_establishment_missing,
    ),
    Rule(
        key="assets.plan_line_cap", article=17, severity="block", model=AssetPlanLine,
        message=_l("配置计划明细“%(name)s”超过现行配置标准：%(detail)s；"
                   "确需超标准配置的，请勾选“申请超标准配置”并填写理由"),
        check=_above_standard,
    ),
    Rule(
        key="assets.plan_exception_reason", article=17, severity="block", model=AssetPlanLine,
        message=_l("配置计划明细“%(name)s”申请超标准配置，必须填写超标准理由（超标准配置须经配置计划审核批准）"),
        check=_exception_without_reason,
    ),
    Rule(
        key="assets.plan_exception", article=17, severity="flag", model=AssetPlanLine,
        message=_l("配置计划明细“%(name)s”申请超标准配置（%(detail)s），理由：%(reason)s。"
                   "须经配置计划审核批准方可配置，请审核时重点审查"),
        check=_exception_for_reviewers,
    ),
    Rule(
        key="assets.plan_designation", article=14, severity="flag", model=AssetPlanLine,
        message=_l("配置计划明细“%(name)s”的名称或规格型号指定或者变相指定了品牌、型号、产地（%(found)s）；"
                   "应只写明功能、性能等需求，不得指定品牌、型号、产地"),
        check=_designates,
    ),
    Rule(
        key="assets.plan_reuse_first", article=18, severity="flag", model=AssetPlanLine,
        message=_l("本单位可申请调剂的公物仓中有 %(count)s 件“%(cls)s”（%(examples)s），应优先申请调剂使用"),
        check=_reuse_first,
    ),
]
