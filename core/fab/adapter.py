"""Every override of a Flask-AppBuilder private method (or module attribute), in one place.

jiguan's screens and APIs need a few things FAB offers no public hook for: the row scope on
every query, a list page that loads its relations with it and counts to a cap, add and edit
that turn the core's refusals into form errors, extra context on the record page. Those
overrides live here, each turned into a public hook the rest of the code implements
(``scope_query``, ``before_init_forms`` …); nothing else in jiguan defines a method named
like one of FAB's private ones (a test says so). ``FAB_PRIVATE`` records a digest of each
overridden FAB original as this adapter was written against it: when an upgraded FAB
changes one, ``tests/core/test_fab_adapter.py`` fails and names it, before a screen does.
"""

from __future__ import annotations

import copy
import enum
import hashlib
import inspect
import sys
import weakref
from functools import reduce
from types import FunctionType

from flask import abort, current_app, flash, g, has_request_context, redirect, request, session, url_for
from flask_appbuilder import BaseView, ModelRestApi, ModelView
from flask_appbuilder import api as fab_api
from flask_appbuilder import hooks as fab_hooks
from flask_appbuilder.api.convert import Model2SchemaConverter
from flask_appbuilder.exceptions import DatabaseException
from flask_appbuilder.filters import TemplateFilters
from flask_appbuilder.forms import GeneralModelConverter
from flask_appbuilder.models.base import BaseInterface
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.manager import BaseSecurityManager
from flask_appbuilder.urltools import get_filter_args, get_order_args, get_page_args, get_page_size_args
from flask_appbuilder.widgets import SearchWidget
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Load

from core.errors import EditConflict, WriteRefused
from core.extensions import db
from core.fab.lazy_schemas import SCHEMAS, DeferredSchemasMixin
from core.fab.locking import claim_version


class _CheckedSchemaJsonschema:
    """``jsonschema`` for FAB's API module, with each schema checked once, not on every call.

    FAB validates every list call's (even empty) ``q`` argument with ``jsonschema.validate``,
    which first re-checks the schema itself against the meta-schema: ~14 ms per API request,
    most of its time. Same answers, same ``ValidationError``; the validator is built once.
    """

    def __init__(self):
        self._validators: dict[int, tuple] = {}

    def validate(self, instance, schema, *args, **kwargs):
        import jsonschema  # by the first request's ``q``, not by the start (docs/performance.md)

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
        import jsonschema

        return getattr(jsonschema, name)


def patch_api_jsonschema() -> None:
    """FAB's API module validates with our once-checked ``jsonschema`` (its module attribute)."""
    if not isinstance(fab_api.jsonschema, _CheckedSchemaJsonschema):
        fab_api.jsonschema = _CheckedSchemaJsonschema()


#: FAB's ``@safe`` answer when the database refused a value the client sent (not a fault).
DATABASE_REFUSED = _l("输入的数据格式或取值范围不正确，未做任何修改")
CONSTRAINT_REFUSED = _l("与已有记录重复，或缺少必填内容，未做任何修改")


def database_input_error(error: BaseException | None) -> bool:
    """Whether ``error`` is the database refusing a value (out of range, wrong type, NUL)."""
    if isinstance(error, sa_exc.DataError | OverflowError):
        return True
    if isinstance(error, sa_exc.ProgrammingError | sa_exc.InterfaceError):
        # the driver cannot bind what the client sent (a dict or list for an id): sqlite3's
        # "type 'dict' is not supported", psycopg2's "can't adapt type 'dict'"
        text = str(error.orig)
        return "not supported" in text or "can't adapt" in text
    # psycopg2 refuses a NUL byte before sending (ValueError), wrapped by SQLAlchemy
    return isinstance(error, sa_exc.StatementError) and isinstance(error.orig, ValueError | OverflowError)


