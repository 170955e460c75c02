"""Schemas and entity types of government procurement (Art. 14): the 集中采购目录 and the records."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, validates
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from core.api import AttachmentKinds, EntityType, Scope, StateField, join_items
from plugins.funds.procurement.models import CATEGORIES, CHANNELS, METHODS, CatalogueItem, ProcurementRecord


def _choice(value, choices, what):
    if value not in choices:
        raise ValidationError(_("未知的%(what)s：%(value)s（可选：%(choices)s）", what=what, value=value,
                                choices=join_items(str(label) for label in choices.values())))


class CatalogueItemSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = CatalogueItem
        include_fk = True
        exclude = ("version",)

    @validates("channel")
    def _channel(self, value, **_kw):
        _choice(value, CHANNELS, _("组织形式"))

    @validates("category")
    def _category(self, value, **_kw):
        _choice(value, CATEGORIES, _("品目类别"))


class ProcurementRecordSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = ProcurementRecord
        include_fk = True
        exclude = ("version",)
        #: given when it is first written; the jurisdiction is the organisation's
        dump_only = ("number", "jurisdiction_id", "voided_at", "voided_by", "void_reason")

    @validates("amount")
    def _amount(self, value, **_kw):
        if value is not None and value <= 0:
            raise ValidationError(_("采购金额必须大于 0 元"))

    @validates("quantity")
    def _quantity(self, value, **_kw):
        if value is not None and value <= 0:
            raise ValidationError(_("数量必须大于 0"))

    @validates("unit_price")
    def _price(self, value, **_kw):
        if value is not None and value < 0:
            raise ValidationError(_("单价不能为负数"))

    @validates("method")
    def _method(self, value, **_kw):
        _choice(value, METHODS, _("采购方式"))

    @validates("category")
    def _category(self, value, **_kw):
        _choice(value, CATEGORIES, _("品目类别"))


def entity_types() -> list[EntityType]:
    return [
        EntityType(
            key="procurement_catalogue_item", label=_l("集中采购目录"), model=CatalogueItem,
            # reference data: kept by a bureau, read by the jurisdictions below it
            scope=Scope(jurisdiction="jurisdiction_id", shared_up=True), schema=CatalogueItemSchema,
            sharing="unconditional", update_cycle=_l("按文件调整"), access="reference",
            description=_l("集中采购目录品目：编码、名称、涵盖范围、组织形式（集中采购机构采购或部门集中采购），"
                           "带生效、失效日期（第十四条）"),
            natural_keys=("code",),
            api_columns=("id", "jurisdiction_id", "code", "name", "category", "covers", "channel",
                         "effective_from", "effective_to", "basis"),
            search_fields=("code", "name", "covers"),
        ),
        EntityType(
            key="procurement_record", label=_l("政府采购记录"), model=ProcurementRecord,
            scope=Scope(organization="organization_id", jurisdiction="jurisdiction_id",
                        derive_jurisdiction=True),
            schema=ProcurementRecordSchema, sharing="conditional", update_cycle=_l("实时"),
            description=_l("单位的采购：品目、采购需求、数量金额、采购方式、是否集中采购、供应商与合同（第十四条）"),
            natural_keys=("number",),
            api_columns=("id", "number", "organization_id", "jurisdiction_id", "purchased_on", "item_name",
                         "catalogue_item_id", "category", "specification", "quantity", "unit",
                         "unit_price", "amount", "method", "central", "supplier", "contract_no", "note",
                         "voided_at", "voided_by", "void_reason"),
            search_fields=("number", "item_name", "supplier", "contract_no"),
            attachments=AttachmentKinds(("contract", _l("合同")), ("acceptance", _l("验收单")),
                                        ("invoice", _l("发票")), ("other", _l("其他")),
                                        types=("pdf", "png", "jpeg", "docx")),
            # the number is given on creation (models.py) and never changes
            state_fields=(StateField("number"),),
            delete_policy="void",
        ),
    ]
