"""Where a queued job runs: a thread pool here, Celery workers anywhere, or at once."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from flask import Flask

log = logging.getLogger("jiguan.jobs")


class LocalBackend:
    """A thread pool inside the web process (``JOBS_WORKERS`` threads): one machine, no broker.

    Jobs queued when the process stops are not resumed; ``jiguan jobs purge`` fails them
    after ``JOBS_STALE_HOURS``.
    """

    def __init__(self, app: Flask):
        self.app = app
        self.executor = ThreadPoolExecutor(max_workers=max(1, int(app.config.get("JOBS_WORKERS", 1))),
                                           thread_name_prefix="jiguan-job")

    def dispatch(self, job_id: int) -> None:
        from core.jobs import execute

        future = self.executor.submit(execute, self.app, job_id)
        future.add_done_callback(_log_crash)

    def shutdown(self, wait: bool = True) -> None:
        self.executor.shutdown(wait=wait)


def _log_crash(future) -> None:
    exc = future.exception()
    if exc is not None:  # execute() catches the job's own errors: this is the database or the like
        log.error("job runner crashed", exc_info=exc)


class EagerBackend:
    """Run the job at once in the caller's thread (tests, scripts): ``submit`` returns it finished."""

    def __init__(self, app: Flask):
        self.app = app

    def dispatch(self, job_id: int) -> None:
        from core.jobs import execute

        execute(self.app, job_id)


class CeleryBackend:
    """Send ``jiguan.run_job(job_id)`` to ``JOBS_QUEUE`` on ``CELERY_BROKER_URL`` (Redis).

    The web side only publishes: it needs the broker, not the task code. Workers
    (``jiguan worker``, any node) read the same database; the row holds status and progress,
    so no result backend is used.
    """

    def __init__(self, app: Flask):
        from celery import Celery

        self.queue = app.config.get("JOBS_QUEUE", "jiguan")
        self.client = Celery("jiguan-client", broker=app.config["CELERY_BROKER_URL"],
                             set_as_current=False)
        self.client.conf.update(broker_connection_retry_on_startup=True,
                                broker_connection_timeout=5, task_default_queue=self.queue)

    def dispatch(self, job_id: int) -> None:
        self.client.send_task("jiguan.run_job", args=[job_id], queue=self.queue, ignore_result=True,
                              retry=True, retry_policy={"max_retries": 2, "interval_start": 0.5,
                                                        "interval_step": 1, "interval_max": 2})


def make_backend(app: Flask):
    name = app.config.get("JOBS_BACKEND", "local")
    return {"local": LocalBackend, "celery": CeleryBackend, "eager": EagerBackend}[name](app)