def _response_500(self, message=None):
    # FAB's @safe turns every exception into 500 "Fatal error"; it calls this inside its
    # ``except``, so the exception is at hand: a value the database refused is the client's 400
    error = sys.exc_info()[1]
    if database_input_error(error):
        db.session.rollback()
        return self.response_400(message=str(DATABASE_REFUSED))
    if isinstance(error, sa_exc.IntegrityError):  # a duplicate name, a missing required value
        db.session.rollback()
        return self.response_422(message=str(CONSTRAINT_REFUSED))
    return _FAB_RESPONSE_500(self, message=message)


_FAB_RESPONSE_500 = fab_api.BaseApi.response_500


def patch_api_errors() -> None:
    """Every FAB API (ours and FAB's own) answers 400 (422 for a constraint), not 500, when the
    database refuses a value."""
    if fab_api.BaseApi.response_500 is not _response_500:
        fab_api.BaseApi.response_500 = _response_500


def _find_views_by_name(view_name: str):
    """FAB's ``TemplateFilters.find_views_by_name`` through an index of the app's views by class
    name: FAB's loop compared the name of each of the ~190 views (every read through a deferred
    view's watch) for each button a list page asks about, four to six times a page. The first view
    of that name, as the loop finds; the index is made again when views were added since."""
    builder = current_app.appbuilder
    views = builder.baseviews
    index = builder.__dict__.get("_jiguan_views_by_name")
    if index is None or index[0] != len(views):
        names: dict = {}
        for view in views:
            names.setdefault(view.__class__.__name__, view)
        index = builder._jiguan_views_by_name = (len(views), names)
    return index[1].get(view_name)


_FAB_FIND_VIEWS_BY_NAME = TemplateFilters.__dict__["find_views_by_name"].__func__


def patch_view_lookup() -> None:
    """The list and show templates' permission filters find a view by its name in one look-up."""
    if TemplateFilters.find_views_by_name is not _find_views_by_name:
        TemplateFilters.find_views_by_name = staticmethod(_find_views_by_name)


# --- a view's routes and before-request hooks, as it is added -------------------------------------

#: FAB's originals (``_register_urls`` of views and of APIs, ``hooks.get_before_request_hooks``)
_FAB_ROUTE_SCAN = {"BaseView._register_urls": BaseView.__dict__["_register_urls"],
                   "BaseApi._register_urls": fab_api.BaseApi.__dict__["_register_urls"],
                   "hooks.get_before_request_hooks": fab_hooks.get_before_request_hooks}
_marked_in: weakref.WeakKeyDictionary[type, dict[str, tuple[str, ...]]] = weakref.WeakKeyDictionary()


def _may_carry(value, marker: str) -> bool:
    # a function's bound method reads its attributes; another descriptor may return anything
    if isinstance(value, FunctionType):
        return marker in value.__dict__
    return hasattr(value, marker) or hasattr(type(value), "__get__")


def marked_names(view, marker: str) -> list[str]:
    """The names of ``dir(view)`` whose attribute may carry ``marker`` (``_urls``, a route;
    ``_before_request_hook``), in ``dir``'s order: FAB read every attribute of each view (~700)
    to find them, twice as it added it; the names are the class statements' (FAB's decorators),
    looked for once per class of the MRO. The caller reads each and checks, as FAB does."""
    if type(view).__dir__ is not object.__dir__:
        return dir(view)
    names = {name for name, value in vars(view).items() if hasattr(value, marker)}
    for klass in type(view).__mro__:
        found = _marked_in.setdefault(klass, {})
        if marker not in found:
            found[marker] = tuple(n for n, v in vars(klass).items() if _may_carry(v, marker))
        names.update(found[marker])
    return sorted(names)


def _before_request_hooks(view) -> list:
    """FAB's ``get_before_request_hooks``, over :func:`marked_names`."""
    hooks = []
    for name in marked_names(view, "_before_request_hook"):
        attr = getattr(view, name)
        if hasattr(attr, "_before_request_hook") and attr._before_request_hook is True:
            hooks.append(attr)
    return hooks


