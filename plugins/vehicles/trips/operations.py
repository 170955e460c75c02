"""回车登记, 启封登记, 作废 and 批量封存 (Art. 29).

回车登记 records the actual return time and the odometer on the trip; the trip's derivation then
moves the vehicle's odometer on. 批量封存 registers, for one holiday, every vehicle in service of
an organisation not yet sealed for it, in one write (every row through the rules).
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates_schema
from sqlalchemy import select

from core.api import Operation, OperationError, void_operation
from plugins.vehicles.fleet.models import Vehicle
from plugins.vehicles.trips.models import VehicleSealing


class ReturnParams(Schema):
    returned_at = fields.DateTime(required=True, metadata={
        "label": _l("回车时间"), "description": _l("车辆实际回到停放地点的时间"),
        "prefill": lambda trip: trip.end_at})
    odometer_end = fields.Integer(required=True, metadata={
        "label": _l("回车里程表读数（公里）"), "description": _l("不得小于出车读数"),
        "prefill": lambda trip: trip.odometer_start})

    @validates_schema
    def _positive(self, data, **_kw):
        if data.get("odometer_end") is not None and data["odometer_end"] < 0:
            raise ValidationError(_("回车里程表读数不能为负数"), "odometer_end")


def _return(trip, params):
    if params["returned_at"].replace(tzinfo=None) < trip.start_at:
        raise OperationError(_("回车时间不能早于出车时间"), 422)
    trip.returned = True
    trip.returned_at = params["returned_at"].replace(tzinfo=None)
    trip.odometer_end = params["odometer_end"]
    return trip


class UnsealParams(Schema):
    unsealed_at = fields.DateTime(required=True, metadata={
        "label": _l("启封时间"), "description": _l("节假日结束后车辆启封的时间"),
        "prefill": lambda sealing: None})


def _unseal(sealing, params):
    sealing.unsealed_at = params["unsealed_at"].replace(tzinfo=None)
    return sealing


def seal_all(session, *, holiday, organization, sealed_at, sealed_by, place,
             note=None) -> list[VehicleSealing]:
    """封存登记 for every vehicle in service of ``organization`` not yet sealed for ``holiday``;
    flushes (the rules and the scope check run on each row). Returns the rows added."""
    if holiday is None or organization is None:
        raise OperationError(_("请选择节假日和单位"), 422)
    if sealed_by is None:
        raise OperationError(_("请选择封存人"), 422)
    if not (place or "").strip():
        raise OperationError(_("请填写停放地点"), 422)
    sealed = select(VehicleSealing.vehicle_id).where(VehicleSealing.holiday_id == holiday.id,
                                                     VehicleSealing.voided_at.is_(None))
    vehicles = session.execute(
        select(Vehicle).where(Vehicle.organization_id == organization.id, Vehicle.status == "in_service",
                              Vehicle.voided_at.is_(None), Vehicle.id.not_in(sealed))
        .order_by(Vehicle.plate)).scalars().all()
    rows = [VehicleSealing(holiday=holiday, vehicle=vehicle, sealed_at=sealed_at, sealed_by=sealed_by,
                           place=place.strip(), note=note) for vehicle in vehicles]
    session.add_all(rows)
    session.flush()
    return rows


def operations() -> list[Operation]:
    return [
        Operation(key="return_trip", label=_l("回车登记"), entity="vehicle_trip", run=_return,
                  params=ReturnParams, changes=("returned", "returned_at", "odometer_end"),
                  when={"returned": (False,)},
                  description=_l("登记回车时间和里程，车辆里程随之更新；共享平台车辆须先经派车审批"
                                 "（第二十六、二十九条）"),
                  confirm=_l("回车登记后不能修改；如有错误，请作废本出车登记后重新登记。")),
        void_operation("vehicle_trip"),
        Operation(key="unseal", label=_l("启封登记"), entity="vehicle_sealing", run=_unseal,
                  params=UnsealParams, changes=("unsealed_at",), when={"unsealed_at": (None,)},
                  description=_l("节假日结束后登记车辆启封时间（第二十九条）")),
        void_operation("vehicle_sealing"),
    ]

