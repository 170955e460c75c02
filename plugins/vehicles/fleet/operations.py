"""Operations on a vehicle: 购置入账 (the purchase booked under 31013 公务用车购置) and 作废.

The purchase price and day are the card's (one truth): the operation reads them through the
reference and posts them to the catalog's expenditure ledger, so the 三公经费 count the purchase
without reading this module. Posting again after a correction of the card updates the same row
(``post_expenditure`` is idempotent per vehicle); voiding the vehicle takes the posting back.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from catalog.expenditures import VEHICLE_PURCHASE, post_expenditure, withdraw_expenditures
from core.api import Operation, OperationError, db, void_operation
from plugins.vehicles.fleet.models import VehicleDisposal

SOURCE_MODULE, SOURCE_TYPE = "vehicles", "vehicle"


def book_purchase(vehicle, _params=None):
    card = vehicle.asset
    if card is None or card.acquisition_method != "purchase":
        raise OperationError(
            _("车辆 %(plate)s 的资产卡片取得方式不是“购置”，没有购置支出可入账", plate=vehicle.plate), 409
        )
    try:
        post_expenditure(
            db.session,
            source_module=SOURCE_MODULE,
            source_type=SOURCE_TYPE,
            source_id=vehicle.id,
            organization=vehicle.organization,
            spent_on=card.acquired_on,
            economic_code=VEHICLE_PURCHASE,
            amount=card.original_value,
            payee=vehicle.brand,
            description=_(
                "购置公务用车 %(plate)s %(brand)s%(model)s",
                plate=vehicle.plate,
                brand=vehicle.brand,
                model=vehicle.model_name,
            ),
            source_number=card.number,
        )
    except ValueError as exc:  # 31013 not in force on the day
        raise OperationError(str(exc), 422) from exc
    return vehicle


def _open_disposal(vehicle) -> str | None:
    query = select(VehicleDisposal.id).where(
        VehicleDisposal.vehicle_id == vehicle.id, VehicleDisposal.state.in_(("submitted",))
    )
    if db.session.execute(query.limit(1)).first() is not None:
        return _("车辆 %(plate)s 有待审批的处置申请，不能作废", plate=vehicle.plate)
    return None


def _withdraw(vehicle, _reason):
    withdraw_expenditures(db.session, SOURCE_TYPE, vehicle.id)


def operations() -> list[Operation]:
    return [
        Operation(
            key="book_purchase",
            label=_l("购置入账"),
            entity="vehicle",
            run=book_purchase,
            when=lambda vehicle: vehicle.voided_at is None,
            description=_l("按资产卡片的原值和取得日期，计入公务用车购置费（31013）；再次入账更新同一笔"),
            confirm=_l("将按资产卡片的原值和取得日期计入本单位公务用车购置费。"),
        ),
        void_operation("vehicle", refuse=_open_disposal, on_void=_withdraw),
    ]
