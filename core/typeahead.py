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

from flask import request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import String, or_
from wtforms import Field, ValidationError

#: Columns searched when they exist on the related model, in order (the first sorts the matches).
SEARCHED = ("code", "number", "name", "username", "title", "uscc", "first_name", "last_name")
PAGE = 20

def searched_columns(model) -> list:
    columns = model.__table__.c
    found = [columns[name] for name in SEARCHED if name in columns]
    return found or [c for c in columns if isinstance(c.type, String)]

def matches(interface, term: str, page: int = 0):
    """One page of the related rows whose searched columns contain ``term``, within scope."""
    from core.scoping import scoped

    model = interface.obj
    columns = searched_columns(model)
    query = scoped(interface.session.query(model), model, for_reference=interface.for_reference)
    term = term.strip()
    if term and columns:
        pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.filter(or_(*(c.ilike(pattern, escape="\\") for c in columns)))
    pk = interface.get_pk()
    query = query.order_by(*(columns[:1] or []), pk).offset(page * PAGE).limit(PAGE + 1)
    rows = query.all()
    return rows[:PAGE], len(rows) > PAGE

class TypeaheadWidget:
    """A <select> holding only the chosen row(s); typeahead.js fills it from the endpoint."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        classes = f"form-control jiguan-typeahead {kwargs.pop('class', '') or kwargs.pop('class_', '')}"
        chosen = field.chosen_options()
        options = [] if field.required_choice else [Markup('<option value=""></option>')]
        for value, label in chosen:
            options.append(Markup('<option value="{}" selected>{}</option>').format(value, label))
        attrs = {
            "id": kwargs["id"], "name": field.name, "class": classes.strip(),
            "data-url": field.endpoint_url(), "data-placeholder": _("输入关键字搜索"),
            "data-allow-clear": "false" if field.required_choice else "true",
            "style": "width: 100%",
        }
        html_attrs = " ".join(f'{key}="{escape(value)}"' for key, value in attrs.items())
        return Markup(f"<select {html_attrs}>") + Markup("").join(options) + Markup("</select>")

class TypeaheadField(Field):
    """A many-to-one relation field whose data is the related ORM object (like QuerySelectField)."""

    widget = TypeaheadWidget()

    def __init__(self, label=None, validators=None, view=None, col_name=None, allow_blank=True,
                 search=False, **kwargs):
        for key in ("query_func", "get_pk_func", "blank_text", "widget"):
            kwargs.pop(key, None)  # FAB's select options: the endpoint does their job
        super().__init__(label, validators, **kwargs)
        self.view = view
        self.col_name = col_name
        self.allow_blank = allow_blank
        self.search = search
        self._invalid = False

    @property
    def required_choice(self) -> bool:
        return not self.allow_blank and not self.search

    def interface(self):
        return self.view.datamodel.get_related_interface(self.col_name)

    def endpoint_url(self) -> str:
        return url_for(f"{self.view.endpoint}.typeahead", col_name=self.col_name)

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
        try:
            self.data = self.interface().get(valuelist[0])
        except Exception:  # noqa: BLE001 - a malformed id is just "not found"
            self.interface().session.rollback()
            self.data = None
        self._invalid = self.data is None

    def pre_validate(self, form):
        if self._invalid:
            raise ValidationError(_("所选记录不存在或您无权选择"))

def typeahead_field(unbound, view, col_name: str, search: bool = False):
    """A TypeaheadField built from the arguments FAB gave its QuerySelectField."""
    from wtforms.fields.core import UnboundField

    kwargs = dict(unbound.kwargs)
    args = list(unbound.args)
    label = kwargs.pop("label", args[0] if args else None)
    validators = kwargs.pop("validators", args[1] if len(args) > 1 else None)
    return UnboundField(TypeaheadField, label, validators, view=view, col_name=col_name,
                        search=search, **kwargs)

NO_MATCH = _l("没有匹配的记录")
