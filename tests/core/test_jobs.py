"""Background jobs: queued → running → done/failed, progress, download, scope; local, eager, Celery."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select

from core.config import PROJECT_ROOT
from core.extensions import db
from core.jobs import (
    JobRefused,
    execute,
    get_visible_job,
    job_kind,
    purge,
    result_bytes,
    submit,
    visible_jobs,
)
from core.jobs.backends import EagerBackend
from core.jobs.models import Job, JobResultData
from core.scoping import scope_for_user, scoped
from tests.conftest import Browser, make_app
from tests.core import jobkinds
from tests.core.helpers import user

TIMEOUT = 60
REDIS_URL = os.environ.get("JIGUAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(scope="module")
def kinds():
    jobkinds.register()
    yield
    jobkinds.unregister()


@pytest.fixture
def jobs(app, kinds, tmp_path):
    """The session app with the test kinds and a job folder of this test's own."""
    saved = {key: app.config.get(key) for key in ("JOBS_DIR", "JOBS_STORAGE")}
    app.config["JOBS_DIR"] = str(tmp_path / "jobs")
    jobkinds.GATE.clear()
    yield app
    jobkinds.GATE.set()  # never leave a worker thread waiting
    app.config.update(saved)


def poll(browser, job_id, until=("done", "failed"), timeout=TIMEOUT, check=None) -> dict:
    """GET the job's API until its status is in ``until`` (or ``check`` says so); bounded."""
    deadline = time.monotonic() + timeout
    while True:
        response = browser.get(f"/api/v1/jobs/{job_id}")
        assert response.status_code == 200, response.get_data(as_text=True)
        data = response.get_json()["result"]
        if (check(data) if check else data["status"] in until):
            return data
        assert time.monotonic() < deadline, f"job {job_id} still {data} after {timeout} s"
        time.sleep(0.05)


def wait_row(app, job_id, timeout=TIMEOUT) -> Job:
    deadline = time.monotonic() + timeout
    with app.app_context():
        while True:
            job = db.session.get(Job, job_id)
            if job.status in ("done", "failed"):
                db.session.expunge(job)
                return job
            assert time.monotonic() < deadline, f"job {job_id} still {job.status} after {timeout} s"
            db.session.remove()
            time.sleep(0.1)


def submit_api(browser, kind, params=None):
    response = browser.api("POST", "/api/v1/jobs/", json={"kind": kind, "params": params or {}})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["result"]


def parcel_count(app, username) -> int:
    from plugins.land.parcels.models import LandParcel

    with app.app_context():
        scope = scope_for_user(user(app, username)) if username else None
        query = select(func.count(LandParcel.id))
        if scope is not None:
            query = scoped(query, LandParcel, scope)
        count = db.session.execute(query).scalar_one()
        db.session.remove()
        return count


# --- local backend (the session app's default) ----------------------------------------------------


def test_clerk_submits_polls_and_downloads(jobs, login):
    clerk = login("tianshan_clerk")
    job = submit_api(clerk, "test.slow", {"text": "你好"})
    assert job["status"] in ("queued", "running", "done")
    assert job["url"] == f"/jobs/{job['id']}"
    done = poll(clerk, job["id"])
    assert done["status"] == "done", done
    assert done["progress"] == 100
    assert done["filename"] == "结果.txt"
    assert done["download_url"] == f"/jobs/{job['id']}/download"
    response = clerk.get(done["download_url"])
    assert response.status_code == 200
    assert response.data == "结果：你好".encode()
    assert "attachment" in response.headers["Content-Disposition"]
    assert clerk.get(f"/api/v1/jobs/{job['id']}/download").data == "结果：你好".encode()
    page = clerk.text(f"/jobs/{job['id']}")
    assert "已完成" in page and done["download_url"] in page
    listing = clerk.text("/jobs/")
    assert f'data-job="{job["id"]}"' in listing and "我的任务" in listing
    with jobs.app_context():
        row = db.session.get(Job, job["id"])
        assert row.username == "tianshan_clerk" and row.attempts == 1
        assert row.started_at and row.finished_at and row.result_size == len("结果：你好".encode())
        assert row.result_path is None  # the default storage: the database, for every node
        assert db.session.get(JobResultData, row.id).size == len("结果：你好".encode())
        db.session.remove()