def _register_urls(self) -> None:
    """FAB's ``_register_urls`` (a view's and an API's differ only in a debug message), over
    :func:`marked_names`, without its debug messages (one per route)."""
    hooks = _before_request_hooks(self)
    for attr_name in marked_names(self, "_urls"):
        if self.include_route_methods is not None and attr_name not in self.include_route_methods:
            continue
        if attr_name in self.exclude_route_methods:
            continue
        attr = getattr(self, attr_name)
        if hasattr(attr, "_urls"):
            for url, methods in attr._urls:
                handler = fab_hooks.wrap_route_handler_with_hooks(attr_name, attr, hooks)
                self.blueprint.add_url_rule(url, attr_name, handler, methods=methods)


def patch_route_scan() -> None:
    """Every view and API (ours and FAB's own) finds its routes and hooks without reading all
    its attributes."""
    for cls in (BaseView, fab_api.BaseApi):
        if cls.__dict__["_register_urls"] is not _register_urls:
            cls._register_urls = _register_urls


# --- the data interface ---------------------------------------------------------------------------


_MISSING = object()


class FabInterface(SQLAInterface):
    """``SQLAInterface`` whose every query passes :meth:`scope_query` first."""

    @staticmethod
    def _get_attr_value(item, col):
        # FAB's reads a cell up to three times (``hasattr``, then ``getattr`` twice), so a
        # ``*_label`` property was computed three times a cell of every list and show page: one
        # read here, FAB's answers (a method is called, an Enum shows its value, a dotted or
        # missing attribute is read through the related objects or shown blank)
        value = getattr(item, col, _MISSING)
        if value is _MISSING:
            try:
                return reduce(getattr, col.split("."), item)
            except Exception:  # noqa: BLE001 - FAB's: a value that cannot be read shows blank
                return ""
        if hasattr(value, "__call__"):  # noqa: B004 - FAB's test, kept
            return value()
        return value.value if isinstance(value, enum.Enum) else value

    def scope_query(self, query):
        """Limit ``query`` before FAB adds filters, order and paging (the row scope)."""
        return query

    def _apply_inner_all(self, query, *args, **kwargs):
        return super()._apply_inner_all(self.scope_query(query), *args, **kwargs)

    def apply_inner_select_joins(self, query, select_columns=None, aliases_mapping=None):
        # FAB adds one ``load_only`` option per plain column, each a copy of the query (~20 a
        # list): the same columns in one option; dotted columns (joins) are FAB's as before
        if not select_columns:
            return query
        load_plain, dotted = self._plain_and_dotted(tuple(select_columns))
        if load_plain is not None:
            query = query.options(load_plain)
        return super().apply_inner_select_joins(query, dotted, aliases_mapping) if dotted else query

    def _plain_and_dotted(self, select_columns: tuple) -> tuple:
        """The option loading the plain columns (made once: options are immutable), the dotted."""
        made = self.__dict__.setdefault("_jiguan_select_split", {})
        if select_columns not in made:
            plain = [getattr(self.obj, c) for c in select_columns if "." not in c
                     and not self.is_relation(c) and not self.is_property_or_function(c)]
            made[select_columns] = (Load(self.obj).load_only(*plain) if plain else None,
                                    [c for c in select_columns if "." in c])
        return made[select_columns]


# --- permissions ----------------------------------------------------------------------------------


class KeptBuiltinAnswers:
    """A security manager (mix in before FAB's) that answers each built-in role question once.

    FAB matches every pattern of a role's table with ``re.match`` on every call (~200 a page:
    the menu asks for each entry). The tables are fixed once the app is built, so each answer is
    kept for the process; a table changed in place (its rows' count) starts afresh.
    """

    def _has_access_builtin_roles(self, role, permission_name: str, view_name: str) -> bool:
        rows = self.builtin_roles.get(role.name, ())
        key = (role.name, len(rows), permission_name, view_name)
        answers = self.__dict__.setdefault("_jiguan_builtin_answers", {})
        answer = answers.get(key)
        if answer is None:
            answer = answers[key] = super()._has_access_builtin_roles(role, permission_name, view_name)
        return answer


