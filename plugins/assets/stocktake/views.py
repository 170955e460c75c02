"""Screens of the stocktake area (清查盘点, Art. 18): list/open, count entry, discrepancies, approval."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import SQLAlchemyError

from core.api import (
    ApprovalViewMixin,
    ScopedInterface,
    ScopedModelView,
    ViewSpec,
    WriteRefused,
    current_scope,
    db,
)
from plugins.assets.cards.models import ASSET_STATUSES, AssetClass
from plugins.assets.custody.views import leaf_classes
from plugins.assets.stocktake.models import Stocktake, StocktakeSurplus, discrepancies, record_count

FOUND_CHOICES = {"": _l("未盘"), "1": _l("在"), "0": _l("不在（盘亏）")}


class StocktakeView(ApprovalViewMixin, ScopedModelView):
    datamodel = ScopedInterface(Stocktake)
    list_title = _l("资产盘点")
    list_columns = ["number", "organization", "planned_on", "counted_on", "state_label", "submitted_at"]
    add_columns = ["organization", "planned_on", "counted_on", "note"]
    # the organisation is fixed once opened: the lines are its assets
    edit_columns = ["planned_on", "counted_on", "note"]
    show_columns = ["number", "organization", "jurisdiction", "planned_on", "counted_on", "note",
                    "state_label", "submitted_at", "decided_at"]
    search_columns = ["organization", "planned_on", "state"]
    base_order = ("id", "desc")
    show_template = "assets/stocktake_show.html"
    label_columns = {
        "number": _l("盘点单号"), "organization": _l("盘点单位"), "jurisdiction": _l("所在辖区"),
        "planned_on": _l("计划盘点日期"), "counted_on": _l("实盘日期"), "note": _l("说明"),
    }
    description_columns = {
        "organization": _l("保存后即按该单位现有（未处置）资产生成盘点明细"),
    }

    def _item(self, pk) -> Stocktake:
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            abort(404)  # outside the user's scope: it does not exist for them
        return item

    def render_template(self, template, **kwargs):
        if template == self.show_template and kwargs.get("pk") is not None:
            item = self.datamodel.get(kwargs["pk"], self._base_filters)
            if item is not None:
                kwargs["summary"] = discrepancies(item)
                kwargs["can_count"] = self.appbuilder.sm.has_access("can_edit", self.class_permission_name)
        return super().render_template(template, **kwargs)

    @expose("/count/<int:pk>", methods=["GET", "POST"])
    @has_access
    @permission_name("edit")
    def count(self, pk):
        item = self._item(pk)
        if request.method == "POST":
            if not item.is_editable:
                flash(_("盘点已提交审批或已批准，不能再录入或修改实盘结果；如需修改，请先撤回"), "danger")
                return redirect(url_for(".count", pk=pk))
            error = self._save_counts(item, request.form)
            if error is None:
                flash(_("已保存实盘结果：已盘 %(n)s / %(total)s 项", n=len(item.lines) - item.uncounted,
                        total=len(item.lines)), "success")
                return redirect(url_for(".count", pk=pk))
            flash(error, "danger")
            item = self._item(pk)
        return self.render_template(
            "assets/stocktake_count.html", stocktake=item, statuses=ASSET_STATUSES,
            found_choices=FOUND_CHOICES, classes=leaf_classes(), editable=item.is_editable,
            title=_("录入实盘结果：%(no)s %(org)s", no=item.number, org=item.organization.name),
        )

    def _save_counts(self, item: Stocktake, data) -> str | None:
        try:
            counted_on = data.get("counted_on")
            if counted_on:
                try:
                    day = dt.date.fromisoformat(counted_on)
                except ValueError:
                    raise WriteRefused(_("实盘日期不是有效的日期（应为 YYYY-MM-DD）")) from None
                if day != item.counted_on:
                    item.counted_on = day
            for line in item.lines:
                if f"found_{line.id}" not in data:
                    continue  # a line not on the submitted form keeps what it has
                record_count(line, data.get(f"found_{line.id}", ""), data.get(f"status_{line.id}", ""),
                             data.get(f"location_{line.id}", ""), data.get(f"note_{line.id}", ""))
            db.session.commit()
        except WriteRefused as exc:
            db.session.rollback()
            return exc.message
        except SQLAlchemyError:
            db.session.rollback()
            return _("保存失败：数据库拒绝了此次修改")
        return None

    @expose("/surplus/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("edit")
    def add_surplus(self, pk):
        item = self._item(pk)
        form = request.form
        try:
            quantity = int(form.get("quantity") or 1)
            value = Decimal(form.get("estimated_value") or "0")
        except (ValueError, InvalidOperation):
            flash(_("数量应为整数，估计价值应为数字"), "danger")
            return redirect(url_for(".count", pk=pk))
        class_id = form.get("class_id", "")
        asset_class = db.session.get(AssetClass, int(class_id)) if class_id.isdigit() else None
        name = (form.get("name") or "").strip()
        if not name or asset_class is None:
            flash(_("盘盈资产须填写名称并选择资产分类"), "danger")
        elif quantity <= 0 or value < 0:
            flash(_("数量必须大于 0，估计价值不能为负数"), "danger")
        else:
            try:
                db.session.add(StocktakeSurplus(
                    stocktake=item, organization_id=item.organization_id,
                    jurisdiction_id=item.jurisdiction_id, asset_class=asset_class, name=name,
                    specification=form.get("specification") or None, quantity=quantity,
                    unit=form.get("unit") or "台", estimated_value=value,
                    location=form.get("location") or None, note=form.get("note") or None,
                ))
                db.session.commit()
            except WriteRefused as exc:
                db.session.rollback()
                flash(exc.message, "danger")
            else:
                flash(_("已登记盘盈资产：%(name)s", name=name), "success")
        return redirect(url_for(".count", pk=pk))

    @expose("/surplus/<int:pk>/delete/<int:sid>", methods=["POST"])
    @has_access
    @permission_name("edit")
    def delete_surplus(self, pk, sid):
        item = self._item(pk)
        surplus = next((s for s in item.surpluses if s.id == sid), None)
        if surplus is None:
            abort(404)
        try:
            db.session.delete(surplus)
            db.session.commit()
        except WriteRefused as exc:
            db.session.rollback()
            flash(exc.message, "danger")
        else:
            flash(_("已删除盘盈资产：%(name)s", name=surplus.name), "success")
        return redirect(url_for(".count", pk=pk))

    @expose("/discrepancies/<int:pk>")
    @has_access
    @permission_name("show")
    def differences(self, pk):
        item = self._item(pk)
        return self.render_template(
            "assets/stocktake_discrepancies.html", stocktake=item, report=discrepancies(item),
            title=_("盘点差异：%(no)s %(org)s", no=item.number, org=item.organization.name),
        )

    def pre_add(self, item):
        if item.organization is None and current_scope().organization_id:
            item.organization_id = current_scope().organization_id
        super().pre_add(item)


def view_specs(common: dict) -> list[ViewSpec]:
    return [ViewSpec(StocktakeView, "Asset Stocktakes", _l("资产盘点"), icon="fa-check-square-o", **common)]
