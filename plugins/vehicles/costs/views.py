"""Screens of the costs area: 运行费用 (with 入账) and 公务用车年度绩效评价 (with 评价)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import ScopedInterface, ScopedModelView, ViewSpec, choice_field
from plugins.vehicles.costs.models import COST_KINDS, VehicleCost, VehicleEvaluation


class VehicleCostView(ScopedModelView):
    """运行费用: the clerk enters each cost with its invoice and posts it (入账)."""

    datamodel = ScopedInterface(VehicleCost)
    list_title = _l("运行费用")
    show_title = _l("运行费用")
    add_title = _l("登记运行费用")
    edit_title = _l("修改运行费用")
    list_columns = ["vehicle", "organization", "kind_label", "spent_on", "amount", "supplier", "odometer_km",
                    "posted_label"]
    add_columns = ["vehicle", "kind", "spent_on", "amount", "supplier", "odometer_km", "note"]
    edit_columns = add_columns
    show_columns = ["vehicle", "organization", "kind_label", "spent_on", "amount", "supplier", "odometer_km",
                    "note", "posted_label", "posted_on"]
    search_columns = ["vehicle", "organization", "kind", "spent_on", "supplier", "posted"]
    order_columns = ["spent_on", "amount"]
    base_order = ("spent_on", "desc")
    label_columns = {
        "vehicle": _l("车辆"), "organization": _l("使用单位"), "kind": _l("费用类别"),
        "kind_label": _l("费用类别"), "spent_on": _l("发生日期"), "amount": _l("金额（元）"),
        "supplier": _l("收款单位"), "odometer_km": _l("里程表读数（公里）"), "note": _l("说明"),
        "posted": _l("已入账"), "posted_label": _l("入账状态"), "posted_on": _l("入账日期"),
    }
    description_columns = {
        "supplier": _l("加油站、充电站、维修单位或保险公司的名称；维修、保养须在定点维修单位，"
                       "保险须在定点保险单位（第二十九条）"),
        "odometer_km": _l("费用发生时的里程表读数，用于计算行驶里程和每公里运行费用"),
        "amount": _l("以发票金额为准；发票以附件（类别“发票”）上传后才能入账"),
    }
    add_form_extra_fields = {"kind": choice_field(_l("费用类别"), COST_KINDS)}
    edit_form_extra_fields = add_form_extra_fields


class VehicleEvaluationView(ScopedModelView):
    """公务用车年度绩效评价: one organisation's year; 评价 computes and freezes it."""

    datamodel = ScopedInterface(VehicleEvaluation)
    list_title = _l("公务用车年度绩效评价")
    show_title = _l("公务用车年度绩效评价")
    add_title = _l("新增公务用车年度绩效评价")
    edit_title = _l("修改公务用车年度绩效评价")
    list_columns = ["organization", "year", "total_score", "grade_label", "evaluated_on"]
    add_columns = ["organization", "year", "remark"]
    edit_columns = add_columns
    show_columns = ["organization", "year", "remark", "total_score", "grade_label", "evaluated_on"]
    search_columns = ["organization", "year", "grade"]
    order_columns = ["year"]
    base_order = ("year", "desc")
    label_columns = {
        "organization": _l("评价单位"), "year": _l("评价年度"), "remark": _l("分析评价说明"),
        "total_score": _l("总分"), "grade": _l("评价等级"), "grade_label": _l("评价等级"),
        "evaluated_on": _l("评价日期"),
    }
    description_columns = {
        "year": _l("按该年度已入账的运行费用评价；评价后在“报表中心”打印年度绩效评价表"),
    }


def view_specs(common: dict) -> list[ViewSpec]:
    return [
        ViewSpec(VehicleCostView, "Vehicle Costs", _l("运行费用"), icon="fa-jpy", **common),
        ViewSpec(VehicleEvaluationView, "Vehicle Evaluations", _l("年度绩效评价"), icon="fa-star-half-o",
                 **common),
    ]