# --- request state --------------------------------------------------------------------------------


class PerRequestFilters:
    """FAB keeps the filters of the request being served on the view (``self._filters``: cleared,
    then filled from the URL or the ``q`` argument), and one view object serves every thread:
    a list could run with another request's filters. The view keeps FAB's as a template; each
    request works on its own copy (kept in ``flask.g``, which lives as long as the request)."""

    @property
    def _filters(self):
        template = self.__dict__.get("_jiguan_filters")
        if template is None or not has_request_context():
            return template
        mine = g.setdefault("jiguan_filters", {})
        if id(self) not in mine:
            mine[id(self)] = copy.copy(template)
            mine[id(self)].clear_filters()  # new lists: the template's stay empty
        return mine[id(self)]

    @_filters.setter
    def _filters(self, value) -> None:
        self.__dict__["_jiguan_filters"] = value


# --- the CRUD screens -----------------------------------------------------------------------------


class FabViewHooks(PerRequestFilters):
    """Public hooks in place of the private steps of any FAB ``ModelView`` (mix in before it).

    Override the hooks (calling ``super()``): ``after_init_titles``, ``before_init_properties``
    and ``after_init_properties``, ``before_init_forms`` and ``after_init_forms``,
    ``show_context(item, pk)`` (more template variables for the record page). FAB's own
    screens (the user screen) take it too; :class:`FabModelView` adds the rest.
    """

    # hooks --------------------------------------------------------------------------------------

    def after_init_titles(self) -> None:
        """Set titles FAB did not (it titles screens from the class name, in English)."""

    def before_init_properties(self) -> None:
        """Add labels and formatters before FAB completes them from the column names."""

    def after_init_properties(self) -> None:
        """Adjust the columns FAB settled (which are shown, added, edited, searched)."""

    def before_init_forms(self) -> None:
        """Add extra form fields and columns before FAB builds the forms."""

    def after_init_forms(self) -> None:
        """Adjust the built (unbound) form classes: ``self.add_form``, ``self.edit_form``."""

    def show_context(self, item, pk) -> dict:
        """More variables for the record page's template."""
        return {}

    def update_redirect(self):
        # FAB writes its back-link history into the session on every page, even when this page
        # is already its last entry: the session then counts as changed and is written to the
        # store at the end of every list request. Only a new page changes it.
        history = session.get("page_history") or []
        if history and history[-1] == request.url:
            return
        super().update_redirect()

    # FAB's private steps ------------------------------------------------------------------------

    def _init_titles(self):
        super()._init_titles()
        self.after_init_titles()

    def _init_properties(self):
        self.before_init_properties()
        super()._init_properties()
        self.after_init_properties()

    def _init_forms(self):
        self.before_init_forms()
        super()._init_forms()
        self.after_init_forms()

    def _get_show_widget(self, pk, item, *args, **kwargs):
        g.jiguan_show = (item, pk)
        return super()._get_show_widget(pk, item, *args, **kwargs)

    def render_template(self, template, **kwargs):
        shown = g.pop("jiguan_show", None) if template == self.show_template else None
        if shown is not None:
            kwargs = {**self.show_context(*shown), **kwargs}
        return super().render_template(template, **kwargs)


