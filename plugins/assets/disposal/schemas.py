"""Schemas and entity types of disposal (资产处置, Art. 19)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, validates
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from core.api import AttachmentKinds, EntityType, Scope, StateField
from plugins.assets.disposal.models import DISPOSAL_METHODS, Disposal, DisposalLine, DisposalProceeds

#: An application's jurisdiction is its organisation's; its lines and proceeds are the application's.
SCOPE = Scope(organization="organization_id", jurisdiction="jurisdiction_id", derive_jurisdiction=True)
LINE_SCOPE = Scope(organization="organization_id", jurisdiction="jurisdiction_id", parent="disposal")
#: the money an approved disposal brought in is recorded after the approval
PROCEEDS_SCOPE = Scope(organization="organization_id", jurisdiction="jurisdiction_id",
                       parent="disposal", locked_with_parent=False)


class DisposalSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = Disposal
        include_fk = True
        exclude = ("version",)

    @validates("method")
    def _method(self, value, **_kw):
        if value not in DISPOSAL_METHODS:
            raise ValidationError(_("未知的处置方式：%(value)s", value=value))

    @validates("appraised_value")
    def _appraised(self, value, **_kw):
        if value is not None and value < 0:
            raise ValidationError(_("评估价值不能为负数"))


class DisposalLineSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = DisposalLine
        include_fk = True
        exclude = ("previous_status",)


class DisposalProceedsSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = DisposalProceeds
        include_fk = True
        exclude = ("version",)

    @validates("amount")
    def _amount(self, value, **_kw):
        if value is None or value < 0:
            raise ValidationError(_("处置收入不能为负数"))


def entity_types() -> list[EntityType]:
    return [
        EntityType(
            key="disposal", label=_l("资产处置申请"), model=Disposal, scope=SCOPE,
            schema=DisposalSchema, sharing="conditional", update_cycle=_l("实时"),
            description=_l("处置方式、理由、评估价值及处置资产明细，经审批后处置；无偿划转的资产划转至接收单位（第十九条）"),
            api_columns=("id", "organization_id", "applied_on", "method", "recipient_id", "reason",
                         "appraised_value", "note", "state", "submitted_at", "decided_at"),
            # the appraisal behind 评估价值 (Art. 19); the signed scan comes with the approval
            attachments=AttachmentKinds(("appraisal", _l("鉴定报告")), types=("pdf", "png", "jpeg", "docx")),
        ),
        EntityType(
            key="disposal_line", label=_l("处置资产明细"), model=DisposalLine, scope=LINE_SCOPE,
            schema=DisposalLineSchema, sharing="conditional", update_cycle=_l("实时"),
            description=_l("处置申请列明的资产及提前处置理由（第十九条）"),
            api_columns=("id", "disposal_id", "asset_id", "early_reason"),
        ),
        EntityType(
            key="disposal_proceeds", label=_l("处置收入"), model=DisposalProceeds, scope=PROCEEDS_SCOPE,
            schema=DisposalProceedsSchema, sharing="conditional", update_cycle=_l("实时"),
            description=_l("已批准处置的收入金额、收款日期及上缴国库情况（第十九条）"),
            api_columns=("id", "disposal_id", "amount", "received_on", "paid_to_treasury", "paid_on",
                         "note", "voided_at", "voided_by", "void_reason"),
            # 上缴国库 is an operation (disposal/operations.py); money recorded is voided, not deleted
            state_fields=(StateField("paid_to_treasury"), StateField("paid_on")),
            delete_policy="void",
        ),
    ]
