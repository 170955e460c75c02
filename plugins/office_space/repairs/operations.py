"""Operations of the repairs area (Art. 23).

- 日常维修: 入账 posts it (invoice attached) to the catalog's expenditure ledger under 30213
  维修（护）费 of the using organisation; 作废 withdraws the posting.
- 大中修: 竣工 (by the bureau, which manages the building) records the actual cost and day, sets the
  building's ``last_major_repair_year`` (from which the next interval counts) and posts the actual
  cost under 30213 of the applying organisation.
- 大中修项目规划: 下达 issues the plan with its document number; its lines are then fixed.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates_schema

from catalog.expenditures import post_expenditure, withdraw_expenditures
from core.api import (
    Operation,
    OperationError,
    current_scope,
    db,
    has_attachment,
    local_today,
    void_operation,
)
from plugins.office_space.repairs.models import DAILY_ENTITY, MAJOR_ENTITY, PLAN_ENTITY, REPAIR_ECONOMIC_CODE

SOURCE_MODULE = "office_space"


def _not_future(field: str, message):
    def check(self, data, **_kw):
        if data.get(field) and data[field] > local_today():
            raise ValidationError(str(message), field)

    return validates_schema(check)


class PostParams(Schema):
    posted_on = fields.Date(
        load_default=local_today,
        metadata={
            "label": _l("入账日期"),
            "description": _l("凭发票入账的日期；支出按维修日期计入维修（护）费"),
        },
    )
    _future = _not_future("posted_on", _l("入账日期不能晚于今天"))


def _post_ledger(session, *, source_type, record, organization, day, amount, payee, description, number):
    try:
        post_expenditure(
            session,
            source_module=SOURCE_MODULE,
            source_type=source_type,
            source_id=record.id,
            organization=organization,
            spent_on=day,
            economic_code=REPAIR_ECONOMIC_CODE,
            amount=amount,
            payee=payee or "",
            description=description[:255],
            source_number=number,
        )
    except ValueError as exc:  # 30213 not in force on that day
        raise OperationError(str(exc), 422) from exc


def _post(repair, params):
    if not has_attachment(db.session, DAILY_ENTITY, repair.id, "invoice"):
        raise OperationError(_("日常维修须先上传发票附件才能入账（《办法》第二十三条）"), 422)
    if params["posted_on"] < repair.repaired_on:
        raise OperationError(_("入账日期不能早于维修日期 %(day)s", day=repair.repaired_on.isoformat()), 422)
    repair.posted = True
    repair.posted_on = params["posted_on"]
    _post_ledger(
        db.session,
        source_type=DAILY_ENTITY,
        record=repair,
        organization=repair.organization,
        day=repair.repaired_on,
        amount=repair.amount,
        payee=repair.contractor,
        description=_("日常维修：%(work)s", work=repair.work or ""),
        number=f"RCWX-{repair.id}",
    )
    return repair


def _withdraw(repair, _reason):
    if repair.posted:
        withdraw_expenditures(db.session, DAILY_ENTITY, repair.id)


class CompleteParams(Schema):
    completed_on = fields.Date(required=True, metadata={"label": _l("竣工日期")})
    actual_cost = fields.Decimal(
        required=True,
        places=2,
        as_string=True,
        metadata={
            "label": _l("实际金额（元）"),
            "description": _l("竣工决算的金额，计入维修（护）费（30213）"),
        },
    )
    _future = _not_future("completed_on", _l("竣工日期不能晚于今天"))

    @validates_schema
    def _positive(self, data, **_kw):
        if data.get("actual_cost") is not None and float(data["actual_cost"]) <= 0:
            raise ValidationError(_("实际金额必须大于零"), "actual_cost")


def _complete(application, params):
    if current_scope().kind == "organization":
        raise OperationError(_("大中修竣工由管理该办公楼的机关事务管理部门登记（《办法》第二十三条）"), 403)
    if application.plan_id is None:
        raise OperationError(
            _("大中修申请尚未编入年度大中修项目规划，不能登记竣工（《办法》第二十三条）"), 422
        )
    application.completed_on = params["completed_on"]
    application.actual_cost = params["actual_cost"]
    building = application.building
    if (
        building.last_major_repair_year is None
        or building.last_major_repair_year < params["completed_on"].year
    ):
        building.last_major_repair_year = params["completed_on"].year
    _post_ledger(
        db.session,
        source_type=MAJOR_ENTITY,
        record=application,
        organization=application.organization,
        day=params["completed_on"],
        amount=params["actual_cost"],
        payee="",
        description=_("大中修：%(building)s", building=building.name),
        number=application.document_number or None,
    )
    return application


class IssueParams(Schema):
    document_number = fields.String(
        required=True, metadata={"label": _l("下达文号"), "description": _l("如 天机事〔2026〕12 号")}
    )
    issued_on = fields.Date(load_default=local_today, metadata={"label": _l("下达日期")})
    _future = _not_future("issued_on", _l("下达日期不能晚于今天"))

    @validates_schema
    def _number(self, data, **_kw):
        if not (data.get("document_number") or "").strip():
            raise ValidationError(_("请填写下达文号"), "document_number")


def _issue(plan, params):
    if current_scope().kind == "organization" and current_scope().organization_id != plan.organization_id:
        raise OperationError(_("大中修项目规划由编制它的机关事务管理部门下达（《办法》第二十三条）"), 403)
    if not plan.lines:
        raise OperationError(_("规划中没有已批准的大中修项目，不能下达"), 422)
    plan.status = "issued"
    plan.issued_on = params["issued_on"]
    plan.issued_by = current_scope().username
    plan.document_number = params["document_number"].strip()
    return plan


def operations() -> list[Operation]:
    return [
        Operation(
            key="post",
            label=_l("入账"),
            entity=DAILY_ENTITY,
            run=_post,
            params=PostParams,
            changes=("posted", "posted_on"),
            when={"posted": (False,)},
            description=_l("凭发票入账，由本单位预算列支，计入维修（护）费（30213）（第二十三条）"),
            confirm=_l("入账后不能修改；如有错误，请作废后重新登记。"),
        ),
        void_operation(DAILY_ENTITY, on_void=_withdraw),
        Operation(
            key="complete",
            label=_l("竣工"),
            entity=MAJOR_ENTITY,
            run=_complete,
            params=CompleteParams,
            changes=("completed_on", "actual_cost"),
            when=lambda a: a.state == "approved" and a.completed_on is None,
            description=_l(
                "登记竣工日期和实际金额：办公楼的最近一次大中修年份随之更新，实际金额计入"
                "维修（护）费（30213）（第二十三条）"
            ),
        ),
        Operation(
            key="issue",
            label=_l("下达"),
            entity=PLAN_ENTITY,
            run=_issue,
            params=IssueParams,
            changes=("status", "issued_on", "issued_by", "document_number"),
            when={"status": ("draft",)},
            description=_l("下达年度大中修项目规划；下达后规划项目固定（第二十三条）"),
            confirm=_l("下达后本规划不再编入新的项目。"),
        ),
    ]
