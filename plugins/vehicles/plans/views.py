"""Screens of the acquisition and renewal plan (年度公务用车配备更新计划, Art. 27, 28)."""

from __future__ import annotations

from flask import g, redirect, url_for
from flask_babel import lazy_gettext as _l

from core.api import ApprovalViewMixin, ScopedInterface, ScopedModelView, ViewSpec, choice_field, db
from plugins.vehicles.fleet.models import ENERGY_TYPES
from plugins.vehicles.plans.models import ACTIONS, VehiclePlan, VehiclePlanLine
from plugins.vehicles.plans.reports import plan_summary

PLAN_LABELS = {
    "organization": _l("单位"), "year": _l("年度"), "budget": _l("购置经费预算（元）"), "note": _l("说明"),
    "total_amount": _l("明细合计（元）"), "vehicle_count": _l("车辆数"), "title": _l("计划名称"),
}
LINE_LABELS = {
    "plan": _l("配备更新计划"), "action": _l("配备方式"), "action_label": _l("配备方式"),
    "replaces": _l("被更新车辆"), "category": _l("车辆类别"), "brand": _l("品牌"), "model_name": _l("型号"),
    "domestic": _l("国产"), "energy_type": _l("能源类型"), "energy_label": _l("能源类型"),
    "displacement": _l("排量（升）"), "unit_price": _l("单价（元）"), "quantity": _l("数量"),
    "amount": _l("金额（元）"), "reason": _l("理由"), "organization": _l("单位"),
}


class VehiclePlanView(ApprovalViewMixin, ScopedModelView):
    """年度公务用车配备更新计划: reviewed by the bureau, then the finance department (同级, Art. 28)."""

    datamodel = ScopedInterface(VehiclePlan)
    list_title = _l("公务用车配备更新计划")
    show_title = _l("公务用车配备更新计划")
    add_title = _l("新增公务用车配备更新计划")
    edit_title = _l("修改公务用车配备更新计划")
    show_template = "vehicles/plans_show.html"
    list_columns = ["year", "organization", "budget", "total_amount", "vehicle_count", "state_label",
                    "submitted_at"]
    add_columns = ["organization", "year", "budget", "note"]
    edit_columns = add_columns
    show_columns = ["organization", "year", "budget", "total_amount", "vehicle_count", "note", "state_label",
                    "submitted_at", "decided_at"]
    search_columns = ["year", "organization", "state"]
    order_columns = ["year", "submitted_at"]
    base_order = ("year", "desc")
    label_columns = PLAN_LABELS
    description_columns = {
        "year": _l("计划年度，如 2027；编制按该年 1 月 1 日现行核定数检查"),
        "budget": _l("部门预算中安排的公务用车购置经费；明细合计不得超过（第二十八条）"),
        "note": _l("编制依据、车辆现状等说明"),
    }

    def show_context(self, item, pk) -> dict:
        return {**super().show_context(item, pk), "plan_item": item,
                "summary": plan_summary(db.session, item)}


class VehiclePlanLineView(ScopedModelView):
    """配备更新计划明细: added from the plan's page, checked on save (Art. 27, 28)."""

    datamodel = ScopedInterface(VehiclePlanLine)
    list_title = _l("公务用车配备更新计划明细")
    show_title = _l("公务用车配备更新计划明细")
    add_title = _l("新增配备更新计划明细")
    edit_title = _l("修改配备更新计划明细")
    list_columns = ["plan", "action_label", "category", "brand", "model_name", "energy_label", "unit_price",
                    "quantity", "amount"]
    add_columns = ["plan", "action", "replaces", "category", "brand", "model_name", "domestic", "energy_type",
                   "displacement", "unit_price", "quantity", "reason"]
    edit_columns = add_columns
    show_columns = ["plan", "organization", "action_label", "replaces", "category", "brand", "model_name",
                    "domestic", "energy_label", "displacement", "unit_price", "quantity", "amount", "reason"]
    search_columns = ["plan", "category", "brand", "model_name", "action", "energy_type"]
    label_columns = LINE_LABELS
    description_columns = {
        "replaces": _l("更新时选择本单位被更新的在用车辆；新增配备不填"),
        "domestic": _l("只能选用国产汽车（第二十八条）"),
        "energy_type": _l("优先选用新能源汽车（第二十八条）"),
        "displacement": _l("纯电动、燃料电池汽车不填；不得超过该类别的排量上限"),
        "unit_price": _l("不得超过该类别的价格上限"),
    }
    add_form_extra_fields = {"action": choice_field(_l("配备方式"), ACTIONS),
                             "energy_type": choice_field(_l("能源类型"), ENERGY_TYPES)}
    edit_form_extra_fields = add_form_extra_fields

    def post_add(self, item):
        g.jiguan_vehicle_plan_back = item.plan_id
        super().post_add(item)

    def post_update(self, item):
        g.jiguan_vehicle_plan_back = item.plan_id
        super().post_update(item)

    def post_add_redirect(self):
        back = g.pop("jiguan_vehicle_plan_back", None)
        if back:  # back to the plan, where the line's checks are shown
            return redirect(url_for("VehiclePlanView.show", pk=back))
        return super().post_add_redirect()

    def post_edit_redirect(self):
        back = g.pop("jiguan_vehicle_plan_back", None)
        if back:
            return redirect(url_for("VehiclePlanView.show", pk=back))
        return super().post_edit_redirect()


def view_specs(common: dict) -> list[ViewSpec]:
    return [
        ViewSpec(VehiclePlanView, "Vehicle Plans", _l("配备更新计划"), icon="fa-list-alt", **common),
        ViewSpec(VehiclePlanLineView, "Vehicle Plan Lines", _l("配备更新计划明细"), menu=False),
    ]
