"""Background jobs (docs/jobs.md): long work runs queued, with progress, and ends in a download.

A job kind is a function ``func(params, progress) -> JobResult`` a module returns as a
``JobKind`` from its ``register_job_kinds`` hook (core/jobs/plugin.py installs them).
:func:`submit` writes a queued ``core_job`` row (scoped like the submitter) and hands its id to
the backend chosen by ``JOBS_BACKEND``:

- ``local``: a thread pool inside the web process (one machine);
- ``celery``: a Celery task ``jiguan.run_job`` on Redis, run by ``jiguan worker`` on any node;
- ``eager``: at once, in the caller (tests, scripts).

Every backend ends in :func:`execute`: it claims the row (queued → running), runs the function
in an app context **as the submitting user** (``acting_as``), so scoping applies exactly as in
the user's own requests, stores the result and marks the row done, or failed with a Chinese
message (the traceback goes to the log, never to the user). Status and progress are written in
short transactions of their own, never in the job's session.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import logging
import re
import shutil
import threading
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app, has_request_context, request
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, or_, select, update

from core.contract import JobKind
from core.display.locale import default_locale, locale_of
from core.errors import WriteRefused
from core.extensions import db
from core.jobs.models import Job, JobResultData
from core.scoping import SYSTEM, UserScope, acting_as, current_scope, scope_for_user, scoped
from core.versioning import utcnow

log = logging.getLogger("jiguan.jobs")

STATUSES = {"queued": _l("排队中"), "running": _l("运行中"), "done": _l("已完成"), "failed": _l("失败")}
FINISHED = ("done", "failed")
BACKENDS = ("local", "celery", "eager")

ProgressFn = Callable[[int], None]


@dataclass(frozen=True)
class JobResult:
    """What a job function returns: the bytes to download, their file name and type."""

    data: bytes
    filename: str
    mimetype: str = "application/octet-stream"


class JobError(Exception):
    """Raised by a job function to fail the job with this message (Chinese, shown to the user)."""

    def __init__(self, message):
        self.message = str(message)
        super().__init__(self.message)


class JobRefused(WriteRefused):
    """``submit`` refused the job (unknown kind, bad parameters); ``status`` is the API's answer."""

    def __init__(self, message, status: int = 422):
        super().__init__(message)
        self.status = status


_KINDS: dict[str, JobKind] = {}
_LOCK = threading.Lock()


def register_job_kind(name: str, func: Callable[[dict, ProgressFn], JobResult], *, label=None,
                      validate: Callable[[dict, UserScope], None] | None = None) -> JobKind:
    """Register a job kind in this process. Modules return their kinds from the
    ``register_job_kinds`` hook, which the jobs service registers in the web process and in
    every worker alike. Registering the same function again is harmless; another function
    under a taken name raises ``ValueError``."""
    return install_job_kind(JobKind(name=name, func=func, label=label, validate=validate))


def install_job_kind(kind: JobKind) -> JobKind:
    name, func = kind.name, kind.func
    with _LOCK:
        known = _KINDS.get(name)
        if known is not None and known.func is not func:
            raise ValueError(f"job kind {name!r} is already registered by {known.func!r}")
        _KINDS[name] = kind
    return kind


def unregister_job_kind(name: str) -> None:
    with _LOCK:
        _KINDS.pop(name, None)


def job_kind(name: str) -> JobKind | None:
    return _KINDS.get(name)


def job_kinds() -> dict[str, JobKind]:
    return dict(_KINDS)


def kind_label(name: str):
    kind = _KINDS.get(name)
    return kind.label if kind is not None and kind.label else name


# --- set-up -------------------------------------------------------------------------------------


def init_jobs(app: Flask) -> None:
    """Check the settings and load the job kinds of ``JOBS_IMPORTS`` (called by ``create_app``)."""
    backend = app.config.get("JOBS_BACKEND", "local")
    if backend not in BACKENDS:
        raise RuntimeError(f"JOBS_BACKEND must be one of {', '.join(BACKENDS)}, not {backend!r}")
    if app.config.get("JOBS_STORAGE", "database") not in ("files", "database"):
        raise RuntimeError("JOBS_STORAGE must be 'files' or 'database'")
    for target in app.config.get("JOBS_IMPORTS") or []:
        module_name, _sep, attr = str(target).partition(":")
        module = importlib.import_module(module_name)
        if attr:
            getattr(module, attr)()
    app.extensions["jiguan_jobs"] = {"backend": None, "lock": threading.Lock()}


