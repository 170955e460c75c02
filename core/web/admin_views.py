"""The core's own screens: module activation, findings (问题清单), audit trail, record history."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select

from core.activation import active_modules, set_module
from core.errors import WriteRefused
from core.extensions import db
from core.models import AuditLog, Finding
from core.scoping import current_scope, scoped
from core.state import get_state
from core.web.views import ScopedInterface, ScopedModelView


class ModuleActivationView(BaseView):
    """模块启用: a bureau admin turns modules on or off for its jurisdiction and below."""

    route_base = "/modules"
    default_view = "index"
    access = "oversight"

    def _jurisdictions(self):
        from core.tenancy import Jurisdiction

        query = scoped(select(Jurisdiction).order_by(Jurisdiction.path), Jurisdiction)
        scope = current_scope()
        if scope.kind != "all":  # ancestors are readable, not governable
            query = query.where(Jurisdiction.path.startswith(scope.jurisdiction_path))
        return db.session.execute(query).scalars().all()

    @expose("/", methods=["GET"])
    @has_access
    @permission_name("list")
    def index(self):
        from core.tenancy import Jurisdiction

        jurisdictions = self._jurisdictions()
        code = request.args.get("jurisdiction") or (jurisdictions[0].code if jurisdictions else None)
        selected = next((j for j in jurisdictions if j.code == code), None)
        if code and selected is None:
            abort(404)
        state = get_state()
        active = active_modules(selected) if selected else set()
        explicit = {}
        if selected is not None:
            from core.models import ModuleActivation

            rows = db.session.execute(
                select(ModuleActivation.module_key, ModuleActivation.enabled, Jurisdiction.code)
                .join(Jurisdiction, ModuleActivation.jurisdiction_id == Jurisdiction.id)
                .where(Jurisdiction.code.in_(selected.ancestor_codes))
            ).all()
            for key, enabled, at in rows:
                explicit.setdefault(key, []).append((at, enabled))
        return self.render_template(
            "core/modules.html",
            jurisdictions=jurisdictions,
            selected=selected,
            modules=list(state.modules.values()),
            labels={key: module.label for key, module in state.modules.items()},
            active=active,
            explicit=explicit,
            form=FlaskForm(),
        )

    @expose("/set", methods=["POST"])
    @has_access
    @permission_name("edit")
    def set(self):
        form = FlaskForm()
        code = request.form.get("jurisdiction", "")
        key = request.form.get("module", "")
        enabled = request.form.get("enabled") == "1"
        if not form.validate_on_submit():
            flash(_("表单已过期，请重试"), "danger")
            return redirect(url_for(".index", jurisdiction=code))
        selected = next((j for j in self._jurisdictions() if j.code == code), None)
        if selected is None:
            abort(404)
        try:
            set_module(selected, key, enabled)
            db.session.commit()
        except WriteRefused as exc:
            db.session.rollback()
            flash(exc.message, "danger")
        else:
            flash(_("已%(what)s模块 %(key)s（%(place)s）",
                    what=_("启用") if enabled else _("停用"), key=key, place=selected.name), "success")
        return redirect(url_for(".index", jurisdiction=code))


FINDING_STATUSES = {"open": _l("待处理"), "resolved": _l("已整改"), "accepted": _l("已确认")}


class FindingView(ScopedModelView):
    """问题清单: what flag rules found; the bureau reviews and closes them."""

    datamodel = ScopedInterface(Finding)
    access = "oversight"
    base_permissions = ["can_list", "can_show", "can_edit"]
    list_title = _l("问题清单")
    show_title = _l("问题详情")
    edit_title = _l("审核问题")
    list_columns = ["article", "message", "module", "record_link", "organization", "status", "opened_at"]
    show_columns = [*list_columns, "jurisdiction", "closed_at", "review_note", "rule_key"]
    edit_columns = ["status", "review_note"]
    search_columns = ["status", "article", "module", "entity", "organization"]
    base_order = ("opened_at", "desc")
    label_columns = {
        "article": _l("条款"), "message": _l("问题"), "module": _l("模块"),
        "entity": _l("数据类型"), "entity_id": _l("记录编号"), "organization": _l("单位"),
        "record_link": _l("记录"),
        "jurisdiction": _l("辖区"), "status": _l("状态"), "opened_at": _l("发现时间"),
        "closed_at": _l("关闭时间"), "review_note": _l("审核意见"), "rule_key": _l("规则"),
    }
    formatters_columns = {
        "status": lambda v: FINDING_STATUSES.get(v, v),
        "module": lambda key: get_state().modules[key].label if key in get_state().modules else key,
        "opened_at": lambda at: at.strftime("%Y-%m-%d %H:%M"),
        "closed_at": lambda at: at.strftime("%Y-%m-%d %H:%M"),
    }

    def pre_update(self, item):
        from core.models import utcnow

        if item.status not in ("open", "resolved", "accepted"):
            raise WriteRefused(_("状态只能是 open（待处理）、resolved（已整改）或 accepted（已确认）"))
        item.closed_at = None if item.status == "open" else (item.closed_at or utcnow())


class AuditLogView(ScopedModelView):
    """审计日志: read-only for everyone, the system admin included."""

    datamodel = ScopedInterface(AuditLog)
    access = "audit"
    base_permissions = ["can_list", "can_show"]
    list_title = _l("审计日志")
    list_columns = ["at", "username", "entity", "entity_id", "action"]
    show_columns = ["at", "username", "user_id", "entity", "entity_id", "action", "before", "after"]
    search_columns = ["username", "entity", "entity_id", "action", "at"]
    base_order = ("id", "desc")
    label_columns = {
        "at": _l("时间"), "username": _l("操作人"), "user_id": _l("用户编号"),
        "entity": _l("数据类型"), "entity_id": _l("记录编号"), "action": _l("操作"),
        "before": _l("修改前"), "after": _l("修改后"),
    }


class RecordHistoryView(BaseView):
    """The history of one record: every audited change, oldest first."""

    route_base = "/history"
    default_view = "record"
    access = "everyone"

    @expose("/<entity>/<entity_id>")
    @has_access
    @permission_name("history")
    def record(self, entity, entity_id):
        state = get_state()
        entity_type = state.entities.get(entity)
        if entity_type is None:
            abort(404)
        pk = int(entity_id) if entity_id.isdigit() else None
        if pk is None or db.session.execute(
            scoped(select(entity_type.model.id).where(entity_type.model.id == pk), entity_type.model)
        ).first() is None:
            abort(404)
        rows = db.session.execute(
            select(AuditLog).where(AuditLog.entity == entity, AuditLog.entity_id == str(pk))
            .order_by(AuditLog.id)
        ).scalars().all()
        return self.render_template(
            "core/history.html", entity_type=entity_type, entity_id=pk, rows=rows,
            labels=state.entity_labels.get(entity, {}),
        )
