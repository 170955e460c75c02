"""Screens of the units area: 房源 (with 接收移交, 送修, 修竣, 处置) and 维修维护记录 (with 入账)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import ScopedInterface, ScopedModelView, ViewSpec, choice_field
from plugins.housing.units.models import MAINTENANCE_KINDS, UNIT_KINDS, HousingUnit, UnitMaintenance


class UnitMaintenanceView(ScopedModelView):
    """维修维护记录: the bureau records each repair or maintenance job of a unit and posts its cost."""

    datamodel = ScopedInterface(UnitMaintenance)
    list_title = _l("周转住房维修维护记录")
    show_title = _l("周转住房维修维护记录")
    add_title = _l("登记维修维护")
    edit_title = _l("修改维修维护记录")
    list_columns = ["unit", "kind_label", "done_on", "work", "cost", "contractor", "posted_label"]
    add_columns = ["unit", "kind", "done_on", "work", "cost", "contractor", "note"]
    edit_columns = add_columns
    show_columns = ["unit", "organization", "kind_label", "done_on", "work", "cost", "contractor", "note",
                    "posted_label", "posted_on"]
    search_columns = ["unit", "kind", "done_on", "contractor", "posted"]
    order_columns = ["done_on", "cost"]
    base_order = ("done_on", "desc")
    label_columns = {
        "unit": _l("房源"), "organization": _l("管理单位"), "kind": _l("类别"), "kind_label": _l("类别"),
        "done_on": _l("维修日期"), "work": _l("维修内容"), "cost": _l("费用（元）"),
        "contractor": _l("施工单位"), "note": _l("备注"), "posted": _l("已入账"),
        "posted_label": _l("入账状态"), "posted_on": _l("入账日期"),
    }
    description_columns = {
        "cost": _l("入账后计入维修（护）费（30213）；发票可以附件上传"),
    }
    add_form_extra_fields = {"kind": choice_field(_l("类别"), MAINTENANCE_KINDS)}
    edit_form_extra_fields = add_form_extra_fields


class HousingUnitView(ScopedModelView):
    """房源: the bureau's talent apartments and turnover housing; the status moves by operations."""

    datamodel = ScopedInterface(HousingUnit)
    list_title = _l("周转住房房源")
    show_title = _l("周转住房房源")
    add_title = _l("登记房源")
    edit_title = _l("修改房源")
    list_columns = ["building", "unit_number", "kind_label", "area", "rooms", "organization", "status_label",
                    "status_since"]
    add_columns = ["kind", "building", "unit_number", "address", "area", "rooms", "furnishing",
                   "organization", "note"]
    edit_columns = add_columns
    show_columns = ["kind_label", "building", "unit_number", "address", "area", "rooms", "furnishing",
                    "organization", "jurisdiction", "status_label", "status_since", "handed_over_by",
                    "handed_over_on", "handover_document_no", "disposal_document_no", "disposed_on", "note"]
    search_columns = ["building", "unit_number", "kind", "organization", "status"]
    order_columns = ["building", "unit_number", "area", "status_since"]
    base_order = ("building", "asc")
    label_columns = {
        "kind": _l("房源类型"), "kind_label": _l("房源类型"), "building": _l("小区楼栋"),
        "unit_number": _l("户号"), "address": _l("地址"), "area": _l("建筑面积（平方米）"),
        "rooms": _l("居室数"), "furnishing": _l("配套家具家电"), "organization": _l("管理单位"),
        "jurisdiction": _l("所在辖区"), "status": _l("状态"), "status_label": _l("状态"),
        "status_since": _l("状态起始日期"), "handed_over_by": _l("移交单位"),
        "handed_over_on": _l("移交日期"),
        "handover_document_no": _l("移交文件文号"), "disposal_document_no": _l("处置决定文号"),
        "disposed_on": _l("处置日期"), "note": _l("备注"),
    }
    description_columns = {
        "organization": _l("统一管理房源的机关事务管理部门（第二十五条）"),
        "furnishing": _l("入住、退出时据此清点"),
    }
    add_form_extra_fields = {"kind": choice_field(_l("房源类型"), UNIT_KINDS)}
    edit_form_extra_fields = add_form_extra_fields
    related_views = [UnitMaintenanceView]


def view_specs(common: dict) -> list[ViewSpec]:
    return [
        ViewSpec(HousingUnitView, "Housing Units", _l("房源"), icon="fa-building", **common),
        ViewSpec(UnitMaintenanceView, "Housing Unit Maintenance", _l("维修维护记录"), icon="fa-wrench",
                 **common),
    ]
