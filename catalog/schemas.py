"""Marshmallow schemas of the catalog entities (used by import/export and the CLI)."""

from __future__ import annotations

from flask_babel import gettext as _
from marshmallow import ValidationError, validates, validates_schema
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from catalog.expenditures import EconomicClass, Expenditure
from catalog.holidays import Holiday
from catalog.models import (
    ORG_TYPES,
    ORGAN_LEVELS,
    RANKS,
    Establishment,
    Jurisdiction,
    Organization,
    Person,
    Standard,
)
from catalog.suppliers import SUPPLIER_KINDS, DesignatedSupplier
from catalog.vehicle_categories import ESTABLISHMENT_BODIES, VehicleCategory
from core.display import join_items
from core.uscc import uscc_error


class JurisdictionSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = Jurisdiction
        include_fk = True
        exclude = ("path", "version")


class OrganizationSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = Organization
        include_fk = True
        exclude = ("version",)

    @validates("uscc")
    def _uscc(self, value, **_kw):
        error = uscc_error(value)
        if error:
            raise ValidationError(error)

    @validates("org_type")
    def _org_type(self, value, **_kw):
        if value not in ORG_TYPES:
            raise ValidationError(_("未知的单位类型：%(value)s", value=value))

    @validates("organ_level")
    def _organ_level(self, value, **_kw):
        if value is not None and value not in ORGAN_LEVELS:
            raise ValidationError(_("未知的机构级别：%(value)s", value=value))


class PersonSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = Person
        include_fk = True
        exclude = ("version",)

    @validates("rank")
    def _rank(self, value, **_kw):
        if value not in RANKS:
            raise ValidationError(_("未知的职级：%(value)s", value=value))


class EstablishmentSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = Establishment
        include_fk = True
        exclude = ("version",)


class StandardSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = Standard
        include_fk = True
        exclude = ("version",)


class EconomicClassSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = EconomicClass
        include_fk = True

    @validates("code")
    def _code(self, value, **_kw):
        # 类 3 digits, 款 5 (财政部《政府收支分类科目》): a typo would start its own branch
        if not (value or "").isdigit() or len(value) not in (3, 5):
            raise ValidationError(_("科目代码应为 3 位（类）或 5 位（款）数字：%(value)s", value=value))

    @validates("level")
    def _level(self, value, **_kw):
        if value not in (1, 2):
            raise ValidationError(_("级次应为 1（类）或 2（款）：%(value)s", value=value))


class ExpenditureSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = Expenditure
        include_fk = True
        exclude = ("version",)


def _period(data, start: str, end: str, message: str) -> None:
    """``end`` not before ``start`` when both are sent (a PUT of one of them is checked by the
    catalog's period rules against the stored other)."""
    first, last = data.get(start), data.get(end)
    if first and last and last < first:
        raise ValidationError(message, end)


class HolidaySchema(SQLAlchemyAutoSchema):
    """节假日安排 (Art. 29): a named period of whole days."""

    class Meta:
        model = Holiday
        include_fk = True
        exclude = ("version",)

    @validates("name")
    def _name(self, value, **_kw):
        if not (value or "").strip():
            raise ValidationError(_("节日名称不能为空"))

    @validates_schema
    def _days(self, data, **_kw):
        _period(data, "starts_on", "ends_on", _("放假结束日期不能早于开始日期"))


class DesignatedSupplierSchema(SQLAlchemyAutoSchema):
    """定点供应商 (Art. 29): a kind of the list, a valid USCC when given, an ordered period."""

    class Meta:
        model = DesignatedSupplier
        include_fk = True
        exclude = ("version",)

    @validates("kind")
    def _kind(self, value, **_kw):
        if value not in SUPPLIER_KINDS:
            raise ValidationError(_("未知的定点类别：%(value)s（可选：%(choices)s）", value=value,
                                    choices=join_items(str(label) for label in SUPPLIER_KINDS.values())))

    @validates("name")
    def _name(self, value, **_kw):
        if not (value or "").strip():
            raise ValidationError(_("供应商名称不能为空"))

    @validates("uscc")
    def _uscc(self, value, **_kw):
        error = uscc_error(value) if value else None
        if error:
            raise ValidationError(error)

    @validates_schema
    def _days(self, data, **_kw):
        _period(data, "effective_from", "effective_to", _("定点截止日期不能早于起始日期"))


class VehicleCategorySchema(SQLAlchemyAutoSchema):
    """公务用车类别 (Art. 27): who sets the establishment, over a period."""

    class Meta:
        model = VehicleCategory
        include_fk = True

    @validates("code")
    def _code(self, value, **_kw):
        if not (value or "").strip() or not value.replace("_", "").isalnum() or not value.isascii():
            raise ValidationError(_("类别代码应为英文字母、数字或下划线：%(value)s", value=value))

    @validates("establishment_body")
    def _body(self, value, **_kw):
        if value not in ESTABLISHMENT_BODIES:
            raise ValidationError(_("未知的编制核定部门：%(value)s（可选：%(choices)s）", value=value,
                                    choices=join_items(ESTABLISHMENT_BODIES.values())))

    @validates_schema
    def _days(self, data, **_kw):
        _period(data, "effective_from", "effective_to", _("失效日期不能早于生效日期"))
