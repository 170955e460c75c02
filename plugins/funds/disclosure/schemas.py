"""Schemas and entity types of 三公经费 (Art. 13)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, validates
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from core.api import AttachmentKinds, EntityType, Scope, StateField
from plugins.funds.disclosure.models import (
    DISCLOSURE_KINDS,
    OutboundMember,
    OutboundTrip,
    SangongBudget,
    SangongDisclosure,
)

SCOPE = Scope(organization="organization_id", jurisdiction="jurisdiction_id", derive_jurisdiction=True)
MEMBER_SCOPE = Scope(organization="organization_id", jurisdiction="jurisdiction_id", parent="trip")
#: 任务批件 before submission; 出访报告 with the settlement after the return
TRIP_ATTACHMENTS = AttachmentKinds(("mission_approval", _l("任务批件")), ("trip_report", _l("出访报告")),
                                   types=("pdf", "png", "jpeg", "docx"), after_decision=("trip_report",))


def _not_negative(value, label):
    if value is not None and value < 0:
        raise ValidationError(_("%(field)s不能为负数", field=label))


class OutboundTripSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = OutboundTrip
        include_fk = True
        exclude = ("version",)

    @validates("budget")
    def _budget(self, value, **_kw):
        _not_negative(value, _("预算金额"))


class OutboundMemberSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = OutboundMember
        include_fk = True


class SangongBudgetSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = SangongBudget
        include_fk = True
        exclude = ("version",)

    @validates("year")
    def _year(self, value, **_kw):
        if value is None or not 2000 <= value <= 2100:
            raise ValidationError(_("年度应为四位年份"))

    @validates("outbound")
    def _outbound(self, value, **_kw):
        _not_negative(value, _("因公出国（境）费"))

    @validates("vehicle_purchase")
    def _purchase(self, value, **_kw):
        _not_negative(value, _("公务用车购置费"))

    @validates("vehicle_running")
    def _running(self, value, **_kw):
        _not_negative(value, _("公务用车运行维护费"))

    @validates("reception")
    def _reception(self, value, **_kw):
        _not_negative(value, _("公务接待费"))


class SangongDisclosureSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = SangongDisclosure
        include_fk = True
        exclude = ("version", "figures")

    @validates("kind")
    def _kind(self, value, **_kw):
        if value not in DISCLOSURE_KINDS:
            raise ValidationError(_("公开类型应为“预算”或“决算”"))

    @validates("year")
    def _year(self, value, **_kw):
        if value is None or not 2000 <= value <= 2100:
            raise ValidationError(_("年度应为四位年份"))

    @validates("vehicles_held")
    def _vehicles(self, value, **_kw):
        _not_negative(value, _("年末公务用车保有量"))


def entity_types() -> list[EntityType]:
    return [
        EntityType(
            key="funds_outbound_trip", label=_l("因公出国（境）团组"), model=OutboundTrip, scope=SCOPE,
            schema=OutboundTripSchema, sharing="conditional", update_cycle=_l("实时"),
            description=_l("团组名称、团长、成员、出访国家（地区）、任务、日期、预算，经同级审批；"
                           "回国结算登记实际费用并计入支出台账（第十三条）"),
            api_columns=("id", "organization_id", "name", "leader", "destinations", "purpose", "departs_on",
                         "returns_on", "budget", "returned_on", "actual_cost", "settled_at",
                         "settlement_note", "state", "submitted_at", "decided_at", "voided_at",
                         "voided_by", "void_reason"),
            search_fields=("name", "leader", "destinations"),
            # 回国结算 only: set by the operation after the approval
            state_fields=tuple(StateField(name, initial=(None,)) for name in
                               ("returned_on", "actual_cost", "settled_at", "settlement_note")),
            delete_policy="void", attachments=TRIP_ATTACHMENTS,
        ),
        EntityType(
            key="funds_outbound_member", label=_l("出访团组成员"), model=OutboundMember, scope=MEMBER_SCOPE,
            schema=OutboundMemberSchema, sharing="conditional", update_cycle=_l("实时"),
            description=_l("因公出国（境）团组的成员：姓名、职务、工作单位（第十三条）"),
            api_columns=("id", "trip_id", "name", "post", "employer"),
            search_fields=("name",),
        ),
        EntityType(
            key="funds_sangong_budget", label=_l("三公经费预算"), model=SangongBudget, scope=SCOPE,
            schema=SangongBudgetSchema, sharing="unconditional", update_cycle=_l("每年"),
            description=_l("单位年度三公经费财政批复数（因公出国（境）费、公务用车购置费、"
                           "公务用车运行维护费、公务接待费）及预算批复日期（第十三条）"),
            api_columns=("id", "organization_id", "year", "approved_on", "outbound", "vehicle_purchase",
                         "vehicle_running", "reception", "note"),
            search_fields=(),
        ),
        EntityType(
            key="funds_sangong_disclosure", label=_l("三公经费公开"), model=SangongDisclosure, scope=SCOPE,
            schema=SangongDisclosureSchema, sharing="unconditional", update_cycle=_l("每年"),
            description=_l("单位年度三公经费预算、决算公开表及说明，公开日期和公开位置（第十三条）"),
            api_columns=("id", "organization_id", "year", "kind", "approved_on", "vehicles_held",
                         "explanation", "published_on", "published_place", "voided_at", "voided_by",
                         "void_reason"),
            search_fields=(),
            state_fields=(StateField("published_on", initial=(None,)), StateField("published_place"),
                          StateField("figures")),
            delete_policy="void",
        ),
    ]