def test_a_job_waits_queued_and_its_progress_goes_up(jobs, login):
    clerk = login("tianshan_clerk")
    first = submit_api(clerk, "test.gated")
    running = poll(clerk, first["id"], check=lambda d: d["status"] == "running" and d["progress"] == 30)
    assert running["download_url"] is None
    second = submit_api(clerk, "test.slow")  # JOBS_WORKERS = 1: it waits behind the first
    assert clerk.get(f"/api/v1/jobs/{second['id']}").get_json()["result"]["status"] == "queued"
    page = clerk.text(f"/jobs/{first['id']}")
    assert "运行中" in page and "30%" in page and "/api/v1/jobs/" in page  # the page polls the API
    jobkinds.GATE.set()
    assert poll(clerk, first["id"])["progress"] == 100
    assert poll(clerk, second["id"])["status"] == "done"


def test_a_failing_job_shows_its_chinese_message(jobs, login):
    clerk = login("tianshan_clerk")
    job = poll(clerk, submit_api(clerk, "test.fail")["id"])
    assert job["status"] == "failed"
    assert job["message"] == "测试失败：所需数据不完整"
    assert job["download_url"] is None
    page = clerk.get(f"/jobs/{job['id']}")
    assert page.status_code == 200
    assert "测试失败：所需数据不完整" in page.get_data(as_text=True)
    assert clerk.get(f"/jobs/{job['id']}/download").status_code == 404


def test_a_crashing_job_shows_no_traceback(jobs, login, caplog):
    clerk = login("tianshan_clerk")
    job = poll(clerk, submit_api(clerk, "test.crash")["id"])
    assert job["status"] == "failed"
    assert "secret" not in job["message"] and "Traceback" not in job["message"]
    assert f"任务编号 {job['id']}" in job["message"]
    assert "secret" not in clerk.text(f"/jobs/{job['id']}")


def test_another_jurisdiction_gets_404(jobs, login):
    clerk = login("tianshan_clerk")
    job = poll(clerk, submit_api(clerk, "test.slow", {"text": "天山"})["id"])
    stranger = login("kashgar_clerk")
    for url in (f"/jobs/{job['id']}", f"/jobs/{job['id']}/download", f"/api/v1/jobs/{job['id']}",
                f"/api/v1/jobs/{job['id']}/download"):
        assert stranger.get(url).status_code == 404, url
    assert f'data-job="{job["id"]}"' not in stranger.text("/jobs/")
    assert job["id"] not in [j["id"] for j in stranger.get("/api/v1/jobs/").get_json()["result"]]
    # the bureau above sees it when it asks for every job in its scope; its own list stays its own
    bureau = login("urumqi_bureau")
    assert f'data-job="{job["id"]}"' not in bureau.text("/jobs/")
    assert f'data-job="{job["id"]}"' in bureau.text("/jobs/?all=1")
    assert bureau.get(f"/jobs/{job['id']}/download").data == "结果：天山".encode()


def test_the_job_runs_with_the_submitters_scope(jobs, login):
    clerk = login("tianshan_clerk")
    done = poll(clerk, submit_api(clerk, "test.count_parcels")["id"])
    assert done["status"] == "done", done
    mine, total = parcel_count(jobs, "tianshan_clerk"), parcel_count(jobs, None)
    assert mine < total
    assert int(clerk.get(done["download_url"]).data) == mine
    admin = login("admin")
    done = poll(admin, submit_api(admin, "test.count_parcels")["id"])
    assert int(admin.get(done["download_url"]).data) == total


