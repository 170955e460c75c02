"""XLSX on every entity type's list screen (导出 Excel / 导入 / 下载模板) and over REST.

``XlsxViewMixin`` is a base of the core's ``ScopedModelView``, so every module's
list screen of a catalogued type gets the routes and the buttons without code; ``XlsxApi``
is the same over REST (installed by core/xlsx/plugin.py).
"""

from __future__ import annotations

import io

from flask import abort, current_app, flash, g, redirect, request, send_file, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.api import BaseApi, protect
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from core.xlsx.columns import MIME, XlsxError, columns_for, entity_view, permission_for
from core.xlsx.export import download_name, export_file, list_query, plain_query, template_file
from core.xlsx.importer import check_file, import_xlsx, read_upload
from core.xlsx.jobs import (
    EXPORT_JOB_ROWS,
    IMPORT_JOB_ROWS,
    import_params,
    job_rows,
)

ACCEPTED_SUFFIXES = (".xlsx", ".xlsm")


def _submit(kind: str, params: dict):
    from flask_login import current_user

    from core.jobs import submit

    return submit(kind, params, user=current_user)


def _run_import(entity, upload, dry_run: bool):
    """(result, job): a big file becomes a job once readable; a small one is imported now."""
    data = read_upload(upload.stream)
    rows = check_file(entity, data)
    limit = job_rows("XLSX_IMPORT_JOB_ROWS", IMPORT_JOB_ROWS)
    if limit and rows > limit:
        return None, _submit("xlsx.import", import_params(entity, data, upload.filename, dry_run, rows))
    return import_xlsx(entity, io.BytesIO(data), dry_run=dry_run), None


def _entity_of_model(model):
    from core.state import state_or_none

    state = state_or_none()
    return state.entities.for_model(model) if state is not None and model is not None else None


def _send(fileobj, entity, what=""):
    from urllib.parse import quote

    response = send_file(fileobj, mimetype=MIME, as_attachment=True, max_age=0,
                         download_name=download_name(entity, what))
    # the Chinese name for browsers, and an ASCII one (the type's key) for old clients and curl
    ascii_name = download_name(entity, "-template" if what else "", ascii=True)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; "
        f"filename*=UTF-8''{quote(download_name(entity, what))}")
    return response


def _token_or_csrf() -> bool:
    """A multipart POST is a "simple" request a foreign page can send with the user's cookie:
    a browser session must prove it with the CSRF token; only a *valid* bearer token (JWT or API
    token, checked by core/web/auth.py) needs none — any other ``Authorization`` header does."""
    if g.get("jiguan_bearer") or not current_app.config.get("WTF_CSRF_ENABLED", True):
        return True
    from flask_wtf.csrf import ValidationError, validate_csrf

    token = request.headers.get("X-CSRFToken") or request.form.get("csrf_token")
    try:
        validate_csrf(token)
    except ValidationError:
        return False
    return True


def _upload_error(upload) -> str | None:
    if upload is None or not upload.filename:
        return _("请选择要导入的 Excel 文件（.xlsx）")
    if not upload.filename.lower().endswith(ACCEPTED_SUFFIXES):
        return _("只能导入 Excel 工作簿（.xlsx），“%(name)s”不是。"
                 "旧版 .xls 或 CSV 请先在 Excel 中另存为 .xlsx。", name=upload.filename)
    return None


class XlsxViewMixin:
    """Export, template and import routes for a ``ScopedModelView`` of a catalogued type."""

    xlsx_import_template = "catalog/xlsx_import.html"

    def _xlsx_entity(self):
        entity = _entity_of_model(getattr(self.datamodel, "obj", None))
        if entity is None:
            abort(404)
        return entity

    def _xlsx_can(self, permission: str) -> bool:
        return current_app.appbuilder.sm.has_access(permission, self.class_permission_name)

    def xlsx_actions(self) -> dict | None:
        """The buttons the list page shows this user (None for a type outside the catalog)."""
        if _entity_of_model(getattr(self.datamodel, "obj", None)) is None:
            return None
        base = self.endpoint
        perms = set(self.base_permissions or [])
        actions = {}
        if "can_export" in perms and self._xlsx_can("can_export"):
            actions["export"] = url_for(f"{base}.xlsx_export", **request.args.to_dict(flat=False))
        if "can_add" in perms and self._xlsx_can("can_add"):
            actions["template"] = url_for(f"{base}.xlsx_template")
            actions["import"] = url_for(f"{base}.xlsx_import")
        return actions or None

    def render_template(self, template, **kwargs):
        if template == self.list_template and "xlsx" not in kwargs:
            kwargs["xlsx"] = self.xlsx_actions()
        return super().render_template(template, **kwargs)

    @expose("/xlsx/export")
    @has_access
    @permission_name("export")
    def xlsx_export(self):
        """导出 Excel: the rows the list shows (scope, filters, order), every page."""
        entity = self._xlsx_entity()
        query = list_query(self)
        limit = job_rows("XLSX_EXPORT_JOB_ROWS", EXPORT_JOB_ROWS)
        if limit and query.order_by(None).count() > limit:  # long: in the background
            job = _submit("xlsx.export", {"key": entity.key, "args": request.args.to_dict(flat=False)})
            flash(_("数据较多，已转为后台任务导出；完成后可在“我的任务”中下载。"), "info")
            return redirect(url_for("JobView.show", pk=job.id))
        fileobj, _count = export_file(entity, query)
        return _send(fileobj, entity)

    @expose("/xlsx/template")
    @has_access
    @permission_name("add")
    def xlsx_template(self):
        """下载模板: the importable columns, required ones marked, choices as drop-downs."""
        entity = self._xlsx_entity()
        return _send(template_file(entity), entity, _("导入模板"))

    @expose("/xlsx/import", methods=["GET", "POST"])
    @has_access
    @permission_name("add")
    def xlsx_import(self):
        """导入: upload an .xlsx; all rows are written or, if any row is wrong, none."""
        entity = self._xlsx_entity()
        result, error, form = None, None, FlaskForm()
        if request.method == "POST":
            upload = request.files.get("file")
            error = _upload_error(upload)
            if not form.validate():  # the CSRF token: a stale page uploads nothing
                error = _("页面已过期，请刷新后重新上传")
            if error is None:
                try:
                    result, job = _run_import(entity, upload, bool(request.form.get("dry_run")))
                except XlsxError as exc:
                    error = exc.message
                else:
                    if job is not None:
                        flash(_("文件行数较多，已转为后台任务导入；结果见“我的任务”。"), "info")
                        return redirect(url_for("JobView.show", pk=job.id))
            if result is not None and result.ok and not result.dry_run:
                flash(result.summary(), "success")
                return redirect(url_for(f"{self.endpoint}.list"))
        return self.render_template(
            self.xlsx_import_template, entity=entity, title=_("导入：%(what)s", what=entity.label),
            columns=columns_for(entity).importable, result=result, error=error, form=form,
            list_url=url_for(f"{self.endpoint}.list"),
            template_url=url_for(f"{self.endpoint}.xlsx_template"),
        )


