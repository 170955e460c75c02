"""Base views every module's screens and APIs build on.

They read through the one scope function (``ScopedInterface``) and turn the
core's refusals (rules, scope, stale edits) into form errors and 4xx answers,
never a 500 and never a half-written record.
"""

from __future__ import annotations

import jsonschema
from flask import abort, flash, request
from flask_appbuilder import ModelRestApi, ModelView
from flask_appbuilder import api as fab_api
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.urltools import (
    get_filter_args,
    get_order_args,
    get_page_args,
    get_page_size_args,
)
from flask_babel import LazyString, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow_sqlalchemy import SQLAlchemySchema
from sqlalchemy import Boolean, func, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError
from wtforms import HiddenField, SelectField
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, InputRequired

from catalog.xlsx_views import XlsxViewMixin
from core.column_forms import PortableFormConverter
from core.column_schemas import PortableSchemaConverter
from core.column_types import formatter as type_formatter
from core.column_types import kind_of, model_column
from core.counting import ListCount, planner_estimate
from core.errors import EditConflict, WriteRefused
from core.operation_api import OperationApiMixin
from core.operation_views import OperationViewMixin, hide_voided
from core.scoping import scope_of_model, scoped
from core.typeahead import FastListWidget, TypeaheadViewMixin
from core.validation import chinese_message


class _CheckedSchemaJsonschema:
    """``jsonschema`` for FAB's API module, with each schema checked once, not on every call.

    FAB validates every list call's (even empty) ``q`` argument with ``jsonschema.validate``,
    which first re-checks the schema itself against the meta-schema: ~14 ms per API request,
    most of its time. Same answers, same ``ValidationError``; the validator is built once.
    """

    def __init__(self):
        self._validators: dict[int, tuple] = {}

    def validate(self, instance, schema, *args, **kwargs):
        if args or kwargs:
            return jsonschema.validate(instance, schema, *args, **kwargs)
        cached = self._validators.get(id(schema))
        if cached is None or cached[0] is not schema:
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            cached = (schema, cls(schema))
            self._validators[id(schema)] = cached
        error = jsonschema.exceptions.best_match(cached[1].iter_errors(instance))
        if error is not None:
            raise error
        return None

    def __getattr__(self, name):
        return getattr(jsonschema, name)


fab_api.jsonschema = _CheckedSchemaJsonschema()


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


def conflict_message() -> str:
    return _("该记录已被他人修改，您的修改未保存。请刷新后在最新内容上重新编辑。")


