"""Schema and entity type of expenditure claims (支出申请/报销单, Art. 10-11)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, validates
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from core.api import AttachmentKinds, EntityType, Scope
from plugins.funds.spending.models import ENTITY, GRADES, PLACES, RANKS, ExpenditureClaim

SCOPE = Scope(organization="organization_id", jurisdiction="jurisdiction_id", derive_jurisdiction=True)


class ExpenditureClaimSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = ExpenditureClaim
        include_fk = True
        exclude = ("version",)

    @validates("amount")
    def _amount(self, value, **_kw):
        if value is None or value <= 0:
            raise ValidationError(_("金额必须大于零"))

    @validates("meal_amount")
    def _meal(self, value, **_kw):
        if value is not None and value < 0:
            raise ValidationError(_("伙食补助不能为负数"))

    @validates("lodging_amount")
    def _lodging(self, value, **_kw):
        if value is not None and value < 0:
            raise ValidationError(_("住宿费不能为负数"))

    @validates("participants")
    def _participants(self, value, **_kw):
        if value is not None and value <= 0:
            raise ValidationError(_("人数必须大于零"))

    @validates("days")
    def _days(self, value, **_kw):
        if value is not None and value <= 0:
            raise ValidationError(_("天数必须大于零"))

    @validates("grade")
    def _grade(self, value, **_kw):
        if value and value not in GRADES:
            raise ValidationError(_("未知的会议或培训类别：%(value)s", value=value))

    @validates("place")
    def _place(self, value, **_kw):
        if value and value not in PLACES:
            raise ValidationError(_("未知的出差地点：%(value)s", value=value))

    @validates("rank")
    def _rank(self, value, **_kw):
        if value and value not in RANKS:
            raise ValidationError(_("未知的出差人员级别：%(value)s", value=value))


def entity_types() -> list[EntityType]:
    return [
        EntityType(
            key=ENTITY, label=_l("支出申请"), model=ExpenditureClaim, scope=SCOPE,
            schema=ExpenditureClaimSchema, sharing="conditional", update_cycle=_l("实时"),
            description=_l("经费支出申请及报销：经济分类、金额、收款人、用途，会议费、培训费、差旅费按开支标准审核，"
                           "按金额分级审批，批准后记入支出明细账（第十条、第十一条）"),
            api_columns=("id", "organization_id", "spent_on", "economic_class_id", "amount", "payee",
                         "purpose", "grade", "participants", "days", "place", "rank", "meal_amount",
                         "lodging_amount", "state", "submitted_at", "decided_at", "voided_at",
                         "voided_by", "void_reason"),
            search_fields=("payee", "purpose"),
            attachments=AttachmentKinds(("invoice", _l("发票")), types=("pdf", "png", "jpeg")),
            delete_policy="void",
        ),
    ]