def test_refusals(jobs, login):
    clerk = login("tianshan_clerk")
    response = clerk.api("POST", "/api/v1/jobs/", json={"kind": "no.such.kind", "params": {}})
    assert response.status_code == 422
    assert "未知的任务类型" in response.get_json()["message"]
    response = clerk.api("POST", "/api/v1/jobs/", json=["not", "an", "object"])
    assert response.status_code == 400
    response = clerk.api("POST", "/api/v1/jobs/", json={"kind": "test.slow", "params": [1]})
    assert response.status_code == 422
    assert clerk.get("/api/v1/jobs/999999999").status_code == 404
    assert clerk.get("/jobs/999999999").status_code == 404
    anonymous = Browser(jobs, "")
    assert anonymous.get("/api/v1/jobs/1").status_code == 401
    assert anonymous.api("POST", "/api/v1/jobs/", json={"kind": "test.slow"}).status_code == 401


def test_results_in_files_and_the_eager_backend(jobs, login, monkeypatch):
    monkeypatch.setitem(jobs.config, "JOBS_STORAGE", "files")
    holder = jobs.extensions["jiguan_jobs"]
    monkeypatch.setitem(holder, "backend", EagerBackend(jobs))
    clerk = login("tianshan_clerk")
    job = submit_api(clerk, "test.slow", {"text": "库"})
    assert job["status"] == "done"  # eager: finished before the answer
    assert clerk.get(job["download_url"]).data == "结果：库".encode()
    with jobs.app_context():
        row = db.session.get(Job, job["id"])
        assert (jobs.config["JOBS_DIR"] + f"/{row.id}/result.txt").endswith(row.result_path)
        assert db.session.get(JobResultData, row.id) is None
        assert result_bytes(row) == "结果：库".encode()
        db.session.remove()


def test_submit_in_code_and_a_job_runs_once(jobs, monkeypatch):
    monkeypatch.setitem(jobs.extensions["jiguan_jobs"], "backend", EagerBackend(jobs))
    with jobs.app_context():
        clerk = user(jobs, "tianshan_clerk")
        job = submit("test.slow", {"text": "代码"}, user=clerk)
        assert job.status == "done" and result_bytes(job) == "结果：代码".encode()
        assert execute(jobs, job.id) is None  # a second delivery finds it taken and does nothing
        with pytest.raises(JobRefused):
            submit("no.such.kind", user=clerk)
        assert get_visible_job(job.id, scope_for_user(user(jobs, "kashgar_clerk"))) is None
        assert get_visible_job(job.id, scope_for_user(clerk)) is not None
        bureau = scope_for_user(user(jobs, "urumqi_bureau"))
        assert job.id not in db.session.execute(visible_jobs(scope=bureau)).scalars().all()
        assert job.id in [j.id for j in db.session.execute(visible_jobs(scope=bureau, everyone=True))
                          .scalars()]
        db.session.remove()


def test_purge_removes_old_results_in_the_database_and_expired_ones(jobs, login, monkeypatch):
    monkeypatch.setitem(jobs.extensions["jiguan_jobs"], "backend", EagerBackend(jobs))
    clerk = login("tianshan_clerk")
    old, fresh = submit_api(clerk, "test.slow", {"text": "旧"}), submit_api(clerk, "test.slow")
    assert clerk.get(fresh["download_url"]).status_code == 200
    with jobs.app_context():
        db.session.get(Job, old["id"]).finished_at = dt.datetime(2020, 1, 1)
        db.session.get(JobResultData, fresh["id"]).expires_at = dt.datetime(2020, 1, 1)
        db.session.commit()
        assert clerk.get(fresh["download_url"]).status_code == 404  # expired: gone for every node
        purge()
        db.session.expire_all()
        assert db.session.get(Job, old["id"]) is None and db.session.get(JobResultData, old["id"]) is None
        assert db.session.get(JobResultData, fresh["id"]) is None  # expired, removed
        assert db.session.get(Job, fresh["id"]).status == "done"  # the job itself stays its week
        db.session.remove()


