"""The core's own screens: module activation, findings (问题清单), audit trail, record history."""

from __future__ import annotations

from urllib.parse import quote

from flask import abort, flash, make_response, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.api import BaseApi, safe
from flask_appbuilder.security.decorators import permission_name, protect
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select

from core.activation import active_modules, set_module
from core.display import article_text, local_time, local_today
from core.errors import WriteRefused
from core.extensions import db
from core.models import AuditLog, Finding
from core.scoping import current_scope, scoped
from core.state import get_state
from core.web.findings import (
    FINDING_STATUSES,
    STATUS_HELP,
    act_on_finding,
    available_actions,
    find_finding,
    finding_trail,
    findings_csv,
    findings_xlsx,
    record_name,
)
from core.web.readable import RecordReader, action_label, entity_label
from core.web.views import ScopedInterface, ScopedModelView

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
                select(ModuleActivation.module_key, ModuleActivation.enabled, Jurisdiction.name)
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
            module = get_state().modules.get(key)
            flash(_("已%(what)s模块“%(module)s”（%(place)s）", what=_("启用") if enabled else _("停用"),
                    module=module.label if module else key, place=selected.name), "success")
        return redirect(url_for(".index", jurisdiction=code))


class FindingView(ScopedModelView):
    """问题清单: what flag rules found; the bureau works them by operations (core/web/findings.py)."""

    datamodel = ScopedInterface(Finding)
    access = "oversight"
    base_permissions = ["can_list", "can_show", "can_resolve", "can_export"]
    #: The role page names permissions a reader understands (core/web/role_views.py).
    permission_labels = {"can_resolve": _l("办理问题（整改、确认、重新打开）")}
    list_title = _l("问题清单")
    show_title = _l("问题详情")
    list_template = "core/findings_list.html"
    show_template = "core/findings_show.html"
    list_columns = ["article", "message", "module", "record_link", "organization", "jurisdiction",
                    "status", "opened_at"]
    show_columns = [*list_columns, "closed_at", "review_note"]
    search_columns = ["status", "article", "module", "entity", "organization"]
    base_order = ("opened_at", "desc")
    label_columns = {
        "article": _l("条款"), "message": _l("问题"), "module": _l("模块"),
        "entity": _l("数据类型"), "entity_id": _l("记录编号"), "organization": _l("单位"),
        "record_link": _l("记录"),
        "jurisdiction": _l("辖区"), "status": _l("状态"), "opened_at": _l("发现时间"),
        "closed_at": _l("关闭时间"), "review_note": _l("处理意见"), "rule_key": _l("规则"),
    }
    formatters_columns = {
        "article": article_text,
        "status": lambda v: FINDING_STATUSES.get(v, v),
        "module": lambda key: get_state().modules[key].label if key in get_state().modules else key,
        "jurisdiction": lambda j: j.name if j is not None else "",
    }

    def show_context(self, item, pk) -> dict:
        may = self.appbuilder.sm.has_access("can_resolve", self.class_permission_name)
        return {**super().show_context(item, pk), "form": FlaskForm(),
                "finding_actions": available_actions(item) if may else [],
                "finding_trail": finding_trail(item), "status_help": STATUS_HELP}

    def render_template(self, template, **kwargs):
        if template == self.list_template:
            kwargs["status_help"] = STATUS_HELP
            kwargs["xlsx"] = {"export": url_for(".export", fmt="xlsx")}
            kwargs["csv_export"] = url_for(".export", fmt="csv")
        return super().render_template(template, **kwargs)

    @expose("/act/<int:pk>/<key>", methods=["POST"])
    @has_access
    @permission_name("resolve")
    def act(self, pk, key):
        """整改 / 确认 / 重新打开 from the finding's page, with the comment the form requires."""
        finding = find_finding(pk)
        if finding is None:
            abort(404)
        if not FlaskForm().validate_on_submit():
            flash(_("表单已过期，请重试"), "danger")
            return redirect(url_for(".show", pk=pk))
        try:
            action = act_on_finding(finding, key, request.form.get("comment"))
            db.session.commit()
        except WriteRefused as exc:
            db.session.rollback()
            flash(exc.message, "danger")
        else:
            flash(_("已%(action)s：%(record)s", action=action.label, record=record_name(finding)), "success")
        return redirect(url_for(".show", pk=pk))

    @expose("/export.<fmt>")
    @has_access
    @permission_name("export")
    def export(self, fmt):
        """The list in scope as XLSX or CSV (every page, newest first)."""
        if fmt not in ("xlsx", "csv"):
            abort(404)
        findings = db.session.execute(
            scoped(select(Finding).order_by(Finding.opened_at.desc(), Finding.id.desc()), Finding)
        ).scalars().all()
        name = f"{_('问题清单')}-{local_today().strftime('%Y%m%d')}.{fmt}"
        body, mimetype = ((findings_xlsx(findings), XLSX_MIME) if fmt == "xlsx"
                          else (findings_csv(findings), "text/csv; charset=utf-8"))
        response = make_response(body)
        response.mimetype = mimetype
        response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return response


