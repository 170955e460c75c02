"""我的任务: the job list, a job's page (status, progress, download) and the jobs REST API."""

from __future__ import annotations

import io

from flask import abort, request, send_file, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.api import BaseApi, safe
from flask_appbuilder.security.decorators import permission_name, protect
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.display import local_time
from core.display.paging import page_of
from core.errors import WriteRefused
from core.extensions import db
from core.jobs import (
    STATUSES,
    get_visible_job,
    kind_label,
    result_bytes,
    result_file,
    submit,
    visible_jobs,
)
from core.jobs.models import Job
from core.scoping import current_scope
from core.versioning import utcnow

PAGE_SIZE = 50


def _fmt(value) -> str | None:
    return local_time(value, seconds=True) if value else None


def row_rate(job: Job) -> float | None:
    """Seconds per 1,000 rows so far of a running job over rows (its params name ``rows``, as an
    import's do): the time since it started over the rows its progress says are done."""
    rows = (job.params or {}).get("rows") if isinstance(job.params, dict) else None
    if job.status != "running" or not job.started_at or not job.progress or not isinstance(rows, int) \
            or isinstance(rows, bool) or rows <= 0:
        return None
    done = rows * job.progress / 100
    seconds = (utcnow() - job.started_at).total_seconds()
    return max(0.0, seconds) * 1000 / done if done >= 1 else None


def rate_text(rate: float | None) -> str | None:
    if rate is None:
        return None
    return _("每 1,000 行 %(n)s 秒", n=format(rate, ",.1f"))


def job_json(job: Job) -> dict:
    """What the API and the page's polling read."""
    done = job.status == "done"
    rate = row_rate(job)
    return {
        "id": job.id,
        "kind": job.kind,
        "label": str(kind_label(job.kind)),
        "status": job.status,
        "status_label": str(STATUSES.get(job.status, job.status)),
        "progress": job.progress,
        "seconds_per_1000_rows": round(rate, 1) if rate is not None else None,
        "rate_text": rate_text(rate),
        "message": job.message,
        "username": job.username,
        "created_at": _fmt(job.created_at),
        "started_at": _fmt(job.started_at),
        "finished_at": _fmt(job.finished_at),
        "filename": job.result_filename if done else None,
        "size": job.result_size if done else None,
        "url": url_for("JobView.show", pk=job.id),
        "download_url": url_for("JobView.download", pk=job.id) if done else None,
    }


def _download(job: Job | None):
    """The result, from the database or the result folder, whichever node answers."""
    if job is None or job.status != "done":
        abort(404)
    path = result_file(job)
    if path is not None:
        return send_file(path, mimetype=job.result_mimetype, as_attachment=True,
                         download_name=job.result_filename)
    data = result_bytes(job) if job.result_path is None else None
    if data is None:
        abort(404)  # purged or expired
    return send_file(io.BytesIO(data), mimetype=job.result_mimetype, as_attachment=True,
                     download_name=job.result_filename)


class JobView(BaseView):
    """我的任务: the user's jobs; bureau users may also list every job in their scope."""

    route_base = "/jobs"
    default_view = "index"
    access = "everyone"

    @expose("/")
    @has_access
    @permission_name("list")
    def index(self):
        scope = current_scope()
        overseer = scope.kind in ("all", "jurisdiction")
        everyone = overseer and request.args.get("all") == "1"
        page = page_of(db.session, visible_jobs(scope=scope, everyone=everyone), Job.id.desc(),
                       request.args.get("page", 1, type=int), PAGE_SIZE)
        return self.render_template(
            "core/jobs.html", jobs=page.rows, statuses=STATUSES, kind_label=kind_label,
            overseer=overseer, everyone=everyone, page=page,
            active=any(j.status in ("queued", "running") for j in page.rows),
        )

    @expose("/<int:pk>")
    @has_access
    @permission_name("show")
    def show(self, pk):
        job = get_visible_job(pk)
        if job is None:
            abort(404)
        return self.render_template("core/job.html", job=job, data=job_json(job),
                                    statuses=STATUSES, kind_label=kind_label)

    @expose("/<int:pk>/download")
    @has_access
    @permission_name("show")
    def download(self, pk):
        return _download(get_visible_job(pk))


class JobApi(BaseApi):
    """``GET /api/v1/jobs/``, ``GET /api/v1/jobs/<id>``, ``POST /api/v1/jobs/`` {kind, params}."""

    resource_name = "jobs"
    access = "everyone"
    allow_browser_login = True
    openapi_spec_tag = "Jobs"
    openapi_summaries = {
        "list_jobs": _l("我的后台任务（辖区管理员加 ?all=1 查看本辖区全部任务）"),
        "get_job": _l("任务的状态、进度、说明和下载地址"),
        "download": _l("下载已完成任务的结果文件"),
        "submit_job": _l("提交后台任务（kind 和 params）"),
    }
    openapi_examples = {"submit_job": {"kind": "report.render",
                                       "params": {"key": "organization_directory", "params": {}}}}

    @expose("/", methods=["GET"])
    @protect()
    @safe
    @permission_name("get")
    def list_jobs(self):
        """The user's recent jobs (bureau users: ``?all=1`` for every job in their scope)."""
        scope = current_scope()
        everyone = scope.kind in ("all", "jurisdiction") and request.args.get("all") == "1"
        jobs = db.session.execute(
            visible_jobs(scope=scope, everyone=everyone).order_by(Job.id.desc()).limit(PAGE_SIZE)
        ).scalars().all()
        return self.response(200, result=[job_json(job) for job in jobs])

    @expose("/<int:pk>", methods=["GET"])
    @protect()
    @safe
    @permission_name("get")
    def get_job(self, pk):
        """A job's status, progress, message and download URL."""
        job = get_visible_job(pk)
        if job is None:
            return self.response_404()
        return self.response(200, result=job_json(job))

    @expose("/<int:pk>/download", methods=["GET"])
    @protect()
    @permission_name("get")
    def download(self, pk):
        """The result of a done job."""
        return _download(get_visible_job(pk))

    @expose("/", methods=["POST"])
    @protect()
    @safe
    # Submitting is open to every role that may read: what a job may touch is decided by the
    # job kind, run in the submitter's own scope (a report render is a read).
    @permission_name("get")
    def submit_job(self):
        """Queue a job: ``{"kind": "report.render", "params": {...}}`` → 201 with the job."""
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("kind"), str):
            return self.response_400(message=_("请求体必须是 JSON 对象，包含 kind 和 params"))
        try:
            job = submit(body["kind"], body.get("params") or {})
        except WriteRefused as exc:
            db.session.rollback()
            return self.response(exc.status, message=exc.message)
        return self.response(201, result=job_json(job))
