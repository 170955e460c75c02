"""Screens of government procurement (Art. 14): the 集中采购目录 and the procurement records."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import NumberRange, Optional

from core.api import ScopedInterface, ScopedModelView, ViewSpec, choice_field
from plugins.funds.procurement.models import CATEGORIES, CHANNELS, METHODS, CatalogueItem, ProcurementRecord


class CatalogueItemView(ScopedModelView):
    """集中采购目录: kept by the bureau of a jurisdiction, read below it."""

    datamodel = ScopedInterface(CatalogueItem)
    list_title = _l("集中采购目录")
    list_columns = ["code", "name", "category_label", "channel_label", "jurisdiction", "effective_from",
                    "effective_to", "basis"]
    add_columns = ["jurisdiction", "code", "name", "category", "covers", "channel", "effective_from",
                   "effective_to", "basis"]
    edit_columns = add_columns
    show_columns = ["jurisdiction", "code", "name", "category_label", "covers", "channel_label",
                    "effective_from", "effective_to", "basis"]
    search_columns = ["code", "name", "category", "channel", "jurisdiction", "effective_from", "effective_to"]
    label_columns = {
        "jurisdiction": _l("制定辖区"), "code": _l("品目编码"), "name": _l("品目名称"),
        "category": _l("品目类别"), "category_label": _l("品目类别"), "covers": _l("涵盖范围"),
        "channel": _l("组织形式"), "channel_label": _l("组织形式"), "effective_from": _l("生效日期"),
        "effective_to": _l("失效日期"), "basis": _l("依据文件"),
    }
    description_columns = {
        "covers": _l("该品目涵盖的资产分类或采购内容"),
        "effective_to": _l("目录调整时为旧品目设置失效日期，新品目另行登记；留空表示现行有效"),
    }
    add_form_extra_fields = {
        "category": choice_field(_l("品目类别"), CATEGORIES),
        "channel": choice_field(_l("组织形式"), CHANNELS),
    }
    edit_form_extra_fields = add_form_extra_fields


class ProcurementRecordView(ScopedModelView):
    """政府采购记录: what an organisation bought and how (Art. 14)."""

    datamodel = ScopedInterface(ProcurementRecord)
    list_title = _l("政府采购记录")
    list_columns = ["number", "organization", "purchased_on", "item_name", "amount", "method_label",
                    "central", "supplier"]
    add_columns = ["organization", "purchased_on", "item_name", "catalogue_item", "category",
                   "specification", "quantity", "unit", "unit_price", "amount", "method", "central",
                   "supplier", "contract_no", "note"]
    edit_columns = add_columns
    show_columns = ["number", "organization", "jurisdiction", "purchased_on", "item_name", "catalogue_item",
                    "category_label", "specification", "quantity", "unit", "unit_price", "amount",
                    "method_label", "central", "supplier", "contract_no", "note"]
    search_columns = ["number", "organization", "purchased_on", "item_name", "catalogue_item", "method",
                      "central", "supplier"]
    label_columns = {
        "number": _l("采购编号"), "organization": _l("采购单位"), "jurisdiction": _l("所在辖区"),
        "purchased_on": _l("采购日期"), "item_name": _l("采购品目"), "catalogue_item": _l("集中采购目录品目"),
        "category": _l("品目类别"), "category_label": _l("品目类别"),
        "specification": _l("采购需求（规格）"), "quantity": _l("数量"), "unit": _l("计量单位"),
        "unit_price": _l("单价（元）"), "amount": _l("采购金额（元）"), "method": _l("采购方式"),
        "method_label": _l("采购方式"), "central": _l("集中采购"), "supplier": _l("供应商"),
        "contract_no": _l("合同编号"), "note": _l("备注"),
    }
    description_columns = {
        "catalogue_item": _l("属于集中采购目录的，选择对应品目（不选时按品目名称对照目录）"),
        "specification": _l("只写功能、性能等需求，不得指定品牌、型号、产地（第十四条）"),
        "central": _l("通过集中采购机构采购或部门集中采购的，勾选此项"),
        "number": _l("保存时自动编号"),
    }
    validators_columns = {
        "amount": [NumberRange(min=0.01, message=_l("采购金额必须大于 0 元"))],
        "quantity": [Optional(), NumberRange(min=0.01, message=_l("数量必须大于 0"))],
        "unit_price": [Optional(), NumberRange(min=0, message=_l("单价不能为负数"))],
    }
    add_form_extra_fields = {
        "category": choice_field(_l("品目类别"), CATEGORIES),
        "method": choice_field(_l("采购方式"), METHODS),
    }
    edit_form_extra_fields = add_form_extra_fields


def view_specs(common: dict) -> list[ViewSpec]:
    return [
        ViewSpec(ProcurementRecordView, "Procurement Records", _l("政府采购记录"), icon="fa-shopping-cart",
                 **common),
        ViewSpec(CatalogueItemView, "Procurement Catalogue", _l("集中采购目录"), icon="fa-list-alt",
                 **common),
    ]
