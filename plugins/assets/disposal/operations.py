"""Operations on disposal proceeds (处置收入, Art. 19: 处置收益上缴国库).

上缴国库 records the payment into the treasury with its date; it is not a tick box on the edit
form, so a payment once recorded is not silently undone. A wrong entry is voided (作废, from the
core: ``delete_policy="void"``), never deleted.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields

from core.api import Operation, local_today


class PaidParams(Schema):
    paid_on = fields.Date(load_default=local_today, metadata={
        "label": _l("上缴日期"), "description": _l("不得早于收款日期（第十九条）")})


def _paid(proceeds, params):
    proceeds.paid_to_treasury = True
    proceeds.paid_on = params["paid_on"]  # the Art. 19 rule checks it against the receipt
    return proceeds


def operations() -> list[Operation]:
    return [
        Operation(key="pay_to_treasury", label=_l("上缴国库"), entity="disposal_proceeds", run=_paid,
                  params=PaidParams, changes=("paid_to_treasury", "paid_on"),
                  when={"paid_to_treasury": (False,)},
                  description=_l("处置收益上缴国库（第十九条）"),
                  confirm=_l("登记后不能撤销；如登记有误，请作废本条收入后重新登记。")),
    ]
