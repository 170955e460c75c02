"""Screens of the repairs area: 日常维修 (with 入账), 大中修申请 (approval, 竣工), 大中修项目规划 (下达)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import ApprovalViewMixin, ScopedInterface, ScopedModelView, ViewSpec
from plugins.office_space.repairs.models import DailyRepair, MajorRepairApplication, MajorRepairPlan

PURPOSE_LABELS = {
    "serves_safety": _l("消除安全隐患"),
    "serves_secrecy": _l("符合保密要求"),
    "serves_function": _l("恢复和完善使用功能"),
    "serves_energy": _l("降低能源消耗"),
}


class DailyRepairView(ScopedModelView):
    """日常维修: the using organisation records each repair with its invoice and posts it (入账)."""

    datamodel = ScopedInterface(DailyRepair)
    list_title = _l("日常维修")
    show_title = _l("日常维修")
    add_title = _l("登记日常维修")
    edit_title = _l("修改日常维修")
    list_columns = [
        "building",
        "room",
        "organization",
        "repaired_on",
        "work",
        "amount",
        "contractor",
        "posted_label",
    ]
    add_columns = ["organization", "building", "room", "repaired_on", "work", "amount", "contractor", "note"]
    edit_columns = add_columns
    show_columns = [
        "building",
        "room",
        "organization",
        "repaired_on",
        "work",
        "amount",
        "contractor",
        "note",
        "posted_label",
        "posted_on",
    ]
    search_columns = ["building", "organization", "repaired_on", "contractor", "posted"]
    order_columns = ["repaired_on", "amount"]
    base_order = ("repaired_on", "desc")
    label_columns = {
        "building": _l("办公楼"),
        "room": _l("房间"),
        "organization": _l("使用单位"),
        "repaired_on": _l("维修日期"),
        "work": _l("维修内容"),
        "amount": _l("金额（元）"),
        "contractor": _l("施工单位"),
        "note": _l("备注"),
        "posted": _l("已入账"),
        "posted_label": _l("入账状态"),
        "posted_on": _l("入账日期"),
    }
    description_columns = {
        "room": _l("维修一个房间时选择；须是本单位使用的房间（第二十三条）"),
        "amount": _l("以发票金额为准；由本单位预算列支，上传发票（附件类别“发票”）后入账"),
    }


class MajorRepairApplicationView(ApprovalViewMixin, ScopedModelView):
    """大中修申请: the using organisation applies, the bureau of its level approves (Art. 23)."""

    datamodel = ScopedInterface(MajorRepairApplication)
    list_title = _l("大中修申请")
    show_title = _l("大中修申请")
    add_title = _l("新增大中修申请")
    edit_title = _l("修改大中修申请")
    list_columns = [
        "id",
        "organization",
        "building",
        "year",
        "estimated_cost",
        "purposes_label",
        "plan",
        "state_label",
        "completion_label",
    ]
    add_columns = [
        "organization",
        "building",
        "rooms",
        "year",
        "scope_of_work",
        "estimated_cost",
        "serves_safety",
        "serves_secrecy",
        "serves_function",
        "serves_energy",
        "applied_on",
        "note",
    ]
    edit_columns = add_columns
    show_columns = [
        "organization",
        "jurisdiction",
        "building",
        "rooms",
        "year",
        "scope_of_work",
        "estimated_cost",
        "purposes_label",
        "applied_on",
        "note",
        "state_label",
        "submitted_at",
        "decided_at",
        "plan",
        "completed_on",
        "actual_cost",
    ]
    search_columns = ["organization", "building", "year", "state"]
    label_columns = {
        "id": _l("申请编号"),
        "organization": _l("申请单位"),
        "jurisdiction": _l("所在辖区"),
        "building": _l("办公楼"),
        "rooms": _l("涉及房间"),
        "year": _l("实施年度"),
        "scope_of_work": _l("维修内容"),
        "estimated_cost": _l("预算金额（元）"),
        "purposes_label": _l("用途"),
        "applied_on": _l("申请日期"),
        "note": _l("备注"),
        "plan": _l("编入规划"),
        "completed_on": _l("竣工日期"),
        "actual_cost": _l("实际金额（元）"),
        "completion_label": _l("竣工"),
        **PURPOSE_LABELS,
    }
    description_columns = {
        "rooms": _l("房间号，多个用顿号分隔；整栋办公楼维修不填"),
        "serves_safety": _l(
            "至少选择一项用途（第二十三条）；未满大中修间隔年限的，只有消除安全隐患的可以申请"
        ),
        "scope_of_work": _l("维修范围和主要工程内容；鉴定报告、预算以附件上传"),
    }


class MajorRepairPlanView(ScopedModelView):
    """大中修项目规划: the bureau's yearly plan; the approved applications of the year are its lines."""

    datamodel = ScopedInterface(MajorRepairPlan)
    list_title = _l("大中修项目规划")
    show_title = _l("大中修项目规划")
    add_title = _l("新增大中修项目规划")
    edit_title = _l("修改大中修项目规划")
    list_columns = [
        "year",
        "title",
        "organization",
        "line_count",
        "total_estimate",
        "status_label",
        "document_number",
    ]
    add_columns = ["organization", "year", "title", "note"]
    edit_columns = add_columns
    show_columns = [
        "year",
        "title",
        "organization",
        "jurisdiction",
        "note",
        "line_count",
        "total_estimate",
        "status_label",
        "issued_on",
        "issued_by",
        "document_number",
    ]
    search_columns = ["organization", "year", "status"]
    order_columns = ["year"]
    base_order = ("year", "desc")
    show_template = "office_space/major_repair_plan_show.html"
    label_columns = {
        "year": _l("规划年度"),
        "title": _l("规划名称"),
        "organization": _l("编制单位"),
        "jurisdiction": _l("辖区"),
        "note": _l("说明"),
        "line_count": _l("项目数"),
        "total_estimate": _l("预算合计（元）"),
        "status": _l("状态"),
        "status_label": _l("状态"),
        "issued_on": _l("下达日期"),
        "issued_by": _l("下达人"),
        "document_number": _l("下达文号"),
    }
    description_columns = {
        "year": _l(
            "批准的大中修申请按实施年度自动编入本级规划；下达后固定，在“报表中心”打印大中修项目规划表"
        ),
    }

    def show_context(self, item, pk) -> dict:
        return {**super().show_context(item, pk), "plan_item": item}


def view_specs(common: dict) -> list[ViewSpec]:
    return [
        ViewSpec(DailyRepairView, "Office Daily Repairs", _l("日常维修"), icon="fa-wrench", **common),
        ViewSpec(
            MajorRepairApplicationView, "Office Major Repairs", _l("大中修申请"), icon="fa-gavel", **common
        ),
        ViewSpec(
            MajorRepairPlanView,
            "Office Major Repair Plans",
            _l("大中修项目规划"),
            icon="fa-calendar",
            **common,
        ),
    ]
