"""Schemas and entity types of the shared pool 公物仓 (Art. 18)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, validates
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from core.api import EntityType, Scope
from plugins.assets.pool.models import (
    SOURCE_KINDS,
    STORED_POOL_STATUSES,
    TARGET_STATUSES,
    PoolItem,
    PoolRepair,
    PoolRequest,
)


class PoolItemSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = PoolItem
        include_fk = True
        exclude = ("version",)

    @validates("status")
    def _status(self, value, **_kw):
        if value not in STORED_POOL_STATUSES:
            raise ValidationError(_("未知的公物仓状态：%(value)s", value=value))

    @validates("source_kind")
    def _source(self, value, **_kw):
        if value not in SOURCE_KINDS:
            raise ValidationError(_("未知的来源类型：%(value)s", value=value))


class PoolRepairSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = PoolRepair
        include_fk = True
        exclude = ("version",)

    @validates("cost")
    def _cost(self, value, **_kw):
        if value is not None and value < 0:
            raise ValidationError(_("维修费用不能为负数"))


class PoolRequestSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = PoolRequest
        include_fk = True
        exclude = ("version",)

    @validates("target_status")
    def _target(self, value, **_kw):
        if value not in TARGET_STATUSES:
            raise ValidationError(_("调入后状态只能是在用或闲置"))


def entity_types() -> list[EntityType]:
    return [
        EntityType(
            key="pool_item", label=_l("公物仓物品"), model=PoolItem,
            # the bureau's pool: read by every organisation of its jurisdiction and below
            scope=Scope(organization="organization_id", jurisdiction="jurisdiction_id", shared_up=True,
                        derive_jurisdiction=True),
            schema=PoolItemSchema, sharing="conditional", update_cycle=_l("实时"),
            description=_l("纳入公物仓的闲置、低效运转及大型活动、临时机构资产（第十八条）"),
            api_columns=("id", "asset_id", "organization_id", "source_kind",
                         "entered_on", "condition", "status", "note"),
        ),
        EntityType(
            key="pool_repair", label=_l("公物仓维修记录"), model=PoolRepair,
            scope=Scope(organization="organization_id", jurisdiction="jurisdiction_id", parent="item"),
            schema=PoolRepairSchema, sharing="conditional", update_cycle=_l("实时"),
            description=_l("公物仓物品调剂前的维修：日期、内容、费用、维修单位、是否完成（第十八条）"),
            api_columns=("id", "item_id", "repaired_on",
                         "description", "cost", "done_by", "finished"),
        ),
        EntityType(
            key="pool_request", label=_l("公物仓调剂申请"), model=PoolRequest,
            scope=Scope(organization="organization_id", jurisdiction="jurisdiction_id",
                        derive_jurisdiction=True),
            schema=PoolRequestSchema, sharing="conditional", update_cycle=_l("实时"),
            description=_l("单位申请调剂公物仓资产，机关事务管理部门审批后无偿划转（第十八条）"),
            api_columns=("id", "item_id", "organization_id", "purpose",
                         "requested_by_id", "requested_on", "target_status", "note", "state",
                         "submitted_at", "decided_at"),
        ),
    ]
