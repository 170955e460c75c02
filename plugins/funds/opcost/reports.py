"""Reports of the operating-cost area (Art. 15): 机关运行成本统计表 and 绩效评价表 of one report."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates
from sqlalchemy import select

from core.api import Report, current_scope, db, record_id_of_number, scoped
from plugins.funds.opcost.categories import CATEGORY_LABELS
from plugins.funds.opcost.models import OpcostReport


def find_report(key, scope=None) -> OpcostReport | None:
    """The report by its number (SP-2026-00001) or id, within ``scope``."""
    key = str(key or "").strip().upper()
    numbered = record_id_of_number("funds_opcost_report", key)
    if numbered is not None:
        key = numbered
    if not str(key).isdigit():
        return None
    query = select(OpcostReport).where(OpcostReport.id == int(key))
    return db.session.execute(scoped(query, OpcostReport, scope)).scalar_one_or_none()


class ReportParams(Schema):
    report = fields.String(required=True, metadata={
        "label": _l("统计报告"), "description": _l("输入报告编号；只能打印本辖区及下级辖区的报告"),
        "record": "funds_opcost_report",
    })

    @validates("report")
    def _exists(self, value, **_kw):
        if find_report(value, current_scope()) is None:
            raise ValidationError(_("统计报告不存在或不在您的权限范围内"))


def _context(params: dict, scope) -> dict:
    report = find_report(params["report"], scope)
    if report is None:
        return {"opcost": None}
    figures = report.figures or {}
    return {"opcost": report, "figures": figures,
            "categories": {k: str(v) for k, v in CATEGORY_LABELS.items()},
            "period": _("%(name)s %(year)s 年度　报告 %(no)s　%(state)s", name=report.jurisdiction.name,
                        year=report.year, no=report.number, state=report.state_label),
            "issuer": report.organization.name}


def reports() -> list[Report]:
    return [
        Report(key="funds_opcost_statistics", label=_l("机关运行成本统计表"), params_schema=ReportParams,
               build_context=_context, template="funds/opcost_report_statistics.html",
               orientation="landscape", signatures=(_l("填报人"), _l("审核人"), _l("单位负责人")),
               description=_l("分类成本、人均与单位面积成本、同比变化及各单位数据（第十五条）")),
        Report(key="funds_opcost_evaluation", label=_l("机关运行成本绩效评价表"), params_schema=ReportParams,
               build_context=_context, template="funds/opcost_report_evaluation.html",
               orientation="portrait", signatures=(_l("评价人"), _l("审核人"), _l("单位负责人")),
               description=_l("各评价指标的实际值、目标值、权重和得分，总分与评价等级（第十五条）")),
    ]