def test_purge_removes_old_results_and_fails_stale_jobs(jobs, monkeypatch):
    monkeypatch.setitem(jobs.extensions["jiguan_jobs"], "backend", EagerBackend(jobs))
    monkeypatch.setitem(jobs.config, "JOBS_STORAGE", "files")
    with jobs.app_context():
        clerk = user(jobs, "tianshan_clerk")
        old = submit("test.slow", {"text": "旧"}, user=clerk)
        folder = os.path.join(jobs.config["JOBS_DIR"], str(old.id))
        assert os.path.isdir(folder)
        fresh = submit("test.slow", user=clerk)
        stuck = Job(kind="test.slow", params={}, status="running", progress=40, attempts=1,
                    username="tianshan_clerk", user_id=clerk.id,
                    organization_id=clerk.organization_id,
                    jurisdiction_id=clerk.organization.jurisdiction_id,
                    created_at=dt.datetime(2020, 1, 1))
        db.session.add(stuck)
        db.session.commit()
        old.finished_at = dt.datetime(2020, 1, 1)
        db.session.commit()
        old_id, fresh_id, stuck_id = old.id, fresh.id, stuck.id
        deleted, stale = purge()
        assert deleted >= 1 and stale >= 1
        db.session.expire_all()
        assert db.session.get(Job, old_id) is None and not os.path.exists(folder)
        assert db.session.get(Job, fresh_id).status == "done"
        stuck = db.session.get(Job, stuck_id)
        assert stuck.status == "failed" and "长时间未完成" in stuck.message
        db.session.remove()
    result = jobs.test_cli_runner().invoke(args=["jobs", "purge", "--days", "7"])
    assert result.exit_code == 0, result.output
    assert "已删除" in result.output


def test_the_report_kind_is_registered(jobs):
    assert job_kind("report.render") is not None
    with jobs.app_context(), pytest.raises(JobRefused):
        submit("report.render", {"params": {}}, user=user(jobs, "tianshan_clerk"))  # no key
    with jobs.app_context():
        db.session.remove()


def test_a_report_renders_as_a_job(jobs, login):
    """The built-in kind end to end (skipped in a build without the report engine)."""
    pytest.importorskip("reports.engine")
    clerk = login("tianshan_clerk")
    job = submit_api(clerk, "report.render",
                     {"key": "organization_directory", "params": {}, "draft": True})
    done = poll(clerk, job["id"])
    assert done["status"] == "done", done
    assert done["filename"].endswith(".pdf")
    response = clerk.get(done["download_url"])
    assert response.data.startswith(b"%PDF") and response.mimetype == "application/pdf"
    # a report the user's modules do not offer is refused before it is queued
    refused = clerk.api("POST", "/api/v1/jobs/", json={"kind": "report.render",
                                                       "params": {"key": "no_such_report"}})
    assert refused.status_code == 404 and "报表不存在" in refused.get_json()["message"]


def test_a_long_report_goes_to_the_background_by_itself(jobs, login):
    """Above REPORT_INLINE_MAX_ROWS the 报表中心 and the API queue the render instead of waiting."""
    pytest.importorskip("reports.engine")
    saved = jobs.config["REPORT_INLINE_MAX_ROWS"]
    jobs.config["REPORT_INLINE_MAX_ROWS"] = 1  # the clerk's directory lists 1 organisation: inline
    try:
        bureau = login("urumqi_bureau")
        page = bureau.post("/reports/organization_directory/render", data={"action": "pdf"})
        assert page.status_code == 302 and "/jobs/" in page.headers["Location"]
        api = bureau.api("POST", "/api/v1/reports/organization_directory/render", json={"params": {}})
        assert api.status_code == 202, api.get_data(as_text=True)
        done = poll(bureau, api.get_json()["job_id"])
        assert done["status"] == "done"
        assert bureau.get(done["download_url"]).data.startswith(b"%PDF")
        clerk = login("tianshan_clerk")  # one organisation: still rendered in the request
        inline = clerk.api("POST", "/api/v1/reports/organization_directory/render", json={"params": {}})
        assert inline.status_code == 200 and inline.data.startswith(b"%PDF")
    finally:
        jobs.config["REPORT_INLINE_MAX_ROWS"] = saved


# --- Celery backend: a real worker process and the Redis on 127.0.0.1:6379 ---------------------


def redis_unreachable() -> str | None:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"Redis unreachable at {REDIS_URL}: {exc.__class__.__name__}"
    return None


