"""A list page's rows as plain records instead of ORM objects (issue 15 item 2).

A list page read ~26 ORM objects of ~23 attributes with their shown relations (identity map,
instance state, loading per attribute): a fifth of its CPU. The page needs only what its cells
read: the model's columns, the to-one relations it shows and the properties and methods its
columns name. A :class:`RecordPlan` selects the model's columns and, outer-joined, the columns
of each shown to-one relation, and builds a record per row: an instance of a plain class made
once per plan and model, holding the values in its ``__dict__`` and carrying the model's own
properties, methods and constants (``status_label``, ``__str__`` …), so a cell reads what it
read off the object.

What a record does not hold (a relation the page does not show, an attribute of a base class
of SQLAlchemy or FAB) is read off the real object, loaded then (``__getattr__``), and so is a
property or method that fails on a record (one that asks SQLAlchemy for the object's session):
the plan then reads objects from the next page on. A record never answers differently from the
object, at worst slower once. A plan is checked at its first page in a process: every cell of every row
read off records and off objects, compared; a difference or an error switches the plan to
objects for good (``RecordPlan.objects``).
"""

from __future__ import annotations

import functools
from types import FunctionType

from sqlalchemy.orm import aliased

#: The members of a model class a record does not copy: the mapping's own and the class machinery.
_NOT_COPIED = frozenset({
    "__dict__", "__weakref__", "__module__", "__qualname__", "__doc__", "__init__", "__new__",
    "__table__", "__tablename__", "__mapper__", "__mapper_args__", "__table_args__", "__abstract__",
    "__annotations__", "__init_subclass__", "__class_getitem__", "__getattr__", "__getattribute__",
    "__setattr__", "__delattr__", "__eq__", "__ne__", "__hash__", "__getstate__", "__setstate__",
    "__reduce__", "__reduce_ex__", "__sizeof__", "__slots__", "metadata", "registry", "query",
    "query_class",
})
_PLAIN = (str, int, float, bool, tuple, frozenset, dict, list, type(None))
_COPIED = (property, functools.cached_property, FunctionType, staticmethod, classmethod)


class Record:
    """A row of a list page: a model's column values, its shown relations as records."""

    _jiguan_model = None  # the model class (set on each generated class)
    _jiguan_plan = None

    def __getattr__(self, name):  # only for what the record does not hold
        if name.startswith("__") or name.startswith("_jiguan"):
            raise AttributeError(name)
        return getattr(self._jiguan_object(), name)

    def _jiguan_object(self):
        """The ORM object this record stands for, loaded once; its list reads objects from then on."""
        real = self.__dict__.get("_jiguan_real")
        if real is None:
            from core.extensions import db

            type(self)._jiguan_plan.objects = True
            mapper = self._jiguan_model.__mapper__
            identity = tuple(self.__dict__[mapper.get_property_by_column(c).key] for c in mapper.primary_key)
            real = self.__dict__["_jiguan_real"] = db.session.get(self._jiguan_model, identity)
        return real

    def __repr__(self) -> str:  # replaced by the model's own when it has one
        return f"<{type(self).__name__}>"


def _guarded(name: str, value):
    """The model's property or method, read off the object when it fails on a record."""
    if isinstance(value, property) and value.fget is not None:
        fget = value.fget

        def get(self):
            try:
                return fget(self)
            except Exception:  # noqa: BLE001 - e.g. object_session(record): the object answers
                return getattr(self._jiguan_object(), name)

        return property(get)
    if isinstance(value, FunctionType):
        def call(self, *args, **kwargs):
            try:
                return value(self, *args, **kwargs)
            except Exception:  # noqa: BLE001 - as above
                return getattr(type(self)._jiguan_model, name)(self._jiguan_object(), *args, **kwargs)

        return functools.wraps(value)(call)
    return value


def _members(model) -> dict:
    """What a record of ``model`` carries of its class: properties, methods, plain constants."""
    mapped = set(model.__mapper__.attrs.keys())
    members: dict = {}
    for klass in reversed(model.__mro__):
        module = klass.__module__ or ""
        if klass is object or module.startswith(("sqlalchemy", "flask_appbuilder")):
            continue
        for name, value in vars(klass).items():
            if name in mapped or name in _NOT_COPIED or name.startswith("_sa_"):
                continue
            if isinstance(value, _COPIED) or (isinstance(value, _PLAIN) and not name.startswith("__")):
                members[name] = _guarded(name, value)
    return members


def _record_class(model, plan):
    return type(f"{model.__name__}Record", (Record,),
                {**_members(model), "_jiguan_model": model, "_jiguan_plan": plan})


class RecordPlan:
    """How one list (its model and shown columns) reads its rows as records."""

    def __init__(self, model, relations: list[str]):
        self.model = model
        self.objects = False  # True: this list reads ORM objects (a check failed, a fallback)
        self.checked = False
        mapper = model.__mapper__
        self._keys = [prop.key for prop in mapper.column_attrs]
        self._record = _record_class(model, self)
        self._related = []  # (relation name, alias, its column keys, its record class, its pk keys)
        for name in relations:
            target = mapper.relationships[name].mapper
            keys = [prop.key for prop in target.column_attrs]
            pks = [target.get_property_by_column(c).key for c in target.primary_key]
            record = _record_class(target.class_, self)
            self._related.append((name, aliased(target.class_), keys, record, pks))

    @classmethod
    def for_columns(cls, interface, columns) -> RecordPlan | None:
        """A plan for a list of ``columns`` of ``interface``'s model, or None (objects): every
        column is the model's own, a to-one relation or a dotted name through one, or a member
        of its class."""
        model, relations = interface.obj, []
        mapper = model.__mapper__
        for column in columns:
            root = column.split(".", 1)[0]
            relation = mapper.relationships.get(root)
            if relation is not None:
                if relation.uselist or relation.secondary is not None:
                    return None
                if "." in column and column.count(".") > 1:
                    return None  # an attribute of a relation's relation: objects
                if root not in relations:
                    relations.append(root)
            elif "." in column or not hasattr(model, root):
                return None
        return cls(model, relations)

    def query(self, query):
        """``query`` (the list's, filtered, ordered and limited) selecting the record's columns."""
        entities = [getattr(self.model, key) for key in self._keys]
        # the list's query is limited already: a to-one outer join adds columns, never rows
        query = query.enable_assertions(False)
        for name, alias, keys, _record, _pks in self._related:
            query = query.outerjoin(getattr(self.model, name).of_type(alias))
            entities += [getattr(alias, key) for key in keys]
        return query.with_entities(*entities)

    def records(self, rows) -> list:
        """A record per row (a related row shared by the rows that show it)."""
        own, record, out = self._keys, self._record, []
        width = len(own)
        shared: dict = {}
        for row in rows:
            item = record()
            values = item.__dict__
            values.update(zip(own, row[:width], strict=True))
            start = width
            for name, _alias, keys, related_class, pks in self._related:
                part = row[start:start + len(keys)]
                start += len(keys)
                related = dict(zip(keys, part, strict=True))
                identity = (name, *(related[k] for k in pks))
                if related[pks[0]] is None:
                    values[name] = None
                    continue
                found = shared.get(identity)
                if found is None:
                    found = shared[identity] = related_class()
                    found.__dict__.update(related)
                values[name] = found
            out.append(item)
        return out
