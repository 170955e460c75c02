"""支出审批单 (one claim with its standards check, approval history and signatures) and 支出明细账
(approved claims of an organisation and period, by economic class) — Art. 10-11."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates, validates_schema
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from catalog.models import Organization, standard_in_force
from core.api import Report, beijing_today, chinese_date, current_scope, db, related_target, scoped
from core.workflow.approval import action_label, state_label, workflow_history
from plugins.funds.spending.models import ExpenditureClaim
from plugins.funds.spending.rules import rate_lines

FORM_SIGNATURES = (_l("经办人"), _l("部门负责人"), _l("分管领导"), _l("单位主要负责人"))
LEDGER_SIGNATURES = (_l("制表人"), _l("财务负责人"), _l("单位负责人"))


class _Reader:
    """What ``rate_lines`` asks of a rule's context, outside a write."""

    def __init__(self, session):
        self.session = session

    def related(self, record, name):
        return related_target(self.session, record, name)

    def standard(self, kind, key, jurisdiction, on=None):
        return standard_in_force(self.session, kind, key, jurisdiction, on)


def _find(claim_id, scope):
    query = (select(ExpenditureClaim).where(ExpenditureClaim.id == claim_id)
             .options(selectinload(ExpenditureClaim.organization),
                      selectinload(ExpenditureClaim.economic_class)))
    return db.session.execute(scoped(query, ExpenditureClaim, scope)).scalar_one_or_none()


class ClaimFormParams(Schema):
    claim_id = fields.Integer(required=True, metadata={
        "label": _l("支出申请"), "description": _l("输入编号、收款人或用途搜索"),
        "record": "funds_spending_claim"})

    @validates("claim_id")
    def _exists(self, value, **_kw):
        if _find(value, current_scope()) is None:
            raise ValidationError(_("支出申请不存在或不在您的权限范围内"))


def claim_form_context(params: dict, scope) -> dict:
    claim = _find(params["claim_id"], scope)
    if claim is None:  # a job rendering for a scope that lost the record meanwhile
        return {"claim": None, "checks": [], "history": []}
    history = [{"at": e.at, "who": e.username,
                "action": action_label(e.action, ExpenditureClaim, e.from_state),
                "to": state_label(e.to_state, ExpenditureClaim), "comment": e.comment or ""}
               for e in workflow_history(claim)]
    return {
        "claim": claim, "checks": rate_lines(claim, _Reader(db.session)), "history": history,
        "state": claim.state_label, "issuer": claim.organization.name,
        "period": _("支出日期 %(date)s", date=chinese_date(claim.spent_on)),
    }


def _year_start():
    return beijing_today().replace(month=1, day=1)


class LedgerParams(Schema):
    organization = fields.String(load_default=None, metadata={
        "label": _l("单位"), "description": _l("不选则为权限范围内的全部单位"), "record": "organization",
        "record_value": "name"})
    date_from = fields.Date(load_default=_year_start, metadata={"label": _l("起始日期")})
    date_to = fields.Date(load_default=beijing_today, metadata={"label": _l("截止日期")})

    @validates_schema
    def _period(self, data, **_kw):
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError({"date_to": [_("截止日期不能早于起始日期")]})


def ledger_context(params: dict, scope) -> dict:
    query = (select(ExpenditureClaim)
             .where(ExpenditureClaim.state == "approved", ExpenditureClaim.voided_at.is_(None),
                    ExpenditureClaim.spent_on >= params["date_from"],
                    ExpenditureClaim.spent_on <= params["date_to"])
             .options(selectinload(ExpenditureClaim.economic_class),
                      selectinload(ExpenditureClaim.organization))
             .order_by(ExpenditureClaim.spent_on, ExpenditureClaim.id))
    issuer = None
    if params.get("organization"):
        named = select(Organization).where(Organization.name == params["organization"])
        org = db.session.execute(scoped(named, Organization, scope)).scalar_one_or_none()
        if org is None:
            raise ValidationError({"organization": [_("单位不存在或不在您的权限范围内")]})
        query = query.where(ExpenditureClaim.organization_id == org.id)
        issuer = org.name
    claims = db.session.execute(scoped(query, ExpenditureClaim, scope)).scalars().all()
    groups: dict[str, dict] = {}
    for claim in claims:
        klass = claim.economic_class
        group = groups.setdefault(klass.code, {"klass": klass, "rows": [], "total": Decimal(0)})
        group["rows"].append(claim)
        group["total"] += claim.amount
    ordered = [groups[code] for code in sorted(groups)]
    context = {
        "groups": ordered, "total": sum((g["total"] for g in ordered), Decimal(0)), "count": len(claims),
        "period": _("%(start)s至%(end)s", start=chinese_date(params["date_from"]),
                    end=chinese_date(params["date_to"])),
    }
    if issuer:
        context["issuer"] = issuer
    return context


def reports() -> list[Report]:
    return [
        Report(
            key="funds_spending_claim_form", label=_l("支出审批单"), params_schema=ClaimFormParams,
            build_context=claim_form_context, template="funds/spending_claim_form.html",
            signatures=FORM_SIGNATURES, prints="funds_spending_claim",
            description=_l("一份支出申请的经济分类、金额、开支标准核对及各环节审批记录（第十条、第十一条）"),
        ),
        Report(
            key="funds_spending_ledger", label=_l("支出明细账"), params_schema=LedgerParams,
            build_context=ledger_context, template="funds/spending_ledger.html", orientation="landscape",
            signatures=LEDGER_SIGNATURES,
            description=_l("单位一定期间内已批准的支出申请，按经济分类列示并小计（第十条）"),
        ),
    ]


