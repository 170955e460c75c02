"""Server-side sessions: the cookie holds a random id, the data lives in the database or Redis.

Flask's default session is the data itself, signed, in the cookie: nothing on the server can
end it, so a copied cookie outlived logout and password changes. Here the cookie carries
``secrets.token_urlsafe(32)`` and the store keeps, under the SHA-256 of that id (a leaked
table holds no live cookie), the session's data, its user, its login time and when it was
last used. A session ends

- at logout (the record is deleted, the browser gets a new id),
- when its user's password changes or the user is deactivated, on any path (form, API, CLI:
  an ORM flush event), except the session that made its own password change,
- after ``SESSION_IDLE_TIMEOUT`` without a request and ``SESSION_ABSOLUTE_TIMEOUT`` after it
  began, whatever the client sends.

The id changes at every login and logout (no session fixation), and a client-chosen id is
never adopted. Stores: ``database`` (table ``core_session``, the app's own database, so every
node shares it) or ``redis`` (``SESSION_REDIS_URL``, with a set of ids per user).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context, has_request_context
from flask.sessions import SessionInterface, SessionMixin, session_json_serializer
from flask_appbuilder import Model
from flask_login import user_logged_in, user_logged_out
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session as OrmSession
from werkzeug.datastructures import CallbackDict

from core.fab.prepared import prepared

#: One row per live session; its id is the SHA-256 of the cookie's value.
session_table = sa.Table(
    "core_session", Model.metadata,
    sa.Column("sid_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, index=True),
    sa.Column("data", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("last_seen", sa.DateTime, nullable=False, index=True),
)
#: Refresh ``last_seen`` at most this often (a write per request would cost every page).
TOUCH_EVERY = dt.timedelta(seconds=60)
_END = "jiguan_end_sessions"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def as_timedelta(value) -> dt.timedelta:
    """A duration setting: a ``timedelta``, or seconds (what ``JIGUAN_…=1800`` gives)."""
    return value if isinstance(value, dt.timedelta) else dt.timedelta(seconds=float(value))


def _digest(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


class ServerSession(CallbackDict, SessionMixin):
    """The session of one request; ``sid`` is None until the store has it."""

    def __init__(self, data=None, sid=None, created=None, last_seen=None, user_id=None, static=False):
        def changed(_self):
            self.modified = True

        super().__init__(data or {}, changed)
        self.sid, self.created, self.last_seen, self.stored_user = sid, created, last_seen, user_id
        self.modified = False
        self.renew = False  # a new id at save: after login and logout
        self.static = static  # never saved (static files)

    def regenerate(self) -> None:
        self.renew = True
        self.modified = True


#: A session's row by its key: built once (a statement is immutable), bound per request.
_LOAD = prepared(sa.select(session_table).where(session_table.c.sid_hash == sa.bindparam("sid_hash")),
                 "jiguan_session_row")


class DatabaseStore:
    """Sessions in ``core_session`` of the app's database; writes on short transactions of their own.

    A request's session is read on the request's own connection of the app's database (its
    user is read next, on the same one): on the store's pool the read cost a checkout, its
    pre-ping and a rollback, two round trips more on every page. Reading takes no lock, and the
    request holds no other connection yet, so the pool-exhaustion of a save on the app's pool
    (``_own_engine``) cannot happen here.
    """

    def __init__(self, engine_of):
        self._engine_of = engine_of  # the engine may be replaced (tests dispose it)

    def load(self, key):
        if has_app_context():
            from core.extensions import db

            row = db.session.connection().execute(_LOAD, {"sid_hash": key}).first()
        else:
            with self._engine_of().connect() as conn:
                row = conn.execute(_LOAD, {"sid_hash": key}).first()
        if row is None:
            return None
        return json.loads(row.data), row.user_id, row.created_at, row.last_seen

    def save(self, key, data: dict, user_id, created, last_seen) -> None:
        values = dict(data=json.dumps(data), user_id=user_id, created_at=created, last_seen=last_seen)
        with self._engine_of().begin() as conn:
            done = conn.execute(session_table.update().where(session_table.c.sid_hash == key), values)
            if not done.rowcount:
                conn.execute(session_table.insert(), {"sid_hash": key, **values})

    def touch(self, key, last_seen) -> None:
        with self._engine_of().begin() as conn:
            conn.execute(session_table.update().where(session_table.c.sid_hash == key),
                         {"last_seen": last_seen})

    def delete(self, key) -> None:
        with self._engine_of().begin() as conn:
            conn.execute(session_table.delete().where(session_table.c.sid_hash == key))

    def delete_user(self, user_id, keep=None) -> int:
        query = session_table.delete().where(session_table.c.user_id == user_id)
        if keep:
            query = query.where(session_table.c.sid_hash != keep)
        with self._engine_of().begin() as conn:
            return conn.execute(query).rowcount

    def purge(self, idle_before, created_before) -> None:
        """Drop expired rows (now and then, at a save): a store never read again must not grow."""
        with self._engine_of().begin() as conn:
            conn.execute(session_table.delete().where(sa.or_(
                session_table.c.last_seen < idle_before, session_table.c.created_at < created_before)))


def _own_engine():
    """The session store's engine: the app's database on a pool of its own.

    The session is saved at the end of a request that may still hold a connection of the app's
    pool; on that same pool, N busy threads each waiting for a second connection exhaust it
    (20 threads of the development server against 5 + 10) and every request times out. On a pool
    of its own a save waits at most for another save. Rebuilt when the app's engine is replaced
    (tests dispose it); an in-memory SQLite database has one connection to share, so it is used as is.
    The app's engine options are kept (``connect_args``: a schema's search_path, SSL, timeouts), so
    the sessions are where the app's tables are; only the pool is the store's own.
    """
    made: dict = {}

    def engine():
        from core.extensions import db

        app_engine = db.engine
        url = app_engine.url
        if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
            return app_engine
        if made.get("for") is not app_engine:
            if made.get("engine") is not None:
                made["engine"].dispose()
            options = {key: value for key, value in
                       current_app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}).items()
                       if not key.startswith(("pool", "max_overflow"))}
            made.update({"for": app_engine, "engine": sa.create_engine(
                app_engine.url, **options, pool_pre_ping=True, pool_size=2, max_overflow=20)})
        return made["engine"]

    return engine


class RedisStore:
    """Sessions in Redis: ``<prefix>s:<key>`` (expiring) and the set ``<prefix>u:<user id>``."""

    def __init__(self, url: str, prefix: str, ttl: dt.timedelta):
        import redis

        self.client = redis.Redis.from_url(url)
        self.prefix, self.ttl = prefix, ttl

    def _k(self, key):
        return f"{self.prefix}s:{key}"

    def _u(self, user_id):
        return f"{self.prefix}u:{user_id}"

    def load(self, key):
        raw = self.client.get(self._k(key))
        if raw is None:
            return None
        rec = json.loads(raw)
        return (rec["data"], rec["user_id"], dt.datetime.fromisoformat(rec["created"]),
                dt.datetime.fromisoformat(rec["last_seen"]))

    def save(self, key, data, user_id, created, last_seen) -> None:
        rec = dict(data=data, user_id=user_id, created=created.isoformat(), last_seen=last_seen.isoformat())
        pipe = self.client.pipeline()
        pipe.set(self._k(key), json.dumps(rec), ex=self.ttl)
        if user_id is not None:
            pipe.sadd(self._u(user_id), key)
            pipe.expire(self._u(user_id), self.ttl)
        pipe.execute()

    def touch(self, key, last_seen) -> None:
        found = self.load(key)
        if found:
            self.save(key, found[0], found[1], found[2], last_seen)

    def delete(self, key) -> None:
        self.client.delete(self._k(key))

    def delete_user(self, user_id, keep=None) -> int:
        keys = [k.decode() for k in self.client.smembers(self._u(user_id))]
        gone = [k for k in keys if k != keep]
        if gone:
            self.client.delete(*[self._k(k) for k in gone])
            self.client.srem(self._u(user_id), *gone)
        return len(gone)

    def purge(self, idle_before, created_before) -> None:
        pass  # Redis expires the keys itself


class ServerSessionInterface(SessionInterface):
    """Flask's session interface over a store; the cookie is a bare random id."""

    def __init__(self, store):
        self.store = store

    def _timeouts(self, app):
        return (as_timedelta(app.config["SESSION_IDLE_TIMEOUT"]),
                as_timedelta(app.config["SESSION_ABSOLUTE_TIMEOUT"]))

    def open_session(self, app, request):
        if request.path.startswith("/static/"):  # the URL is not matched yet when this runs
            return ServerSession(static=True)  # a stylesheet needs no session: no query, no write
        sid = request.cookies.get(self.get_cookie_name(app))
        if not sid or len(sid) > 100:
            return ServerSession()
        key = _digest(sid)
        found = self.store.load(key)
        if found is None:
            return ServerSession()  # unknown, ended or expired: never adopt the client's id
        data, user_id, created, last_seen = found
        idle, absolute = self._timeouts(app)
        now = utcnow()
        if now - last_seen > idle or now - created > absolute:
            self.store.delete(key)
            return ServerSession()
        return ServerSession(session_json_serializer.loads(json.dumps(data)), sid, created, last_seen,
                             user_id)

    def _cookie(self, app, response, sid):
        secure = self.get_cookie_secure(app) or app.config.get("PREFERRED_URL_SCHEME") == "https"
        response.set_cookie(
            self.get_cookie_name(app), sid, httponly=self.get_cookie_httponly(app), secure=secure,
            samesite=self.get_cookie_samesite(app), path=self.get_cookie_path(app),
            domain=self.get_cookie_domain(app))
        response.vary.add("Cookie")

    def save_session(self, app, session, response):
        name = self.get_cookie_name(app)
        if session.static:
            return
        if session.renew and session.sid:
            self.store.delete(_digest(session.sid))
            session.sid = None
        if not session:  # nothing to keep (e.g. after logout): no record, no cookie
            if session.sid:
                self.store.delete(_digest(session.sid))
            if name in _request_cookies():
                response.delete_cookie(name, path=self.get_cookie_path(app),
                                       domain=self.get_cookie_domain(app))
            return
        now = utcnow()
        user_id = _int(session.get("_user_id"))
        if session.sid is None or session.modified:
            data = json.loads(session_json_serializer.dumps(dict(session)))
            new = session.sid is None
            if new:
                session.sid, session.created = secrets.token_urlsafe(32), now
            elif session.stored_user is not None and user_id != session.stored_user:
                session.created = now  # another login on the same id: its own absolute timeout
            self.store.save(_digest(session.sid), data, user_id, session.created, now)
            if new:
                self._cookie(app, response, session.sid)
                if secrets.randbelow(200) == 0:
                    idle, absolute = self._timeouts(app)
                    self.store.purge(now - idle, now - absolute)
        elif now - session.last_seen >= min(TOUCH_EVERY, self._timeouts(app)[0] / 2):
            self.store.touch(_digest(session.sid), now)