def backend_for(app: Flask):
    """The app's backend, built at the first submission (no thread pool or broker before)."""
    from core.jobs.backends import make_backend

    holder = app.extensions["jiguan_jobs"]
    with holder["lock"]:
        if holder["backend"] is None:
            holder["backend"] = make_backend(app)
        return holder["backend"]


def jobs_dir(app: Flask | None = None) -> Path:
    app = app or current_app
    return Path(app.config.get("JOBS_DIR") or Path(app.instance_path) / "jobs")


# --- submitting and reading -----------------------------------------------------------------------

#: The address the running job was submitted from (:func:`site_url`).
_submitted_from: ContextVar[str | None] = ContextVar("jiguan_job_site_url", default=None)


def site_url() -> str | None:
    """Where users open jiguan, as far as the code running can tell: the request's own address
    (``http://zcgl.example.gov.cn``, no trailing slash), in a background job the address of the
    request that submitted it, None on the command line."""
    if has_request_context():
        return request.url_root.rstrip("/")
    return _submitted_from.get()


def submit(kind: str, params: dict | None = None, user=None) -> Job:
    """Queue a job of ``kind`` for ``user`` (default: whoever is acting) and dispatch it.

    Commits the session. Raises :class:`JobRefused` for an unknown kind or bad parameters.
    """
    spec = _KINDS.get(kind)
    if spec is None:
        raise JobRefused(_("未知的任务类型：%(kind)s", kind=kind))
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise JobRefused(_("任务参数必须是一个 JSON 对象"))
    try:
        params = json.loads(json.dumps(params))
    except (TypeError, ValueError) as exc:
        raise JobRefused(_("任务参数必须是一个 JSON 对象")) from exc
    scope = scope_for_user(user) if user is not None else current_scope()
    if scope.kind == "none":
        raise JobRefused(_("您的账号未绑定单位或没有角色，不能提交任务"), status=403)
    if spec.validate is not None:
        try:
            with acting_as(scope):
                spec.validate(params, scope)
        except WriteRefused:
            raise
        except Exception as exc:  # noqa: BLE001 - a validator's bug must not become a 500
            log.exception("validating a %s job failed", kind)
            raise JobRefused(_("任务参数无效")) from exc
    job = Job(kind=kind, params=params, status="queued", progress=0, attempts=0,
              user_id=scope.user_id, username=scope.username,
              organization_id=scope.organization_id, jurisdiction_id=scope.jurisdiction_id,
              created_at=utcnow(), site_url=site_url())
    with acting_as(scope):
        db.session.add(job)
        db.session.commit()
    app = current_app._get_current_object()
    try:
        backend_for(app).dispatch(job.id)
    except Exception:  # noqa: BLE001 - the queue is down: the job fails visibly, the request does not
        log.exception("could not dispatch job %s", job.id)
        _set(job.id, status="failed", finished_at=utcnow(),
             message=_text(_l("任务队列暂时不可用，任务未能开始，请稍后重新提交")))
    db.session.refresh(job)
    return job


def visible_jobs(query=None, scope: UserScope | None = None, everyone: bool = False):
    """Jobs the scope may see: the row scope, and for a clerk only its own jobs.

    Bureau users and the system admin see their own jobs too, unless ``everyone`` asks for
    every job in their scope (oversight).
    """
    scope = scope or current_scope()
    query = scoped(select(Job) if query is None else query, Job, scope)
    if scope.kind == "organization" or not everyone:
        query = query.where(Job.user_id == scope.user_id) if scope.user_id is not None else \
            query.where(Job.user_id.is_(None))
    return query


def get_visible_job(pk: int, scope: UserScope | None = None) -> Job | None:
    """One job if the scope may see it (its own, or any in scope for bureau users), else None."""
    return db.session.execute(visible_jobs(scope=scope, everyone=True).where(Job.id == pk)) \
        .scalar_one_or_none()


def result_bytes(job: Job, app: Flask | None = None) -> bytes | None:
    """The result of a done job, or None when it is gone (purged, expired, the file missing)."""
    if job.status != "done":
        return None
    if job.result_path:
        path = jobs_dir(app) / job.result_path
        return path.read_bytes() if path.is_file() else None
    table = JobResultData.__table__
    return db.session.execute(select(table.c.data).where(
        table.c.job_id == job.id, table.c.expires_at > utcnow())).scalar_one_or_none()


