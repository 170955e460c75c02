"""Rules of Art. 15 on the operating-cost report and the office space it divides by."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.api import Rule
from plugins.funds.opcost.models import OpcostOfficeArea, OpcostReport
from plugins.funds.opcost.scoring import TARGET_KIND

FIRST_YEAR = 2000
OPEN_STATES = ("draft", "rejected")


def _not_a_bureau(report: OpcostReport, ctx):
    """Art. 15: the statistics of a jurisdiction are the offices-administration bureau's work."""
    org = ctx.related(report, "organization")
    return org is not None and not org.is_bureau and {"org": org.name}


def _year_out_of_range(record, ctx):
    year = ctx.value(record, "year")
    return year is not None and not (FIRST_YEAR <= year <= ctx.today.year) and \
        {"year": year, "first": FIRST_YEAR, "last": ctx.today.year}


def _second_report(report: OpcostReport, ctx):
    """Art. 15: one report per jurisdiction and year; a returned one is corrected, not doubled."""
    if not ctx.changed(report, "jurisdiction_id", "organization_id", "year"):
        return None
    org = ctx.related(report, "organization")
    jurisdiction_id = org.jurisdiction_id if org is not None else ctx.value(report, "jurisdiction_id")
    year = ctx.value(report, "year")
    for other in ctx.new_before(report, OpcostReport):  # earlier in this flush (an import)
        other_org = ctx.related(other, "organization")
        other_jurisdiction = (other_org.jurisdiction_id if other_org is not None
                              else ctx.value(other, "jurisdiction_id"))
        if other_jurisdiction == jurisdiction_id and ctx.value(other, "year") == year:
            return {"year": year}
    with ctx.session.no_autoflush:
        other = ctx.session.execute(
            select(OpcostReport.id).where(OpcostReport.jurisdiction_id == jurisdiction_id,
                                          OpcostReport.year == year,
                                          OpcostReport.id != (report.id or 0))
        ).first()
    return other is not None and {"year": year}


def _area_not_positive(area: OpcostOfficeArea, ctx):
    value = ctx.value(area, "area")
    return value is None or Decimal(str(value)) <= 0


def _area_reported(area: OpcostOfficeArea, ctx):
    """Art. 15: the space of a year whose report went up is what the report says; the bureau
    above returns the report to have it corrected."""
    from plugins.funds.opcost.figures import reporting_jurisdiction

    org = ctx.related(area, "organization")
    if org is None:
        return None
    years = {ctx.value(area, "year"), ctx.previous(area).get("year") if area.id else None} - {None}
    covering = reporting_jurisdiction(org.jurisdiction)
    if covering is None or not years:
        return None
    with ctx.session.no_autoflush:
        found = ctx.session.execute(
            select(OpcostReport.year).where(OpcostReport.jurisdiction_id == covering.id,
                                            OpcostReport.year.in_(years),
                                            OpcostReport.state.notin_(OPEN_STATES))
        ).first()
    return found is not None and {"year": found[0], "jur": covering.name}


def _per_capita_over_target(report: OpcostReport, ctx):
    """Art. 15 分析、评价: a per-capita cost above the target is for the bureau to analyse."""
    figures = ctx.value(report, "figures") or {}
    if figures.get("per_capita") is None:
        return None
    jurisdiction = ctx.related(report, "jurisdiction")
    target = ctx.standard(TARGET_KIND, "per_capita_cost", jurisdiction,
                          dt.date(ctx.value(report, "year"), 12, 31))
    if target is None or target.value is None or Decimal(figures["per_capita"]) <= target.value:
        return None
    return {"value": figures["per_capita"], "target": target.value_text}


RULES = [
    Rule(key="funds.opcost_reporting_bureau", article=15, severity="block", model=OpcostReport,
         message=_l("机关运行成本统计报告由机关事务管理部门编制：“%(org)s”不是机关事务管理部门"),
         check=_not_a_bureau),
    Rule(key="funds.opcost_one_per_year", article=15, severity="block", model=OpcostReport,
         message=_l("本辖区 %(year)s 年的机关运行成本统计报告已有记录："
                    "退回的报告请修改后重新报送"),
         check=_second_report),
    Rule(key="funds.opcost_report_year", article=15, severity="block", model=OpcostReport,
         message=_l("统计年度 %(year)s 无效：应在 %(first)s 年至 %(last)s 年之间"),
         check=_year_out_of_range),
    Rule(key="funds.opcost_area_year", article=15, severity="block", model=OpcostOfficeArea,
         message=_l("统计年度 %(year)s 无效：应在 %(first)s 年至 %(last)s 年之间"),
         check=_year_out_of_range),
    Rule(key="funds.opcost_area_positive", article=15, severity="block", model=OpcostOfficeArea,
         message=_l("办公用房面积必须大于 0 平方米"), check=_area_not_positive),
    Rule(key="funds.opcost_area_reported", article=15, severity="block", model=OpcostOfficeArea,
         message=_l("%(jur)s %(year)s 年的机关运行成本统计报告已报送上级，该年度办公用房面积不能再修改；"
                    "如需更正，请由上级机关事务管理部门退回报告"),
         check=_area_reported, on=("create", "update", "delete")),
    Rule(key="funds.opcost_per_capita_over_target", article=15, severity="flag", model=OpcostReport,
         message=_l("人均机关运行成本 %(value)s 元/人，高于绩效目标值 %(target)s，"
                    "请分析原因并提出控制措施"),
         check=_per_capita_over_target),
]
