"""Operations of 三公经费 (Art. 13): 回国结算 of an approved delegation (posts 30212 to the
ledger), 公开 of a disclosure (freezes its table), and 作废 of both (a voided delegation takes
back what it posted)."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates

from catalog.expenditures import OUTBOUND_TRAVEL, post_expenditure, withdraw_expenditures
from core.api import (
    Operation,
    OperationError,
    current_scope,
    db,
    has_attachment,
    local_today,
    related_target,
    void_operation,
)
from plugins.funds.disclosure.figures import frozen, table_of
from plugins.funds.disclosure.models import TRIP_KEY, system_acting


class SettleParams(Schema):
    returned_on = fields.Date(required=True, metadata={
        "label": _l("实际回国日期"), "prefill": lambda trip: trip.returns_on})
    actual_cost = fields.Decimal(required=True, places=2, as_string=True, metadata={
        "label": _l("实际费用（元）"),
        "description": _l("回国后据实结算的全部费用，计入因公出国（境）费（30212）")})
    note = fields.String(load_default="", metadata={"label": _l("结算说明"), "widget": "textarea"})

    @validates("actual_cost")
    def _cost(self, value, **_kw):
        if value is None or value < 0:
            raise ValidationError(_("实际费用不能为负数"))


def settle(trip, params):
    """回国结算: the actual cost and day of return, with the 出访报告 already attached; the cost is
    booked in the ledger as one batch of as many person-times as the delegation has members."""
    session = db.session
    if not system_acting(current_scope()) and not has_attachment(session, TRIP_KEY, trip.id, "trip_report"):
        raise OperationError(_("回国结算前须上传出访报告（《办法》第十三条）"), status=422)
    trip.returned_on = params["returned_on"]
    trip.actual_cost = params["actual_cost"]
    trip.settlement_note = params.get("note") or None
    trip.settled_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    try:
        post_expenditure(
            session, source_module="funds", source_type=TRIP_KEY, source_id=trip.id,
            organization=related_target(session, trip, "organization"), spent_on=trip.returned_on,
            economic_code=OUTBOUND_TRAVEL, amount=trip.actual_cost, person_times=len(trip.members),
            batch=True, source_number=trip.document_number,
            description=_("因公出国（境）：%(name)s（%(places)s）", name=trip.name,
                          places=trip.destinations)[:255])
    except ValueError as exc:  # no class 30212 in force on that day
        raise OperationError(str(exc), status=422) from exc
    return trip


def _trip_unvoidable(trip):
    if trip.state in ("submitted",):
        return _("团组正在审批中，请先撤回再作废")
    return None


def _trip_voided(trip, _reason):
    withdraw_expenditures(db.session, TRIP_KEY, trip.id)


class PublishParams(Schema):
    published_on = fields.Date(load_default=local_today, metadata={"label": _l("公开日期")})
    place = fields.String(required=True, metadata={
        "label": _l("公开位置"), "description": _l("门户网站网址或公告栏位置")})

    @validates("place")
    def _place(self, value, **_kw):
        if not (value or "").strip():
            raise ValidationError(_("必须填写公开位置（网址或公告栏）"))


def publish(disclosure, params):
    """公开: the day and the place; the table is frozen as published (Art. 13 rules check the
    说明 and the deadline in this flush)."""
    disclosure.figures = frozen(table_of(db.session, disclosure))
    disclosure.published_on = params["published_on"]
    disclosure.published_place = params["place"].strip()
    return disclosure


def operations() -> list[Operation]:
    return [
        Operation(key="settle", label=_l("回国结算"), entity=TRIP_KEY, run=settle, params=SettleParams,
                  changes=("returned_on", "actual_cost", "settled_at", "settlement_note"),
                  when=lambda trip: trip.state == "approved" and trip.settled_at is None,
                  description=_l("登记实际回国日期和实际费用，计入支出台账（第十三条）"),
                  confirm=_l("结算后费用计入三公经费决算；如有错误，请作废团组后重新办理。")),
        void_operation(TRIP_KEY, refuse=_trip_unvoidable, on_void=_trip_voided),
        Operation(key="publish", label=_l("公开"), entity="funds_sangong_disclosure", run=publish,
                  params=PublishParams, changes=("published_on", "published_place", "figures"),
                  when={"published_on": (None,)},
                  description=_l("登记公开日期和公开位置，公开后不能修改（第十三条）"),
                  confirm=_l("公开后公开表和说明不能再修改。")),
        void_operation("funds_sangong_disclosure"),
    ]
