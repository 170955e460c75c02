"""The attachments of a record on its page (the panel of ``core/show.html``) and over REST.

The screen and the API share ``core.attachments.service``: the record's scope and the user's
permission on the record's screen decide, never these views' own permissions (every role
holds them; ``access = "everyone"``).
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Response, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.api import BaseApi, protect
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from core.attachments import service
from core.attachments.service import AttachmentRefused
from core.errors import WriteRefused
from core.state import get_state
from core.xlsx.views import _token_or_csrf

#: What a served file may do once the browser has it: nothing but be shown.
FILE_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; " \
              "frame-ancestors 'self'"


def serve(row, data: bytes, inline: bool) -> Response:
    """The file with its own Content-Type, a Chinese name (and an ASCII one), no sniffing."""
    disposition = "inline" if inline and service.is_inline(row) else "attachment"
    extension = row.filename.rpartition(".")[2] if "." in row.filename else "bin"
    response = Response(data, mimetype=row.content_type)
    response.headers["Content-Disposition"] = (
        f'{disposition}; filename="attachment-{row.id}.{extension}"; '
        f"filename*=UTF-8''{quote(row.filename)}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = FILE_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


def not_found_page(message):
    return render_template("core/error.html", appbuilder=current_app.appbuilder, code=404,
                           base_template=current_app.appbuilder.base_template,
                           title=_("未找到"), message=message), 404


def record_url(found) -> str:
    endpoint = get_state().entity_endpoints.get(found.entity.key)
    return url_for(endpoint, pk=found.record.id) if endpoint else url_for("IndexView.index")


def panel(entity_key: str | None, pk) -> dict | None:
    """The record page's 附件 panel (a Jinja global), or None for a type that takes none."""
    if not entity_key:
        return None
    try:
        found = service.target(entity_key, pk)
    except AttachmentRefused:
        return None
    return {
        "target": found, "rows": service.attachments_of(found), "form": FlaskForm(),
        "upload_url": url_for("AttachmentView.upload", entity=entity_key, record_id=pk),
        "zip_url": url_for("AttachmentView.download_all", entity=entity_key, record_id=pk),
        "max_files": current_app.config.get("ATTACHMENT_MAX_FILES"),
    }


class AttachmentView(BaseView):
    """上传 / 预览 / 下载 / 删除 / 下载全部附件, from the record's page."""

    route_base = "/attachments"
    default_view = "preview"
    access = "everyone"

    def _back(self, found):
        return redirect(record_url(found) + "#attachments")

    @expose("/<entity>/<record_id>/upload", methods=["POST"])
    @has_access
    @permission_name("show")
    def upload(self, entity, record_id):
        try:
            found = service.target(entity, record_id)
        except AttachmentRefused:
            return not_found_page(_("记录不存在或您无权查看"))
        if not FlaskForm().validate():
            flash(_("页面已过期，请刷新后重新上传"), "danger")
            return self._back(found)
        files = [(f.filename, f.stream) for f in request.files.getlist("files")]
        try:
            added = service.add(found, request.form.get("kind", ""), files)
        except WriteRefused as exc:
            flash(exc.message, "danger")
        else:
            flash(_("已上传 %(n)s 个附件", n=len(added)), "success")
        return self._back(found)

    @expose("/<int:pk>/delete", methods=["POST"])
    @has_access
    @permission_name("show")
    def delete(self, pk):
        try:
            row, found = service.attachment(pk)
        except AttachmentRefused:
            return not_found_page(_("附件不存在或您无权查看"))
        if not FlaskForm().validate():
            flash(_("页面已过期，请刷新后重试"), "danger")
            return self._back(found)
        try:
            service.delete(pk)
        except WriteRefused as exc:
            flash(exc.message, "danger")
        else:
            flash(_("已删除附件“%(name)s”", name=row.filename), "success")
        return self._back(found)

    @expose("/<int:pk>/preview")
    @has_access
    @permission_name("show")
    def preview(self, pk):
        return self._file(pk, inline=True)

    @expose("/<int:pk>/download")
    @has_access
    @permission_name("show")
    def download(self, pk):
        return self._file(pk, inline=False)

    def _file(self, pk, inline: bool):
        try:
            row, _found = service.attachment(pk)
        except AttachmentRefused:
            return not_found_page(_("附件不存在或您无权查看"))
        return serve(row, service.content(row), inline)

    @expose("/<entity>/<record_id>/all.zip")
    @has_access
    @permission_name("show")
    def download_all(self, entity, record_id):
        try:
            found = service.target(entity, record_id)
        except AttachmentRefused:
            return not_found_page(_("记录不存在或您无权查看"))
        return _zip(found)


