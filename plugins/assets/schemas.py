"""Marshmallow schema of an asset card (import/export and the CLI)."""

from __future__ import annotations

from flask_babel import gettext as _
from marshmallow import ValidationError, validates
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from plugins.assets.models import ASSET_STATUSES, FUNDING_SOURCES, Asset


class AssetSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = Asset
        include_fk = True
        exclude = ("version", "min_life_ends_on")

    @validates("quantity")
    def _quantity(self, value, **_kw):
        if value is None or value <= 0:
            raise ValidationError(_("数量必须大于 0"))

    @validates("original_value")
    def _value(self, value, **_kw):
        if value is None or value < 0:
            raise ValidationError(_("原值不能为负数"))

    @validates("status")
    def _status(self, value, **_kw):
        if value not in ASSET_STATUSES:
            raise ValidationError(_("未知的资产状态：%(value)s", value=value))

    @validates("funding_source")
    def _funding(self, value, **_kw):
        if value not in FUNDING_SOURCES:
            raise ValidationError(_("未知的经费来源：%(value)s", value=value))
