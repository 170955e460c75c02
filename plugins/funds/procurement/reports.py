"""政府采购情况表 (Art. 14): per organisation and year, by method, central or not, flagged items."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates
from sqlalchemy import or_, select

from catalog.models import Organization
from core.api import STANDARD_SIGNATURES, Report, beijing_today, current_scope, db, scoped
from core.models import Finding
from plugins.funds.procurement.models import METHODS, ProcurementRecord

RULE_PREFIX = "funds.procurement_"


def _organization(text: str | None, scope) -> Organization | None:
    text = (text or "").strip()
    if not text:
        return None
    query = select(Organization).where(or_(Organization.name == text, Organization.uscc == text.upper()))
    return db.session.execute(scoped(query, Organization, scope, for_reference=True)).scalars().first()


class ProcurementParams(Schema):
    year = fields.Integer(load_default=lambda: beijing_today().year, metadata={
        "label": _l("年度"), "description": _l("按采购日期所在年度统计")})
    organization = fields.String(load_default=None, allow_none=True, metadata={
        "label": _l("采购单位"),
        "description": _l("输入单位名称或统一社会信用代码搜索；不填则为权限范围内全部单位"),
        "record": "organization", "record_value": "name"})

    @validates("year")
    def _year(self, value, **_kw):
        if not 2000 <= value <= 2100:
            raise ValidationError(_("年度应为 2000—2100 之间的年份"))

    @validates("organization")
    def _known(self, value, **_kw):
        if value and _organization(value, current_scope()) is None:
            raise ValidationError(_("单位不存在或不在您的权限范围内"))


def procurement_summary(year: int, organization: Organization | None, scope) -> dict:
    """Rows per organisation (count and amount by method, central or not, flagged), the flagged
    records with what their open findings say, and the totals."""
    query = (select(ProcurementRecord).where(
        ProcurementRecord.voided_at.is_(None),
        ProcurementRecord.purchased_on.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
        .order_by(ProcurementRecord.organization_id, ProcurementRecord.purchased_on, ProcurementRecord.id))
    if organization is not None:
        query = query.where(ProcurementRecord.organization_id == organization.id)
    records = list(db.session.execute(scoped(query, ProcurementRecord, scope)).scalars())
    findings = defaultdict(list)
    if records:
        for entity_id, message in db.session.execute(select(
                Finding.entity_id, Finding.message).where(
                Finding.entity == "procurement_record", Finding.status == "open",
                Finding.rule_key.like(RULE_PREFIX + "%"),
                Finding.entity_id.in_([str(r.id) for r in records])).order_by(Finding.id)):
            findings[int(entity_id)].append(message)
    zero = Decimal(0)

    def blank(name):
        return {"name": name, "count": 0, "amount": zero, "methods": {m: zero for m in METHODS},
                "central": zero, "other": zero, "flagged": 0}

    rows, flagged, total = {}, [], blank(_("合计"))
    for record in records:
        row = rows.setdefault(record.organization_id, blank(record.organization.name))
        for target in (row, total):
            target["count"] += 1
            target["amount"] += record.amount
            target["methods"][record.method] = target["methods"].get(record.method, zero) + record.amount
            target["central" if record.central else "other"] += record.amount
            target["flagged"] += 1 if findings.get(record.id) else 0
        if findings.get(record.id):
            flagged.append({"record": record, "messages": findings[record.id]})
    return {"rows": list(rows.values()), "total": total, "flagged": flagged,
            "methods": [(key, str(label)) for key, label in METHODS.items()]}


def procurement_context(params: dict, scope) -> dict:
    organization = _organization(params.get("organization"), scope)
    summary = procurement_summary(params["year"], organization, scope)
    who = organization.name if organization is not None else _("权限范围内全部单位")
    return {**summary, "year": params["year"], "subtitle_ug": "ھۆكۈمەت سېتىۋېلىش ئەھۋالى جەدۋىلى",
            "period": _("%(year)s 年度　%(who)s", year=params["year"], who=who)}


def reports() -> list[Report]:
    return [
        Report(
            key="funds_procurement", label=_l("政府采购情况表"), params_schema=ProcurementParams,
            build_context=procurement_context, template="funds/report_procurement.html",
            orientation="landscape", signatures=STANDARD_SIGNATURES,
            description=_l("各单位年度采购：按采购方式、是否集中采购的金额，及问题清单中的疑似违规事项"
                           "（指定品牌、集中采购目录品目未集中采购、化整为零、应公开招标未公开招标，第十四条）"),
        ),
    ]
