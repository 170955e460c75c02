"""Schemas and entity types of the stocktake area (清查盘点, Art. 18)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, validates
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from core.api import EntityType
from plugins.assets.cards.models import ASSET_STATUSES
from plugins.assets.stocktake.models import (
    LINE_SCOPE,
    STOCKTAKE_SCOPE,
    Stocktake,
    StocktakeLine,
    StocktakeSurplus,
)


class StocktakeSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = Stocktake
        include_fk = True
        exclude = ("version", "state", "submitted_at", "decided_at")


class StocktakeLineSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = StocktakeLine
        include_fk = True
        exclude = ("version",)

    @validates("counted_status")
    def _status(self, value, **_kw):
        if value is not None and value not in ASSET_STATUSES:
            raise ValidationError(_("未知的资产状态：%(value)s", value=value))


class StocktakeSurplusSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = StocktakeSurplus
        include_fk = True
        exclude = ("version",)

    @validates("quantity")
    def _quantity(self, value, **_kw):
        if value is None or value <= 0:
            raise ValidationError(_("数量必须大于 0"))

    @validates("estimated_value")
    def _value(self, value, **_kw):
        if value is None or value < 0:
            raise ValidationError(_("估计价值不能为负数"))


def entity_types() -> list[EntityType]:
    return [
        EntityType(
            key="asset_stocktake", label=_l("资产盘点"), model=Stocktake, scope=STOCKTAKE_SCOPE,
            schema=StocktakeSchema, sharing="conditional", update_cycle=_l("按盘点"),
            description=_l("单位资产清查盘点：计划与实盘日期、审批状态（第十八条）"),
            # the jurisdiction follows the organisation (set on save), so it is not an input
            api_columns=("id", "organization_id", "planned_on", "counted_on", "note", "state",
                         "submitted_at", "decided_at"),
        ),
        EntityType(
            key="asset_stocktake_line", label=_l("资产盘点明细"), model=StocktakeLine, scope=LINE_SCOPE,
            schema=StocktakeLineSchema, sharing="conditional", update_cycle=_l("按盘点"),
            description=_l("盘点时的账面状态、地点、保管人与实盘结果（是否在、实盘状态、实盘地点）"),
            api_columns=("id", "stocktake_id", "asset_id", "expected_status", "expected_location",
                         "expected_custodian_id", "found", "counted_status", "counted_location", "note"),
        ),
        EntityType(
            key="asset_stocktake_surplus", label=_l("资产盘盈"), model=StocktakeSurplus,
            scope=LINE_SCOPE, schema=StocktakeSurplusSchema, sharing="conditional",
            update_cycle=_l("按盘点"),
            description=_l("盘点中发现的无卡片资产：名称、分类、数量、估计价值；批准后入账"),
            api_columns=("id", "stocktake_id", "class_id", "name", "specification", "quantity", "unit",
                         "estimated_value", "location", "note"),
        ),
    ]
