"""Base views every module's screens and APIs build on.

They read through the one scope function (``ScopedInterface``, core/fab/interface.py) and
turn the core's refusals (rules, scope, stale edits) into form errors and 4xx answers, never
a 500 and never a half-written record. They reach FAB's private steps only through the hooks
of core/fab/adapter.py.
"""

from __future__ import annotations

from flask import abort, g, make_response, render_template, request
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow_sqlalchemy import SQLAlchemySchema
from sqlalchemy import Boolean, DateTime
from wtforms import HiddenField, SelectField
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, InputRequired

from core.display import local_time
from core.errors import WriteRefused
from core.fab import keyset
from core.fab.adapter import FabModelView, FabRestApi
from core.fab.column_forms import PortableFormConverter
from core.fab.column_schemas import PortableSchemaConverter
from core.fab.column_types import formatter as type_formatter
from core.fab.column_types import kind_of, model_column
from core.fab.interface import ScopedInterface
from core.fab.records import Record
from core.fab.typeahead import FastListWidget, TypeaheadViewMixin
from core.fab.validation import chinese_message
from core.scoping import current_scope, row_in_write_scope, scope_of_model
from core.search.views import SearchViewMixin
from core.web.list_facts import list_page_facts
from core.workflow.approval_views import lock_lines
from core.workflow.operation_api import OperationApiMixin
from core.workflow.operation_views import OperationViewMixin
from core.xlsx.views import XlsxViewMixin

__all__ = ["ScopedInterface", "ScopedModelRestApi", "ScopedModelView", "choice_field",
           "make_entity_api"]


def choice_field(label, mapping: dict) -> SelectField:
    """A select field for a code column whose labels are lazy gettext strings (shown translated)."""
    return SelectField(label, choices=list(mapping.items()))


def _blank_none(formatter):
    def format_value(value):
        if value is None:
            return ""
        if formatter:
            return formatter(value)
        if isinstance(value, bool):
            return _("是") if value else _("否")
        return value

    return format_value


def _flat(messages) -> list[str]:
    """marshmallow's messages of one field, nested ones (a list's items, a dict's keys) in line."""
    if isinstance(messages, dict):
        return [text for inner in messages.values() for text in _flat(inner)]
    if isinstance(messages, list | tuple):
        return [text for inner in messages for text in _flat(inner)]
    return [str(messages)]


def checked_records(view, rows: list) -> list:
    """``rows``, or their ORM objects when they are the first records of their plan in this
    process and a cell reads differently off them than off the objects (or fails): the plan
    then reads objects for good (core/fab/records.py)."""
    if not rows or not isinstance(rows[0], Record) or type(rows[0])._jiguan_plan.checked:
        return rows
    from markupsafe import escape

    from core.extensions import db

    plan = type(rows[0])._jiguan_plan
    mapper = plan.model.__mapper__
    keys = [mapper.get_property_by_column(c).key for c in mapper.primary_key]
    if len(keys) == 1:  # the page's objects in one query, their shown relations with them
        wanted = [row.__dict__[keys[0]] for row in rows]
        found = {getattr(item, keys[0]): item for item in db.session.query(plan.model).options(
            *view.datamodel.eager_options(view.list_columns)).filter(mapper.primary_key[0].in_(wanted))}
        objects = [found.get(pk) for pk in wanted]
    else:
        objects = [db.session.get(plan.model, tuple(row.__dict__[k] for k in keys)) for row in rows]
    if any(item is None for item in objects):
        return rows  # a row deleted meanwhile: checked at a later page
    plan.checked = True
    formatters = view.formatters_columns

    def cells(items):
        return [[str(escape(formatters[name](value) if name in formatters else value))
                 for name, value in values.items()]
                for values in view.datamodel.get_values(items, view.list_columns)]

    try:
        same = cells(rows) == cells(objects)
    except Exception:  # noqa: BLE001 - a record that cannot stand in for its object
        same = False
    if not same:
        plan.objects = True
        return objects
    return rows


