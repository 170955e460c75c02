"""What every list screen gets from the search service: choice filters by label, the quick
search box (``?q=``), the active filters above the list, and saved filters per user."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.models.filters import FilterRelation
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import String, Text, bindparam, select

from core.display import join_items
from core.extensions import db
from core.fab.column_types import kind_of, model_column
from core.fab.filters import ChoiceEqual, quick_search
from core.fab.prepared import prepared
from core.fab.search_fields import StaticChoiceField
from core.search.choices import column_choices
from core.search.models import SavedFilter
from core.state import get_state

#: The user's saved searches of a list, read on every list page: built once, run on the
#: request's connection as plain rows (no ORM objects to build; docs/performance.md).
_SAVED_TABLE = SavedFilter.__table__
_SAVED = prepared(
    select(_SAVED_TABLE.c.id, _SAVED_TABLE.c.name, _SAVED_TABLE.c.args)
    .where(_SAVED_TABLE.c.user_id == bindparam("user_id"), _SAVED_TABLE.c.view == bindparam("view"))
    .order_by(_SAVED_TABLE.c.name), "jiguan_saved_searches")

#: Arguments a saved filter keeps: the filters, the quick search and the order (not the page).
_KEPT = ("_flt_", "_oc_", "_od_", "q", "voided")
SAVED_MAX = 50


def _kept_args(args) -> list[tuple[str, str]]:
    return [(key, value) for key, values in args.lists() for value in values
            if key.startswith(_KEPT) and (key != "q" or value.strip())]


def quick_columns(view) -> list[str]:
    """The columns the quick search looks in: the entity type's ``search_fields``, else the
    view's ``quick_search_columns``, else the list's text columns (a ``<x>_label`` column
    shows the codes of ``x``: searched by label)."""
    declared = getattr(view, "quick_search_columns", None)
    entity = get_state().entities.for_model(view.datamodel.obj)
    if declared is None and entity is not None:
        declared = entity.search_fields
    if declared is not None:
        return list(declared)
    model = view.datamodel.obj
    found = []
    for name in view.list_columns or []:
        if name.endswith("_label") and model_column(model, name[:-6]) is not None:
            name = name[:-6]
        column = model_column(model, name)
        if column is not None and isinstance(column.type, String | Text) and kind_of(column) != "enum":
            found.append(name)
    return found


class SearchViewMixin:
    """Mix into a list screen (``ScopedModelView``) before FAB's ``ModelView``.

    ``quick_search_columns``: the columns of the quick search box (see :func:`quick_columns`).
    """

    quick_search_columns: tuple[str, ...] | None = None

    def after_init_properties(self):
        super().after_init_properties()
        self.quick_columns = quick_columns(self)
        wanted = {*(self.search_columns or []), *self.quick_columns}
        self.datamodel.choice_labels = column_choices(self, wanted)
        # FAB built the filters before it knew the labels: once more, with choice filters
        self._filters = self.datamodel.get_filters(self.search_columns)
        self._quick_filter = quick_search(
            self.quick_columns, {c: self.datamodel.choice_labels[c] for c in self.quick_columns
                                 if c in self.datamodel.choice_labels})

    def before_init_forms(self):
        super().before_init_forms()
        # a labelled code column is searched with a drop-down of its labels, never a code box
        extra = dict(self.search_form_extra_fields or {})
        for name in self.search_columns or []:
            choices = self.datamodel.choice_labels.get(name)
            if choices and name not in extra:
                label = self.label_columns.get(name, name)
                extra[name] = StaticChoiceField(label, choices=list(choices.items()))
        self.search_form_extra_fields = extra

    def quick_term(self) -> str:
        return request.args.get("q", "").replace("\x00", "").strip()[:100]

    def add_quick_search(self, filters):
        """``filters`` plus the quick search box's term, if the request has one (``?q=``)."""
        term = self.quick_term()
        if term and self.quick_columns:
            filters.add_filter(self.quick_columns[0], self._quick_filter, term)
        return filters

    # the summary above the list -------------------------------------------------------------

    def _value_label(self, flt, value) -> str:
        values = value if isinstance(value, list) else [value]
        shown = []
        for item in values:
            if isinstance(flt, ChoiceEqual):
                item = flt.choices.get(item, item)
            elif isinstance(flt, FilterRelation) and item not in ("", None):
                try:
                    related = self.datamodel.get_related_interface(flt.column_name).get(item)
                except Exception:  # noqa: BLE001 - a malformed id names nothing
                    db.session.rollback()
                    related = None
                item = related if related is not None else item
            elif self.datamodel.is_boolean(flt.column_name):
                item = _("是") if item == "y" else _("否")
            shown.append(str(item))
        return join_items(shown)

    def active_filters(self) -> list[dict]:
        """The filters this request applies, in words: 资产状态 是 闲置."""
        active = []
        for flt, value in self._filters.get_filters_values():
            if value in ("", [], [""], None):
                continue
            active.append(dict(label=str(self.label_columns.get(flt.column_name, flt.column_name)),
                               operator=str(flt.name), value=self._value_label(flt, value)))
        return active

    def search_context(self, saved_rows: list | None = None) -> dict:
        """What the search box above a list shows; ``saved_rows``: the user's saved searches of
        the list, when the caller read them already (core/web/list_facts.py)."""
        user_id = getattr(g.user, "id", None)
        saved = []
        if user_id is not None:
            rows = saved_rows if saved_rows is not None else db.session.connection().execute(
                _SAVED, {"user_id": user_id, "view": self.endpoint}).all()
            list_url = url_for(f"{self.endpoint}.list")
            saved = [dict(name=row.name, url=f"{list_url}?{row.args}" if row.args else list_url,
                          delete=url_for(f"{self.endpoint}.saved_filter_delete", pk=row.id))
                     for row in rows]
        kept = _kept_args(request.args)
        return dict(
            active=self.active_filters(), q=self.quick_term(),
            quick_labels=join_items(str(self.label_columns.get(c, c)) for c in self.quick_columns),
            hidden=[(k, v) for k, v in kept if k != "q"],
            clear_url=url_for(f"{self.endpoint}.list"), saved=saved,
            save_url=url_for(f"{self.endpoint}.saved_filter_save"), args=urlencode(kept),
        )

    def render_template(self, template, **kwargs):
        if template == self.list_template and "search" not in kwargs:
            kwargs["search"] = self.search_context()
        return super().render_template(template, **kwargs)

    # saved filters ---------------------------------------------------------------------------

    @expose("/saved-filters/save", methods=["POST"])
    @has_access
    @permission_name("list")
    def saved_filter_save(self):
        """保存筛选: the current list arguments under a name, for this user only."""
        form = FlaskForm()
        name = request.form.get("name", "").replace("\x00", "").strip()
        args = request.form.get("args", "").replace("\x00", "")
        back = url_for(f"{self.endpoint}.list") + (f"?{args}" if args else "")
        if not form.validate():
            flash(_("页面已过期，请刷新后重试"), "danger")
        elif not name or len(name) > 100:
            flash(_("请填写筛选名称（不超过 100 个字）"), "danger")
        elif len(args) > 2000:
            flash(_("筛选条件过长，无法保存"), "danger")
        else:
            mine = db.session.query(SavedFilter).filter_by(user_id=g.user.id, view=self.endpoint)
            existing = mine.filter_by(name=name).one_or_none()
            if existing is None and mine.count() >= SAVED_MAX:
                flash(_("每个列表最多保存 %(n)d 个筛选", n=SAVED_MAX), "danger")
                return redirect(back)
            if existing is None:
                existing = SavedFilter(user_id=g.user.id, view=self.endpoint, name=name)
                db.session.add(existing)
            existing.args = args
            db.session.commit()
            flash(_("已保存筛选“%(name)s”", name=name), "success")
        return redirect(back)

    @expose("/saved-filters/<int:pk>/delete", methods=["POST"])
    @has_access
    @permission_name("list")
    def saved_filter_delete(self, pk):
        """删除 one of the user's own saved filters (another user's is not found)."""
        row = (db.session.query(SavedFilter)
               .filter_by(id=pk, user_id=g.user.id, view=self.endpoint).one_or_none())
        if row is None:
            abort(404)
        if not FlaskForm().validate():
            flash(_("页面已过期，请刷新后重试"), "danger")
        else:
            db.session.delete(row)
            db.session.commit()
            flash(_("已删除筛选“%(name)s”", name=row.name), "success")
        return redirect(url_for(f"{self.endpoint}.list"))