def _request_cookies():
    from flask import request

    return request.cookies if has_request_context() else {}


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def current_session_key() -> str | None:
    """The store key of this request's session, if it has one."""
    from flask import session

    sid = getattr(session, "sid", None) if has_request_context() else None
    return _digest(sid) if sid else None


def store():
    return current_app.extensions["jiguan_sessions"]


def end_user_sessions(user_id: int, keep_current: bool = False) -> int:
    """End every session of ``user_id`` (but this request's, with ``keep_current``)."""
    return store().delete_user(user_id, current_session_key() if keep_current else None)


def _renew(_app, **_kw):
    from flask import session

    if isinstance(session, ServerSession):
        session.regenerate()


def _logged_out(_app, **_kw):
    from flask import session

    if isinstance(session, ServerSession):
        session.clear()  # the record is deleted at save; the old cookie opens nothing
        session.regenerate()


@event.listens_for(OrmSession, "after_flush")
def _credential_changes(orm_session, _ctx):
    """A user whose password changed or who was deactivated: its sessions end after commit.

    After the flush, not before: core.pipeline is the one before-flush listener, and the
    dirty list and attribute history still show what this flush wrote.
    """
    from flask_appbuilder.security.sqla.models import User

    if not has_app_context() or "jiguan_sessions" not in current_app.extensions:
        return
    changed = []
    for obj in orm_session.dirty:
        if not isinstance(obj, User) or obj.id is None:
            continue
        state = inspect(obj)
        password = state.attrs.password.history.has_changes()
        deactivated = state.attrs.active.history.has_changes() and not obj.active
        if password:
            changed.append(obj.id)
        if password or deactivated:
            own = password and not deactivated and _is_current_user(obj.id)
            orm_session.info.setdefault(_END, {})[obj.id] = own
    if changed:  # a Core UPDATE: FAB's user API flushes its own User class, without the column
        from core.web.security import JiguanUser

        orm_session.connection().execute(
            sa.update(JiguanUser.__table__).where(JiguanUser.__table__.c.id.in_(changed))
            .values(password_changed_on=utcnow()))


