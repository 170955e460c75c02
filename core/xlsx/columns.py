"""XLSX import and export of every entity type: which columns, with which headers and values.

One registration (``EntityType``) and, when there is one, the type's list screen
(``ScopedModelView``) give everything: the screen's labels are the Chinese headers,
its ``choice_field``s the allowed values of code columns, its show columns what an
export holds and its add columns what an import fills. A relation is written and
read as a natural key of the related row (an organisation by name or USCC). No
module writes code for it; ``EntityType.natural_keys`` / ``import_columns`` /
``choices`` adjust it. See docs/xlsx.md.
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import Boolean, Date, DateTime, Float, Integer, Numeric, String, Text, inspect

from core.display import join_items, local_naive
from core.fab.column_types import (
    binary_text,
    duration_text,
    enum_choices,
    enum_code,
    json_text,
    kind_of,
)
from core.state import get_state

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Never written nor read: the row id and the optimistic-lock column belong to the core.
HIDDEN = {"id", "version", "lock_version"}


class XlsxError(Exception):
    """A file the import cannot read at all (not xlsx, wrong headers, empty, too big)."""

    def __init__(self, message):
        self.message = str(message)
        super().__init__(self.message)


@dataclass(frozen=True)
class Relation:
    """A many-to-one link written as a natural key of the related row."""

    model: type
    keys: tuple[str, ...]
    key_labels: tuple[str, ...]


@dataclass
class XlsxColumn:
    """One spreadsheet column of an entity type."""

    #: The attribute an export reads (a column, a property) or the foreign key of a relation.
    name: str
    header: str
    #: text | integer | number | date | datetime | time | duration | json | binary (export only)
    #: | bool | choice (an Enum too) | relation | computed
    kind: str = "text"
    choices: dict = field(default_factory=dict)
    relation: Relation | None = None
    required: bool = False
    max_length: int | None = None
    #: Other headers that mean this column (a ``*_label`` property showing the same code).
    aliases: set = field(default_factory=set)
    #: Import only: why values other than ``choices`` are refused (a state field's initial values).
    refusal: str = ""

    def hint(self) -> str:
        """What to type in this column, in words (template comments and the 说明 sheet)."""
        from flask_babel import gettext as _

        if self.kind == "choice":
            return _("从下拉列表中选择：%(values)s", values=join_items(str(v) for v in self.choices.values()))
        if self.kind == "relation":
            return _("填写%(column)s的%(keys)s", column=self.header,
                     keys=_("或").join(self.relation.key_labels))
        texts = {
            "integer": _("整数"), "number": _("数字（不带单位）"), "bool": _("填“是”或“否”"),
            "date": _("日期，如 2026-03-01"), "datetime": _("日期时间，如 2026-03-01 09:30"),
            "time": _("时间，如 09:30"), "duration": _("时长，如 1:30 或 2天 03:30"),
            "json": _("JSON 文本，如 %(example)s", example='{"楼层": [1, 2]}'),
        }
        if self.kind in texts:
            return texts[self.kind]
        if self.max_length:
            return _("文字，不超过 %(n)s 个字", n=self.max_length)
        return _("文字")


def _kind_of(column) -> str:
    portable = kind_of(column)  # an Enum is a choice column (its codes and labels)
    if portable in ("time", "duration", "json", "binary"):
        return portable
    kind = column.type
    if isinstance(kind, Boolean):
        return "bool"
    if isinstance(kind, DateTime):
        return "datetime"
    if isinstance(kind, Date):
        return "date"
    if isinstance(kind, Integer):
        return "integer"
    if isinstance(kind, Numeric | Float):
        return "number"
    return "text"


def entity_view(entity):
    """The list screen (a ``ScopedModelView``) of an entity type, or None if it has none."""
    from core.fab.adapter import FabModelView

    cache = current_app.extensions.setdefault("jiguan_xlsx_views", {})
    if entity.key not in cache:
        endpoint = get_state().entity_endpoints.get(entity.key, "").rsplit(".", 1)[0]
        found = [v for v in current_app.appbuilder.baseviews
                 if isinstance(v, FabModelView) and v.datamodel.obj is entity.model]
        found.sort(key=lambda v: v.endpoint != endpoint)  # the record pages' screen first
        cache[entity.key] = found[0] if found else None
    return cache[entity.key]


def permission_for(entity, permission: str) -> tuple[str, str]:
    """(permission, FAB view name) that allows ``can_export`` / ``can_add`` on ``entity``'s data.

    The type's list screen decides, as for its buttons; a type without one is
    governed by its REST API (``can_get`` to export, ``can_post`` to import).
    """
    view = entity_view(entity)
    if view is not None:
        return permission, view.class_permission_name
    api = "".join(part.capitalize() for part in entity.key.split("_")) + "Api"
    return ("can_get" if permission == "can_export" else "can_post"), api


def natural_keys(model) -> tuple[str, ...]:
    """The columns another type's row names a ``model`` row by, most readable first."""
    entity = get_state().entities.for_model(model)
    declared = (entity.natural_keys if entity else None) or getattr(model, "__natural_keys__", None)
    if declared:
        return tuple(declared)
    table = model.__table__
    unique = {c.key for c in table.c if c.unique}
    for constraint in table.constraints:
        columns = list(getattr(constraint, "columns", []))
        if type(constraint).__name__ == "UniqueConstraint" and len(columns) == 1:
            unique.add(columns[0].key)
    # a unique code round-trips safely (a classification's names repeat: 其他…); then the name
    texts = sorted(c.key for c in table.c if isinstance(c.type, String | Text) and c.key in unique)
    keys = texts + (["name"] if "name" in table.c and "name" not in texts else [])
    return tuple(keys) or ("id",)


