"""Marshmallow schemas of the catalog entities (used by import/export and the CLI)."""

from __future__ import annotations

from flask_babel import gettext as _
from marshmallow import ValidationError, validates
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from catalog.expenditures import EconomicClass, Expenditure
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