class XlsxApi(BaseApi):
    """``/api/v1/<key>/export.xlsx``, ``…/template.xlsx`` and ``POST …/import`` for every entity type.

    The API's own permission is only the gate (every role has ``can_export``); what
    decides is the user's permission on the entity type's screen (``can_export`` to
    export, ``can_add`` to import), its module being active, and the row scope.
    """

    resource_name = "xlsx"
    route_base = "/api/v1"
    access = "everyone"
    allow_browser_login = True
    csrf_exempt = True
    #: the upload takes multipart/form-data; every other API write JSON only (core/web/csrf.py)
    multipart_methods = ("import_",)
    openapi_summaries = {
        "export": _l("导出某类数据（权限范围内）为 Excel"),
        "template": _l("下载某类数据的 Excel 导入模板"),
        "import_": _l("从 Excel 导入新记录（multipart 字段 file；dry_run=1 只校验）：任一行有误则全部不写入"),
    }

    def _entity(self, key: str, action: str):
        from core.activation import modules_for_current_user
        from core.state import get_state

        entity = get_state().entities.get(key)
        if entity is None or entity.module not in modules_for_current_user():
            return None, self.response_404()
        if not current_app.appbuilder.sm.has_access(*permission_for(entity, action)):
            return None, self.response(403, message=_("您无权对“%(what)s”执行此操作", what=entity.label))
        return entity, None

    @expose("/<key>/export.xlsx", methods=["GET"])
    @protect()
    @permission_name("export")
    def export(self, key):
        """The rows of ``key`` in the user's scope; the list screen's ``_flt_*`` / ``_oc_*`` args apply."""
        entity, refused = self._entity(key, "can_export")
        if refused is not None:
            return refused
        view = entity_view(entity)
        query = list_query(view) if view is not None else plain_query(entity)
        fileobj, _count = export_file(entity, query)
        return _send(fileobj, entity)

    @expose("/<key>/template.xlsx", methods=["GET"])
    @protect()
    @permission_name("export")
    def template(self, key):
        entity, refused = self._entity(key, "can_add")
        if refused is not None:
            return refused
        return _send(template_file(entity), entity, _("导入模板"))

    @expose("/<key>/import", methods=["POST"])
    @protect()
    @permission_name("export")
    def import_(self, key):
        """Multipart ``file`` (+ ``dry_run=1``): 200 with the count created, 422 with every error."""
        entity, refused = self._entity(key, "can_add")
        if refused is not None:
            return refused
        if not _token_or_csrf():
            return self.response(400, message=_("缺少 CSRF 令牌：浏览器会话请在表单中附带 csrf_token"))
        upload = request.files.get("file")
        error = _upload_error(upload)
        if error is not None:
            return self.response(422, message=error, errors=[])
        try:
            result, job = _run_import(entity, upload, request.form.get("dry_run") in ("1", "true"))
        except XlsxError as exc:
            return self.response(422, message=exc.message, errors=[])
        if job is not None:
            from core.jobs.views import job_json

            return self.response(202, message=_("文件行数较多，已转为后台任务导入"), job=job_json(job))
        if not result.ok:
            errors = [dict(row=e.row, column=e.column, message=e.message, text=str(e))
                      for e in result.errors]
            return self.response(422, message=result.summary(), errors=errors,
                                 more_errors=result.more_errors)
        return self.response(200, message=result.summary(), rows=result.rows,
                             created=result.created, dry_run=result.dry_run)