class ScopedInterface(SQLAInterface):
    """FAB's SQLAlchemy interface with the row scope on every read and write.

    Lists stay fast on big tables (docs/performance.md): the count is exact only up to
    ``count_cap`` rows (then the planner's estimate on PostgreSQL, "more than" elsewhere),
    relations shown in a list are loaded with the page (no N+1), and the default order is
    the primary key, newest first, which its index serves.
    """

    #: Set on the interfaces FAB builds for relation fields: they offer what a record may point to.
    for_reference = False
    #: Count exactly up to this many rows; beyond it the count is estimated.
    count_cap = 1000
    #: A planner estimate at least this large is shown as is, without counting even to the cap.
    estimate_trusted = 50_000

    def _apply_inner_all(self, query, *args, **kwargs):
        query = scoped(query, self.obj, for_reference=self.for_reference)
        return super()._apply_inner_all(query, *args, **kwargs)

    def query_count(self, query, filters=None, select_columns=None) -> ListCount:
        """The exact count up to ``count_cap``; beyond it PostgreSQL's estimate, else "more than"."""
        # only the keys: the filters join what they need themselves
        inner = self._apply_inner_all(query, filters, aliases_mapping={}).with_entities(self.get_pk())
        estimate = planner_estimate(self.session, inner)
        if estimate is not None and estimate >= self.estimate_trusted:
            return ListCount(estimate, approximate=True)  # far beyond the cap: no count at all
        # counting a million rows costs more than the page itself: stop at the cap
        capped = inner.limit(self.count_cap + 1).subquery()
        counted = self.session.execute(select(func.count()).select_from(capped)).scalar_one()
        if counted <= self.count_cap:
            return ListCount(counted)
        if estimate is None:
            return ListCount(self.count_cap + 1, capped=True)
        return ListCount(max(estimate, self.count_cap + 1), approximate=True)

    def eager_options(self, columns, dotted_joined: bool = False) -> list:
        """Load options for the relations ``columns`` show, so a page costs a constant number of queries."""
        options, seen = [], set()
        for column in columns or []:
            root = column.split(".", 1)[0]
            if root in seen or not self.is_relation(root) or (dotted_joined and "." in column):
                continue  # FAB joins dotted columns itself when it selects columns
            seen.add(root)
            attr = getattr(self.obj, root)
            if self.is_relation_many_to_one(root) or self.is_relation_one_to_one(root):
                options.append(joinedload(attr))
            else:
                options.append(selectinload(attr))
        return options

    def sortable(self, name: str | None) -> str:
        """``name`` if the database can order by it, else "" (the default order).

        FAB offers a list's label properties as sort columns and takes any name from the URL;
        a ``<code>_label`` property sorts by its code column, anything else not a column (or a
        column of a related model, ``organization.name``) is ignored instead of failing.
        """
        if not name:
            return ""
        columns = self.obj.__mapper__.columns
        if "." in name:
            root, _dot, leaf = name.partition(".")
            rel = self.obj.__mapper__.relationships.get(root)
            return name if rel is not None and leaf in rel.mapper.columns else ""
        if name in columns:
            return name
        if name.endswith("_label") and name.removesuffix("_label") in columns:
            return name.removesuffix("_label")
        return ""

    def query(self, filters=None, order_column="", order_direction="", page=None, page_size=None,
              select_columns=None, outer_default_load=False, eager_columns=None):
        """FAB's list query with the capped count, eager relations and a default order."""
        base = hide_voided(self.session.query(self.obj), self.obj)  # lists leave voided rows out
        order_column = self.sortable(order_column)
        if not order_column and isinstance(self.get_pk_name(), str):
            order_column, order_direction = self.get_pk_name(), "desc"
        query = self.apply_all(base, filters, order_column, order_direction, page, page_size,
                               select_columns, outer_default_load)
        shown = eager_columns if eager_columns is not None else select_columns
        options = self.eager_options(shown, dotted_joined=eager_columns is None)
        if options:
            query = query.options(*options)
        rows = query.all()
        if rows and hasattr(rows[0], self.obj.__name__):
            rows = [getattr(row, self.obj.__name__) for row in rows]
        if page_size and len(rows) < page_size and (rows or not page):
            count = ListCount((page or 0) * page_size + len(rows))  # the last page: the count is known
        else:
            count = self.query_count(base, filters, select_columns)
        return count, rows

    def get_related_interface(self, col_name: str):
        """The rows a relation field may choose: for a scope column those the writer may write
        (its own organisation), for any other link those it may reference (``core.scoping``)."""
        related = super().get_related_interface(col_name)
        spec = scope_of_model(self.obj)
        rel = self.obj.__mapper__.relationships.get(col_name)
        local = {c.key for c in rel.local_columns} if rel is not None else set()
        own = {spec.organization, spec.jurisdiction} if spec is not None else set()
        related.for_reference = True if local & own else "reference"
        return related

    def _write(self, operation, item) -> None:
        session = self.session
        try:
            operation(item)
            session.commit()
        except WriteRefused:
            session.rollback()
            raise
        except StaleDataError as exc:
            session.rollback()
            raise EditConflict(conflict_message()) from exc
        except IntegrityError as exc:
            session.rollback()
            raise WriteRefused(_("保存失败：与已有记录冲突或缺少必填关联（%(detail)s）",
                                 detail=str(exc.orig).splitlines()[0][:200])) from exc
        except SQLAlchemyError as exc:
            session.rollback()
            raise WriteRefused(_("保存失败：数据库拒绝了此次修改")) from exc

    def add(self, item, commit: bool = True) -> None:
        self._write(self.session.add, item)

    def edit(self, item, commit: bool = True) -> None:
        self._write(self.session.merge, item)

    def delete(self, item, commit: bool = True) -> None:
        self._write(self.session.delete, item)

    def delete_all(self, items) -> None:
        self._write(lambda rows: [self.session.delete(r) for r in rows], items)