def _key_label(model, key: str) -> str:
    entity = get_state().entities.for_model(model)
    label = get_state().entity_labels.get(entity.key, {}).get(key) if entity else None
    if label is None:
        from flask_babel import gettext as _

        label = {"name": _("名称"), "code": _("代码"), "id": _("编号")}.get(key, key)
    return str(label)


def _choices(entity, view) -> dict[str, dict]:
    # an Enum column's own codes and labels, unless the type or its screen names them
    found = {c.key: enum_choices(c) for c in entity.model.__table__.c if kind_of(c) == "enum"}
    found.update({name: dict(mapping) for name, mapping in (entity.choices or {}).items()})
    for extra in (getattr(view, "edit_form_extra_fields", None) or {},
                  getattr(view, "add_form_extra_fields", None) or {}):
        for name, unbound in extra.items():
            choices = getattr(unbound, "kwargs", {}).get("choices")
            if choices and not callable(choices):  # every code any form knows (an add form may offer fewer)
                found[name] = {**found.get(name, {}), **{code: label for code, label in choices}}
    return found


class Columns:
    """The export and import columns of one entity type, built from its registration and screen."""

    def __init__(self, entity):
        self.entity = entity
        self.model = entity.model
        self.view = entity_view(entity)
        self.mapper = inspect(self.model)
        self.labels = {**get_state().entity_labels.get(entity.key, {}),
                       **(getattr(self.view, "label_columns", None) or {})}
        self.choices = _choices(entity, self.view)
        self.relations = {rel.key: rel for rel in self.mapper.relationships
                          if rel.direction.name == "MANYTOONE" and len(rel.local_columns) == 1}
        self.export = self._build(self._export_names(), exporting=True)
        self.importable = self._build(self._import_names(), exporting=False)
        # a label property showing the same code as an importable column is that column on export
        by_header = {c.header: c for c in self.importable}
        for column in self.export:
            same = by_header.get(column.header)
            if column.kind == "computed" and same is not None and same.kind == "choice":
                same.aliases.add(column.name)
                # export the code through the same labels (all of them): no property call per row
                column.name, column.kind = same.name, "choice"
                column.choices = self.choices.get(same.name, same.choices)

    def _label(self, name: str) -> str:
        label = self.labels.get(name)
        if label is None and name.endswith("_id"):
            label = self.labels.get(name[:-3])
        return str(label) if label is not None else name

    def _export_names(self) -> list[str]:
        names = list(getattr(self.view, "show_columns", None) or [])
        return names or [c.key for c in self.model.__table__.c]

    def _import_names(self) -> list[str]:
        if self.entity.import_columns:
            names = list(self.entity.import_columns)
        else:
            names = list(getattr(self.view, "add_columns", None) or [])
        if not names:
            names = [c.key for c in self.model.__table__.c]
        loadable = self._schema_fields()
        result = []
        from core.workflow.operations import VOID_COLUMNS

        for name in names:
            column = self._fk_of(name)
            if column in HIDDEN or column in VOID_COLUMNS or column not in self.model.__table__.c:
                continue  # voiding is an operation, never an imported value
            if kind_of(self.model.__table__.c[column]) == "binary":
                continue  # a file is uploaded on the form or the API, never typed in a cell
            if loadable is not None and column not in loadable:
                continue
            result.append(name)
        return result

    def _schema_fields(self):
        if self.entity.schema is None:
            return None
        schema = self.entity.schema()
        return {name for name, f in schema.fields.items() if not f.dump_only}

    def _fk_of(self, name: str) -> str:
        rel = self.relations.get(name)
        return next(iter(rel.local_columns)).key if rel is not None else name

    def _build(self, names, exporting: bool) -> list[XlsxColumn]:
        table = self.model.__table__
        rel_by_fk = {next(iter(r.local_columns)).key: r for r in self.relations.values()}
        schema_fields = self.entity.schema().fields if self.entity.schema else {}
        columns, seen = [], set()
        for name in names:
            if name in HIDDEN:
                continue
            rel = self.relations.get(name) or rel_by_fk.get(name)
            key = next(iter(rel.local_columns)).key if rel is not None else name
            if key in seen:
                continue
            seen.add(key)
            header = self._label(rel.key if rel is not None else name)
            if rel is not None:
                target = rel.mapper.class_
                keys = natural_keys(target)
                relation = Relation(target, keys, tuple(_key_label(target, k) for k in keys))
                columns.append(XlsxColumn(key, header, "relation", relation=relation))
            elif name in table.c:
                column = table.c[name]
                kind = "choice" if name in self.choices else _kind_of(column)
                columns.append(XlsxColumn(name, header, kind, choices=self.choices.get(name, {}),
                                          max_length=getattr(column.type, "length", None)))
            elif exporting:
                columns.append(XlsxColumn(name, header, "computed"))
            else:
                continue
            if not exporting:
                columns[-1].required = _required(table.c[key], schema_fields.get(key))
                self._initial_only(columns[-1])
        return columns

    def _initial_only(self, column: XlsxColumn) -> None:
        """A state field imports only the values a create may choose (docs/architecture.md)."""
        from flask_babel import gettext as _

        state_field = next((sf for sf in self.entity.state_fields if sf.name == column.name), None)
        if state_field is None or state_field.initial is None or column.kind != "choice":
            return
        column.choices = {code: label for code, label in column.choices.items()
                          if code in state_field.initial}
        column.refusal = _("新增时只能选择这些值，其他状态须通过操作或审批改变")


