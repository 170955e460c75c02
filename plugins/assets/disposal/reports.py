"""处置审批表 (Art. 19): one disposal application with its assets, workflow history and signatures."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.api import Report, chinese_date, current_scope, db, scoped
from core.workflow.approval import action_label, state_label, workflow_history
from plugins.assets.disposal.models import Disposal, DisposalLine, is_early

SIGNATURES = (_l("申请单位经办人"), _l("申请单位负责人"), _l("机关事务管理部门审核人"),
              _l("机关事务管理部门负责人"))


def _find(disposal_id, scope):
    query = (select(Disposal).where(Disposal.id == disposal_id)
             .options(selectinload(Disposal.lines).selectinload(DisposalLine.asset),
                      selectinload(Disposal.proceeds), selectinload(Disposal.organization)))
    return db.session.execute(scoped(query, Disposal, scope)).scalar_one_or_none()


class DisposalFormParams(Schema):
    disposal_id = fields.Integer(required=True, metadata={
        "label": _l("处置申请"), "description": _l("输入申请编号或单位名称搜索"), "record": "disposal",
    })

    @validates("disposal_id")
    def _exists(self, value, **_kw):
        if _find(value, current_scope()) is None:
            raise ValidationError(_("处置申请不存在或不在您的权限范围内"))


def disposal_form_context(params: dict, scope) -> dict:
    disposal = _find(params["disposal_id"], scope)
    if disposal is None:  # a job rendering for a scope that lost the record meanwhile
        return {"disposal": None, "lines": [], "history": []}
    lines = [{"line": line, "asset": line.asset, "early": is_early(line.asset, disposal)}
             for line in disposal.lines]
    # events are stored in UTC; the template's localtime filter dates them in the display zone
    history = [{"at": e.at, "who": e.username, "action": action_label(e.action),
                "to": state_label(e.to_state), "comment": e.comment or ""}
               for e in workflow_history(disposal)]
    return {
        "disposal": disposal, "lines": lines, "history": history,
        "total_value": sum((row["asset"].original_value for row in lines), Decimal(0)),
        "state": state_label(disposal.state),
        "period": _("申请日期 %(date)s", date=chinese_date(disposal.applied_on)),
    }


def reports() -> list[Report]:
    return [
        Report(
            key="assets_disposal_form", label=_l("资产处置审批表"), params_schema=DisposalFormParams,
            build_context=disposal_form_context, template="assets/disposal_report.html",
            orientation="landscape", signatures=SIGNATURES, prints="disposal",
            description=_l("一份处置申请的资产明细、处置方式、理由、评估价值及审批记录（第十九条）"),
        )
    ]
