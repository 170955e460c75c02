"""Marshmallow schema of an asset card (import/export and the CLI)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, validates
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from core.api import AttachmentKinds, EntityType, Scope, StateField
from plugins.assets.cards.models import ACQUISITION_METHODS, ASSET_STATUSES, FUNDING_SOURCES, Asset


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

    @validates("acquisition_method")
    def _acquisition(self, value, **_kw):
        if value not in ACQUISITION_METHODS:
            raise ValidationError(_("未知的取得方式：%(value)s", value=value))

    @validates("funding_source")
    def _funding(self, value, **_kw):
        if value not in FUNDING_SOURCES:
            raise ValidationError(_("未知的经费来源：%(value)s", value=value))


#: What only operations (custody/operations.py, cards/operations.py) and approvals change (Art.
#: 18-19): the status (a new card starts in use or idle; 待处置/已处置 come from a stocktake or a
#: disposal), who holds it and where, and whose it is (a pool transfer moves the owner).
STATE_FIELDS = (
    StateField("status", initial=("in_use", "idle"), labels=ASSET_STATUSES),
    StateField("custodian_id"),
    StateField("location"),
    StateField("organization_id"),
    StateField("jurisdiction_id"),
)


def entity_types() -> list[EntityType]:
    return [
        EntityType(
            key="asset", label=_l("资产卡片"), model=Asset,
            scope=Scope(organization="organization_id", jurisdiction="jurisdiction_id"),
            schema=AssetSchema, sharing="conditional", update_cycle=_l("实时"),
            description=_l("资产编号、分类、规格、数量、原值、取得日期、使用单位与状态（第十七、十八条）"),
            api_columns=("id", "number", "class_id", "name", "specification", "quantity", "unit",
                         "original_value", "acquired_on", "acquisition_method", "funding_source", "location",
                         "custodian_id", "organization_id", "jurisdiction_id", "status",
                         "min_life_ends_on", "note", "plan_line_id", "voided_at", "voided_by",
                         "void_reason"),
            state_fields=STATE_FIELDS,
            delete_policy="void",
            # the search (docs/search.md): pg_trgm indexes serve the text columns on PostgreSQL
            search_fields=("number", "name", "specification", "status"),
            # the card's photo and the papers of its acquisition (docs/attachments.md)
            attachments=AttachmentKinds(("photo", _l("照片")), ("invoice", _l("发票")),
                                        ("contract", _l("合同"))),
        )
    ]