def result_file(job: Job, app: Flask | None = None) -> Path | None:
    if job.status != "done" or not job.result_path:
        return None
    path = jobs_dir(app) / job.result_path
    return path if path.is_file() else None


# --- running --------------------------------------------------------------------------------------


def _text(message) -> str:
    """Messages are stored as text when the job ends, in the language in force: the submitter's
    while the job runs (:func:`_submitter_locale`) or submits, else the default (Chinese)."""
    return str(message)


def _submitter_locale(job_row) -> str:
    """The language the job renders in for its submitter: their stored choice (a report in
    Uyghur for a user who chose ئۇيغۇرچە), the default for the system's own jobs."""
    if job_row.user_id is None:
        return default_locale()
    return locale_of(db.session.get(current_app.appbuilder.sm.user_model, job_row.user_id))


def _set(job_id: int, **values) -> int:
    """Write status columns in a short transaction of their own (not the job's session)."""
    with db.engine.begin() as conn:
        return conn.execute(update(Job.__table__).where(Job.__table__.c.id == job_id)
                            .values(**values)).rowcount


def _progress_writer(job_id: int) -> ProgressFn:
    last = {"value": 0}

    def progress(value) -> None:
        try:
            value = max(0, min(99, int(value)))  # 100 means done: only the end of the job says it
        except (TypeError, ValueError):
            return
        if value <= last["value"]:
            return
        last["value"] = value
        with db.engine.begin() as conn:
            table = Job.__table__
            conn.execute(update(table).where(table.c.id == job_id, table.c.status == "running")
                         .values(progress=value))

    return progress


_SUFFIX = re.compile(r"^\.[A-Za-z0-9]{1,10}$")


def _store(app: Flask, job_id: int, result: JobResult) -> dict:
    """The job row's result columns; a result file is written now, a database one by ``_finish``."""
    values = dict(result_filename=(result.filename or "result")[:255],
                  result_mimetype=(result.mimetype or "application/octet-stream")[:128],
                  result_size=len(result.data))
    if app.config.get("JOBS_STORAGE", "database") == "database":
        return {**values, "result_path": None}
    suffix = Path(result.filename or "").suffix
    name = "result" + (suffix if _SUFFIX.match(suffix) else "")
    folder = jobs_dir(app) / str(job_id)
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / (name + ".part")
    partial.write_bytes(result.data)
    partial.replace(folder / name)  # readers never see half a file
    return {**values, "result_path": f"{job_id}/{name}"}


def _finish(app: Flask, job_id: int, values: dict, result: JobResult) -> None:
    """Mark the job done and, with database storage, keep its result, in one transaction:
    no node ever sees a done job without its result."""
    now = utcnow()
    with db.engine.begin() as conn:
        if values["result_path"] is None:
            keep = dt.timedelta(days=float(app.config.get("JOBS_KEEP_DAYS", 7)))
            conn.execute(delete(JobResultData.__table__).where(JobResultData.__table__.c.job_id == job_id))
            conn.execute(insert(JobResultData.__table__).values(
                job_id=job_id, data=result.data, size=len(result.data),
                mimetype=values["result_mimetype"], created_at=now, expires_at=now + keep))
        conn.execute(update(Job.__table__).where(Job.__table__.c.id == job_id).values(
            status="done", progress=100, finished_at=now, message=None, **values))


def _scope_of_submitter(job_row) -> UserScope | None:
    if job_row.user_id is None:
        return SYSTEM  # submitted by the system (a CLI command without --as)
    user = db.session.get(current_app.appbuilder.sm.user_model, job_row.user_id)
    if user is None or not user.active:
        return None
    return scope_for_user(user)


def execute(app: Flask, job_id: int) -> str | None:
    """Run one queued job to its end (every backend calls this). Returns its final status,
    or None when the job was not queued (already taken by another worker, or gone)."""
    with app.app_context():
        try:
            return _execute(app, job_id)
        finally:
            db.session.remove()


def _execute(app: Flask, job_id: int) -> str | None:
    table = Job.__table__
    with db.engine.begin() as conn:
        claimed = conn.execute(
            update(table).where(table.c.id == job_id, table.c.status == "queued")
            .values(status="running", started_at=utcnow(), progress=0, attempts=table.c.attempts + 1)
        ).rowcount
    if not claimed:
        log.info("job %s is not queued (taken already, or gone): skipped", job_id)
        return None
    row = db.session.execute(select(table).where(table.c.id == job_id)).one()
    spec = _KINDS.get(row.kind)
    scope = _scope_of_submitter(row)
    locale = _submitter_locale(row)
    db.session.rollback()
    with force_locale(locale):
        return _run(app, job_id, row, spec, scope)