class FindingApi(BaseApi):
    """``POST /api/v1/finding/<id>/<operation>`` with ``{"comment": …}``: the buttons' service."""

    resource_name = "finding"
    access = "oversight"
    allow_browser_login = True
    openapi_spec_tag = "Findings"
    openapi_summaries = {
        "operation": _l("办理问题清单的操作：resolve 整改、accept 确认、reopen 重新打开（comment 必填）")}

    @expose("/<int:pk>/<key>", methods=["POST"])
    @protect()
    @safe
    @permission_name("resolve")
    def operation(self, pk, key):
        finding = find_finding(pk)
        if finding is None:
            return self.response(404, message=_("没有这条问题记录，或不在您的权限范围内"))
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return self.response(400, message=_("请求体应为 JSON 对象：{\"comment\": …}"))
        try:
            action = act_on_finding(finding, key, body.get("comment"))
            db.session.commit()
        except WriteRefused as exc:
            db.session.rollback()
            return self.response(getattr(exc, "status", 422), message=exc.message)
        return self.response(200, message=_("已%(action)s", action=action.label),
                             result={"id": finding.id, "status": finding.status,
                                     "status_label": str(FINDING_STATUSES[finding.status]),
                                     "review_note": finding.review_note,
                                     "closed_at": local_time(finding.closed_at)})


class AuditLogView(ScopedModelView):
    """审计日志: read-only for everyone, the system admin included."""

    datamodel = ScopedInterface(AuditLog)
    access = "audit"
    base_permissions = ["can_list", "can_show"]
    list_title = _l("审计日志")
    list_columns = ["at", "username", "entity", "record_label", "action"]
    show_columns = ["at", "username", "user_id", "entity", "entity_id", "action", "before", "after"]
    search_columns = ["username", "entity", "entity_id", "action", "at"]
    base_order = ("id", "desc")
    label_columns = {
        "at": _l("时间"), "username": _l("操作人"), "user_id": _l("用户编号"),
        "entity": _l("数据类型"), "entity_id": _l("记录编号"), "record_label": _l("记录"),
        "action": _l("操作"),
        "before": _l("修改前"), "after": _l("修改后"),
    }
    formatters_columns = {"entity": entity_label, "action": action_label}

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        """One entry, read like the record's history: labels, names, the display time zone."""
        entry = db.session.execute(
            scoped(select(AuditLog).where(AuditLog.id == (int(pk) if str(pk).isdigit() else -1)), AuditLog)
        ).scalar_one_or_none()
        if entry is None:
            abort(404)
        return self.render_template("core/audit_show.html", entries=describe_entries([entry], True))


def describe_entries(entries, with_record: bool = False) -> list[dict]:
    """Audit entries as the history and audit pages show them (core/web/readable.py)."""
    readers: dict[str, RecordReader] = {}
    described = []
    for entry in entries:
        reader = readers.setdefault(entry.entity, RecordReader(entry.entity))
        described.append({"entry": entry, "action": action_label(entry.action),
                          "entity": entity_label(entry.entity), "changes": reader.changes(entry),
                          "record": reader.record_name(entry.entity_id) if with_record else ""})
    return described


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
            "core/history.html", entity_type=entity_type, entity_id=pk, entries=describe_entries(rows),
            record_name=RecordReader(entity).record_name(pk),
        )
