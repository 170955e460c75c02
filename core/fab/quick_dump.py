"""Marshmallow's dump of ORM rows without its per-value indirections.

For each value marshmallow's ``Schema._serialize`` calls ``Field.serialize``, which asks the
schema's ``get_attribute``, which asks ``utils.get_value``, which tries the object as a
mapping before ``getattr``: four calls before the field converts anything, ~20 % of a list
API request (25 rows × 22 fields). The REST API's schemas (``FabSchemaConverter``) serialize
each row with a plan made once per schema: for a plain field (marshmallow's own ``serialize``
and ``get_value``, a simple attribute name) ``getattr`` and the field's ``_serialize``, what
marshmallow's path ends in; any other field, and any row that is a mapping, take marshmallow's
path. A SQLAlchemy ``Row`` (a REST list's plain columns, ``ScopedInterface._row_query``) is read by
attribute like an object. A text, a whole number or a missing value (None) that marshmallow's
``String``, ``Integer`` or ``Inferred`` (``Date``, ``DateTime``, ``Decimal``: None only) would give
back unchanged is taken as it is. Hooks (``pre_dump``/``post_dump``), ``data_key`` and
``dump_default`` are kept. ``tests/core/test_quick_dump.py`` compares both paths on every API of the app.
"""

from __future__ import annotations

from marshmallow import Schema, fields, missing
from marshmallow.fields import Field
from sqlalchemy.engine import Row

_PLAN = "_jiguan_dump_plan"
#: Fields (by exact class) whose ``_serialize`` gives a value of these types back as it is, and
#: None for None: the value is then taken without the call (most of a list's values).
_AS_IS = {fields.String: (str,), fields.Integer: (int,), fields.Inferred: (str, int),
          fields.Date: (), fields.DateTime: (), fields.Decimal: ()}
_AS_IS_FIELD = {str: fields.String, int: fields.Integer}


def _plan(schema) -> list[tuple]:
    """(output key, attribute name, field, attribute to read or None for marshmallow's path,
    the value types taken as they are or None)."""
    plain_schema = type(schema).get_attribute is Schema.get_attribute
    plan = []
    for attr_name, field in schema.dump_fields.items():
        key = field.data_key if field.data_key is not None else attr_name
        read = field.attribute if field.attribute is not None else attr_name
        plain = (plain_schema and field._CHECK_ATTRIBUTE and "." not in read
                 and type(field).serialize is Field.serialize and type(field).get_value is Field.get_value)
        as_is = _AS_IS.get(type(field)) if not getattr(field, "as_string", False) else None
        if type(field) is fields.Inferred:  # the field its schema infers for the value's type
            as_is = tuple(t for t in as_is if schema.TYPE_MAPPING.get(t) is _AS_IS_FIELD[t])
        plan.append((key, attr_name, field, read if plain else None, as_is))
    return plan


def quick_serialize(self, obj, *, many: bool = False):
    """``Schema._serialize`` with the plan above (assigned to the API's schema classes)."""
    if many and obj is not None:
        return [quick_serialize(self, row) for row in obj]
    if obj is None or hasattr(type(obj), "__getitem__") and not isinstance(obj, Row):
        return Schema._serialize(self, obj)
    plan = self.__dict__.get(_PLAN)
    if plan is None:
        plan = self.__dict__[_PLAN] = _plan(self)
    result = self.dict_class()
    for key, attr_name, field, read, as_is in plan:
        if read is None:
            value = field.serialize(attr_name, obj, accessor=self.get_attribute)
        else:
            value = getattr(obj, read, missing)
            if value is missing:
                default = field.dump_default
                value = default() if callable(default) else default
            if value is not missing and not (as_is is not None and (value is None or type(value) in as_is)):
                value = field._serialize(value, attr_name, obj)
        if value is not missing:
            result[key] = value
    return result
