"""Screen of designated hotels (定点接待酒店), kept by the bureaus."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import ScopedInterface, ScopedModelView, ViewSpec
from plugins.receptions.hotels.models import DesignatedHotel


class DesignatedHotelView(ScopedModelView):
    datamodel = ScopedInterface(DesignatedHotel)
    list_title = _l("定点接待酒店")
    show_title = _l("定点接待酒店")
    add_title = _l("新增定点接待酒店")
    edit_title = _l("修改定点接待酒店")
    list_columns = ["name", "jurisdiction", "address", "price_standard", "price_single", "price_suite",
                    "effective_from", "effective_to"]
    add_columns = ["name", "jurisdiction", "address", "price_standard", "price_single", "price_suite",
                   "effective_from", "effective_to", "basis", "note"]
    edit_columns = add_columns
    show_columns = add_columns
    search_columns = ["name", "jurisdiction", "address"]
    label_columns = {
        "name": _l("酒店名称"), "jurisdiction": _l("定点辖区"), "address": _l("地址"),
        "price_standard": _l("标准间协议价（元/间·天）"), "price_single": _l("单间协议价（元/间·天）"),
        "price_suite": _l("套间协议价（元/间·天）"), "effective_from": _l("定点起始日期"),
        "effective_to": _l("定点截止日期"), "basis": _l("定点协议"), "note": _l("备注"),
    }
    description_columns = {
        "price_standard": _l("留空表示该房型未约定协议价，不能安排（第三十四条）"),
        "effective_to": _l("留空表示长期有效"),
    }


def view_specs(common: dict) -> list[ViewSpec]:
    return [ViewSpec(DesignatedHotelView, "Reception Hotels", _l("定点接待酒店"), icon="fa-bed", **common)]
