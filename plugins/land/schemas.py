"""Marshmallow schema of a parcel (import/export and the CLI)."""

from __future__ import annotations

from flask_babel import gettext as _
from marshmallow import ValidationError, validates
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from plugins.land.models import LAND_USES, REGISTRATION_STATUSES, LandParcel


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
