"""Screens of the fleet: 车辆编制 (Art. 27), 公务用车登记 (Art. 26, 29), 公务用车处置 (Art. 30)."""

from __future__ import annotations

from flask_appbuilder.models.sqla.filters import FilterEqual, FilterNotEqual
from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from core.api import ApprovalViewMixin, ScopedInterface, ScopedModelView, ViewSpec, choice_field
from plugins.vehicles.fleet.models import (
    DISPOSAL_METHODS,
    ENERGY_TYPES,
    Vehicle,
    VehicleDisposal,
    VehicleEstablishment,
)


class VehicleEstablishmentView(ApprovalViewMixin, ScopedModelView):
    """车辆编制: the organisation's clerk drafts, the finance department decides 执法执勤/特种专业技术
    (then the bureau records it, 备案), the bureau decides the other categories (Art. 27)."""

    datamodel = ScopedInterface(VehicleEstablishment)
    list_title = _l("车辆编制")
    list_columns = ["organization", "category", "quota", "effective_from", "decision", "state_label"]
    add_columns = ["organization", "category", "quota", "effective_from", "decision", "note"]
    edit_columns = add_columns
    show_columns = [
        "organization",
        "jurisdiction",
        "category",
        "quota",
        "effective_from",
        "decision",
        "note",
        "state_label",
        "submitted_at",
        "decided_at",
    ]
    search_columns = ["organization", "category", "effective_from", "state"]
    label_columns = {
        "organization": _l("单位"),
        "jurisdiction": _l("所在辖区"),
        "category": _l("公务用车类别"),
        "quota": _l("编制数（辆）"),
        "effective_from": _l("起始日期"),
        "decision": _l("核定文件文号"),
        "note": _l("备注"),
    }
    description_columns = {
        "category": _l(
            "执法执勤、特种专业技术用车由财政部门核定，报机关事务管理部门备案；其他类别由机关事务管理部门"
            "核定（《办法》第二十七条）"
        ),
        "effective_from": _l("批准后自该日起生效，取代此前的编制"),
    }


class VehicleView(ScopedModelView):
    """公务用车登记: one vehicle per asset card of the class 车辆; the card gives the organisation."""

    datamodel = ScopedInterface(Vehicle)
    list_title = _l("公务用车")
    list_columns = [
        "plate",
        "brand",
        "model_name",
        "category",
        "organization",
        "energy_label",
        "status_label",
    ]
    add_columns = [
        "asset",
        "plate",
        "vin",
        "brand",
        "model_name",
        "domestic",
        "energy_type",
        "displacement",
        "category",
        "marked",
        "parking_place",
        "shared_platform",
        "odometer_km",
        "note",
    ]
    edit_columns = add_columns
    show_columns = [
        "plate",
        "vin",
        "brand",
        "model_name",
        "domestic",
        "energy_label",
        "displacement",
        "category",
        "asset",
        "organization",
        "jurisdiction",
        "price",
        "acquired_on",
        "marked",
        "parking_place",
        "shared_platform",
        "odometer_km",
        "status_label",
        "disposed_on",
        "note",
    ]
    search_columns = ["plate", "vin", "brand", "category", "organization", "energy_type", "status"]
    label_columns = {
        "asset": _l("资产卡片"),
        "plate": _l("号牌号码"),
        "vin": _l("车辆识别代号"),
        "brand": _l("品牌"),
        "model_name": _l("型号"),
        "domestic": _l("国产汽车"),
        "energy_type": _l("能源类型"),
        "energy_label": _l("能源类型"),
        "displacement": _l("排量（升）"),
        "category": _l("公务用车类别"),
        "organization": _l("使用单位"),
        "jurisdiction": _l("所在辖区"),
        "price": _l("价格（元）"),
        "acquired_on": _l("取得日期"),
        "marked": _l("统一标识"),
        "parking_place": _l("定点停放地点"),
        "shared_platform": _l("纳入公务用车平台"),
        "odometer_km": _l("登记里程（公里）"),
        "status": _l("车辆状态"),
        "status_label": _l("车辆状态"),
        "disposed_on": _l("处置日期"),
        "note": _l("备注"),
    }
    description_columns = {
        "asset": _l("先在资产管理中登记分类为“车辆”的资产卡片；单位、价格和取得日期以卡片为准"),
        "plate": _l("如 新A·12345；新能源汽车为 8 位，如 新A·D12345"),
        "vin": _l("17 位，不含 I、O、Q"),
        "displacement": _l("纯电动、燃料电池汽车不填"),
        "category": _l("不得超过本单位该类别的车辆编制（《办法》第二十七条）"),
    }
    add_form_extra_fields = {
        "energy_type": SelectField(_l("能源类型"), choices=list(ENERGY_TYPES.items()), default="petrol")
    }
    edit_form_extra_fields = add_form_extra_fields
    add_form_query_rel_fields = {"asset": [["status", FilterNotEqual, "disposed"]]}
    edit_form_query_rel_fields = add_form_query_rel_fields


class VehicleDisposalView(ApprovalViewMixin, ScopedModelView):
    """公务用车处置: the organisation applies, the bureau of its level approves (Art. 30)."""

    datamodel = ScopedInterface(VehicleDisposal)
    list_title = _l("公务用车处置")
    list_columns = ["id", "organization", "vehicle", "method_label", "applied_on", "state_label"]
    add_columns = [
        "organization",
        "vehicle",
        "method",
        "applied_on",
        "reason",
        "target",
        "manufacturer",
        "note",
    ]
    edit_columns = add_columns
    show_columns = [
        "organization",
        "jurisdiction",
        "vehicle",
        "method_label",
        "applied_on",
        "reason",
        "target",
        "manufacturer",
        "note",
        "state_label",
        "submitted_at",
        "decided_at",
    ]
    search_columns = ["organization", "vehicle", "method", "applied_on", "state"]
    label_columns = {
        "id": _l("申请编号"),
        "organization": _l("申请单位"),
        "jurisdiction": _l("所在辖区"),
        "vehicle": _l("车辆"),
        "method": _l("处置方式"),
        "method_label": _l("处置方式"),
        "applied_on": _l("申请日期"),
        "reason": _l("处置理由"),
        "target": _l("调入单位"),
        "manufacturer": _l("回收厂家"),
        "note": _l("备注"),
    }
    description_columns = {
        "target": _l(
            "处置方式为“调剂”时必填：本辖区或下级辖区的其他单位，须有该类别的编制空缺（《办法》第二十七条）"
        ),
        "manufacturer": _l("处置方式为“厂家回收”时必填；提交前须上传回收证明（《办法》第三十条）"),
    }
    add_form_extra_fields = {"method": choice_field(_l("处置方式"), DISPOSAL_METHODS)}
    edit_form_extra_fields = add_form_extra_fields
    add_form_query_rel_fields = {"vehicle": [["status", FilterEqual, "in_service"]]}
    edit_form_query_rel_fields = add_form_query_rel_fields


def view_specs(common: dict) -> list[ViewSpec]:
    return [
        ViewSpec(
            VehicleEstablishmentView, "Vehicle Establishments", _l("车辆编制"), icon="fa-sitemap", **common
        ),
        ViewSpec(VehicleView, "Vehicles", _l("公务用车"), icon="fa-car", **common),
        ViewSpec(VehicleDisposalView, "Vehicle Disposals", _l("公务用车处置"), icon="fa-recycle", **common),
    ]