class FabModelView(FabViewHooks, ModelView):
    """``ModelView`` with public hooks in place of FAB's private steps: those of
    :class:`FabViewHooks`, and ``list_query`` (the rows and count of a list page),
    ``list_widget_args(rows)`` (more arguments for its widget: the buttons offered),
    ``edit_refusal(item)`` (why a record may not be edited now), ``save_error(exc)`` (which
    exceptions a save turns into a form error).
    """

    def list_query(self, filters, order_column, order_direction, page, page_size):
        """``(count, rows)`` of one list page; FAB's own query by default."""
        return self.datamodel.query(filters, order_column, order_direction, page=page,
                                    page_size=page_size)

    def edit_refusal(self, item) -> str | None:
        """Why ``item`` may not be edited now (the edit page then redirects to the record)."""
        return None

    def list_widget_args(self, rows) -> dict:
        """More arguments for the list widget of a page of ``rows`` (which buttons to offer)."""
        return {}

    def save_error(self, exc: Exception) -> str | None:
        """The form error for an exception a save raised, or None to let it propagate."""
        if isinstance(exc, WriteRefused | ValueError):
            return str(exc)
        return None

    def _get_list_widget(self, filters, actions=None, order_column="", order_direction="", page=None,
                         page_size=None, widgets=None, **kwargs):
        widgets = widgets or {}
        actions = actions or self.actions
        page_size = page_size or self.page_size
        if not order_column and self.base_order:
            order_column, order_direction = self.base_order
        joined_filters = filters.get_joined_filters(self._base_filters)
        count, lst = self.list_query(joined_filters, order_column, order_direction, page, page_size)
        pks = [self._serialize_pk_if_composite(pk) for pk in self.datamodel.get_keys(lst)]
        widgets["list"] = self.list_widget(
            label_columns=self.label_columns, include_columns=self.list_columns,
            value_columns=self.datamodel.get_values(lst, self.list_columns),
            order_columns=self.order_columns, formatters_columns=self.formatters_columns,
            page=page, page_size=page_size, count=count, pks=pks, actions=actions,
            filters=filters, modelview_name=self.__class__.__name__,
            **{**self.list_widget_args(lst), **kwargs},
        )
        return widgets

    def _save(self, form, item, save, version=False) -> str | None:
        """Populate and save; return the form error instead of raising.

        With ``version`` (an edit: the version the form was filled from) the save succeeds only
        on that version, decided by the UPDATE itself (``core.fab.locking.claim_version``).
        No autoflush in between: the one flush of the commit writes the one UPDATE (one audit row).
        """
        try:
            with self.datamodel.session.no_autoflush:
                if version is not False:
                    claim_version(item, version)
                form.populate_obj(item)
                save(item)
        except Exception as exc:
            message = self.save_error(exc)
            if message is None:
                raise
            self.datamodel.session.rollback()
            return message
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

    def post_edit_redirect(self):
        refused = g.pop("jiguan_edit_refused", None)
        if refused is not None:  # to the record, where its state explains why
            return redirect(url_for(f"{self.endpoint}.show", pk=refused))
        return super().post_edit_redirect()

    def _edit(self, pk):
        is_valid_form = True
        pages, page_sizes, orders = get_page_args(), get_page_size_args(), get_order_args()
        get_filter_args(self._filters, disallow_if_not_in_search=False)
        exclude_cols = self._filters.get_relation_cols()
        item = self.datamodel.get(pk, self._base_filters)
        if not item:
            abort(404)
        refusal = self.edit_refusal(item)
        if refusal:
            flash(refusal, "danger")
            g.jiguan_edit_refused = self.datamodel.get_pk_value(item)
            return None  # FAB's edit() then redirects: post_edit_redirect leads to the record
        pk = self.datamodel.get_pk_value(item)
        if request.method == "POST":
            form = self.edit_form.refresh(request.form)
            self._fill_form_exclude_cols(exclude_cols, form)
            form._id = pk
            if form.validate():
                self.process_form(form, False)
                submitted = form.lock_version.data if "lock_version" in form else None

                def save(obj):
                    self.pre_update(obj)
                    self.datamodel.edit(obj)

                error = self._save(form, item, save, version=submitted)
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
        except Exception as exc:
            message = self.save_error(exc)
            if message is None:
                raise
            self.datamodel.session.rollback()
            flash(message, "danger")
        else:
            self.post_delete(item)
            flash(self.delete_row_message, "success")
        self.update_redirect()


# --- the REST APIs --------------------------------------------------------------------------------


