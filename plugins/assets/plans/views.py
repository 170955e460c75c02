"""Screens of configuration plans (资产配置计划): plans with their lines and checks, budget export."""

from __future__ import annotations

from flask import Response, abort, flash, g, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.api import BaseApi, protect, safe
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.api import ApprovalViewMixin, ScopedInterface, ScopedModelView, ViewSpec, db, scoped
from plugins.assets.plans.models import AssetPlan, AssetPlanLine, check_line
from plugins.assets.plans.reports import (
    XLSX,
    BudgetRefused,
    budget_filename,
    budget_workbook,
    plans_for_budget,
)
from plugins.assets.plans.rules import excess_detail

PLAN_LABELS = {
    "organization": _l("单位"), "year": _l("年度"), "title": _l("计划名称"), "note": _l("说明"),
    "total_amount": _l("金额合计（元）"), "line_count": _l("明细条数"),
}
LINE_LABELS = {
    "plan": _l("配置计划"), "asset_class": _l("资产分类"), "name": _l("资产名称"),
    "specification": _l("规格型号"), "quantity": _l("数量"), "unit": _l("计量单位"),
    "unit_price": _l("单价（元）"), "amount": _l("金额（元）"), "reason": _l("配置理由"),
    "exception_requested": _l("申请超标准配置"), "exception_reason": _l("超标准理由"),
    "organization": _l("单位"),
}


def line_rows(plan: AssetPlan) -> list[dict]:
    """Each line with its checks, as the show page, the report and the export read them."""
    rows = []
    for line in plan.lines:
        check = check_line(db.session, line)
        rows.append(dict(line=line, check=check, detail=excess_detail(check) if check else ""))
    return rows


class AssetPlanView(ApprovalViewMixin, ScopedModelView):
    """资产配置计划: an organisation's plan for a year; reviewed by the bureau, then finance."""

    datamodel = ScopedInterface(AssetPlan)
    list_title = _l("资产配置计划")
    show_title = _l("资产配置计划")
    add_title = _l("新增资产配置计划")
    edit_title = _l("修改资产配置计划")
    show_template = "assets/plans_show.html"
    list_template = "assets/plans_list.html"
    list_columns = ["year", "title", "organization", "total_amount", "state_label", "submitted_at"]
    add_columns = ["organization", "year", "title", "note"]
    edit_columns = add_columns
    show_columns = ["organization", "year", "title", "note", "total_amount", "state_label",
                    "submitted_at", "decided_at"]
    search_columns = ["year", "title", "organization", "state"]
    order_columns = ["year", "title", "submitted_at"]
    base_order = ("year", "desc")
    label_columns = PLAN_LABELS
    description_columns = {
        "year": _l("预算年度，如 2027"),
        "note": _l("编制依据、人员编制变化等说明"),
    }

    def show_context(self, item, pk) -> dict:
        return {**super().show_context(item, pk), "plan_lines": line_rows(item), "plan_item": item}

    @expose("/budget/<int:pk>")
    @has_access
    @permission_name("show")
    def budget(self, pk):
        """资产配置预算表 of one approved plan (XLSX)."""
        plan = self.datamodel.get(pk, self._base_filters)
        if plan is None:
            abort(404)
        try:
            data = budget_workbook([plan])
        except BudgetRefused as exc:
            flash(exc.message, "danger")
            return redirect(url_for(f"{self.endpoint}.show", pk=pk))
        return _xlsx(data, budget_filename(plan.year, plan))

    @expose("/budget_year/")
    @has_access
    @permission_name("list")
    def budget_year(self):
        """资产配置预算表 of every approved plan of a year within the user's scope (XLSX)."""
        try:
            year = int(request.args.get("year", ""))
            plans = plans_for_budget(year)
            data = budget_workbook(plans)
        except ValueError:
            flash(_("请填写正确的预算年度"), "danger")
            return redirect(url_for(f"{self.endpoint}.list"))
        except BudgetRefused as exc:
            flash(exc.message, "danger")
            return redirect(url_for(f"{self.endpoint}.list"))
        return _xlsx(data, budget_filename(year))


