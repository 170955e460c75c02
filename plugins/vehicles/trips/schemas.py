"""Schemas and entity types of trips, emergency use and holiday sealing (Art. 26, 29)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, validates, validates_schema
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from core.api import EntityType, Scope, StateField
from plugins.vehicles.trips.models import VehicleEmergencyUse, VehicleSealing, VehicleTrip

#: a trip, an emergency use and a sealing belong to the vehicle's organisation
VEHICLE_SCOPE = Scope(organization="organization_id", jurisdiction="jurisdiction_id", parent="vehicle",
                      locked_with_parent=False)
SCOPE_READ = ("organization_id", "jurisdiction_id")
WORKFLOW_READ = ("state", "submitted_at", "decided_at")
VOID_READ = ("voided_at", "voided_by", "void_reason")


def _meta(model_, dump_only):
    class Meta:
        model = model_
        include_fk = True
        exclude = ("version",)

    Meta.dump_only = dump_only
    return Meta


class VehicleTripSchema(SQLAlchemyAutoSchema):
    Meta = _meta(VehicleTrip, (*SCOPE_READ, *WORKFLOW_READ, *VOID_READ, "odometer_recorded", "returned",
                               "returned_at", "odometer_end"))

    @validates("odometer_start")
    def _odometer(self, value, **_kw):
        if value is None or value < 0:
            raise ValidationError(_("出车里程表读数不能为负数"))

    @validates_schema
    def _period(self, data, **_kw):
        start, end = data.get("start_at"), data.get("end_at")
        if start and end and end < start:
            raise ValidationError(_("预计回车时间不能早于出车时间"), "end_at")


class VehicleEmergencyUseSchema(SQLAlchemyAutoSchema):
    Meta = _meta(VehicleEmergencyUse, (*SCOPE_READ, *WORKFLOW_READ))

    @validates_schema
    def _period(self, data, **_kw):
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            raise ValidationError(_("应急用车结束日期不能早于开始日期"), "ends_on")


class VehicleSealingSchema(SQLAlchemyAutoSchema):
    Meta = _meta(VehicleSealing, (*SCOPE_READ, *VOID_READ, "unsealed_at"))


def entity_types() -> list[EntityType]:
    return [
        EntityType(
            key="vehicle_trip", label=_l("出车登记"), model=VehicleTrip, scope=VEHICLE_SCOPE,
            schema=VehicleTripSchema, sharing="conditional", update_cycle=_l("实时"),
            description=_l("公务用车每次出车的用车人、驾驶员、事由、目的地、出回车时间和里程；"
                           "共享平台车辆须经派车审批，节假日封存期间须有应急用车审批（第二十六、二十九条）"),
            api_columns=("id", "vehicle_id", "organization_id", "requester_id", "driver_id", "purpose",
                         "destination", "start_at", "end_at", "odometer_start", "odometer_recorded",
                         "passengers", "note", "returned", "returned_at", "odometer_end", "state",
                         "submitted_at", "decided_at", "voided_at", "voided_by", "void_reason"),
            # 回车登记 is an operation (operations.py); a trip is voided, never deleted
            state_fields=(StateField("returned", initial=(False,)),
                          StateField("returned_at", initial=(None,)),
                          StateField("odometer_end", initial=(None,))),
            delete_policy="void",
            search_fields=("purpose", "destination"),
        ),
        EntityType(
            key="vehicle_emergency_use", label=_l("应急用车审批"), model=VehicleEmergencyUse,
            scope=VEHICLE_SCOPE, schema=VehicleEmergencyUseSchema, sharing="conditional",
            update_cycle=_l("实时"),
            description=_l("节假日封存期间因应急需要使用公务用车，经同级机关事务管理部门审批（第二十九条）"),
            api_columns=("id", "vehicle_id", "organization_id", "holiday_id", "starts_on", "ends_on",
                         "reason", "state", "submitted_at", "decided_at"),
            search_fields=("reason",),
        ),
        EntityType(
            key="vehicle_sealing", label=_l("封存登记"), model=VehicleSealing, scope=VEHICLE_SCOPE,
            schema=VehicleSealingSchema, sharing="conditional", update_cycle=_l("实时"),
            description=_l("节假日公务用车封存停驶：封存时间、封存人、停放地点、启封时间（第二十九条）"),
            api_columns=("id", "holiday_id", "vehicle_id", "organization_id", "sealed_at", "sealed_by_id",
                         "place", "unsealed_at", "note", "voided_at", "voided_by", "void_reason"),
            state_fields=(StateField("unsealed_at", initial=(None,)),),
            delete_policy="void",
            search_fields=("place",),
        ),
    ]