class ScopedModelView(OperationViewMixin, XlsxViewMixin, SearchViewMixin, TypeaheadViewMixin,
                      FabModelView):
    """CRUD screens: scoped, rule-checked, with optimistic locking on edit; state changes by
    operations only (``OperationViewMixin``); filters, quick search and saved filters that find
    Chinese (``SearchViewMixin``, docs/search.md).

    Built for big tables (docs/performance.md): relation fields and relation filters are
    type-ahead boxes (``TypeaheadViewMixin``), the list counts to a cap then estimates.
    """

    #: Access class for the built-in roles (see ``core.web.security.ACCESS_MATRIX``).
    access = "records"
    page_size = 25
    show_template = "core/show.html"
    list_template = "core/list.html"
    list_widget = FastListWidget
    #: The list columns a phone shows (at most 576 px wide; docs/plugins.md): by default the
    #: first two and the first status or state column (core/web/list_rows.py ``mobile_hidden``).
    mobile_columns: list[str] | None = None
    #: Read the page's rows as plain records (core/fab/records.py: checked against the objects
    #: at a list's first page in a process). False: ORM objects, for a list whose cells need them.
    list_records = True

    def render_template(self, template, **kwargs):
        if template == self.list_template and "search" not in kwargs:
            # the saved searches and the bell's count in one statement (core/web/list_facts.py)
            kwargs["search"] = self.search_context(saved_rows=list_page_facts(self))
        return super().render_template(template, **kwargs)

    def after_init_titles(self):
        super().after_init_titles()
        # FAB titles screens from the class name in English; derive them from the list title
        if self.list_title and not isinstance(self.list_title, str):
            base = self.list_title
            cls = type(self)
            self.add_title = cls.add_title or LazyString(lambda: _("新增：%(what)s", what=base))
            self.edit_title = cls.edit_title or LazyString(lambda: _("编辑：%(what)s", what=base))
            self.show_title = cls.show_title or LazyString(lambda: _("查看：%(what)s", what=base))

    def after_init_properties(self):
        super().after_init_properties()
        # an empty value reads as blank, not "None"; an enum as its label, a time as HH:MM,
        # JSON pretty, a file as its size (core.fab.column_types)
        model = self.datamodel.obj
        for column in {*self.list_columns, *self.show_columns}:
            shown = self.formatters_columns.get(column)
            if shown is None and (table_column := model_column(model, column)) is not None:
                shown = type_formatter(table_column)
                if shown is None and isinstance(table_column.type, DateTime):
                    shown = local_time  # stored in UTC, shown in the display zone
            self.formatters_columns[column] = _blank_none(shown)
        # the lock column is the core's business, never a field a user types
        for attr in ("add_columns", "edit_columns", "show_columns", "search_columns"):
            setattr(self, attr, [c for c in (getattr(self, attr) or []) if c != "version"])
        # FAB has no filter for these kinds (or one the database cannot run on bytes)
        self.search_columns = [c for c in self.search_columns
                               if kind_of(model_column(model, c)) in (None, "enum")]

    def before_init_forms(self):
        super().before_init_forms()
        if "version" in self.datamodel.obj.__table__.c:
            self.edit_form_extra_fields = {**self.edit_form_extra_fields, "lock_version": HiddenField()}
            if "lock_version" not in self.edit_columns:
                self.edit_columns = [*self.edit_columns, "lock_version"]
        # every portable column type gets its field (FAB has none for Time, a text box for JSON …);
        # FAB then builds only the search form, and the type-ahead relation fields follow
        converter = PortableFormConverter(self.datamodel)
        for kind, columns, extra, rel_fields in (
                ("add", self.add_columns, self.add_form_extra_fields, self.add_form_query_rel_fields),
                ("edit", self.edit_columns, self.edit_form_extra_fields, self.edit_form_query_rel_fields)):
            if not getattr(self, f"{kind}_form"):
                setattr(self, f"{kind}_form", converter.create_form(
                    self.label_columns, columns, self.description_columns, self.validators_columns,
                    extra, rel_fields))

    def after_init_forms(self):
        super().after_init_forms()  # with the type-ahead relation fields
        # FAB marks non-null booleans required, so an unticked box ("False") fails validation
        table = self.datamodel.obj.__table__
        for form in (self.add_form, self.edit_form):
            for unbound in vars(form).values():  # an optional relation's empty choice reads "__None"
                if isinstance(unbound, UnboundField) and unbound.kwargs.get("allow_blank"):
                    unbound.kwargs["blank_text"] = _l("（不填）")
            for column in table.c:
                unbound = getattr(form, column.key, None)
                if isinstance(column.type, Boolean) and unbound is not None:
                    unbound.kwargs["validators"] = [
                        v for v in unbound.kwargs.get("validators", [])
                        if not isinstance(v, DataRequired | InputRequired)
                    ]

    def list_query(self, filters, order_column, order_direction, page, page_size):
        """The shown relations are loaded with the page (one query, not 25); the count is capped;
        an indexed sort pages by the cursor in ``cursor_<view>`` (docs/performance.md, "Deep pages")."""
        filters = self.add_quick_search(filters)
        name = type(self).__name__
        token = request.args.get(f"cursor_{name}")
        g.jiguan_page_records = self.list_records  # the rows as records (core/fab/records.py)
        try:
            cursor = keyset.decode(token) if token else None
            count, rows = self.datamodel.query(filters, order_column, order_direction, page=page,
                                               page_size=page_size, eager_columns=self.list_columns,
                                               cursor=cursor)
        except keyset.CursorError as exc:
            abort(make_response(render_template(
                "core/error.html", appbuilder=self.appbuilder, base_template=self.appbuilder.base_template,
                code=400, title=_("请求有误"), message=exc.message), 400))
        finally:
            g.jiguan_page_records = False
        rows = checked_records(self, rows)
        if count.paging is not None:  # the pager's links: cursors, no page number
            arg, page_arg = f"cursor_{name}", f"page_{name}"
            count.paging.urls = {which: keyset.link(arg, getattr(count.paging, which), page_arg)
                                 for which in ("prev", "next", "last") if getattr(count.paging, which)}
            if count.paging.prev:
                count.paging.urls["first"] = keyset.link(arg, None, page_arg)
        return count, rows

    def may_add(self) -> bool:
        """Whether this user may add a row here at all, beyond the permission (only a bureau keeps
        a 公物仓): the add button is offered only then. Override it."""
        return True

    def read_only_rows(self, rows) -> set:
        """The pks of ``rows`` the user reads but may not write: rows shared down from another
        level (``Scope(shared_up=True)``, ``public``). Other scopes read what they write."""
        spec, scope = scope_of_model(self.datamodel.obj), current_scope()
        if spec is None or not (spec.shared_up or spec.public) or scope.kind == "all":
            return set()
        columns = [c for c in (spec.organization, spec.jurisdiction) if c]
        writable: dict[tuple, bool] = {}
        read_only = set()
        for row in rows:  # one check per distinct owner, not per row
            owner = tuple(getattr(row, c) for c in columns)
            if owner not in writable:
                values = dict(zip(columns, owner, strict=True))
                writable[owner] = row_in_write_scope(self.datamodel.session, spec, values, scope)
            if not writable[owner]:
                read_only.add(row.id)
        return read_only

    def show_context(self, item, pk) -> dict:
        if self.read_only_rows([item]):  # another level's shared row: its lines are not ours either
            lock_lines(self)
        return super().show_context(item, pk)

    def list_widget_args(self, rows) -> dict:
        """No add, edit or delete buttons a user could not use (docs/architecture.md, "Buttons")."""
        return {**super().list_widget_args(rows), "may_add": self.may_add(),
                "read_only_pks": self.read_only_rows(rows), "mobile_columns": self.mobile_columns}


