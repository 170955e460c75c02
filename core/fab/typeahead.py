"""Type-ahead relation fields: a search box instead of a <select> of every row (FAB #796).

FAB renders a relation field — on the add/edit forms and in the list's search filters — as a
<select> holding every row of the related table: 3,000 organisations make a 500 KB page
and most of the request's time. Here the field renders only the chosen value; the browser
(``core/static/typeahead.js``, select2 shipped with FAB, no CDN) asks the view's
``/typeahead/<column>`` endpoint for one page of matches as the user types. The endpoint
reads through the view's related interface, so it offers only what the user may point to
(``for_reference`` scope) and requires the list permission.
"""

from __future__ import annotations

import re

from flask import abort, has_request_context, jsonify, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.fields import QuerySelectField
from flask_appbuilder.security.decorators import permission_name
from flask_appbuilder.widgets import FormWidget, ListWidget
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import Enum, String, or_
from wtforms import Field
from wtforms.fields.core import UnboundField
from wtforms.validators import StopValidation

from core.fab.search_fields import KeptFieldsSearchWidget

#: Columns searched when they exist on the related model, in order (the first sorts the matches).
SEARCHED = ("code", "number", "name", "username", "title", "uscc", "first_name", "last_name")
PAGE = 20
#: A form field with at most this many choices in scope is a plain select2 list of them all.
FEW = 50

def searched_columns(model) -> list:
    columns = model.__table__.c
    found = [columns[name] for name in SEARCHED if name in columns]
    # an Enum is a String too, but PostgreSQL has no ILIKE on an enum type
    return found or [c for c in columns if isinstance(c.type, String) and not isinstance(c.type, Enum)]

def rel_filters(interface, spec):
    """FAB's ``*_form_query_rel_fields`` filters of one column, for ``interface`` (None: none)."""
    return interface.get_filters().add_filter_list(spec) if spec else None


def matches(interface, term: str, page: int = 0, size: int = PAGE, filters=None):
    """One page of the related rows whose searched columns contain ``term``, within scope.

    ``filters`` are the view's own limits on the choices (``add_form_query_rel_fields`` …).
    """
    from core.scoping import scoped

    model = interface.obj
    columns = searched_columns(model)
    for_reference = getattr(interface, "for_reference", False)  # FAB's own interface has none
    query = scoped(interface.session.query(model), model, for_reference=for_reference)
    if filters is not None:
        query = filters.apply_all(query)
    term = term.strip()
    if term and columns:
        pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.filter(or_(*(c.ilike(pattern, escape="\\") for c in columns)))
    pk = interface.get_pk()
    query = query.order_by(*(columns[:1] or []), pk).offset(page * size).limit(size + 1)
    rows = query.all()
    return rows[:size], len(rows) > size

class TypeaheadWidget:
    """A <select> holding only the chosen row(s); typeahead.js fills it from the endpoint.

    On an add or edit form, a field with few choices in scope (a clerk's own organisation,
    its county's jurisdictions) lists them all, as FAB's select2 field does: one bounded
    query, and nothing to type.
    """

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        extra = kwargs.pop("class", "") or kwargs.pop("class_", "")
        few = None if field.search else field.few_choices()
        options = []
        if not field.required_choice:
            options.append(Markup('<option value="">{}</option>').format(field.blank_text or ""))
        attrs = {"id": kwargs["id"], "name": field.name}
        if few is not None:
            chosen = field.chosen_options()
            if chosen and chosen[0][0] not in {value for value, _label in few}:
                few = chosen + few  # the record's current value, even if no longer offered
            selected_value = chosen[0][0] if chosen else None
            for value, label in few:
                selected = Markup(" selected") if value == selected_value else Markup("")
                options.append(Markup('<option value="{}"{}>{}</option>').format(value, selected, label))
            attrs["class"] = f"my_select2 form-control {extra}".strip()
        else:
            for value, label in field.chosen_options():
                options.append(Markup('<option value="{}" selected>{}</option>').format(value, label))
            attrs |= {
                "class": f"form-control jiguan-typeahead {extra}".strip(),
                "data-url": field.endpoint_url(), "data-placeholder": _("输入关键字搜索"),
                "data-allow-clear": "false" if field.required_choice else "true",
                # select2's own messages, in the user's language
                "data-msg-none": _("没有匹配的记录"), "data-msg-searching": _("正在搜索…"),
                "data-msg-more": _("正在加载更多…"), "data-msg-error": _("无法载入结果"),
                "style": "width: 100%",
            }
        html_attrs = " ".join(f'{key}="{escape(value)}"' for key, value in attrs.items())
        return Markup(f"<select {html_attrs}>") + Markup("").join(options) + Markup("</select>")