class AssetPlanLineView(ScopedModelView):
    """资产配置计划明细: added from the plan's page, checked on save (Art. 14, 17, 18)."""

    datamodel = ScopedInterface(AssetPlanLine)
    list_title = _l("资产配置计划明细")
    show_title = _l("资产配置计划明细")
    add_title = _l("新增配置计划明细")
    edit_title = _l("修改配置计划明细")
    list_columns = ["plan", "asset_class", "name", "quantity", "unit_price", "amount",
                    "exception_requested"]
    add_columns = ["plan", "asset_class", "name", "specification", "quantity", "unit", "unit_price",
                   "reason", "exception_requested", "exception_reason"]
    edit_columns = add_columns
    show_columns = ["plan", "organization", "asset_class", "name", "specification", "quantity", "unit",
                    "unit_price", "amount", "reason", "exception_requested", "exception_reason"]
    search_columns = ["plan", "asset_class", "name", "exception_requested"]
    label_columns = LINE_LABELS
    description_columns = {
        "exception_requested": _l("超过现行配置标准（单价或数量上限）时勾选，并填写理由；"
                                  "经配置计划审核批准后方可超标准配置（第十七条）"),
        "reason": _l("新增人员、更新报废资产等"),
    }

    def post_add(self, item):
        g.jiguan_plan_back = item.plan_id
        super().post_add(item)

    def post_update(self, item):
        g.jiguan_plan_back = item.plan_id
        super().post_update(item)

    def post_add_redirect(self):
        back = g.pop("jiguan_plan_back", None)
        if back:  # back to the plan, where the line's checks are shown
            return redirect(url_for("AssetPlanView.show", pk=back))
        return super().post_add_redirect()

    def post_edit_redirect(self):
        back = g.pop("jiguan_plan_back", None)
        if back:
            return redirect(url_for("AssetPlanView.show", pk=back))
        return super().post_edit_redirect()


def _xlsx(data: bytes, filename: str) -> Response:
    from urllib.parse import quote

    return Response(data, mimetype=XLSX, headers={
        "Content-Disposition": f"attachment; filename=budget.xlsx; filename*=UTF-8''{quote(filename)}"})


class AssetPlanBudgetApi(BaseApi):
    """``GET /api/v1/asset_plan_budget/<pk>`` and ``GET /api/v1/asset_plan_budget/?year=2027`` (XLSX)."""

    resource_name = "asset_plan_budget"
    access = "records"
    allow_browser_login = True
    openapi_spec_tag = "资产配置预算表"
    openapi_summaries = {
        "plan_budget": _l("一份资产配置计划的预算表（XLSX）"),
        "year_budget": _l("某预算年度（year 参数）全部已批准计划的预算表（XLSX）"),
    }

    @expose("/<int:pk>", methods=["GET"])
    @protect()
    @safe
    @permission_name("get")
    def plan_budget(self, pk):
        plan = db.session.execute(scoped(select(AssetPlan).where(AssetPlan.id == pk), AssetPlan)).scalar()
        if plan is None:
            return self.response_404()
        try:
            data = budget_workbook([plan])
        except BudgetRefused as exc:
            return self.response(409, message=exc.message)
        return _xlsx(data, budget_filename(plan.year, plan))

    @expose("/", methods=["GET"])
    @protect()
    @safe
    @permission_name("get")
    def year_budget(self):
        try:
            year = int(request.args.get("year", ""))
        except ValueError:
            return self.response(422, message=_("请填写正确的预算年度（year）"))
        try:
            data = budget_workbook(plans_for_budget(year))
        except BudgetRefused as exc:
            return self.response(409, message=exc.message)
        return _xlsx(data, budget_filename(year))


def view_specs(common: dict) -> list[ViewSpec]:
    return [
        ViewSpec(AssetPlanView, "Asset Plans", _l("资产配置计划"), icon="fa-list-alt", **common),
        ViewSpec(AssetPlanLineView, "Asset Plan Lines", _l("配置计划明细"), menu=False),
        ViewSpec(AssetPlanBudgetApi, "AssetPlanBudgetApi", menu=False),
    ]