def _zip(found):
    fileobj, _count = service.zip_of(found)
    name = service.zip_name(found)
    response = send_file(fileobj, mimetype="application/zip", as_attachment=True, download_name=name)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{found.entity.key}-{found.record.id}-attachments.zip\"; "
        f"filename*=UTF-8''{quote(name)}")
    return response


def row_json(row) -> dict:
    return {"id": row.id, "kind": row.kind, "filename": row.filename, "content_type": row.content_type,
            "size": row.size, "sha256": row.sha256, "uploaded_by": row.uploaded_by,
            "uploaded_at": row.uploaded_at.isoformat(timespec="seconds") + "Z"}


class AttachmentApi(BaseApi):
    """``/api/v1/attachments/<key>/<id>/`` (GET list, POST multipart ``files`` + ``kind``: 201),
    ``…/<key>/<id>/all.zip``, ``/api/v1/attachments/<pk>/file`` and ``DELETE …/<pk>``."""

    resource_name = "attachments"
    route_base = "/api/v1/attachments"
    access = "everyone"
    allow_browser_login = True
    csrf_exempt = True
    multipart_methods = ("upload",)
    openapi_summaries = {
        "list_": _l("列出一条记录的附件"),
        "upload": _l("为一条记录上传附件（multipart：files 可多个，kind 为附件类别）："
                     "任一文件不合格则全部不保存"),
        "download_all": _l("下载一条记录的全部附件（ZIP）"),
        "file": _l("下载一个附件"),
        "delete": _l("删除一个附件（仅限记录可编辑时）"),
    }

    def _refused(self, exc: WriteRefused):
        return self.response(getattr(exc, "status", 422), message=exc.message)

    @expose("/<entity>/<record_id>/", methods=["GET"])
    @protect()
    @permission_name("get")
    def list_(self, entity, record_id):
        """The record's attachments and the kinds it takes."""
        try:
            found = service.target(entity, record_id)
        except WriteRefused as exc:
            return self._refused(exc)
        return self.response(200, result=[row_json(r) for r in service.attachments_of(found)],
                             kinds={k: str(v) for k, v in found.kinds.kinds},
                             may_delete=found.may_delete)

    @expose("/<entity>/<record_id>/", methods=["POST"])
    @protect()
    @permission_name("get")
    def upload(self, entity, record_id):
        """201 with the attachments added; 4xx with a Chinese message and nothing stored."""
        if not _token_or_csrf():
            return self.response(400, message=_("缺少 CSRF 令牌：浏览器会话请在表单中附带 csrf_token"))
        try:
            found = service.target(entity, record_id)
            files = [(f.filename, f.stream) for f in request.files.getlist("files")]
            added = service.add(found, request.form.get("kind", ""), files)
        except WriteRefused as exc:
            return self._refused(exc)
        return self.response(201, result=[row_json(r) for r in added])

    @expose("/<entity>/<record_id>/all.zip", methods=["GET"])
    @protect()
    @permission_name("get")
    def download_all(self, entity, record_id):
        try:
            found = service.target(entity, record_id)
        except WriteRefused as exc:
            return self._refused(exc)
        return _zip(found)

    @expose("/<pk>/file", methods=["GET"])
    @protect()
    @permission_name("get")
    def file(self, pk):
        try:
            row, _found = service.attachment(pk)
        except WriteRefused as exc:
            return self._refused(exc)
        return serve(row, service.content(row), inline=request.args.get("inline") == "1")

    @expose("/<pk>", methods=["DELETE"])
    @protect()
    @permission_name("get")
    def delete(self, pk):
        try:
            service.delete(pk)
        except WriteRefused as exc:
            return self._refused(exc)
        return self.response(200, message=_("附件已删除"))
