"""Lines added in bulk: a document's page offers 批量添加, a searchable list of the records that
may become its lines, several ticked at once (docs/workflow.md, "Lines added in bulk").

A view of a document declares ``line_picker = LinePicker(...)`` and takes
:class:`LinePickerMixin` (before ``ScopedModelView``). Every line is an ordinary ORM write in
one flush, so the write pipeline checks scope, the module's rules (a disposal line's Art. 19
reason) and the approval lock; one refused line refuses them all and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import or_, select

from core.errors import WriteRefused
from core.extensions import db
from core.scoping import scoped
from core.workflow.approval import permitted, view_name_for

#: The most rows the picker lists at once: a search narrows the rest.
PICKER_ROWS = 200


@dataclass(frozen=True)
class LinePicker:
    """How a document picks its lines.

    ``line_model`` is the line; ``parent`` and ``target`` its foreign-key columns to the
    document and to the record picked; ``target_model`` the records offered, shown with
    ``columns`` (``(attribute, label)``) and searched in ``search`` (text columns, 包含);
    ``eligible(document, query)`` narrows the query (the document's organisation, a status …);
    ``fields`` are line columns typed once for every line added (``(column, label, help)``).
    """

    line_model: type
    parent: str
    target: str
    target_model: type
    columns: tuple[tuple[str, Any], ...]
    search: tuple[str, ...]
    label: Any
    eligible: Callable | None = None
    fields: tuple[tuple[str, Any, Any], ...] = field(default_factory=tuple)


class LinePickerMixin:
    """批量添加 on a document's page and its route ``/<view>/lines/<pk>``."""

    line_picker: LinePicker | None = None

    def _picker_document(self, pk):
        document = db.session.execute(
            scoped(select(self.datamodel.obj).where(self.datamodel.obj.id == pk), self.datamodel.obj)
        ).scalar_one_or_none()
        if document is None or self.line_picker is None:
            abort(404)
        return document

    def picker_refusal(self, document) -> str | None:
        """Why lines cannot be added to ``document`` by this user now, or None."""
        if not getattr(document, "is_editable", True) or getattr(document, "voided_at", None):
            return _("该记录已提交或已办结，不能再添加明细")
        if not permitted("can_add", view_name_for(self.line_picker.line_model)):
            return _("您无权添加明细")
        return None

    def show_context(self, item, pk) -> dict:
        context = super().show_context(item, pk)
        if self.line_picker is not None and self.picker_refusal(item) is None:
            context["line_picker"] = {"url": url_for(f"{self.endpoint}.pick_lines", pk=pk),
                                      "label": self.line_picker.label}
        return context

    def _candidates(self, document, ids=None):
        picker = self.line_picker
        model = picker.target_model
        query = scoped(select(model), model)
        if picker.eligible is not None:
            query = picker.eligible(document, query)
        taken = select(getattr(picker.line_model, picker.target)).where(
            getattr(picker.line_model, picker.parent) == document.id)
        query = query.where(model.id.not_in(taken))
        if ids is not None:
            return list(db.session.execute(query.where(model.id.in_(ids))).scalars())
        words = (request.args.get("q") or "").strip()
        if words:
            query = query.where(or_(*(getattr(model, c).contains(words, autoescape=True)
                                      for c in picker.search)))
        return list(db.session.execute(query.order_by(model.id).limit(PICKER_ROWS + 1)).scalars())

    @expose("/lines/<int:pk>", methods=["GET", "POST"])
    @has_access
    @permission_name("show")
    def pick_lines(self, pk):
        document = self._picker_document(pk)
        back = url_for(f"{self.endpoint}.show", pk=pk)
        refusal = self.picker_refusal(document)
        if refusal:
            flash(refusal, "danger")
            return redirect(back)
        picker, form, error = self.line_picker, FlaskForm(), None
        chosen = [int(i) for i in request.form.getlist("ids") if i.isdigit()]
        values = {name: (request.form.get(name) or "").strip() or None
                  for name, _label, _help in picker.fields}
        if request.method == "POST":
            if not form.validate():
                error = _("页面已过期，请刷新后重试")
            elif not chosen:
                error = _("请至少勾选一项")
            else:
                error = self._add_lines(document, chosen, values)
                if error is None:
                    flash(_("已添加 %(n)s 条明细", n=len(chosen)), "success")
                    return redirect(back)
        rows = self._candidates(document)
        return self.render_template(
            "core/line_picker.html", title=_("批量添加：%(what)s", what=picker.label), picker=picker,
            document=document, rows=rows[:PICKER_ROWS], more=len(rows) > PICKER_ROWS, form=form,
            error=error, chosen=set(chosen), values=values, back=back, q=request.args.get("q", ""))

    def _add_lines(self, document, chosen: list[int], values: dict) -> str | None:
        picker = self.line_picker
        found = self._candidates(document, chosen)
        if len(found) != len(set(chosen)):
            return _("所选记录中有的已不可添加（已在本单中、不在您的权限范围内或状态已变），"
                     "请刷新后重选")
        try:
            for record in found:
                db.session.add(picker.line_model(**{picker.parent: document.id, picker.target: record.id},
                                                 **{k: v for k, v in values.items() if v is not None}))
            db.session.commit()
        except WriteRefused as exc:
            db.session.rollback()
            return exc.message
        return None
