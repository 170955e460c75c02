"""入账 and 作废 of a running cost, 评价 and 作废 of an evaluation (Art. 29).

入账 posts the cost to the catalog's expenditure ledger under 30231 公务用车运行维护费 (the
funds module's 三公经费 add it up without reading this module); it needs the invoice (发票)
attached. 作废 of a posted cost withdraws the posting. 评价 computes the evaluation's figures
from the posted costs against the Standards and freezes them.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates_schema
from sqlalchemy import select

from catalog.expenditures import VEHICLE_RUNNING, post_expenditure, withdraw_expenditures
from core.api import Operation, OperationError, db, local_today, void_operation
from plugins.vehicles.costs.models import COST_ENTITY, EVALUATION_ENTITY

SOURCE_MODULE = "vehicles"


class PostParams(Schema):
    posted_on = fields.Date(load_default=local_today, metadata={
        "label": _l("入账日期"),
        "description": _l("凭发票入账的日期；支出按费用发生日期计入公务用车运行维护费")})

    @validates_schema
    def _future(self, data, **_kw):
        if data.get("posted_on") and data["posted_on"] > local_today():
            raise ValidationError(_("入账日期不能晚于今天"), "posted_on")


def invoice_missing(session, cost) -> bool:
    from core.attachments.models import Attachment

    found = session.execute(select(Attachment.id).where(
        Attachment.entity == COST_ENTITY, Attachment.record_id == str(cost.id),
        Attachment.kind == "invoice").limit(1)).first()
    return found is None


def post_cost(session, cost) -> None:
    """Book the cost under 30231 (idempotent per cost)."""
    vehicle = cost.vehicle
    try:
        post_expenditure(
            session, source_module=SOURCE_MODULE, source_type=COST_ENTITY, source_id=cost.id,
            organization=cost.organization, spent_on=cost.spent_on, economic_code=VEHICLE_RUNNING,
            amount=cost.amount, payee=cost.supplier or "",
            description=_("%(plate)s %(kind)s", plate=vehicle.plate if vehicle else "",
                          kind=cost.kind_label)[:255],
            source_number=f"{vehicle.plate}-{cost.id}" if vehicle else None)
    except ValueError as exc:  # 30231 not in force on that day
        raise OperationError(str(exc), 422) from exc


def _post(cost, params):
    if invoice_missing(db.session, cost):
        raise OperationError(_("运行费用须先上传发票附件才能入账（《办法》第二十九条）"), 422)
    if params["posted_on"] < cost.spent_on:
        raise OperationError(_("入账日期不能早于费用发生日期 %(day)s", day=cost.spent_on.isoformat()), 422)
    cost.posted = True
    cost.posted_on = params["posted_on"]
    post_cost(db.session, cost)
    return cost


def _withdraw(cost, _reason):
    if cost.posted:
        withdraw_expenditures(db.session, COST_ENTITY, cost.id)


def _evaluate(evaluation, _params):
    from decimal import Decimal

    from plugins.vehicles.costs.scoring import evaluate

    figures = evaluate(db.session, evaluation.organization, evaluation.year)
    evaluation.figures = figures
    evaluation.total_score = Decimal(figures["organization"]["total_score"])
    evaluation.grade = figures["organization"]["grade"]
    evaluation.evaluated_on = local_today()
    return evaluation


def operations() -> list[Operation]:
    return [
        Operation(key="post", label=_l("入账"), entity=COST_ENTITY, run=_post, params=PostParams,
                  changes=("posted", "posted_on"), when={"posted": (False,)},
                  description=_l("凭发票入账，计入公务用车运行维护费（30231），纳入三公经费统计（第二十九条）"),
                  confirm=_l("入账后费用不能修改；如有错误，请作废后重新登记。")),
        void_operation(COST_ENTITY, on_void=_withdraw),
        Operation(key="evaluate", label=_l("评价"), entity=EVALUATION_ENTITY, run=_evaluate,
                  changes=("figures", "total_score", "grade", "evaluated_on"), when={"evaluated_on": (None,)},
                  description=_l("按已入账的运行费用和现行标准计算各车辆和本单位的绩效评价得分，评价后数据固定"
                                 "（第二十九条）"),
                  confirm=_l("评价后数据固定，不再随费用变化；如需重评，请作废后重新登记。")),
        void_operation(EVALUATION_ENTITY),
    ]
