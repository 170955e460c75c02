"""Several web nodes: a report submitted on one node downloads from another (docs/jobs.md).

Two real HTTP servers (``jiguan run`` in subprocesses, each with a JOBS_DIR of its own, so no
file can pass between them) and one Celery worker (``jiguan worker``) share one PostgreSQL and
Redis, as a deployment behind a load balancer does. The clerk submits the 机构名录 on node A
and downloads the PDF from node B; pdftotext reads it back. Bounded: 120 s for the
processes to start, 60 s from the submission to the PDF.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from contextlib import ExitStack, contextmanager

import pytest

from core.config import PROJECT_ROOT
from core.testing.support import PASSWORD, pdf_text, poppler_missing
from tests.core.test_jobs import REDIS_URL, redis_unreachable

#: Seconds from the submission to the downloaded PDF.
DEADLINE = 60
#: Seconds for three processes to start: each builds the app (~4 s of CPU), far longer on a
#: loaded machine; bounded so that a node that cannot start fails the test, never hangs it.
START = 120


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _call(method: str, url: str, body: dict | None = None, token: str | None = None):
    """(status, headers, body bytes) of one HTTP request to a node."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@contextmanager
def _process(args, env, log_path):
    with open(log_path, "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "core.cli", *args], cwd=PROJECT_ROOT,
                                   env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process
    except BaseException:
        print(f"--- {log_path.name} ---")
        print(open(log_path, encoding="utf-8", errors="replace").read()[-4000:])
        raise
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _wait_ready(base: str, process, deadline: float) -> None:
    while True:
        assert process.poll() is None, f"the node at {base} exited with {process.returncode}"
        try:
            if _call("GET", f"{base}/login/")[0] == 200:
                return
        except OSError:
            pass
        assert time.monotonic() < deadline, f"the node at {base} did not start"
        time.sleep(0.2)


def _login(base: str, username: str) -> str:
    status, _headers, body = _call("POST", f"{base}/api/v1/security/login", {
        "username": username, "password": PASSWORD, "provider": "db"})
    assert status == 200, body
    return json.loads(body)["access_token"]


def test_a_report_submitted_on_one_node_downloads_from_another(app, backend, tmp_path):
    if not backend.startswith("postgresql"):
        pytest.skip("several nodes share one PostgreSQL: this runs on the PostgreSQL backend")
    for reason in (redis_unreachable(), poppler_missing()):
        if reason:
            if os.environ.get("JIGUAN_REQUIRE_POSTGRES"):
                pytest.fail(reason + " (JIGUAN_REQUIRE_POSTGRES is set: CI needs every service)")
            pytest.skip(reason)
    started = time.monotonic()
    queue = f"jiguan-test-{uuid.uuid4().hex[:12]}"  # no other worker on this Redis takes our tasks
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("JIGUAN_")}
    base_env.update(
        JIGUAN_DATABASE_URL=backend, JIGUAN_LOAD_ENTRYPOINT_PLUGINS="false",
        JIGUAN_SECRET_KEY="two-nodes-test-secret-key-of-more-than-32-bytes",
        JIGUAN_JWT_SECRET_KEY="two-nodes-test-jwt-secret-of-more-than-32-bytes",
        JIGUAN_JOBS_BACKEND="celery", JIGUAN_CELERY_BROKER_URL=REDIS_URL, JIGUAN_JOBS_QUEUE=queue,
        PYTHONPATH=os.pathsep.join([str(PROJECT_ROOT), os.environ.get("PYTHONPATH", "")]))
    nodes = {}
    with ExitStack() as stack:
        for name in ("a", "b", "worker"):
            folder = tmp_path / f"jobs-{name}"
            folder.mkdir()
            env = {**base_env, "JIGUAN_JOBS_DIR": str(folder)}
            if name == "worker":
                args = ["worker", "--pool", "solo", "--loglevel", "INFO"]
            else:
                port = _free_port()
                args = ["run", "--host", "127.0.0.1", "--port", str(port), "--no-reload",
                        "--no-debugger"]
            process = stack.enter_context(_process(args, env, tmp_path / f"{name}.log"))
            if name != "worker":
                nodes[name] = (f"http://127.0.0.1:{port}", process)
        for base, process in nodes.values():
            _wait_ready(base, process, started + START)
        submitted = time.monotonic()
        deadline = submitted + DEADLINE
        (node_a, _pa), (node_b, _pb) = nodes["a"], nodes["b"]
        token_a, token_b = _login(node_a, "tianshan_clerk"), _login(node_b, "tianshan_clerk")

        status, _headers, body = _call("POST", f"{node_a}/api/v1/jobs/", {
            "kind": "report.render", "params": {"key": "organization_directory", "params": {}}},
            token=token_a)
        assert status == 201, body
        job_id = json.loads(body)["result"]["id"]
        while True:  # node B follows the job node A queued and the worker runs
            status, _headers, body = _call("GET", f"{node_b}/api/v1/jobs/{job_id}", token=token_b)
            assert status == 200, body
            job = json.loads(body)["result"]
            if job["status"] in ("done", "failed"):
                break
            assert time.monotonic() < deadline, f"job {job_id} still {job} after {DEADLINE} s"
            time.sleep(0.2)
        assert job["status"] == "done", job
        status, headers, pdf = _call("GET", f"{node_b}/api/v1/jobs/{job_id}/download", token=token_b)
        assert status == 200, pdf[:500]
        assert headers["Content-Type"] == "application/pdf" and pdf.startswith(b"%PDF-")
        text = pdf_text(pdf)
        assert "机构名录" in text and "天山区财政局" in text, text[:1000]
        # neither node kept a file: the bytes came from the database
        assert time.monotonic() - submitted < DEADLINE
        for _base, process in nodes.values():  # stop the web nodes together, then the worker
            process.terminate()
        assert [p for n in ("a", "b", "worker") for p in (tmp_path / f"jobs-{n}").iterdir()] == []
    import redis

    broker = redis.Redis.from_url(REDIS_URL)
    for key in broker.scan_iter(match=f"*{queue}*"):  # the queue's bindings: leave Redis clean
        broker.delete(key)