class ScopedModelView(OperationViewMixin, XlsxViewMixin, TypeaheadViewMixin, ModelView):
    """CRUD screens: scoped, rule-checked, with optimistic locking on edit; state changes by
    operations only (``OperationViewMixin``).

    Built for big tables (docs/performance.md): relation fields and relation filters are
    type-ahead boxes (``TypeaheadViewMixin``), the list counts to a cap then estimates.
    """

    #: Access class for the built-in roles (see ``core.security.ACCESS_MATRIX``).
    access = "records"
    page_size = 25
    show_template = "core/show.html"
    list_template = "core/list.html"
    list_widget = FastListWidget

    def _init_titles(self):
        super()._init_titles()
        # FAB titles screens from the class name in English; derive them from the list title
        if self.list_title and not isinstance(self.list_title, str):
            base = self.list_title
            cls = type(self)
            self.add_title = cls.add_title or LazyString(lambda: _("新增：%(what)s", what=base))
            self.edit_title = cls.edit_title or LazyString(lambda: _("编辑：%(what)s", what=base))
            self.show_title = cls.show_title or LazyString(lambda: _("查看：%(what)s", what=base))

    def _init_properties(self):
        super()._init_properties()
        # an empty value reads as blank, not "None"; an enum as its label, a time as HH:MM,
        # JSON pretty, a file as its size (core.column_types)
        model = self.datamodel.obj
        for column in {*self.list_columns, *self.show_columns}:
            shown = self.formatters_columns.get(column)
            if shown is None and (table_column := model_column(model, column)) is not None:
                shown = type_formatter(table_column)
            self.formatters_columns[column] = _blank_none(shown)
        # the lock column is the core's business, never a field a user types
        for attr in ("add_columns", "edit_columns", "show_columns", "search_columns"):
            setattr(self, attr, [c for c in (getattr(self, attr) or []) if c != "version"])
        # FAB has no filter for these kinds (or one the database cannot run on bytes)
        self.search_columns = [c for c in self.search_columns
                               if kind_of(model_column(model, c)) in (None, "enum")]

    def _init_forms(self):
        if "version" in self.datamodel.obj.__table__.c:
            self.edit_form_extra_fields = {**self.edit_form_extra_fields, "lock_version": HiddenField()}
            if "lock_version" not in self.edit_columns:
                self.edit_columns = [*self.edit_columns, "lock_version"]
        # every portable column type gets its field (FAB has none for Time, a text box for JSON …)
        converter = PortableFormConverter(self.datamodel)
        for kind, columns, extra, rel_fields in (
                ("add", self.add_columns, self.add_form_extra_fields, self.add_form_query_rel_fields),
                ("edit", self.edit_columns, self.edit_form_extra_fields, self.edit_form_query_rel_fields)):
            if not getattr(self, f"{kind}_form"):
                setattr(self, f"{kind}_form", converter.create_form(
                    self.label_columns, columns, self.description_columns, self.validators_columns,
                    extra, rel_fields))
        super()._init_forms()  # the search form, and the type-ahead relation fields
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

    def _get_list_widget(self, filters, actions=None, order_column="", order_direction="", page=None,
                         page_size=None, widgets=None, **kwargs):
        """FAB's list widget, with the shown relations loaded with the page (one query, not 25)."""
        widgets = widgets or {}
        actions = actions or self.actions
        page_size = page_size or self.page_size
        if not order_column and self.base_order:
            order_column, order_direction = self.base_order
        joined_filters = filters.get_joined_filters(self._base_filters)
        count, lst = self.datamodel.query(joined_filters, order_column, order_direction, page=page,
                                          page_size=page_size, eager_columns=self.list_columns)
        pks = [self._serialize_pk_if_composite(pk) for pk in self.datamodel.get_keys(lst)]
        widgets["list"] = self.list_widget(
            label_columns=self.label_columns,
            include_columns=self.list_columns,
            value_columns=self.datamodel.get_values(lst, self.list_columns),
            order_columns=self.order_columns,
            formatters_columns=self.formatters_columns,
            page=page,
            page_size=page_size,
            count=count,
            pks=pks,
            actions=actions,
            filters=filters,
            modelview_name=self.__class__.__name__,
            **kwargs,
        )
        return widgets

    def _save(self, form, item, save) -> str | None:
        """Populate, run the hook and save; return an error message instead of raising."""
        try:
            form.populate_obj(item)
            save(item)
        except (WriteRefused, ValueError) as exc:
            self.datamodel.session.rollback()
            return str(exc)
        return None

    def _add(self):
        is_valid_form = True
        get_filter_args(self._filters, disallow_if_not_in_search=False)
        exclude_cols = self._filters.get_relation_cols()
        form = self.add_form.refresh()
        if request.method == "POST":
            self._fill_form_exclude_cols(exclude_cols, form)
            if form.validate():
                self.process_form(form, True)
                item = self.datamodel.obj()

                def save(obj):
                    self.pre_add(obj)
                    self.datamodel.add(obj)

                error = self._save(form, item, save)
                if error is None:
                    self.post_add(item)
                    flash(self.add_row_message, "success")
                    return None
                flash(error, "danger")
            is_valid_form = False
        if is_valid_form:
            self.update_redirect()
        return self._get_add_widget(form=form, exclude_cols=exclude_cols)

    def _edit(self, pk):
        is_valid_form = True
        pages, page_sizes, orders = get_page_args(), get_page_size_args(), get_order_args()
        get_filter_args(self._filters, disallow_if_not_in_search=False)
        exclude_cols = self._filters.get_relation_cols()
        item = self.datamodel.get(pk, self._base_filters)
        if not item:
            abort(404)
        pk = self.datamodel.get_pk_value(item)
        if request.method == "POST":
            form = self.edit_form.refresh(request.form)
            self._fill_form_exclude_cols(exclude_cols, form)
            form._id = pk
            if form.validate():
                self.process_form(form, False)
                submitted = form.lock_version.data if "lock_version" in form else None
                if submitted and str(item.version) != str(submitted):
                    error = conflict_message()
                else:

                    def save(obj):
                        self.pre_update(obj)
                        self.datamodel.edit(obj)

                    error = self._save(form, item, save)
                if error is None:
                    self.post_update(item)
                    flash(self.edit_row_message, "success")
                    return None
                flash(error, "danger")
            is_valid_form = False
        else:
            form = self.edit_form.refresh(obj=item)
            self.prefill_form(form, pk)
        widgets = self._get_edit_widget(form=form, exclude_cols=exclude_cols)
        widgets = self._get_related_views_widgets(
            item, filters={}, orders=orders, pages=pages, page_sizes=page_sizes, widgets=widgets
        )
        if is_valid_form:
            self.update_redirect()
        return widgets

    def _delete(self, pk):
        item = self.datamodel.get(pk, self._base_filters)
        if not item:
            abort(404)
        try:
            self.pre_delete(item)
            self.datamodel.delete(item)
        except (WriteRefused, ValueError) as exc:
            self.datamodel.session.rollback()
            flash(str(exc), "danger")
        else:
            self.post_delete(item)
            flash(self.delete_row_message, "success")
        self.update_redirect()


