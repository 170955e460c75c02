"""Screens of department budgets (部门预算, Art. 12): budgets and lines, central items and their
allocations, adjustments."""

from __future__ import annotations

from flask_appbuilder.models.sqla.filters import FilterEqual, FilterInFunction
from flask_babel import lazy_gettext as _l

from core.api import ApprovalViewMixin, ScopedInterface, ScopedModelView, ViewSpec, choice_field
from plugins.funds.budgets.models import (
    BASES,
    BASIS_OTHER,
    BASIS_QUOTA,
    CENTRAL_ITEMS,
    Budget,
    BudgetAdjustment,
    BudgetLine,
    CentralAllocation,
    CentralItem,
)

LINE_LABELS = {
    "budget": _l("部门预算"), "organization": _l("单位"), "year": _l("年度"),
    "economic_class": _l("支出经济分类"), "basis": _l("编制依据"), "basis_label": _l("编制依据"),
    "quantity": _l("编制人数"), "quota": _l("定额（元/人·年）"), "amount": _l("预算金额（元）"),
    "adjusted_total": _l("已批准调整（元）"), "budget_total": _l("调整后预算（元）"),
    "allocation": _l("集中统筹分配"), "note": _l("备注"),
}


def _editable_budgets():
    return ["draft", "rejected"]


class BudgetLineView(ScopedModelView):
    """部门预算明细: 定员定额 lines generated or entered within 编制 × quota (Art. 12)."""

    datamodel = ScopedInterface(BudgetLine)
    list_title = _l("部门预算明细")
    show_title = _l("部门预算明细")
    add_title = _l("新增部门预算明细")
    edit_title = _l("修改部门预算明细")
    list_columns = ["budget", "economic_class", "basis_label", "quantity", "quota", "amount",
                    "budget_total"]
    add_columns = ["budget", "economic_class", "basis", "amount", "note"]
    edit_columns = add_columns
    show_columns = ["budget", "organization", "year", "economic_class", "basis_label", "quantity",
                    "quota", "amount", "adjusted_total", "budget_total", "allocation", "note"]
    search_columns = ["budget", "organization", "year", "economic_class", "basis"]
    label_columns = LINE_LABELS
    description_columns = {
        "basis": _l("定员定额：金额不得超过 1 月 1 日编制人数 × 现行定员定额标准（第十二条）；"
                    "集中统筹明细由集中统筹项目批准后下达"),
    }
    add_form_extra_fields = {"basis": choice_field(_l("编制依据"), {
        BASIS_QUOTA: BASES[BASIS_QUOTA], BASIS_OTHER: BASES[BASIS_OTHER]})}
    edit_form_extra_fields = add_form_extra_fields
    add_form_query_rel_fields = {"budget": [["state", FilterInFunction, _editable_budgets]]}
    edit_form_query_rel_fields = add_form_query_rel_fields


class BudgetAdjustmentView(ApprovalViewMixin, ScopedModelView):
    """预算调整: a change of an approved line, applied on the finance department's approval."""

    datamodel = ScopedInterface(BudgetAdjustment)
    list_title = _l("预算调整")
    show_title = _l("预算调整")
    add_title = _l("新增预算调整")
    edit_title = _l("修改预算调整")
    list_columns = ["id", "line", "delta", "reason", "state_label", "submitted_at"]
    add_columns = ["line", "delta", "reason"]
    edit_columns = add_columns
    show_columns = ["id", "line", "organization", "delta", "reason", "applied_on", "state_label",
                    "submitted_at", "decided_at"]
    search_columns = ["line", "organization", "state"]
    label_columns = {"id": _l("编号"), "line": _l("预算明细"), "organization": _l("单位"),
                     "delta": _l("调整金额（元）"), "reason": _l("调整理由"), "applied_on": _l("生效日期")}
    description_columns = {"delta": _l("调增为正数，调减为负数；经同级财政部门批准后生效（第十二条）")}