def _required(column, schema_field) -> bool:
    if schema_field is not None and schema_field.required:
        return True
    return not column.nullable and column.default is None and column.server_default is None


def columns_for(entity) -> Columns:
    """The columns of ``entity``, computed once per app and language (they depend on code only)."""
    from flask_babel import get_locale

    cache = current_app.extensions.setdefault("jiguan_xlsx_columns", {})
    key = (entity.key, str(get_locale()))
    if key not in cache:
        cache[key] = Columns(entity)
    return cache[key]


def cell_value(column: XlsxColumn, value):
    """A Python value as it goes into a cell: dates as dates, numbers as numbers, codes as labels."""
    if value is None:
        return None
    if column.kind == "choice":
        code = enum_code(value)
        return str(column.choices.get(code, code))
    if column.kind == "json":
        return json_text(value, pretty=False)
    if column.kind == "binary":
        return binary_text(value)
    if isinstance(value, dt.timedelta):
        return duration_text(value)
    if isinstance(value, dt.time):
        return value
    if isinstance(value, bool):
        from flask_babel import gettext as _

        return _("是") if value else _("否")
    if isinstance(value, dt.datetime):  # the wall time the screens show
        return local_naive(value)
    if isinstance(value, dt.date | int | float | decimal.Decimal):
        return value
    return str(value)


def sheet_title(entity) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\."""
    title = str(entity.label)
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title[:31] or entity.key