class ScopedModelRestApi(OperationApiMixin, FabRestApi):
    """REST API: scoped; refusals answer 403/409/422 with the Chinese message; state fields
    change only through ``POST /<pk>/<operation>`` (``OperationApiMixin``)."""

    access = "records"
    allow_browser_login = True
    page_size = 25
    max_page_size = 100
    #: enums by code, durations, files never shown as bytes (``core.fab.column_schemas``)
    model2schemaconverter = PortableSchemaConverter
    #: ``EntityType.schema``: its field validators also check what the API is sent
    entity_schema = None
    #: The entity's screen labels, naming the fields of a refusal (FAB's own are English guesses)
    field_labels = None
    #: the model's ``__jiguan_read_only__`` (docs/plugins.md): POST, PUT and DELETE answer 403
    #: with that message, before reading the body
    read_only = None

    def after_init_model_schemas(self) -> None:
        super().after_init_model_schemas()
        # FAB's generated schemas refuse null for nullable foreign keys, so a PUT of a
        # record whose optional link is empty fails: accept null wherever the column does.
        columns = self.datamodel.obj.__table__.c
        for schema in (self.add_model_schema, self.edit_model_schema):
            for name, field in schema.fields.items():
                if name in columns and columns[name].nullable:
                    field.allow_none = True

    def get_list_headless(self, **kwargs):
        """FAB's list, paged by the ``cursor`` argument where the sort is indexed (docs/api.md)."""
        token = request.args.get("cursor")
        try:
            cursor = keyset.decode(token) if token else None
        except keyset.CursorError as exc:
            return self.response_400(message=exc.message)
        g.jiguan_seek = (self.datamodel, cursor)
        g.jiguan_plain_rows = True  # plain columns are read as rows (ScopedInterface._row_query)
        try:
            return super().get_list_headless(**kwargs)
        except keyset.CursorError as exc:  # a key that does not fit the sort column
            return self.response_400(message=exc.message)
        finally:
            g.pop("jiguan_seek", None)
            g.pop("jiguan_plain_rows", None)

    def pre_get_list(self, data: dict) -> None:
        # a client must know when "count" is the planner's estimate, not an exact figure
        count = data.get("count")
        data["count_estimated"] = bool(getattr(count, "approximate", False)
                                       or getattr(count, "capped", False))
        paging = getattr(count, "paging", None)
        data["next_cursor"] = paging.next if paging else None
        data["prev_cursor"] = paging.prev if paging else None
        data["last_cursor"] = paging.last if paging else None

    def _refused(self, exc: WriteRefused):
        return self.response(exc.status, message=exc.message)

    def response_422(self, message=None):
        """FAB's schema refusals ({field: [English messages]}) as one Chinese message naming each
        field, with the per-field messages in ``errors``; other 422s as they are."""
        if not isinstance(message, dict):
            return super().response_422(message=message)
        errors = {name: [chinese_message(m) for m in _flat(texts)] for name, texts in message.items()}
        labels = self.field_labels or {}  # the screen's labels; a field it lacks by its name
        text = "；".join(reason if name == "_schema" else f"{labels.get(name, name)}：{reason}"
                        for name, reasons in errors.items() for reason in ["；".join(reasons)])
        return self.response(422, message=text, errors=errors)

    def _guarded(self, handler, *args):
        try:
            return handler(*args)
        except WriteRefused as exc:
            self.datamodel.session.rollback()
            return self._refused(exc)
        except ValueError as exc:  # a model validator (@validates) refused a value
            self.datamodel.session.rollback()
            return self.response_422(message=str(exc))

    def _schema_refusal(self, body):
        """The entity's own schema (``EntityType.schema``) on the fields sent: its validators
        (allowed codes, positive quantities …) hold on the API as on the import; 422 naming each."""
        if self.entity_schema is None or not isinstance(body, dict):
            return None
        schema = self.entity_schema()
        sent = [name for name in body if name in schema.fields and not schema.fields[name].dump_only]
        if not sent:
            return None
        options = dict(only=sent, partial=True)
        if issubclass(self.entity_schema, SQLAlchemySchema):  # its relation fields look rows up
            options["session"] = self.datamodel.session
        errors = self.entity_schema(**options).validate({k: body[k] for k in sent})
        if not errors:
            return None
        labels = self.label_columns or {}
        reasons = {name: "；".join(chinese_message(m) for m in (msgs if isinstance(msgs, list) else [msgs]))
                   for name, msgs in errors.items()}
        message = "；".join(f"{labels.get(name, name)}：{reason}" for name, reason in reasons.items())
        return self.response_422(message=message)

    def _read_only_refusal(self):
        return self.response(403, message=str(self.read_only)) if self.read_only else None

    def post_headless(self):
        if self.read_only:
            return self._read_only_refusal()
        body = request.get_json(silent=True)
        refused = self.state_field_refusal(body) or self._schema_refusal(body)
        return refused or self._guarded(super().post_headless)

    def put_headless(self, pk):
        if self.read_only:
            return self._read_only_refusal()
        body = request.get_json(silent=True)
        item = self.datamodel.get(pk, self._base_filters)
        refused = (self.state_field_refusal(body, item) if item is not None else None) \
            or self._schema_refusal(body)
        # the version is checked by the UPDATE itself (core/fab/adapter.py, put_headless)
        return refused or self._guarded(super().put_headless, pk)

    def delete_headless(self, pk):
        return self._read_only_refusal() or self.delete_refusal(pk) \
            or self._guarded(super().delete_headless, pk)


