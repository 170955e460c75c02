"""Job kinds the job tests register (in the test process, and in the Celery worker they start
through ``JOBS_IMPORTS=["tests.core.jobkinds:register"]``)."""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select

from core.extensions import db
from core.jobs import JobError, JobResult, register_job_kind, unregister_job_kind
from core.scoping import scoped

#: The gated job waits here until the test opens it (local backend only: same process).
GATE = threading.Event()


def slow(params, progress):
    for step in (20, 40, 60, 80):
        time.sleep(0.05)
        progress(step)
    return JobResult(f"结果：{params.get('text', '')}".encode(), "结果.txt", "text/plain; charset=utf-8")


def gated(params, progress):
    progress(30)
    if not GATE.wait(timeout=30):
        raise JobError("测试门未打开")
    progress(60)
    return JobResult(b"gated", "gated.bin", "application/octet-stream")


def fail(params, progress):
    progress(10)
    raise JobError("测试失败：所需数据不完整")


def crash(params, progress):
    raise RuntimeError("secret internal detail")


def count_parcels(params, progress):
    """Counts land parcels through the scope function: the submitter's count, not the total."""
    from plugins.land.parcels.models import LandParcel

    count = db.session.execute(scoped(select(func.count(LandParcel.id)), LandParcel)).scalar_one()
    return JobResult(str(count).encode(), "count.txt", "text/plain")


KINDS = {"test.slow": slow, "test.gated": gated, "test.fail": fail, "test.crash": crash,
         "test.count_parcels": count_parcels}


def register() -> None:
    for name, func_ in KINDS.items():
        register_job_kind(name, func_, label=name)


def unregister() -> None:
    for name in KINDS:
        unregister_job_kind(name)
