"""Schemas and entity types of applications, tenancies and renewals (Art. 25)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, validates, validates_schema
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from core.api import AttachmentKinds, EntityType, Scope, StateField
from plugins.housing.tenancies.models import (
    REASONS,
    TENANCY_STATUSES,
    Tenancy,
    TenancyApplication,
    TenancyRenewal,
)
from plugins.housing.units.models import UNIT_KINDS

#: an application, a tenancy and a renewal belong to the tenant's organisation; the bureau of its
#: jurisdiction reads and decides them
OWN_SCOPE = Scope(organization="organization_id", jurisdiction="jurisdiction_id", derive_jurisdiction=True)
RENEWAL_SCOPE = Scope(
    organization="organization_id", jurisdiction="jurisdiction_id", parent="tenancy", locked_with_parent=False
)
SCOPE_READ = ("organization_id", "jurisdiction_id")
WORKFLOW_READ = ("state", "submitted_at", "decided_at")
VOID_READ = ("voided_at", "voided_by", "void_reason")
TENANCY_OPERATED = (
    "status",
    "renewals",
    "checked_in_on",
    "checkin_inventory",
    "checkin_differences",
    "checked_out_on",
    "checkout_inventory",
    "damages",
)


def _meta(model_, dump_only):
    class Meta:
        model = model_
        include_fk = True
        exclude = ("version",)

    Meta.dump_only = dump_only
    return Meta


class TenancyApplicationSchema(SQLAlchemyAutoSchema):
    Meta = _meta(TenancyApplication, (*SCOPE_READ, *WORKFLOW_READ, *VOID_READ, "allocated_on"))

    @validates("reason")
    def _reason(self, value, **_kw):
        if value not in REASONS:
            raise ValidationError(_("申请理由应为：新调入、新录用或其他"))

    @validates("unit_kind")
    def _kind(self, value, **_kw):
        if value not in UNIT_KINDS:
            raise ValidationError(_("未知的房源类型：%(value)s", value=value))

    @validates("family_size")
    def _family(self, value, **_kw):
        if value is None or value < 1:
            raise ValidationError(_("家庭人口至少为 1 人"))


class TenancySchema(SQLAlchemyAutoSchema):
    Meta = _meta(Tenancy, (*SCOPE_READ, *VOID_READ, "monthly_rent", "rent_per_m2"))

    @validates_schema
    def _period(self, data, **_kw):
        start, end = data.get("start_on"), data.get("end_on")
        if start and end and end < start:
            raise ValidationError(_("租期截止日不能早于起始日"), "end_on")


class TenancyRenewalSchema(SQLAlchemyAutoSchema):
    Meta = _meta(TenancyRenewal, (*SCOPE_READ, *WORKFLOW_READ, *VOID_READ, "previous_end_on"))


def entity_types() -> list[EntityType]:
    return [
        EntityType(
            key="housing_tenancy_application",
            label=_l("周转住房入住申请"),
            model=TenancyApplication,
            scope=OWN_SCOPE,
            schema=TenancyApplicationSchema,
            sharing="conditional",
            update_cycle=_l("实时"),
            description=_l(
                "单位为本单位新调入、新录用人员申请入住周转住房或人才公寓：调入录用日期、本市无住房声明、"
                "家庭人口、申请房型；机关事务管理部门审核资格后配租（第二十五条）"
            ),
            api_columns=(
                "id",
                "organization_id",
                "person_id",
                "reason",
                "event_on",
                "no_home",
                "family_size",
                "unit_kind",
                "note",
                "allocated_on",
                "state",
                "submitted_at",
                "decided_at",
                "voided_at",
                "voided_by",
                "void_reason",
            ),
            state_fields=(StateField("allocated_on", initial=(None,)),),
            delete_policy="void",
            attachments=AttachmentKinds(("no_home", _l("无房证明")), ("transfer", _l("调入或录用文件"))),
            search_fields=("note",),
        ),
        EntityType(
            key="housing_tenancy",
            label=_l("周转住房租住"),
            model=Tenancy,
            scope=OWN_SCOPE,
            schema=TenancySchema,
            sharing="conditional",
            update_cycle=_l("实时"),
            description=_l(
                "配租的房源、承租人及其单位、租期、按建筑面积和租金标准计算的月租金；入住、退房、续租"
                "均为操作，入住和退房附物品清单（第二十五条）"
            ),
            api_columns=(
                "id",
                "unit_id",
                "application_id",
                "organization_id",
                "person_id",
                "start_on",
                "end_on",
                "monthly_rent",
                "rent_per_m2",
                "status",
                "renewals",
                "checked_in_on",
                "checkin_inventory",
                "checkin_differences",
                "checked_out_on",
                "checkout_inventory",
                "damages",
                "note",
                "voided_at",
                "voided_by",
                "void_reason",
            ),
            state_fields=(
                StateField("status", initial=("allocated",), labels=TENANCY_STATUSES),
                StateField("end_on"),
                StateField("renewals", initial=(0, None)),
                *(StateField(name, initial=(None,)) for name in TENANCY_OPERATED[2:]),
            ),
            delete_policy="void",
            attachments=AttachmentKinds(("contract", _l("租赁合同")), ("inventory", _l("签字的物品清单"))),
            search_fields=("note",),
        ),
        EntityType(
            key="housing_tenancy_renewal",
            label=_l("周转住房续租申请"),
            model=TenancyRenewal,
            scope=RENEWAL_SCOPE,
            schema=TenancyRenewalSchema,
            sharing="conditional",
            update_cycle=_l("实时"),
            description=_l(
                "已入住的租住申请延长租期，经机关事务管理部门批准后租期延长；每次不超过最长租期，"
                "次数不超过续租次数上限（第二十五条）"
            ),
            api_columns=(
                "id",
                "tenancy_id",
                "organization_id",
                "previous_end_on",
                "new_end_on",
                "reason",
                "state",
                "submitted_at",
                "decided_at",
                "voided_at",
                "voided_by",
                "void_reason",
            ),
            delete_policy="void",
            search_fields=("reason",),
        ),
    ]
