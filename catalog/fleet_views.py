"""节假日安排, 定点供应商 and 公务用车类别 under 基础数据 (issue 13, Art. 27 and 29).

The holiday calendar and the designated suppliers belong to a jurisdiction: its bureau keeps
them, every organisation below reads them (``shared_up``). The vehicle categories are public
reference data like the economic classification: everyone reads, the system admin writes.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from catalog.holidays import Holiday
from catalog.suppliers import SUPPLIER_KINDS, DesignatedSupplier
from catalog.vehicle_categories import ESTABLISHMENT_BODIES, VehicleCategory
from core.api import ScopedInterface, ScopedModelView, choice_field
from core.uscc import uscc_error

HOLIDAY_LABELS = {
    "name": _l("节日名称"), "starts_on": _l("放假开始日期"), "ends_on": _l("放假结束日期"),
    "jurisdiction": _l("发布辖区"), "jurisdiction_id": _l("发布辖区"), "basis": _l("放假通知"),
    "days": _l("放假天数"),
}

SUPPLIER_LABELS = {
    "kind": _l("定点类别"), "kind_label": _l("定点类别"), "name": _l("供应商名称"),
    "uscc": _l("统一社会信用代码"), "address": _l("地址"), "jurisdiction": _l("定点辖区"),
    "jurisdiction_id": _l("定点辖区"), "effective_from": _l("定点起始日期"),
    "effective_to": _l("定点截止日期"), "basis": _l("定点协议或采购结果"),
}

CATEGORY_LABELS = {
    "code": _l("类别代码"), "name": _l("类别名称"), "establishment_body": _l("编制核定部门"),
    "establishment_body_label": _l("编制核定部门"), "effective_from": _l("生效日期"),
    "effective_to": _l("失效日期"), "basis": _l("依据文件"),
}


def _optional_uscc(_form, field):
    """A supplier's USCC is optional; when given it must be a valid one."""
    if field.data and field.data.strip():
        error = uscc_error(field.data)
        if error:
            raise ValidationError(error)


class HolidayView(ScopedModelView):
    """节假日安排: the periods official vehicles are sealed over (节假日封存停驶, Art. 29)."""

    datamodel = ScopedInterface(Holiday)
    access = "reference"
    list_title = _l("节假日安排")
    show_title = _l("节假日安排")
    add_title = _l("新增节假日安排")
    edit_title = _l("修改节假日安排")
    list_columns = ["name", "starts_on", "ends_on", "days", "jurisdiction"]
    add_columns = ["name", "starts_on", "ends_on", "jurisdiction", "basis"]
    edit_columns = add_columns
    show_columns = ["name", "starts_on", "ends_on", "days", "jurisdiction", "basis"]
    search_columns = ["name", "starts_on", "ends_on", "jurisdiction"]
    base_order = ("starts_on", "desc")
    label_columns = HOLIDAY_LABELS
    description_columns = {
        "starts_on": _l("放假通知中的第一天；调休上班日不是节假日，不必登记"),
        "ends_on": _l("放假通知中的最后一天（含）；一天的节日与开始日期相同"),
        "jurisdiction": _l("自治区登记国务院放假安排和自治区的民族传统节日，下级辖区读取上级的安排；"
                           "本辖区另行安排的才在本级登记"),
        "basis": _l("如：国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）"),
    }


class DesignatedSupplierView(ScopedModelView):
    """定点供应商: the repair shops, insurers and filling stations a bureau designates (Art. 29)."""

    datamodel = ScopedInterface(DesignatedSupplier)
    access = "reference"
    list_title = _l("定点供应商")
    show_title = _l("定点供应商")
    add_title = _l("新增定点供应商")
    edit_title = _l("修改定点供应商")
    list_columns = ["kind_label", "name", "jurisdiction", "effective_from", "effective_to"]
    add_columns = ["kind", "name", "uscc", "address", "jurisdiction", "effective_from",
                   "effective_to", "basis"]
    edit_columns = add_columns
    show_columns = ["kind_label", "name", "uscc", "address", "jurisdiction", "effective_from",
                    "effective_to", "basis"]
    search_columns = ["kind", "name", "uscc", "jurisdiction", "effective_from"]
    base_order = ("name", "asc")
    label_columns = SUPPLIER_LABELS
    description_columns = {
        "name": _l("与发票、维修单上的名称一致：各模块按名称核对是否为定点供应商"),
        "uscc": _l("定点协议载明时填写，18 位"),
        "effective_to": _l("留空表示长期有效；协议到期或终止时填写"),
    }
    validators_columns = {"uscc": [_optional_uscc]}
    add_form_extra_fields = {"kind": choice_field(_l("定点类别"), SUPPLIER_KINDS)}
    edit_form_extra_fields = {"kind": choice_field(_l("定点类别"), SUPPLIER_KINDS)}


class VehicleCategoryView(ScopedModelView):
    """公务用车类别: public reference data; the category decides who sets the establishment
    (Art. 27). A revision retires a category (失效日期) and adds a row."""

    datamodel = ScopedInterface(VehicleCategory)
    access = "reference"
    list_title = _l("公务用车类别")
    show_title = _l("公务用车类别")
    # the code is what modules read (English words such as "enforcement"): the screen shows the
    # name; the code is in the API, the export and the add form
    list_columns = ["name", "establishment_body_label", "effective_from", "effective_to"]
    add_columns = ["code", "name", "establishment_body", "effective_from", "effective_to", "basis"]
    edit_columns = ["name", "establishment_body", "effective_to", "basis"]
    show_columns = ["name", "establishment_body_label", "effective_from", "effective_to", "basis"]
    search_columns = ["name", "establishment_body", "effective_from"]
    base_order = ("effective_from", "asc")
    label_columns = CATEGORY_LABELS
    description_columns = {
        "code": _l("各模块按类别代码读取类别，代码一经使用不再更改"),
        "effective_to": _l("类别调整时填写旧类别的失效日期，并另行新增新类别；已核定的编制保留原类别"),
    }
    add_form_extra_fields = {"establishment_body": choice_field(_l("编制核定部门"), ESTABLISHMENT_BODIES)}
    edit_form_extra_fields = {"establishment_body": choice_field(_l("编制核定部门"), ESTABLISHMENT_BODIES)}
