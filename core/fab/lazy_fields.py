"""A model schema's fields made by its first use, not by its class statement.

marshmallow-sqlalchemy's ``SQLAlchemyAutoSchema`` converts every column and relation of its
model into a field as the class is created (``SchemaMeta.__new__`` assigns
``_declared_fields``), which also configures every mapper; with every module's ~100 schemas
imported by ``create_app`` that was ~0.35 s of each start, for schemas most processes (a CLI
command, a worker) never instantiate. Once :func:`install` has run, the class statement keeps
what it was given and the fields are made, exactly as before, by the first read of
``_declared_fields`` (the schema's first instance, a subclass, ``fields.Nested``), under a lock.

What changes: a schema whose ``Meta`` names a column its model lacks fails at its first use,
not as its module is imported (the tests use every entity's schema). A schema without a model
or table (an abstract base) is made as before.
"""

from __future__ import annotations

import threading

from marshmallow_sqlalchemy.schema import SQLAlchemyAutoSchemaMeta, SQLAlchemySchemaMeta

_lock = threading.RLock()
#: the original (``SQLAlchemySchemaMeta``'s, which ``SQLAlchemyAutoSchemaMeta`` inherits)
_make_fields = SQLAlchemySchemaMeta.__dict__["get_declared_fields"].__func__


class _PendingFields:
    """Stands in a schema class's ``__dict__`` for ``_declared_fields`` until first read (by
    the class or an instance), then makes the fields and puts them in its place."""

    __slots__ = ("args", "fields")

    def __init__(self, args: tuple) -> None:
        self.args = args
        self.fields = None

    def __get__(self, instance, owner=None) -> dict:
        if self.fields is None:
            with _lock:
                if self.fields is None:
                    mcs, klass, cls_fields, inherited_fields, dict_cls = self.args
                    fields = _make_fields(mcs, klass, cls_fields, inherited_fields, dict_cls)
                    type.__setattr__(klass, "_declared_fields", fields)
                    self.fields = fields
                    self.args = None
        return self.fields


def _declared_fields_later(mcs, klass, cls_fields, inherited_fields, dict_cls=dict):
    opts = klass.opts
    if opts.model is None and opts.table is None:
        return _make_fields(mcs, klass, cls_fields, inherited_fields, dict_cls)
    return _PendingFields((mcs, klass, cls_fields, inherited_fields, dict_cls))


def install() -> None:
    """Every ``SQLAlchemyAutoSchema`` created from now on makes its fields by its first use."""
    SQLAlchemyAutoSchemaMeta.get_declared_fields = classmethod(_declared_fields_later)


def installed() -> bool:
    return SQLAlchemyAutoSchemaMeta.__dict__.get("get_declared_fields") is not None