def _run(app: Flask, job_id: int, row, spec, scope) -> str:
    """The claimed job, in its submitter's language (``force_locale`` around it)."""
    if spec is None:
        return _fail(job_id, _text(_l("此节点不认识任务类型 %(kind)s，请检查 JOBS_IMPORTS", kind=row.kind)))
    if scope is None or scope.kind == "none":
        return _fail(job_id, _text(_l("提交任务的用户已不存在、已停用或已无数据范围")))
    log.info("job %s (%s) for %s started", job_id, row.kind, scope.username)
    submitted_from = _submitted_from.set(row.site_url)
    try:
        with acting_as(scope):
            result = spec.func(dict(row.params or {}), _progress_writer(job_id))
        if not isinstance(result, JobResult):
            raise TypeError(f"job kind {row.kind} returned {type(result).__name__}, not JobResult")
        values = _store(app, job_id, result)
    except (JobError, WriteRefused) as exc:
        db.session.rollback()
        log.info("job %s failed: %s", job_id, exc.message)
        return _fail(job_id, exc.message)
    except Exception:  # noqa: BLE001 - the user gets a message; the traceback goes to the log
        db.session.rollback()
        log.exception("job %s (%s) crashed", job_id, row.kind)
        return _fail(job_id, _text(_l("任务执行出错（任务编号 %(id)s），请联系系统管理员", id=job_id)))
    finally:
        _submitted_from.reset(submitted_from)
    db.session.rollback()  # whatever the job left uncommitted is not ours to keep
    _finish(app, job_id, values, result)
    log.info("job %s done: %s (%s bytes)", job_id, values["result_filename"], values["result_size"])
    return "done"


def _fail(job_id: int, message: str) -> str:
    _set(job_id, status="failed", finished_at=utcnow(), message=str(message)[:2000])
    return "failed"


# --- housekeeping ---------------------------------------------------------------------------------


def purge(keep_days: float | None = None, stale_hours: float | None = None,
          now: dt.datetime | None = None) -> tuple[int, int]:
    """Fail jobs stuck queued/running past ``stale_hours``; delete finished jobs older than
    ``keep_days`` with their result files. Returns (deleted, failed as stale)."""
    app = current_app._get_current_object()
    now = now or utcnow()
    keep_days = app.config.get("JOBS_KEEP_DAYS", 7) if keep_days is None else keep_days
    stale_hours = app.config.get("JOBS_STALE_HOURS", 6) if stale_hours is None else stale_hours
    table = Job.__table__
    with db.engine.begin() as conn:
        stale = conn.execute(
            update(table).where(table.c.status.in_(("queued", "running")),
                                table.c.created_at < now - dt.timedelta(hours=stale_hours))
            .values(status="failed", finished_at=now,
                    message=_text(_l("任务长时间未完成（执行节点可能已停止），已终止，请重新提交")))
        ).rowcount
        cutoff = now - dt.timedelta(days=keep_days)
        old = or_(table.c.finished_at < cutoff,
                  (table.c.finished_at.is_(None)) & (table.c.created_at < cutoff))
        ids = conn.execute(select(table.c.id).where(table.c.status.in_(FINISHED), old)).scalars().all()
        results = JobResultData.__table__
        for start in range(0, len(ids), 500):
            # SQLite enforces no ON DELETE CASCADE without its pragma: the results go first
            conn.execute(delete(results).where(results.c.job_id.in_(ids[start:start + 500])))
            conn.execute(delete(table).where(table.c.id.in_(ids[start:start + 500])))
        conn.execute(delete(results).where(results.c.expires_at < now))
    base = jobs_dir(app)
    for job_id in ids:
        shutil.rmtree(base / str(job_id), ignore_errors=True)
    return len(ids), stale


__all__ = [
    "JobError",
    "JobKind",
    "JobRefused",
    "JobResult",
    "STATUSES",
    "execute",
    "get_visible_job",
    "init_jobs",
    "job_kind",
    "job_kinds",
    "jobs_dir",
    "purge",
    "register_job_kind",
    "result_bytes",
    "submit",
    "unregister_job_kind",
    "visible_jobs",
]
