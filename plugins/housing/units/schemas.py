"""Schema and entity type of a housing unit (Art. 25)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, validates
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from core.api import AttachmentKinds, EntityType, Scope, StateField
from plugins.housing.units.models import UNIT_KINDS, UNIT_STATUSES, HousingUnit

#: a unit is the bureau's (Art. 25); staff below point their applications at it without reading it
UNIT_SCOPE = Scope(
    organization="organization_id",
    jurisdiction="jurisdiction_id",
    derive_jurisdiction=True,
    referable_below=True,
)


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


def entity_types() -> list[EntityType]:
    return [
        EntityType(
            key="housing_unit",
            label=_l("周转住房房源"),
            model=HousingUnit,
            scope=UNIT_SCOPE,
            schema=HousingUnitSchema,
            sharing="conditional",
            update_cycle=_l("实时"),
            description=_l(
                "人才公寓和周转住房的房源：楼栋、户号、面积、居室、配套家具家电；移交、维修、"
                "配租、处置由机关事务管理部门统一组织实施（第二十五条）"
            ),
            api_columns=(
                "id",
                "kind",
                "building",
                "unit_number",
                "address",
                "area",
                "rooms",
                "furnishing",
                "organization_id",
                "jurisdiction_id",
                "status",
                "status_since",
                "note",
            ),
            state_fields=(
                StateField("status", initial=("pending",), labels=UNIT_STATUSES),
                StateField("status_since"),
            ),
            attachments=AttachmentKinds(("handover", _l("移交文件"))),
        ),
    ]