class ScopedModelRestApi(OperationApiMixin, ModelRestApi):
    """REST API: scoped; refusals answer 403/409/422 with the Chinese message; state fields
    change only through ``POST /<pk>/<operation>`` (``OperationApiMixin``)."""

    access = "records"
    allow_browser_login = True
    page_size = 25
    max_page_size = 100
    #: enums by code, durations, files never shown as bytes (``core.column_schemas``)
    model2schemaconverter = PortableSchemaConverter
    #: ``EntityType.schema``: its field validators also check what the API is sent
    entity_schema = None
    #: The entity's screen labels, naming the fields of a refusal (FAB's own are English guesses)
    field_labels = None

    def _init_model_schemas(self) -> None:
        super()._init_model_schemas()
        # FAB's generated schemas refuse null for nullable foreign keys, so a PUT of a
        # record whose optional link is empty fails: accept null wherever the column does.
        columns = self.datamodel.obj.__table__.c
        for schema in (self.add_model_schema, self.edit_model_schema):
            for name, field in schema.fields.items():
                if name in columns and columns[name].nullable:
                    field.allow_none = True

    def _per_locale(self, kind: str, cols, build) -> dict:
        # FAB translates every label and description on every call (~3 ms a request): once per
        # language is enough, translations do not change while the app runs
        key = (kind, str(get_locale()), tuple(cols or ()))
        cache = self.__dict__.setdefault("_jiguan_json_cache", {})
        if key not in cache:
            cache[key] = build(cols)
        return dict(cache[key])

    def _label_columns_json(self, cols=None) -> dict:
        return self._per_locale("labels", cols, super()._label_columns_json)

    def _description_columns_json(self, cols=None) -> dict:
        return self._per_locale("descriptions", cols, super()._description_columns_json)

    def pre_get_list(self, data: dict) -> None:
        # a client must know when "count" is the planner's estimate, not an exact figure
        count = data.get("count")
        data["count_estimated"] = bool(getattr(count, "approximate", False)
                                       or getattr(count, "capped", False))

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

    def post_headless(self):
        body = request.get_json(silent=True)
        refused = self.state_field_refusal(body) or self._schema_refusal(body)
        return refused or self._guarded(super().post_headless)

    def put_headless(self, pk):
        body = request.get_json(silent=True)
        item = self.datamodel.get(pk, self._base_filters)
        refused = (self.state_field_refusal(body, item) if item is not None else None) \
            or self._schema_refusal(body)
        if refused:
            return refused
        expected = body.pop("version", None) if isinstance(body, dict) else None
        if expected is not None:
            item = self.datamodel.get(pk, self._base_filters)
            if item is not None and str(item.version) != str(expected):
                return self.response(409, message=conflict_message())
        return self._guarded(super().put_headless, pk)

    def delete_headless(self, pk):
        return self.delete_refusal(pk) or self._guarded(super().delete_headless, pk)


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
        "__module__": __name__,
    }
    # state fields change only through operations; the void columns only through 作废
    from core.operations import VOID_COLUMNS, field_names

    guarded = field_names(entity)
    attrs.update(add_exclude_columns=list(VOID_COLUMNS), edit_exclude_columns=list(guarded))
    if columns:
        attrs.update(list_columns=columns, show_columns=columns)
        writable = [c for c in columns if c not in ("id", "version")]
        attrs.update(add_columns=[c for c in writable if c not in VOID_COLUMNS],
                     edit_columns=[c for c in writable if c not in guarded])
    name = "".join(part.capitalize() for part in entity.key.split("_")) + "Api"
    from core.workflow import ApprovalMixin  # imports this module: import late

    bases = (ScopedModelRestApi,)
    if issubclass(entity.model, ApprovalMixin):
        from core.workflow_api import ApprovalApiMixin

        bases = (ApprovalApiMixin, ScopedModelRestApi)
        # the state moves only through the workflow routes
        for key in ("add_columns", "edit_columns"):
            if key in attrs:
                attrs[key] = [c for c in attrs[key] if c not in ("state", "submitted_at", "decided_at")]
    return type(name, bases, attrs)
