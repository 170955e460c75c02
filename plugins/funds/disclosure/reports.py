"""三公经费 PDFs (Art. 13): an organisation's 预算（决算）公开表 and a jurisdiction's 汇总表."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates
from sqlalchemy import select

from catalog.models import Jurisdiction, Organization
from core.api import Report, beijing_today, current_scope, db, scoped
from plugins.funds.disclosure.figures import rollup, table_of
from plugins.funds.disclosure.models import CATEGORIES, SangongDisclosure

SIGNATURES = (_l("填报人"), _l("单位负责人"))
ROLLUP_SIGNATURES = (_l("填报人"), _l("审核人"), _l("负责人"))


def column_labels() -> list[tuple[str, str]]:
    """The customary columns of the 三公 table, in order (key, label)."""
    labels = {key: str(label) for key, label, _code in CATEGORIES}
    return [("total", _("合计")), ("outbound", labels["outbound"]), ("vehicle", _("小计")),
            ("vehicle_purchase", _("购置费")), ("vehicle_running", _("运行维护费")),
            ("reception", labels["reception"])]


def row_labels(kind: str) -> tuple[str, str]:
    return (_("上年预算数"), _("本年预算数")) if kind == "budget" else (_("预算数"), _("决算数"))


def _find(disclosure_id, scope):
    query = select(SangongDisclosure).where(SangongDisclosure.id == disclosure_id)
    return db.session.execute(scoped(query, SangongDisclosure, scope)).scalar_one_or_none()


class DisclosureParams(Schema):
    disclosure_id = fields.Integer(required=True, metadata={
        "label": _l("三公经费公开"), "record": "funds_sangong_disclosure"})

    @validates("disclosure_id")
    def _exists(self, value, **_kw):
        if _find(value, current_scope()) is None:
            raise ValidationError(_("三公经费公开记录不存在或不在您的权限范围内"))


def disclosure_context(params: dict, scope) -> dict:
    disclosure = _find(params["disclosure_id"], scope)
    if disclosure is None:
        return {"disclosure": None}
    table = table_of(db.session, disclosure)
    base_label, figure_label = row_labels(disclosure.kind)
    return {
        "disclosure": disclosure, "table": table, "columns": column_labels(),
        "base_label": base_label, "figure_label": figure_label,
        "title": _("%(org)s %(year)s 年三公经费%(kind)s公开表", org=disclosure.organization.name,
                   year=disclosure.year, kind=disclosure.kind_label),
        "issuer": disclosure.organization.name,
        "period": _("%(year)s 年度　单位：元", year=disclosure.year),
    }


def rollup_jurisdiction(scope, code: str | None):
    """The jurisdiction asked for, or the caller's; None when outside the caller's scope."""
    if code:
        jurisdiction = db.session.execute(
            select(Jurisdiction).where(Jurisdiction.code == code)).scalar_one_or_none()
    elif scope.jurisdiction_id is not None:
        jurisdiction = db.session.get(Jurisdiction, scope.jurisdiction_id)
    else:
        jurisdiction = db.session.execute(select(Jurisdiction).where(Jurisdiction.parent_id.is_(None))
                                          .order_by(Jurisdiction.code).limit(1)).scalar_one_or_none()
    if jurisdiction is None:
        return None
    if scope.kind == "all":
        return jurisdiction
    if scope.kind == "organization" or not jurisdiction.path.startswith(scope.jurisdiction_path or "\x00"):
        return None
    return jurisdiction


class RollupParams(Schema):
    year = fields.Integer(load_default=lambda: beijing_today().year, metadata={"label": _l("年度")})
    jurisdiction = fields.String(load_default=None, metadata={
        "label": _l("辖区代码"), "description": _l("不填为本人所在辖区")})

    @validates("year")
    def _year(self, value, **_kw):
        if not 2000 <= value <= 2100:
            raise ValidationError(_("年度应为四位年份"))

    @validates("jurisdiction")
    def _jurisdiction(self, value, **_kw):
        if rollup_jurisdiction(current_scope(), value) is None:
            raise ValidationError(_("辖区不存在或不在您的权限范围内（汇总表由机关事务管理部门查看）"))


def rollup_context(params: dict, scope) -> dict:
    jurisdiction = rollup_jurisdiction(scope, params.get("jurisdiction"))
    if jurisdiction is None:
        return {"jurisdiction": None}
    data = rollup(db.session, jurisdiction, params["year"])
    return {
        "jurisdiction": jurisdiction, "lines": data["lines"], "total": data["total"],
        "columns": column_labels(), "year": params["year"],
        "title": _("%(name)s三公经费汇总表", name=jurisdiction.name),
        "period": _("%(year)s 年度（决算数为支出台账实际数）　单位：元", year=params["year"]),
    }


def organization_in_scope(organization_id, scope):
    query = select(Organization).where(Organization.id == organization_id)
    org = db.session.execute(query).scalar_one_or_none()
    if org is None or scope.kind == "all":
        return org
    if scope.kind == "organization":
        return org if org.id == scope.organization_id else None
    return org if org.jurisdiction.path.startswith(scope.jurisdiction_path or "\x00") else None


def reports() -> list[Report]:
    return [
        Report(key="funds_sangong_disclosure", label=_l("三公经费预算（决算）公开表"),
               params_schema=DisclosureParams, build_context=disclosure_context,
               template="funds/disclosure_report.html", orientation="landscape", signatures=SIGNATURES,
               prints="funds_sangong_disclosure",
               description=_l("单位三公经费预算数、决算数、增减及说明，车辆、接待、出访数量（第十三条）")),
        Report(key="funds_sangong_rollup", label=_l("三公经费汇总表"), params_schema=RollupParams,
               build_context=rollup_context, template="funds/disclosure_rollup.html",
               orientation="landscape", signatures=ROLLUP_SIGNATURES,
               description=_l("本辖区及下级各单位三公经费预算数与支出台账决算数汇总（第十三条）")),
    ]
