"""FAB's search filters with each field's empty form control rendered once per language.

FAB's ``SearchWidget`` renders every search column's WTForms control on every list page, to
hand them to its filter script as HTML: a sixth of a list page's CPU (docs/performance.md,
"Near the floor"). A search form is never bound on a list page (a GET), so a control that
reads nothing but its field's definition renders the same each time for a view and a
language: such controls are kept; a control that may read rows or request data (a select of
rows, choices computed per form, a field holding a value) renders each time as before. A list
with no filter in its request whose controls are all static gets the whole widget from a page
fragment (core/fab/fragments.py) kept per view and language, its script's nonce a slot.
"""

from __future__ import annotations

from flask import current_app
from flask_appbuilder._compat import as_unicode
from flask_appbuilder.widgets import RenderTemplateWidget, SearchWidget
from flask_babel import get_locale
from wtforms import fields

from core.fab.fragments import keep

#: Controls whose markup follows from the field's definition alone (label, id, choices given).
STATIC_FIELDS = (fields.StringField, fields.IntegerField, fields.DecimalField, fields.FloatField,
                 fields.DateField, fields.DateTimeField, fields.BooleanField)
#: Keys kept per process (views × languages); beyond it the table starts afresh.
KEPT = 2000


class StaticChoiceField(fields.SelectField):
    """A select whose choices are given once, with the field (a code column's labels)."""

    jiguan_static_control = True


def static_control(field) -> bool:
    """Whether ``field``'s empty control is the same on every page of a view and language."""
    if field.data not in (None, "", False) or field.raw_data:
        return False
    if isinstance(field, STATIC_FIELDS):
        return True
    if getattr(field, "jiguan_static_control", False):  # an enum's choices, a search type-ahead
        return True
    return False


class KeptFieldsSearchWidget(SearchWidget):
    """``SearchWidget.__call__`` (pinned in FAB_PRIVATE) with the static controls kept."""

    def __call__(self, **kwargs):
        args = self.template_args
        # no filter in the request and every control static: the whole widget is the same for
        # every page of the view and language, its script's nonce aside (a page fragment)
        if not self.filters.filters and not kwargs and all(
                static_control(args["form"][col]) for col in args["include_cols"]):
            key = (args.get("route_base"), tuple(args["include_cols"]))
            return keep("search", key, lambda: self._render(kwargs))
        return self._render(kwargs)

    def _render(self, kwargs):
        args = self.template_args
        form, route = args["form"], args.get("route_base")
        locale = str(get_locale())
        kept = current_app.extensions.setdefault("jiguan_search_controls", {})
        if len(kept) > KEPT:
            kept.clear()
        dict_filters = None
        label_columns, form_fields, search_filters = {}, {}, {}
        for col in args["include_cols"]:
            field = form[col]
            key = (route, locale, col)
            label_columns[col] = as_unicode(field.label.text)
            control = kept.get(key) if static_control(field) else None
            if control is None:
                control = field()
                if static_control(field):
                    kept[key] = control
            form_fields[col] = control
            names = kept.get((*key, "filters"))
            if names is None:
                dict_filters = dict_filters or self.filters.get_search_filters()
                names = kept[(*key, "filters")] = [as_unicode(f.name) for f in dict_filters[col]]
            search_filters[col] = names
        kwargs["label_columns"] = label_columns
        kwargs["form_fields"] = form_fields
        kwargs["search_filters"] = search_filters
        kwargs["active_filters"] = self.filters.get_filters_values_tojson()
        return RenderTemplateWidget.__call__(self, **kwargs)