class FabRestApi(PerRequestFilters, DeferredSchemasMixin, ModelRestApi):
    """``ModelRestApi`` with a hook after its schemas are built (on first use: lazy_schemas.py)
    and labels translated once."""

    def after_init_model_schemas(self) -> None:
        """Adjust ``self.add_model_schema`` / ``self.edit_model_schema`` FAB generated."""

    def _init_model_schemas(self) -> None:
        """Nothing yet: FAB calls it as the API is added, the schemas are made on first use."""

    def _build_model_schemas(self) -> None:
        ModelRestApi._init_model_schemas(self)
        self.after_init_model_schemas()

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

    # writes: a schema per request, the version in the UPDATE -----------------------------------

    def request_schema(self, schema):
        """A copy of ``schema`` for one request. marshmallow-sqlalchemy keeps the instance a load
        writes into on the schema object (``schema.instance``), and FAB has one schema per API
        for every thread: simultaneous PUTs wrote into each other's record, or, once another
        thread had reset it, into a new one. The copy shares the (stateless) fields."""
        return copy.copy(schema)

    def conflict_response(self, pk, exc: EditConflict):
        """409 with the message and the record as it now is, so the client can merge and retry."""
        self.datamodel.session.rollback()
        item = self.datamodel.get(pk, self._base_filters)
        current = self.show_model_schema.dump(item, many=False) if item is not None else None
        return self.response(409, message=exc.message, current=current,
                             version=getattr(item, "version", None))

    def _json_object(self):
        """The request's JSON object, or the 400 answer."""
        if not request.is_json:
            return None, self.response_400(message=_("请求体应为 JSON（Content-Type: application/json）"))
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return None, self.response_400(message=_("请求体应为 JSON 对象"))
        return body, None

    def post_headless(self):
        body, refused = self._json_object()
        if refused is not None:
            return refused
        schema = self.request_schema(self.add_model_schema)
        try:
            item = schema.load(body)
        except ValidationError as err:
            return self.response_422(message=err.messages)
        try:
            with self.datamodel.session.no_autoflush:
                self.pre_add(item)
                self.datamodel.add(item)
            self.post_add(item)
        except DatabaseException:
            return self.response_422(message=_("保存失败：数据库拒绝了此次修改"))
        return self.response(201, result=schema.dump(item, many=False),
                             id=self.datamodel.get_pk_value(item))

    def put_headless(self, pk):
        """FAB's PUT with a schema of its own and the ``version`` the client read (optional:
        without it the version loaded by this request) checked by the UPDATE; a conflict is 409."""
        item = self.datamodel.get(pk, self._base_filters)
        body, refused = self._json_object()
        if refused is not None:
            return refused
        if item is None:
            return self.response_404()
        data = dict(body)
        seen = data.pop("version", None)
        schema = self.request_schema(self.edit_model_schema)
        session = self.datamodel.session
        try:
            with session.no_autoflush:  # one flush, at the commit: one UPDATE, one audit row
                claim_version(item, seen)
                data = self._merge_update_item(item, data)
                try:
                    item = schema.load(data, instance=item)
                except ValidationError as err:
                    session.rollback()
                    return self.response_422(message=err.messages)
                self.pre_update(item)
                self.datamodel.edit(item)
            self.post_update(item)
        except EditConflict as exc:
            return self.conflict_response(pk, exc)
        except DatabaseException:
            return self.response_422(message=_("保存失败：数据库拒绝了此次修改"))
        return self.response(200, result=schema.dump(item, many=False))


class _FabSchemasLater(DeferredSchemasMixin):
    def _init_model_schemas(self) -> None:
        """Nothing yet: FAB calls it as the API is added, the schemas are made on first use."""

    def _build_model_schemas(self) -> None:
        super(DeferredSchemasMixin, self)._init_model_schemas()  # FAB's (the API class's own)


_later: dict[type, type] = {}