def _is_current_user(user_id) -> bool:
    from flask_login import current_user

    return has_request_context() and getattr(current_user, "id", None) == user_id


@event.listens_for(OrmSession, "after_commit")
def _end_after_commit(orm_session):
    pending = orm_session.info.pop(_END, None)
    if pending and has_app_context() and "jiguan_sessions" in current_app.extensions:
        for user_id, keep_current in pending.items():
            end_user_sessions(user_id, keep_current)


@event.listens_for(OrmSession, "after_rollback")
def _forget_after_rollback(orm_session):
    orm_session.info.pop(_END, None)


def _jwt_issued_before_password_change(_header, payload) -> bool:
    """A JWT (access or refresh) issued before its user's last password change is revoked."""
    from flask import current_app

    sub, iat = payload.get("sub"), payload.get("iat")
    if not str(sub).isdigit() or not isinstance(iat, int | float):
        return False
    # the user as the lookup after this check loads it: one query for both
    user = current_app.appbuilder.sm.user_with_scope(int(sub))
    changed = user.password_changed_on if user is not None else None
    # whole seconds, like iat: a token of the same second as the change stands
    return changed is not None and iat < int(changed.replace(tzinfo=dt.UTC).timestamp())


def init_sessions(app: Flask):
    """The session interface on the configured store; returns it (core/web/auth.py wraps it).
    First the secret key: refused before anything is served (core/web/secret_key.py)."""
    from core.web.secret_key import init_secret_key

    init_secret_key(app)
    for flag, value in (("HTTPONLY", True), ("SAMESITE", "Lax"), ("SECURE", False)):
        app.config.setdefault(f"REMEMBER_COOKIE_{flag}", value)  # the form never sets it; in case

    backend = app.config["SESSION_BACKEND"]
    if backend == "redis":
        chosen = RedisStore(app.config["SESSION_REDIS_URL"], app.config["SESSION_KEY_PREFIX"],
                            as_timedelta(app.config["SESSION_IDLE_TIMEOUT"]))
    elif backend == "database":
        chosen = DatabaseStore(_own_engine())
    else:
        raise ValueError(f"SESSION_BACKEND 应为 database 或 redis，而不是 {backend!r}")
    app.extensions["jiguan_sessions"] = chosen
    if app.config.get("PREFERRED_URL_SCHEME") == "https":
        app.config["REMEMBER_COOKIE_SECURE"] = True
    app.appbuilder.sm.jwt_manager.token_in_blocklist_loader(_jwt_issued_before_password_change)
    user_logged_in.connect(_renew, app)
    user_logged_out.connect(_logged_out, app)
    return ServerSessionInterface(chosen)
