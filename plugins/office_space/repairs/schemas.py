"""Schemas and entity types of the repairs area (Art. 23)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, validates
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from core.api import AttachmentKinds, EntityType, Scope, StateField
from plugins.office_space.repairs.models import (
    DAILY_ENTITY,
    MAJOR_ENTITY,
    PLAN_ENTITY,
    PLAN_STATUSES,
    DailyRepair,
    MajorRepairApplication,
    MajorRepairPlan,
)

#: a repair is the using organisation's; the building it names is the bureau's (referable below)
OWN_SCOPE = Scope(organization="organization_id", jurisdiction="jurisdiction_id", derive_jurisdiction=True)


def _positive(value, message):
    if value is None or value <= 0:
        raise ValidationError(message)


def _year(value):
    if value is None or not 2000 <= value <= 2100:
        raise ValidationError(_("年度应为 2000—2100 之间的年份"))


class DailyRepairSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = DailyRepair
        include_fk = True
        exclude = ("version",)

    @validates("amount")
    def _amount(self, value, **_kw):
        _positive(value, _("维修金额必须大于零"))


class MajorRepairApplicationSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = MajorRepairApplication
        include_fk = True
        exclude = ("version",)

    @validates("estimated_cost")
    def _estimate(self, value, **_kw):
        _positive(value, _("预算金额必须大于零"))

    @validates("year")
    def _year(self, value, **_kw):
        _year(value)


class MajorRepairPlanSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = MajorRepairPlan
        include_fk = True
        exclude = ("version",)

    @validates("year")
    def _year(self, value, **_kw):
        _year(value)


def entity_types() -> list[EntityType]:
    return [
        EntityType(
            key=DAILY_ENTITY,
            label=_l("日常维修"),
            model=DailyRepair,
            scope=OWN_SCOPE,
            schema=DailyRepairSchema,
            sharing="conditional",
            update_cycle=_l("实时"),
            description=_l(
                "使用单位对办公用房的日常维修：房间或办公楼、日期、维修内容、金额、施工单位，"
                "由本单位预算列支，凭发票入账计入维修（护）费（30213）（第二十三条）"
            ),
            api_columns=(
                "id",
                "building_id",
                "room_id",
                "organization_id",
                "repaired_on",
                "work",
                "amount",
                "contractor",
                "note",
                "posted",
                "posted_on",
                "voided_at",
                "voided_by",
                "void_reason",
            ),
            search_fields=("work", "contractor", "note"),
            import_columns=(
                "organization",
                "building",
                "room",
                "repaired_on",
                "work",
                "amount",
                "contractor",
                "note",
            ),
            attachments=AttachmentKinds(("invoice", _l("发票")), types=("pdf", "png", "jpeg")),
            state_fields=(StateField("posted", initial=(False,)), StateField("posted_on", initial=(None,))),
            delete_policy="void",
        ),
        EntityType(
            key=MAJOR_ENTITY,
            label=_l("大中修申请"),
            model=MajorRepairApplication,
            scope=OWN_SCOPE,
            schema=MajorRepairApplicationSchema,
            sharing="conditional",
            update_cycle=_l("实时"),
            description=_l(
                "使用单位向同级机关事务管理部门申请办公用房大中修：办公楼及房间、年度、维修内容、"
                "预算金额、用途（消除安全隐患、符合保密要求、恢复和完善使用功能、降低能源消耗），"
                "批准后编入年度大中修项目规划，竣工后登记实际金额（第二十三条）"
            ),
            api_columns=(
                "id",
                "building_id",
                "rooms",
                "organization_id",
                "jurisdiction_id",
                "year",
                "scope_of_work",
                "estimated_cost",
                "serves_safety",
                "serves_secrecy",
                "serves_function",
                "serves_energy",
                "applied_on",
                "note",
                "plan_id",
                "completed_on",
                "actual_cost",
                "state",
                "submitted_at",
                "decided_at",
            ),
            search_fields=("scope_of_work", "rooms", "note"),
            import_columns=(
                "building",
                "rooms",
                "year",
                "scope_of_work",
                "estimated_cost",
                "serves_safety",
                "serves_secrecy",
                "serves_function",
                "serves_energy",
                "applied_on",
                "note",
            ),
            attachments=AttachmentKinds(
                ("appraisal", _l("鉴定报告")), ("budget", _l("预算")), ("other", _l("其他材料"))
            ),
            state_fields=(
                StateField("plan_id", initial=(None,)),
                StateField("completed_on", initial=(None,)),
                StateField("actual_cost", initial=(None,)),
            ),
        ),
        EntityType(
            key=PLAN_ENTITY,
            label=_l("大中修项目规划"),
            model=MajorRepairPlan,
            scope=OWN_SCOPE,
            schema=MajorRepairPlanSchema,
            sharing="conditional",
            update_cycle=_l("每年"),
            description=_l(
                "机关事务管理部门编制的本级机关办公用房年度大中修项目规划：批准的大中修申请"
                "编入其年度规划，下达后固定（第二十三条）"
            ),
            api_columns=(
                "id",
                "organization_id",
                "jurisdiction_id",
                "year",
                "title",
                "note",
                "status",
                "issued_on",
                "issued_by",
                "document_number",
            ),
            search_fields=("title", "note"),
            choices={"status": PLAN_STATUSES},
            attachments=AttachmentKinds(("plan", _l("规划文件"))),
            state_fields=(
                StateField("status", initial=("draft",), labels=PLAN_STATUSES),
                StateField("issued_on", initial=(None,)),
                StateField("issued_by", initial=(None,)),
                StateField("document_number", initial=(None,)),
            ),
        ),
    ]