class BudgetView(ApprovalViewMixin, ScopedModelView):
    """部门预算: generated from 编制 × quotas, decided by the finance department of the level."""

    datamodel = ScopedInterface(Budget)
    list_title = _l("部门预算")
    show_title = _l("部门预算")
    add_title = _l("新增部门预算")
    edit_title = _l("修改部门预算")
    list_columns = ["id", "organization", "year", "total_amount", "state_label", "submitted_at"]
    add_columns = ["organization", "year", "note"]
    edit_columns = add_columns
    show_columns = ["id", "organization", "year", "total_amount", "central_total", "note",
                    "state_label", "submitted_at", "decided_at"]
    search_columns = ["organization", "year", "state"]
    base_order = ("year", "desc")
    label_columns = {"id": _l("编号"), "organization": _l("单位"), "year": _l("年度"),
                     "total_amount": _l("预算合计（元）"), "note": _l("说明"),
                     "central_total": _l("集中统筹下达（元）")}
    description_columns = {"note": _l("先保存，再在预算页面点击“按定员定额生成”")}
    related_views = [BudgetLineView]


class CentralAllocationView(ScopedModelView):
    """集中统筹项目分配: which unit receives how much of a central item."""

    datamodel = ScopedInterface(CentralAllocation)
    list_title = _l("集中统筹项目分配")
    list_columns = ["central_item", "unit", "amount", "note"]
    add_columns = ["central_item", "unit", "amount", "note"]
    edit_columns = add_columns
    show_columns = add_columns
    search_columns = ["central_item", "unit"]
    label_columns = {"central_item": _l("集中统筹项目"), "unit": _l("预算单位"),
                     "amount": _l("分配金额（元）"), "note": _l("备注")}
    add_form_query_rel_fields = {"central_item": [["state", FilterEqual, "draft"]]}
    edit_form_query_rel_fields = add_form_query_rel_fields


class CentralItemView(ApprovalViewMixin, ScopedModelView):
    """集中统筹项目: the bureau's five centrally run items, reviewed by the same-level finance."""

    datamodel = ScopedInterface(CentralItem)
    list_title = _l("集中统筹项目")
    show_title = _l("集中统筹项目")
    add_title = _l("新增集中统筹项目")
    edit_title = _l("修改集中统筹项目")
    list_columns = ["id", "organization", "year", "item_label", "amount", "allocated_total",
                    "state_label"]
    add_columns = ["organization", "year", "item", "amount", "note"]
    edit_columns = add_columns
    show_columns = ["id", "organization", "year", "item_label", "amount", "allocated_total", "note",
                    "state_label", "submitted_at", "decided_at"]
    search_columns = ["organization", "year", "item", "state"]
    label_columns = {"id": _l("编号"), "organization": _l("机关事务管理部门"), "year": _l("年度"),
                     "item": _l("项目"), "item_label": _l("项目"), "amount": _l("项目预算（元）"),
                     "allocated_total": _l("已分配（元）"), "note": _l("说明")}
    add_form_extra_fields = {"item": choice_field(_l("项目"), {k: v[0] for k, v in CENTRAL_ITEMS.items()})}
    edit_form_extra_fields = add_form_extra_fields
    related_views = [CentralAllocationView]


def view_specs(common: dict) -> list[ViewSpec]:
    return [
        ViewSpec(BudgetView, "Department Budgets", _l("部门预算"), icon="fa-calculator", **common),
        ViewSpec(BudgetLineView, "Budget Lines", _l("部门预算明细"), menu=False, **common),
        ViewSpec(CentralItemView, "Central Items", _l("集中统筹项目"), icon="fa-sitemap", **common),
        ViewSpec(CentralAllocationView, "Central Allocations", _l("集中统筹项目分配"), menu=False,
                 **common),
        ViewSpec(BudgetAdjustmentView, "Budget Adjustments", _l("预算调整"), icon="fa-exchange",
                 **common),
    ]