def schemas_by_first_use(api_class: type) -> type:
    """A FAB ``ModelRestApi`` of its own (users, roles, groups, permissions …) whose schemas are
    built by their first use, as jiguan's are, and so set up by its first use too
    (core/web/lazy_views.py): a subclass of the same name; the schemas the class gives (FAB's
    ``UserPostSchema`` …) are kept as they are."""
    found = _later.get(api_class)
    if found is None:
        given = {name: getattr(api_class, name) for name in SCHEMAS
                 if getattr(api_class, name, None) is not None}
        found = _later[api_class] = type(api_class.__name__, (_FabSchemasLater, api_class), {
            "__module__": api_class.__module__, "__qualname__": api_class.__qualname__, **given})
    return found


# --- the converters of forms and API schemas -------------------------------------------------------


class FabFormConverter(GeneralModelConverter):
    """FAB's model → form converter with a public hook for a column's field."""

    def column_field(self, col_name, label, description, validators):
        """The form field of column ``col_name``, or None for FAB's own."""
        return None

    def _convert_simple(self, col_name, label, description, lst_validators, form_props):
        field = self.column_field(col_name, label, description, list(lst_validators))
        if field is None:
            return super()._convert_simple(col_name, label, description, lst_validators, form_props)
        form_props[col_name] = field
        return form_props


class FabSchemaConverter(Model2SchemaConverter):
    """FAB's model → marshmallow converter of the REST API, with public hooks for a field."""

    def enum_field(self, datamodel, column):
        """The schema field of an Enum column, or None for FAB's own."""
        return None

    def column_field(self, datamodel, column):
        """The schema field of a column, or None for FAB's own."""
        return None

    def _column2enum(self, datamodel, column):
        return self.enum_field(datamodel, column) or super()._column2enum(datamodel, column)

    def adjust_field(self, datamodel, column, field):
        """The field of ``column`` (ours or FAB's) before the schema takes it; returns it."""
        return field

    def _column2field(self, datamodel, column, nested=True, parent_schema_name=None):
        field = self.column_field(datamodel, column)
        if field is None:
            field = super()._column2field(datamodel, column, nested, parent_schema_name)
        return self.adjust_field(datamodel, column, field)

    def _meta_schema_factory(self, columns, model, class_mixin, parent_schema_name=None):
        from core.fab.quick_dump import quick_serialize

        schema = super()._meta_schema_factory(columns, model, class_mixin, parent_schema_name)
        schema._serialize = quick_serialize  # the rows of a list without marshmallow's detours
        return schema