@contextmanager
def celery_worker(env: dict, log_path):
    """``jiguan worker`` in a subprocess (solo pool); always stopped, its log shown on failure."""
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "core.cli", "worker", "--pool", "solo", "--loglevel", "INFO"],
            cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        yield process
    except BaseException:
        print(open(log_path, encoding="utf-8", errors="replace").read()[-5000:])
        raise
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def test_celery_worker_runs_the_job(app, kinds, tmp_path):
    reason = redis_unreachable()
    if reason:
        if os.environ.get("JIGUAN_REQUIRE_POSTGRES"):
            pytest.fail(reason + " (JIGUAN_REQUIRE_POSTGRES is set: CI needs every service)")
        pytest.skip(reason)
    uri = app.config["SQLALCHEMY_DATABASE_URI"]  # the session's demo database: a file or PostgreSQL
    queue = f"jiguan-test-{uuid.uuid4().hex[:12]}"  # no other worker on this Redis takes our tasks
    jobs_dir = str(tmp_path / "jobs")
    settings = {"JOBS_BACKEND": "celery", "CELERY_BROKER_URL": REDIS_URL, "JOBS_QUEUE": queue,
                "JOBS_DIR": jobs_dir}
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("JIGUAN_") or k == "JIGUAN_INSTANCE_PATH"}
    env.update({f"JIGUAN_{k}": v for k, v in settings.items()})
    env.update(JIGUAN_DATABASE_URL=uri, JIGUAN_LOAD_ENTRYPOINT_PLUGINS="false",
               JIGUAN_SECRET_KEY="tests-only-secret-key-32-bytes-long",
               JIGUAN_JOBS_IMPORTS='["tests.core.jobkinds:register"]',
               PYTHONPATH=os.pathsep.join([str(PROJECT_ROOT), env.get("PYTHONPATH", "")]))
    web = make_app(uri, **settings)
    clerk = Browser(web, "tianshan_clerk")
    with celery_worker(env, tmp_path / "worker.log"):
        job = submit_api(clerk, "test.slow", {"text": "集群"})
        assert job["status"] == "queued"
        done = poll(clerk, job["id"])
        assert done["status"] == "done", done
        assert clerk.get(done["download_url"]).data == "结果：集群".encode()
        counted = poll(clerk, submit_api(clerk, "test.count_parcels")["id"])
        assert int(clerk.get(counted["download_url"]).data) == parcel_count(app, "tianshan_clerk")
        failed = poll(clerk, submit_api(clerk, "test.fail")["id"])
        assert failed["status"] == "failed" and failed["message"] == "测试失败：所需数据不完整"
    with web.app_context():
        assert db.session.get(Job, job["id"]).attempts == 1
        db.session.remove()
        db.engine.dispose()
    import redis

    broker = redis.Redis.from_url(REDIS_URL)
    for key in broker.scan_iter(match=f"*{queue}*"):  # the queue's bindings: leave Redis clean
        broker.delete(key)


def test_an_unreachable_broker_fails_the_job_not_the_request(app, kinds, tmp_path):
    web = make_app(app.config["SQLALCHEMY_DATABASE_URI"], JOBS_BACKEND="celery",
                   CELERY_BROKER_URL="redis://127.0.0.1:1/0", JOBS_DIR=str(tmp_path))
    clerk = Browser(web, "tianshan_clerk")
    response = clerk.api("POST", "/api/v1/jobs/", json={"kind": "test.slow", "params": {}})
    assert response.status_code == 201
    job = response.get_json()["result"]
    assert job["status"] == "failed" and "任务队列暂时不可用" in job["message"]
    with web.app_context():
        db.session.remove()
        db.engine.dispose()


def test_the_job_screens_speak_english_on_request(jobs, login):
    clerk = login("tianshan_clerk")
    job = poll(clerk, submit_api(clerk, "test.fail")["id"])
    clerk.get("/lang/en")
    listing = clerk.text("/jobs/")
    assert "My jobs" in listing and "Failed" in listing and "我的任务" not in listing
    page = clerk.text(f"/jobs/{job['id']}")
    assert "Reason" in page and "测试失败：所需数据不完整" in page  # the stored message stays as written
    assert clerk.get(f"/api/v1/jobs/{job['id']}").get_json()["result"]["status_label"] == "Failed"