class TypeaheadField(Field):
    """A many-to-one relation field whose data is the related ORM object (like QuerySelectField)."""

    widget = TypeaheadWidget()

    def __init__(self, label=None, validators=None, view=None, col_name=None, allow_blank=True,
                 search=False, form_kind="add", **kwargs):
        for key in ("query_func", "get_pk_func", "widget"):
            kwargs.pop(key, None)  # FAB's select options: the endpoint does their job
        self.blank_text = kwargs.pop("blank_text", "")
        super().__init__(label, validators, **kwargs)
        self.view = view
        self.col_name = col_name
        self.allow_blank = allow_blank
        self.search = search
        self.form_kind = form_kind
        self._invalid = False

    @property
    def jiguan_static_control(self) -> bool:
        """A search box with no filter of its column in the request renders the same each time."""
        if not self.search or not has_request_context():
            return False
        pattern = re.compile(rf"^_flt_\d+_{re.escape(self.col_name)}$")
        return not any(pattern.match(key) for key in request.args)

    @property
    def required_choice(self) -> bool:
        return not self.allow_blank and not self.search

    def interface(self):
        return self.view.datamodel.get_related_interface(self.col_name)

    def choice_filters(self, interface):
        """The view's limits on this field's choices (its ``<form>_form_query_rel_fields``)."""
        return rel_filters(interface, self.view._rel_limits(self.form_kind).get(self.col_name))

    def endpoint_url(self) -> str:
        return url_for(f"{self.view.endpoint}.typeahead", col_name=self.col_name, form=self.form_kind)

    def few_choices(self) -> list[tuple[str, str]] | None:
        """Every choice in scope when there are at most ``FEW``, else None."""
        interface = self.interface()
        rows, more = matches(interface, "", 0, size=FEW, filters=self.choice_filters(interface))
        if more:
            return None
        return [(str(interface.get_pk_value(row)), str(row)) for row in rows]

    def chosen_options(self) -> list[tuple[str, str]]:
        if self.search:
            # the list's active filters on this column arrive as _flt_<n>_<column>=<pk>
            pattern = re.compile(rf"^_flt_\d+_{re.escape(self.col_name)}$")
            interface = self.interface()
            chosen = []
            for key in request.args:
                if pattern.match(key):
                    for value in request.args.getlist(key):
                        item = interface.get(value) if value else None
                        if item is not None:
                            chosen.append((str(interface.get_pk_value(item)), str(item)))
            return chosen
        if self.data is None:
            return []
        return [(str(self.interface().get_pk_value(self.data)), str(self.data))]

    def _value(self):
        return "" if self.data is None else str(self.interface().get_pk_value(self.data))

    def process_formdata(self, valuelist):
        if not valuelist or valuelist[0] in ("", "__None"):
            self.data = None
            return
        try:  # within scope and the view's limits on the choices, as FAB's select was
            interface = self.interface()
            self.data = interface.get(valuelist[0], self.choice_filters(interface))
        except Exception:  # noqa: BLE001 - a malformed id is just "not found"
            self.interface().session.rollback()
            self.data = None
        self._invalid = self.data is None

    def pre_validate(self, form):
        if self._invalid:
            raise StopValidation(_("所选记录不存在或您无权选择"))  # not "required": it was given

def typeahead_field(unbound, view, col_name: str, form_kind: str):
    """A TypeaheadField from the arguments FAB gave its QuerySelectField; form_kind: add, edit, search."""
    from wtforms.fields.core import UnboundField

    kwargs = dict(unbound.kwargs)
    args = list(unbound.args)
    label = kwargs.pop("label", args[0] if args else None)
    validators = kwargs.pop("validators", args[1] if len(args) > 1 else None)
    return UnboundField(TypeaheadField, label, validators, view=view, col_name=col_name,
                        search=form_kind == "search", form_kind=form_kind, **kwargs)

NO_MATCH = _l("没有匹配的记录")


class TypeaheadSearchWidget(KeptFieldsSearchWidget):
    """FAB's search filters, plus the script that turns relation fields into type-ahead boxes."""

    template = "core/widgets/search.html"


class TypeaheadFormWidget(FormWidget):
    """FAB's add/edit form, plus the type-ahead script."""

    template = "core/widgets/form.html"


class FastListWidget(ListWidget):
    """FAB's list table, with the row buttons' URLs and labels made once per page, not per row."""

    template = "core/widgets/list.html"


class TypeaheadViewMixin:
    """Relation fields and relation filters of a ModelView as type-ahead boxes (FAB #796).

    They are fed by ``/<view>/typeahead/<column>`` (core/fab/typeahead.py), not a <select>
    of every related row; a form field with few choices lists them all.
    """

    search_widget = TypeaheadSearchWidget
    add_widget = TypeaheadFormWidget
    edit_widget = TypeaheadFormWidget

    def after_init_forms(self):
        super().after_init_forms()
        for kind, form in (("add", self.add_form), ("edit", self.edit_form), ("search", self.search_form)):
            for name, unbound in list(vars(form).items()):
                if (isinstance(unbound, UnboundField) and unbound.field_class is QuerySelectField
                        and self.datamodel.is_relation_many_to_one(name)):
                    setattr(form, name, typeahead_field(unbound, self, name, kind))

    def _typeahead_columns(self) -> set[str]:
        shown = {*(self.search_columns or []), *(self.add_columns or []), *(self.edit_columns or [])}
        return {c for c in shown if self.datamodel.is_relation_many_to_one(c)}

    def _rel_limits(self, kind: str) -> dict:
        """The view's limits on a form's relation choices (FAB's ``*_form_query_rel_fields``)."""
        return getattr(self, f"{kind}_form_query_rel_fields", None) or {}

    @expose("/typeahead/<col_name>")
    @has_access
    @permission_name("list")
    def typeahead(self, col_name):
        """One page of what a relation field may point to, matching ``q`` (select2's format)."""
        if col_name not in self._typeahead_columns():
            abort(404)
        interface = self.datamodel.get_related_interface(col_name)
        kind = request.args.get("form", "add")
        if kind not in ("add", "edit", "search"):
            abort(404)
        try:
            page = max(0, int(request.args.get("page", 1)) - 1)
        except ValueError:
            page = 0
        filters = rel_filters(interface, self._rel_limits(kind).get(col_name))
        rows, more = matches(interface, request.args.get("q", "")[:100], page, filters=filters)
        results = [{"id": interface.get_pk_value(row), "text": str(row)} for row in rows]
        return jsonify(results=results, pagination={"more": more})
