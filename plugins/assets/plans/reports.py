"""资产配置计划表 (PDF) and the budget input of approved plans (资产配置预算表, XLSX)."""

from __future__ import annotations

import io
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates
from sqlalchemy import select

from core.api import Report, WriteRefused, chinese_date, current_scope, db, scoped, workflow_history
from plugins.assets.plans.models import PLAN_STAGES, AssetPlan, check_line
from plugins.assets.plans.rules import excess_detail

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BUDGET_HEADERS = (
    _l("年度"), _l("单位"), _l("资产分类代码"), _l("资产分类名称"), _l("资产名称"), _l("规格型号"),
    _l("数量"), _l("计量单位"), _l("单价（元）"), _l("金额（元）"), _l("是否超标准配置"), _l("超标准理由"),
    _l("配置计划"),
)


class BudgetRefused(WriteRefused):
    """No budget input for plans that are not approved (the finance department's decision is the basis)."""

    status = 409


def plans_for_budget(year: int) -> list[AssetPlan]:
    """The approved plans of ``year`` the current user may read."""
    query = scoped(select(AssetPlan).where(AssetPlan.year == year, AssetPlan.state == "approved")
                   .order_by(AssetPlan.organization_id, AssetPlan.id), AssetPlan)
    plans = list(db.session.execute(query).scalars())
    if not plans:
        raise BudgetRefused(_("%(year)s 年度没有已批准的资产配置计划，无法导出预算表", year=year))
    return plans


def budget_filename(year: int, plan: AssetPlan | None = None) -> str:
    if plan is not None:
        return _("资产配置预算表-%(year)s-%(org)s.xlsx", year=year, org=plan.organization.name)
    return _("资产配置预算表-%(year)s.xlsx", year=year)


def budget_workbook(plans: list[AssetPlan]) -> bytes:
    """One sheet, one row per plan line, a total row: the budget input of approved plans."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    for plan in plans:
        if plan.state != "approved":
            raise BudgetRefused(_("配置计划“%(title)s”尚未经财政部门批准（当前状态：%(state)s），"
                                  "不能导出预算表", title=plan.title, state=plan.state_label))
    book = Workbook()
    sheet = book.active
    sheet.title = _("资产配置预算表")
    sheet.append([str(h) for h in BUDGET_HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    total = Decimal(0)
    for plan in plans:
        for line in plan.lines:
            amount = line.amount
            total += amount
            sheet.append([
                plan.year, plan.organization.name, line.asset_class.code, line.asset_class.name,
                line.name, line.specification or "", line.quantity, line.unit, float(line.unit_price),
                float(amount), _("是") if line.exception_requested else _("否"),
                line.exception_reason or "" if line.exception_requested else "", plan.title,
            ])
    sheet.append([_("合计"), "", "", "", "", "", "", "", "", float(total), "", "", ""])
    for row in sheet.iter_rows(min_row=2, min_col=9, max_col=10):
        for cell in row:
            cell.number_format = "#,##0.00"
    for column, width in zip("ABCDEFGHIJKLM", (8, 30, 12, 14, 16, 20, 8, 8, 12, 14, 12, 30, 24),
                             strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- 资产配置计划表 (PDF) ----------------------------------------------------------------------


class PlanParams(Schema):
    plan_id = fields.Integer(required=True, metadata={
        "label": _l("配置计划"), "description": _l("输入计划名称搜索"), "record": "asset_plan"})

    @validates("plan_id")
    def _readable(self, value, **_kw):
        found = db.session.execute(
            scoped(select(AssetPlan.id).where(AssetPlan.id == value), AssetPlan, current_scope())
        ).scalar()
        if found is None:
            raise ValidationError(_("没有编号为 %(id)s 的配置计划，或您无权查看", id=value))


def plan_context(params: dict, scope) -> dict:
    plan = db.session.execute(
        scoped(select(AssetPlan).where(AssetPlan.id == params["plan_id"]), AssetPlan, scope)
    ).scalar_one()
    rows = []
    for line in plan.lines:
        check = check_line(db.session, line)
        rows.append(dict(line=line, check=check, detail=excess_detail(check) if check else ""))
    events = workflow_history(plan)
    label = {"submit": _("提交"), "withdraw": _("撤回"), "approve": _("批准"), "reject": _("退回")}
    stage_of = {stage.state: stage.label for stage in PLAN_STAGES}
    history = []
    for event in events:
        text = label.get(event.action, event.action)
        if event.action in ("approve", "reject") and event.from_state in stage_of:
            text = f"{text}（{stage_of[event.from_state]}）"
        history.append(dict(at=event.at, user=event.username, action=text, comment=event.comment or ""))
    return {
        "plan": plan, "rows": rows, "history": history,
        "total_quantity": sum(line.quantity for line in plan.lines),
        "total_amount": plan.total_amount,
        "exceptions": sum(1 for row in rows if row["check"] and row["check"].exception),
        "period": _("%(year)s 年度", year=plan.year),
        "issuer": plan.organization.name,
        "printed_on": chinese_date,
    }


def reports() -> list[Report]:
    return [
        Report(
            key="asset_plan", label=_l("资产配置计划表"), params_schema=PlanParams,
            build_context=plan_context, template="assets/plans_report.html", orientation="landscape",
            prints="asset_plan",
            signatures=(_l("经办人"), _l("单位负责人"), _l("机关事务管理部门"), _l("财政部门")),
            description=_l("配置计划明细、对照配置标准的检查、合计与审批记录（第十四、十七、十八条）"),
        )
    ]