def make_entity_api(entity, labels: dict | None = None) -> type:
    """The REST API class for one catalog entity type: ``/api/v1/<key>/``.

    ``labels`` are the entity's screen labels: the API's ``label_columns`` reuse
    them, and every column gets a description, since FAB otherwise translates ""
    into the catalogue's header.
    """
    columns = list(entity.api_columns) if entity.api_columns else None
    labels = dict(labels or {})
    described = columns or [c.key for c in entity.model.__table__.c]
    attrs = {
        "label_columns": labels,
        "description_columns": {c: labels.get(c, c) for c in described},
        "resource_name": entity.key,
        "datamodel": ScopedInterface(entity.model),
        "access": entity.access,
        "openapi_spec_tag": str(entity.label),
        "entity_schema": entity.schema,
        "field_labels": dict(labels),  # FAB fills label_columns in place with English guesses
        "read_only": getattr(entity.model, "__jiguan_read_only__", None),
        "__module__": __name__,
    }
    # state fields change only through operations; the void columns only through 作废
    from core.workflow.operations import VOID_COLUMNS, field_names

    guarded = field_names(entity)
    attrs.update(add_exclude_columns=list(VOID_COLUMNS), edit_exclude_columns=list(guarded))
    if columns:
        attrs.update(list_columns=columns, show_columns=columns)
        writable = [c for c in columns if c not in ("id", "version")]
        attrs.update(add_columns=[c for c in writable if c not in VOID_COLUMNS],
                     edit_columns=[c for c in writable if c not in guarded])
    name = "".join(part.capitalize() for part in entity.key.split("_")) + "Api"
    from core.workflow.approval import ApprovalMixin  # imports this module: import late

    bases = (ScopedModelRestApi,)
    if issubclass(entity.model, ApprovalMixin):
        from core.workflow.approval_api import ApprovalApiMixin

        bases = (ApprovalApiMixin, ScopedModelRestApi)
        # the state moves only through the workflow routes
        for key in ("add_columns", "edit_columns"):
            if key in attrs:
                attrs[key] = [c for c in attrs[key] if c not in ("state", "submitted_at", "decided_at")]
    return type(name, bases, attrs)
