"""marshmallow fields for the portable column types (``core.fab.column_types``): the REST API and
the XLSX import of a type without a schema of its own.

FAB's API writes an enum by its *value* (an integer for ``enum.Enum`` members numbered 1, 2 …)
while the form, the import and the audit trail use its code, and it dumps a ``LargeBinary``
as the text of its bytes. :class:`PortableSchemaConverter` (the base API's converter) writes
enums by code, accepts a duration as seconds or ``1:30``, and never shows a file's bytes:
a ``LargeBinary`` is sent as Base64 and read back as its size and SHA-256.
"""

from __future__ import annotations

import base64
import binascii
import functools

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema
from marshmallow_sqlalchemy import load_instance_mixin as _load_instance_mixin

from core.fab.adapter import FabSchemaConverter
from core.fab.column_types import (
    binary_summary,
    enum_choices,
    enum_code,
    enum_refusal,
    enum_value,
    kind_of,
    parse_duration,
)

# marshmallow-sqlalchemy 1.x asks importlib.metadata for marshmallow's version on every ``load``
# (``_cast_data``, a ``typing.cast`` that returns its argument unchanged): ~1 ms of every row
# of an import. The same no-op, without the package lookup.
if hasattr(_load_instance_mixin, "_cast_data"):
    _load_instance_mixin._cast_data = lambda data: data


class EnumCode(fields.String):
    """An Enum column by code (a member's name, or the string), refused in Chinese with the choices."""

    def __init__(self, column, **kwargs):
        self.column = column
        metadata = {**kwargs.pop("metadata", {}), "enum": list(enum_choices(column))}
        super().__init__(metadata=metadata, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return enum_code(value)

    def _deserialize(self, value, attr, data, **kwargs):
        code = value.name if hasattr(value, "name") and not isinstance(value, str) else value
        if not isinstance(code, str) or code not in enum_choices(self.column):
            raise ValidationError(enum_refusal(self.column, value))
        return enum_value(self.column, code)


class Duration(fields.TimeDelta):
    """An Interval: seconds on the wire; ``1:30`` or ``2天 03:30`` accepted too."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and not value.strip().lstrip("-").replace(".", "", 1).isdigit():
            try:
                return parse_duration(value)
            except ValueError as exc:
                raise ValidationError(str(exc)) from exc
        try:
            return super()._deserialize(value, attr, data, **kwargs)
        except ValidationError as exc:
            raise ValidationError(_("不是有效的时长（秒数，或如 1:30 或 2天 03:30）")) from exc


class FileBytes(fields.Field):
    """A file in a ``LargeBinary``: written as Base64, read back as ``{"size", "sha256"}``."""

    def _serialize(self, value, attr, obj, **kwargs):
        return binary_summary(value)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ValidationError(_("应为 Base64 编码的文件内容"))
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValidationError(_("应为 Base64 编码的文件内容")) from exc


def portable_field(column, **kwargs) -> fields.Field | None:
    """The marshmallow field of a column whose kind needs one of ours, else None."""
    kind = kind_of(column)
    if kind == "enum":
        return EnumCode(column, **kwargs)
    if kind == "duration":
        return Duration(**kwargs)
    if kind == "binary":
        return FileBytes(**kwargs)
    return None


def _required(column) -> bool:
    return not column.nullable and column.default is None and column.server_default is None


#: What each integer type stores on every backend (SQLite stores more; PostgreSQL refuses it).
INTEGER_RANGES = ((sa.SmallInteger, 15), (sa.BigInteger, 63), (sa.Integer, 31))
OUT_OF_RANGE = _l("须为 {min} 到 {max} 之间的整数")


def integer_range(column) -> validate.Range | None:
    """The range an integer column holds on PostgreSQL, so the API refuses more on SQLite too."""
    for kind, bits in INTEGER_RANGES:
        if isinstance(getattr(column, "type", None), kind):
            return validate.Range(min=-(2**bits), max=2**bits - 1, error=OUT_OF_RANGE)
    return None


class PortableSchemaConverter(FabSchemaConverter):
    """FAB's model → schema converter for the REST API, with the fields above."""

    def enum_field(self, datamodel, column):
        field = EnumCode(datamodel.list_columns[column.name],
                         required=not datamodel.is_nullable(column.name))
        field.unique = datamodel.is_unique(column.name)
        return field

    def column_field(self, datamodel, column):
        sqla_column = None if datamodel.is_relation(column.name) else datamodel.list_columns.get(column.name)
        field = portable_field(sqla_column, required=_required(sqla_column)) if sqla_column is not None \
            else None
        if field is not None:
            field.unique = datamodel.is_unique(column.name)
        return field

    def adjust_field(self, datamodel, column, field):
        sqla_column = None if datamodel.is_relation(column.name) else datamodel.list_columns.get(column.name)
        limit = integer_range(sqla_column) if isinstance(field, fields.Integer) else None
        if limit is not None and not field.dump_only:
            field.validators.append(limit)
        return field


@functools.cache  # one class per model: marshmallow registers every schema class it sees
def auto_schema(model) -> type:
    """A loading schema of ``model``'s columns (foreign keys included), for an entity type that
    declares none: the XLSX import loads its rows through it as it would through the module's."""
    declared = {}
    for column in model.__table__.c:
        field = portable_field(column, required=_required(column), allow_none=column.nullable)
        if field is not None:
            declared[column.key] = field
    meta = type("Meta", (), {"model": model, "include_fk": True, "load_instance": False,
                             "exclude": tuple(c for c in ("version",) if c in model.__table__.c)})
    return type(f"{model.__name__}AutoSchema", (SQLAlchemyAutoSchema,), {"Meta": meta, **declared})
