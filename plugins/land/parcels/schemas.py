"""Marshmallow schema of a parcel (import/export and the CLI)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, validates
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from core.api import EntityType, Scope, StateField
from plugins.land.parcels.models import LAND_USES, REGISTRATION_STATUSES, LandParcel


class LandParcelSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = LandParcel
        include_fk = True
        exclude = ("version",)

    @validates("area")
    def _area(self, value, **_kw):
        if value is None or value <= 0:
            raise ValidationError(_("面积必须大于 0 平方米"))

    @validates("registration_status")
    def _status(self, value, **_kw):
        if value not in REGISTRATION_STATUSES:
            raise ValidationError(_("未知的登记状态：%(value)s", value=value))

    @validates("land_use")
    def _use(self, value, **_kw):
        if value not in LAND_USES:
            raise ValidationError(_("未知的土地用途：%(value)s", value=value))


def entity_types() -> list[EntityType]:
    return [
        EntityType(
            key="land_parcel", label=_l("土地宗地"), model=LandParcel,
            scope=Scope(organization="organization_id", jurisdiction="jurisdiction_id"),
            schema=LandParcelSchema, sharing="conditional", update_cycle=_l("实时"),
            description=_l("坐落、面积、用途、确权登记状态与权利人（第二十、二十一条）"),
            api_columns=("id", "name", "jurisdiction_id", "organization_id", "location", "area",
                         "land_use", "registration_status", "certificate_no", "title_holder_id",
                         "in_compound", "note", "voided_at", "voided_by", "void_reason"),
            # Art. 20-21: registration moves by operations (parcels/operations.py); a parcel
            # entered with its registration as it stands (存量) may start in any state
            state_fields=(StateField("registration_status", labels=REGISTRATION_STATUSES),
                          StateField("certificate_no"), StateField("title_holder_id")),
            delete_policy="void",
        )
    ]
