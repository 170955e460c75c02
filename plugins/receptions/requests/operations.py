"""接待完成/结算 and 作废 of a reception's settlement (Art. 13, 34).

Completing posts the host's actual cost to the catalog's expenditure ledger under 30217 公务接待费,
as one batch (批次) with the guests as person-times, so the 三公经费 count receptions without
reading this module; voiding the settlement takes the posting back.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates_schema

from catalog.expenditures import RECEPTION, post_expenditure, withdraw_expenditures
from core.api import Operation, OperationError, db, local_today, void_operation

SOURCE_MODULE, SOURCE_TYPE = "receptions", "reception"


class CompleteParams(Schema):
    completed_on = fields.Date(load_default=local_today, metadata={
        "label": _l("结算日期"), "description": _l("接待结束后办理结算的日期，计入该日的公务接待费"),
        "prefill": lambda settlement: settlement.reception.end_on if settlement.reception else None})

    @validates_schema
    def _future(self, data, **_kw):
        if data.get("completed_on") and data["completed_on"] > local_today():
            raise ValidationError(_("结算日期不能晚于今天"), "completed_on")


def post_settlement(session, settlement) -> None:
    """Book the settlement's total as the reception's 公务接待费 (idempotent per reception)."""
    reception = settlement.reception
    try:
        post_expenditure(
            session, source_module=SOURCE_MODULE, source_type=SOURCE_TYPE, source_id=reception.id,
            organization=reception.organization, spent_on=settlement.completed_on, economic_code=RECEPTION,
            amount=settlement.total, payee=reception.guest_unit,
            description=_("接待%(unit)s：%(activity)s", unit=reception.guest_unit,
                          activity=(reception.activity or "")[:100]),
            person_times=len(reception.guests), batch=True, source_number=reception.document_number)
    except ValueError as exc:  # the class 30217 is not in force on that day
        raise OperationError(str(exc), 422) from exc


def _complete(settlement, params):
    settlement.completed = True
    settlement.completed_on = params["completed_on"]
    post_settlement(db.session, settlement)
    return settlement


def _withdraw(settlement, _reason):
    if settlement.completed:
        withdraw_expenditures(db.session, SOURCE_TYPE, settlement.reception_id)


def operations() -> list[Operation]:
    return [
        Operation(key="complete", label=_l("接待完成/结算"), entity="reception_settlement", run=_complete,
                  params=CompleteParams, changes=("completed", "completed_on"),
                  when={"completed": (False,)},
                  description=_l("按实际费用结算，计入公务接待费（30217），统计接待批次和人次（第十三、三十四条）"),
                  confirm=_l("结算后计入本单位公务接待费，不能撤销；如有错误，请作废本结算后重新登记。")),
        void_operation("reception_settlement", on_void=_withdraw),
    ]
