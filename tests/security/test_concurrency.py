"""Writes land where they are sent, once, under real concurrent servers.

The probes of issue 9 as tests: the demo served by werkzeug's threaded server on the SQLite
file of the ``app`` fixture, and by ``gunicorn -w 2 --threads 4`` on its PostgreSQL. Two
users PUT to two different records from 16 clients at once: no write lands on the other
record, no row is created. 20 writers PUT with the same ``version`` at once: exactly one
200 per version, the rest 409 with the record as it now is, one audit row per accepted write.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from core.extensions import db
from core.models import AuditLog
from core.testing.support import PASSWORD

CLIENTS, ROUNDS, WRITERS = 16, 10, 20


class Http:
    """A bearer-token REST client over a real socket (stdlib only), safe to share across threads."""

    def __init__(self, base: str, username: str):
        self.host, self.port = urlsplit(base).hostname, urlsplit(base).port
        status, body = self.call("POST", "/api/v1/security/login", {
            "username": username, "password": PASSWORD, "provider": "db"}, auth=False)
        assert status == 200, (username, status, body)
        self.token = body["access_token"]

    def call(self, method: str, path: str, payload=None, auth: bool = True):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"Content-Type": "application/json"}
        if auth:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            conn.request(method, path, body=None if payload is None else json.dumps(payload),
                         headers=headers)
            response = conn.getresponse()
            raw = response.read()
        finally:
            conn.close()
        try:
            return response.status, json.loads(raw or b"null")
        except ValueError:
            return response.status, raw.decode(errors="replace")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_up(base: str, proc=None, seconds: float = 60) -> None:
    parts = urlsplit(base)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
            conn.request("GET", "/login/")
            if conn.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"no answer from {base}")


@pytest.fixture
def server(app, backend):
    """The URL of the demo served as in production: threads on SQLite, gunicorn on PostgreSQL."""
    if backend.startswith("sqlite"):
        httpd = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{httpd.server_port}"
        httpd.shutdown()
        return
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable))
    if gunicorn is None:
        pytest.fail("gunicorn is missing: `make setup` installs the test extra")
    port = _free_port()
    env = {**os.environ, "JIGUAN_DATABASE_URL": backend, "JIGUAN_TESTING": "true",
           "JIGUAN_SECRET_KEY": app.config["SECRET_KEY"],
           "JIGUAN_JWT_SECRET_KEY": app.config["JWT_SECRET_KEY"],
           "JIGUAN_LOAD_ENTRYPOINT_PLUGINS": "false", "JIGUAN_WTF_CSRF_ENABLED": "false",
           "JIGUAN_INSTANCE_PATH": app.instance_path}
    proc = subprocess.Popen([gunicorn, "-w", "2", "--threads", "4", "-b", f"127.0.0.1:{port}",
                             "--log-level", "warning", "core.wsgi:app"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_up(base, proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _own_person(client: Http) -> int:
    status, body = client.call("GET", "/api/v1/person/?q=(page_size:1)")
    assert status == 200 and body["ids"], (status, body)
    return body["ids"][0]


def _state(app, pk: int) -> tuple:
    with app.app_context():
        from catalog.models import Person

        person = db.session.get(Person, pk)
        row = (person.title, person.version, person.organization_id)
        db.session.remove()
        return row


def _audit(app, pk: int, since: int) -> list[dict]:
    with app.app_context():
        rows = db.session.execute(
            select(AuditLog.action, AuditLog.after).where(
                AuditLog.entity == "person", AuditLog.entity_id == str(pk), AuditLog.id > since)
            .order_by(AuditLog.id)).all()
        db.session.remove()
    return [{"action": action, "after": after} for action, after in rows]


def _counts(app) -> tuple[int, int]:
    with app.app_context():
        from catalog.models import Person

        people = db.session.execute(select(func.count()).select_from(Person)).scalar_one()
        last = db.session.execute(select(func.max(AuditLog.id))).scalar() or 0
        db.session.remove()
    return people, last


def test_simultaneous_puts_of_two_users_land_on_their_own_records(app, server):
    tianshan, kashgar = Http(server, "tianshan_clerk"), Http(server, "kashgar_clerk")
    mine = {"A": (tianshan, _own_person(tianshan)), "B": (kashgar, _own_person(kashgar))}
    assert mine["A"][1] != mine["B"][1]
    before = {key: _state(app, pk) for key, (_c, pk) in mine.items()}
    people, last_audit = _counts(app)

    def writer(n: int) -> list[tuple]:
        key = "AB"[n % 2]
        client, pk = mine[key]
        answers = []
        for r in range(ROUNDS):
            title = f"{key}-{n}-{r}"
            status, body = client.call("PUT", f"/api/v1/person/{pk}", {"title": title})
            answers.append((key, title, status, body))
        return answers

    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = [a for batch in pool.map(writer, range(CLIENTS)) for a in batch]

    statuses = sorted({status for _k, _t, status, _b in answers})
    assert set(statuses) <= {200, 409}, [(s, b) for _k, _t, s, b in answers if s not in (200, 409)][:3]
    accepted = [(key, title) for key, title, status, _b in answers if status == 200]
    assert accepted, "no write was accepted"
    for key, (_client, pk) in mine.items():
        title, _version, org = _state(app, pk)
        assert title.startswith(f"{key}-"), (key, title)  # the last write is its own
        assert org == before[key][2]
        trail = _audit(app, pk, last_audit)
        landed = [row["after"]["title"] for row in trail]
        assert all(t.startswith(f"{key}-") for t in landed), (key, landed)  # none from the other
        assert {row["action"] for row in trail} == {"update"}
        # every accepted write of this record, and nothing else, is in its trail once
        assert sorted(landed) == sorted(t for k, t in accepted if k == key)
    assert _counts(app)[0] == people  # an edit never INSERTs


@pytest.mark.parametrize("round_", range(3))
def test_one_winner_per_version(app, server, round_):
    client = Http(server, "tianshan_clerk")
    pk = _own_person(client)
    _title, version, _org = _state(app, pk)
    _people, last_audit = _counts(app)
    gate = threading.Barrier(WRITERS)

    def writer(n: int):
        gate.wait()
        return n, *client.call("PUT", f"/api/v1/person/{pk}",
                               {"title": f"W{round_}-{n}", "version": version})

    with ThreadPoolExecutor(WRITERS) as pool:
        answers = list(pool.map(writer, range(WRITERS)))

    won = [n for n, status, _b in answers if status == 200]
    lost = [body for _n, status, body in answers if status == 409]
    assert len(won) == 1, [(n, s, b) for n, s, b in answers if s != 409]
    assert len(lost) == WRITERS - 1, [(s, b) for _n, s, b in answers if s not in (200, 409)][:3]
    title, now, _org = _state(app, pk)
    assert (title, now) == (f"W{round_}-{won[0]}", version + 1)
    for body in lost:  # the loser is told, in Chinese, and sees what won
        assert "已被他人修改" in body["message"]
        assert body["version"] == version + 1 and body["current"]["title"] == title
    trail = _audit(app, pk, last_audit)
    assert [row["after"]["title"] for row in trail] == [title]  # one audit row per accepted write


def test_overlapping_requests_keep_their_own_filters(app):
    """FAB keeps the filters of the request being served on the view object every thread shares
    (cleared, then filled from ``q``): two overlapping list requests must each keep their own."""
    api = next(v for v in app.appbuilder.baseviews if getattr(v, "resource_name", None) == "person")
    first_filled, second_filled = threading.Event(), threading.Event()
    seen = {}

    def request(name: str, rank: str, before=None, after=None):
        with app.test_request_context(f"/api/v1/person/?rank={rank}"):
            if before is not None:
                before.wait(10)
            api._handle_filters_args({"filters": [{"col": "rank", "opr": "eq", "value": rank}]})
            if after is not None:
                after.set()
            if name == "first":
                second_filled.wait(10)  # the second request has filled its filters meanwhile
            seen[name] = list(api._filters.values)

    first = threading.Thread(target=request, args=("first", "staff", None, first_filled))
    second = threading.Thread(target=request, args=("second", "bureau_deputy", first_filled, second_filled))
    first.start()
    second.start()
    first.join(20)
    second.join(20)
    assert seen == {"first": ["staff"], "second": ["bureau_deputy"]}


def _form_session(server: str, username: str) -> str:
    """The session cookie of a browser login (the test app has CSRF off: tests/security's CSRF
    tests cover the token; this one covers the lock)."""
    parts = urlsplit(server)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    body = f"username={username}&password={PASSWORD}"
    conn.request("POST", "/login/", body=body,
                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    assert response.status == 302, response.status
    return response.getheader("Set-Cookie").split(";", 1)[0]


def test_one_winner_per_version_on_the_form(app, server):
    """20 browsers save the same person's edit form, all filled from the same version."""
    from urllib.parse import urlencode

    client = Http(server, "tianshan_clerk")
    pk = _own_person(client)
    _title, version, org = _state(app, pk)
    with app.app_context():
        from catalog.models import Person

        person = db.session.get(Person, pk)
        name, rank = person.name, person.rank
        db.session.remove()
    cookie = _form_session(server, "tianshan_clerk")
    _people, last_audit = _counts(app)
    gate = threading.Barrier(WRITERS)
    parts = urlsplit(server)

    def browser(n: int):
        form = urlencode({"name": name, "rank": rank, "title": f"F-{n}", "organization": org,
                          "lock_version": version})
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        gate.wait()
        conn.request("POST", f"/personview/edit/{pk}", body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
        response = conn.getresponse()
        html = response.read().decode()
        return n, response.status, "该记录已被他人修改" in html

    with ThreadPoolExecutor(WRITERS) as pool:
        answers = list(pool.map(browser, range(WRITERS)))
    saved = [n for n, status, conflict in answers if status == 302]
    told = [n for n, status, conflict in answers if status == 200 and conflict]
    assert len(saved) == 1 and len(told) == WRITERS - 1, answers
    assert _state(app, pk)[:2] == (f"F-{saved[0]}", version + 1)
    assert [row["after"]["title"] for row in _audit(app, pk, last_audit)] == [f"F-{saved[0]}"]
