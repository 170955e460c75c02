"""Schema and entity type of a housing unit (Art. 25)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, validates
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from core.api import AttachmentKinds, EntityType, Scope, StateField
from plugins.housing.units.models import (
    MAINTENANCE_ENTITY,
    MAINTENANCE_KINDS,
    UNIT_ENTITY,
    UNIT_KINDS,
    UNIT_STATUSES,
    HousingUnit,
    UnitMaintenance,
)

#: a unit is the bureau's (Art. 25); staff below point their applications at it without reading it
UNIT_SCOPE = Scope(organization="organization_id", jurisdiction="jurisdiction_id", derive_jurisdiction=True,
                   referable_below=True)
#: a repair or maintenance job is its unit's: the unit's bureau and jurisdiction
MAINTENANCE_SCOPE = Scope(organization="organization_id", jurisdiction="jurisdiction_id", parent="unit",
                          locked_with_parent=False)


class HousingUnitSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = HousingUnit
        include_fk = True
        exclude = ("version",)

    @validates("kind")
    def _kind(self, value, **_kw):
        if value not in UNIT_KINDS:
            raise ValidationError(_("未知的房源类型：%(value)s", value=value))

    @validates("area")
    def _area(self, value, **_kw):
        if value is None or value <= 0:
            raise ValidationError(_("建筑面积必须大于 0 平方米"))

    @validates("rooms")
    def _rooms(self, value, **_kw):
        if value is None or value < 1:
            raise ValidationError(_("居室数至少为 1"))


class UnitMaintenanceSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = UnitMaintenance
        include_fk = True
        exclude = ("version",)

    @validates("cost")
    def _cost(self, value, **_kw):
        if value is None or value < 0:
            raise ValidationError(_("维修费用不能为负数"))

    @validates("kind")
    def _kind(self, value, **_kw):
        if value not in MAINTENANCE_KINDS:
            raise ValidationError(_("未知的维修类别：%(value)s", value=value))

    @validates("work")
    def _work(self, value, **_kw):
        if not (value or "").strip():
            raise ValidationError(_("必须填写维修内容"))


def entity_types() -> list[EntityType]:
    return [
        EntityType(
            key=UNIT_ENTITY, label=_l("周转住房房源"), model=HousingUnit, scope=UNIT_SCOPE,
            schema=HousingUnitSchema, sharing="conditional", update_cycle=_l("实时"),
            description=_l("人才公寓和周转住房的房源：楼栋、户号、面积、居室、配套家具家电；移交、维修、"
                           "配租、处置由机关事务管理部门统一组织实施（第二十五条）"),
            api_columns=("id", "kind", "building", "unit_number", "address", "area", "rooms", "furnishing",
                         "organization_id", "jurisdiction_id", "status", "status_since", "note",
                         "handed_over_by", "handed_over_on", "handover_document_no", "disposal_document_no",
                         "disposed_on",
                         "voided_at", "voided_by", "void_reason"),
            search_fields=("building", "unit_number", "address", "status"),
            choices={"kind": UNIT_KINDS},
            import_columns=("kind", "building", "unit_number", "address", "area", "rooms", "furnishing",
                            "organization", "note"),
            state_fields=(StateField("status", initial=("pending",), labels=UNIT_STATUSES),
                          StateField("status_since", initial=(None,)),
                          StateField("handed_over_by", initial=(None,)),
                          StateField("handed_over_on", initial=(None,)),
                          StateField("handover_document_no", initial=(None,)),
                          StateField("disposal_document_no", initial=(None,)),
                          StateField("disposed_on", initial=(None,))),
            attachments=AttachmentKinds(("handover", _l("移交文件")), ("disposal", _l("处置决定文件")),
                                        types=("pdf", "png", "jpeg")),
            delete_policy="void",
        ),
        EntityType(
            key=MAINTENANCE_ENTITY, label=_l("周转住房维修维护记录"), model=UnitMaintenance,
            scope=MAINTENANCE_SCOPE, schema=UnitMaintenanceSchema, sharing="conditional",
            update_cycle=_l("实时"),
            description=_l("人才公寓和周转住房的维修、维护记录：日期、内容、费用、施工单位；由机关事务管理部门"
                           "入账计入维修（护）费（30213）（第二十五条）"),
            api_columns=("id", "unit_id", "organization_id", "jurisdiction_id", "kind", "done_on", "work",
                         "cost", "contractor", "note", "posted", "posted_on", "voided_at", "voided_by",
                         "void_reason"),
            search_fields=("work", "contractor", "note"),
            choices={"kind": MAINTENANCE_KINDS},
            import_columns=("unit", "kind", "done_on", "work", "cost", "contractor", "note"),
            attachments=AttachmentKinds(("invoice", _l("发票")), types=("pdf", "png", "jpeg")),
            state_fields=(StateField("posted", initial=(False,)), StateField("posted_on", initial=(None,))),
            delete_policy="void",
        ),
    ]
