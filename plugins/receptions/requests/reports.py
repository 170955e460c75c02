"""接待清单 (one reception, with signatures) and 公务接待台账 (receptions over a period), Art. 34.

The 接待清单 lists what 国内公务接待管理规定 asks of it: guest unit, names, posts, activity, time,
place and the cost items; the 台账 lists the receptions of a period with batches, person-times
and the amount settled, which the 三公经费 figures add up from the expenditure ledger.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates, validates_schema
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.api import Report, beijing_today, chinese_date, current_scope, db, scoped, workflow_history
from plugins.receptions.requests.models import Reception

LIST_SIGNATURES = (_l("经办人"), _l("审批人"), _l("接待单位负责人"))

def _find(reception_id, scope):
    query = (select(Reception).where(Reception.id == reception_id)
             .options(selectinload(Reception.guests), selectinload(Reception.companions),
                      selectinload(Reception.meals), selectinload(Reception.lodgings),
                      selectinload(Reception.settlements), selectinload(Reception.organization)))
    return db.session.execute(scoped(query, Reception, scope)).scalar_one_or_none()

class ListParams(Schema):
    reception_id = fields.Integer(required=True, metadata={
        "label": _l("公务接待审批单"), "description": _l("输入来访单位或编号搜索"), "record": "reception"})

    @validates("reception_id")
    def _readable(self, value, **_kw):
        if _find(value, current_scope()) is None:
            raise ValidationError(_("公务接待审批单不存在或不在您的权限范围内"))

def list_context(params: dict, scope) -> dict:
    reception = _find(params["reception_id"], scope)
    if reception is None:
        return {"reception": None}
    approvals = [e for e in workflow_history(reception) if e.action == "approve"]
    settlement = reception.settlement
    lodging_host = sum((lodging.amount for lodging in reception.lodgings if not lodging.paid_by_guest),
                       Decimal(0))
    return {
        "reception": reception, "settlement": settlement, "lodging_host": lodging_host,
        "approver": approvals[-1].username if approvals else "",
        "period": _("%(start)s 至 %(end)s", start=chinese_date(reception.start_on),
                    end=chinese_date(reception.end_on)),
        "issuer": reception.organization.name,
    }

class LedgerParams(Schema):
    start = fields.Date(load_default=lambda: beijing_today().replace(month=1, day=1), metadata={
        "label": _l("起始日期"), "description": _l("按接待开始日期统计")})
    end = fields.Date(load_default=beijing_today, metadata={"label": _l("截止日期")})

    @validates_schema
    def _order(self, data, **_kw):
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError(_("截止日期不能早于起始日期"), "end")

def ledger_rows(scope, start: dt.date, end: dt.date) -> list[Reception]:
    """Approved receptions of the period the scope reads, oldest first."""
    query = (select(Reception).where(Reception.state == "approved", Reception.start_on >= start,
                                     Reception.start_on <= end)
             .options(selectinload(Reception.guests), selectinload(Reception.companions),
                      selectinload(Reception.settlements), selectinload(Reception.organization))
             .order_by(Reception.start_on, Reception.id))
    return list(db.session.execute(scoped(query, Reception, scope)).scalars())

def ledger_context(params: dict, scope) -> dict:
    rows = ledger_rows(scope, params["start"], params["end"])
    settled = [r.settlement for r in rows if r.settlement is not None and r.settlement.completed]
    return {
        "rows": rows,
        "batches": sum(1 for r in rows if r.settlement is not None and r.settlement.completed),
        "person_times": sum(len(r.guests) for r in rows
                            if r.settlement is not None and r.settlement.completed),
        "total": sum((s.total for s in settled), Decimal(0)),
        "period": _("%(start)s 至 %(end)s", start=chinese_date(params["start"]),
                    end=chinese_date(params["end"])),
    }

def reports() -> list[Report]:
    return [
        Report(
            key="reception_list", label=_l("接待清单"), params_schema=ListParams, build_context=list_context,
            template="receptions/list_report.html", orientation="portrait", signatures=LIST_SIGNATURES,
            prints="reception",
            description=_l("一次公务接待的来访单位、接待对象姓名职务、活动、时间、地点、陪餐及费用明细（第三十四条）"),
        ),
        Report(
            key="reception_ledger", label=_l("公务接待台账"), params_schema=LedgerParams,
            build_context=ledger_context, template="receptions/ledger_report.html", orientation="landscape",
            signatures=(_l("经办人"), _l("审核人"), _l("负责人")),
            description=_l("期间内已批准的公务接待：来访单位、人数、陪餐、结算金额，合计批次、人次和金额（第十三、三十四条）"),
        ),
    ]