#: FAB's originals this adapter overrides, each with a digest of its source in the FAB it was
#: written against (5.3.x). ``changed_originals()`` lists those an installed FAB changed.
FAB_PRIVATE: dict[str, str] = {
    "SQLAInterface._apply_inner_all": "bd7dd8d2678bf324",
    "ModelView._init_titles": "18e04f3da2f8131c",
    "ModelView._init_properties": "4bdd672231ced1d5",
    "ModelView._init_forms": "2073f5423803e18b",
    "ModelView._get_show_widget": "88ad2f44066cbfe7",
    "ModelView._get_list_widget": "b8bd9f3ee791aece",
    "ModelView._add": "a025a0c68594773e",
    "ModelView._edit": "d761e7bd3d3ff992",
    "ModelView._delete": "8fdf8f052341e35a",
    "ModelRestApi._init_model_schemas": "fe44bb78c1efd467",
    "ModelRestApi._label_columns_json": "e36210190ce1e787",
    "ModelRestApi._description_columns_json": "0ba8d681b4765812",
    "ModelRestApi.post_headless": "eec466c5aaa8aff8",
    "ModelRestApi.put_headless": "9c4e2918d65deb57",
    "GeneralModelConverter._convert_simple": "87c23e1967f114e6",
    "Model2SchemaConverter._column2enum": "0aae1a55350f6938",
    "Model2SchemaConverter._column2field": "25a8ba715c77e8e8",
    "SQLAInterface.apply_inner_select_joins": "b398ea4b7e9a9255",
    "SQLAInterface.get_inner_filters": "1f6ead03f5f314e6",
    "BaseView.update_redirect": "c846e6866070f23d",
    "BaseSecurityManager._has_access_builtin_roles": "8c0280b7743243f1",
    "Model2SchemaConverter._meta_schema_factory": "825b73a7f3898c29",
    "babel._get_current_context": "988c367153127e4e",
    "api.jsonschema": "521302090abeddb1",
    "api.safe": "836561e1fc135133",
    "SearchWidget.__call__": "484910bee0a34d10",  # core/fab/search_fields.py
    "TemplateFilters.find_views_by_name": "d2d131dadaee265e",  # patch_view_lookup
    "BaseInterface._get_attr_value": "b1f01c7364fbd3ba",  # FabInterface._get_attr_value
    "BaseView._register_urls": "4525d3e84732801e",  # patch_route_scan
    "BaseApi._register_urls": "5d5dd80c83f228dc",
    "hooks.get_before_request_hooks": "d0e6250c589462fc",
    "sqlalchemy.slots_dispatcher.__get__": "2fce6ae2f00dbcd2",  # core/fab/slots_dispatch.py
    "marshmallow.SchemaMeta.resolve_hooks": "091daf8924f538b0",  # core/fab/schema_hooks.py
    "BaseApi.operation_helper": "afd7ed8ab797b1ca",  # core/fab/api_docs.py
}
_FAB_CLASSES = {"SQLAInterface": SQLAInterface, "ModelView": ModelView, "ModelRestApi": ModelRestApi,
                "GeneralModelConverter": GeneralModelConverter,
                "Model2SchemaConverter": Model2SchemaConverter, "BaseView": BaseView,
                "BaseSecurityManager": BaseSecurityManager, "SearchWidget": SearchWidget,
                "TemplateFilters": TemplateFilters, "BaseInterface": BaseInterface}


def original_digest(name: str) -> str:
    """A digest of FAB's source of ``Class.method`` (or, for ``api.jsonschema``, of its use)."""
    if name == "api.jsonschema":
        source = "\n".join(line for line in inspect.getsource(fab_api).splitlines()
                           if "jsonschema" in line)
    elif name == "babel._get_current_context":  # core/web/translations.py takes its place
        import ast

        import flask_babel

        module = inspect.getsource(flask_babel)  # the file: unchanged by the patch
        node = next(n for n in ast.parse(module).body if getattr(n, "name", "") == "_get_current_context")
        source = ast.get_source_segment(module, node)
    elif name == "TemplateFilters.find_views_by_name":  # patch_view_lookup takes its place
        source = inspect.getsource(_FAB_FIND_VIEWS_BY_NAME)
    elif name in _FAB_ROUTE_SCAN:  # patch_route_scan takes the methods' place, uses neither
        source = inspect.getsource(_FAB_ROUTE_SCAN[name])
    elif name == "sqlalchemy.slots_dispatcher.__get__":  # SQLAlchemy's, replaced as core.fab loads
        from core.fab.slots_dispatch import ORIGINAL

        source = inspect.getsource(ORIGINAL)
    elif name == "marshmallow.SchemaMeta.resolve_hooks":  # replaced as core.fab loads
        from core.fab.schema_hooks import ORIGINAL as RESOLVE_HOOKS

        source = inspect.getsource(RESOLVE_HOOKS)
    elif name == "BaseApi.operation_helper":  # replaced as the web service installs
        from core.fab.api_docs import ORIGINAL as OPERATION_HELPER

        source = inspect.getsource(OPERATION_HELPER)
    elif name == "api.safe":  # patch_api_errors relies on it calling response_500 in its except
        source = inspect.getsource(fab_api.safe)
    else:
        cls, method = name.split(".")
        source = inspect.getsource(getattr(_FAB_CLASSES[cls], method))
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def changed_originals() -> list[str]:
    """The overridden FAB originals whose source differs from what this adapter was written for."""
    return [name for name, digest in FAB_PRIVATE.items() if original_digest(name) != digest]
