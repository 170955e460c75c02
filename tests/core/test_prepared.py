"""The statements every request runs are PREPAREd once per PostgreSQL connection
(core/fab/prepared.py, issue 15 item 2): the request's user, its session row, the bell's count
and a list's saved searches answer as their SELECTs do, a new connection prepares them again,
``PREPARED_STATEMENTS = False`` (a transaction-pooling PgBouncer) sends the SELECTs, and
SQLite runs them as they are."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from core.extensions import db
from core.fab import prepared as prepared_module
from core.fab.prepared import _positional, prepared
from core.testing.support import Browser
from core.web.sessions import _LOAD

NAMES = {"jiguan_request_user", "jiguan_session_row", "jiguan_unread_count", "jiguan_saved_searches"}


def _names_here() -> set[str]:
    """The statements prepared on the request's connection (PostgreSQL)."""
    rows = db.session.connection().execute(sa.text("SELECT name FROM pg_prepared_statements"))
    return {name for (name,) in rows}


def _normalised(html: str) -> str:
    return re.sub(r'(csrf_token[^>]*value="|csrf-token" content="|nonce=")[^"]+', "", html)


def test_pyformat_becomes_positional_with_each_name_once():
    text, order = _positional("a = %(x)s AND b = %(y_1)s OR c = %(x)s AND d LIKE %(y_1)s || '%%'")
    assert text == "a = $1 AND b = $2 OR c = $1 AND d LIKE $2 || '%'"
    assert order == ["x", "y_1"]


def test_a_prepared_name_is_checked():
    for bad in ("user", "jiguan_User", "jiguan_x; DROP TABLE ab_user"):
        with pytest.raises(ValueError, match="jiguan_"):
            prepared(sa.select(1), bad)


def test_a_list_page_reads_the_same_prepared_or_not(app):
    """The same page, bell and saved searches with the statements prepared and sent as text;
    on PostgreSQL the page's connection has prepared the four, on SQLite none."""
    clerk = Browser(app, "tianshan_clerk")
    saved = clerk.post("/assetview/saved-filters/save", data={"name": "预备语句测试", "args": "q=x"},
                       follow_redirects=True)
    assert saved.status_code == 200
    try:
        app.config["PREPARED_STATEMENTS"] = False
        plain = clerk.text("/assetview/list/")
        app.config["PREPARED_STATEMENTS"] = True
        kept = clerk.text("/assetview/list/")
        assert "预备语句测试" in kept and "资产卡片" in kept
        assert _normalised(kept) == _normalised(plain)
        with app.test_request_context():
            postgres = db.engine.dialect.name == "postgresql"
            user = app.appbuilder.sm.find_user(username="tianshan_clerk")
            from core.home.views import unread_count
            from core.search.views import _SAVED

            app.appbuilder.sm.user_with_scope(user.id)
            unread_count(user.id)
            db.session.connection().execute(_SAVED, {"user_id": user.id, "view": "AssetView"}).all()
            db.session.connection().execute(_LOAD, {"sid_hash": "0" * 64}).all()
            if postgres:
                assert _names_here() >= NAMES
            db.session.rollback()
    finally:
        app.config["PREPARED_STATEMENTS"] = True
        with app.app_context():
            db.session.execute(sa.text("DELETE FROM core_saved_filter WHERE name = '预备语句测试'"))
            db.session.commit()


def _backend_pid() -> int:
    return db.session.connection().execute(sa.text("SELECT pg_backend_pid()")).scalar_one()


def test_a_new_connection_prepares_again_and_off_means_off(app):
    """An invalidated connection (a database restart) takes its prepared statements with it: the
    next connection prepares the user again and reads the same user; switched off, a fresh
    connection prepares nothing."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.test_request_context():
            user = app.appbuilder.sm.find_user(username="tianshan_clerk")
            assert app.appbuilder.sm.user_with_scope(user.id).username == "tianshan_clerk"
        return
    sm = app.appbuilder.sm
    with app.test_request_context():
        pk = sm.find_user(username="tianshan_clerk").id
    for switched_on in (True, False):
        app.config["PREPARED_STATEMENTS"] = switched_on
        try:
            with app.test_request_context():
                db.session.connection().invalidate()  # as a restart leaves it: the next is new
                db.session.rollback()
                db.engine.dispose()  # and the pool's others closed: no earlier test's connection
                first = _backend_pid()
                before = _names_here()
                user = sm.user_with_scope(pk)
                assert user.username == "tianshan_clerk" and user.organization is not None
                assert {role.name for role in user.roles}
                assert ("jiguan_request_user" in _names_here()) is switched_on
                assert "jiguan_request_user" not in before  # a new connection: nothing kept
                assert _backend_pid() == first
                db.session.rollback()
        finally:
            app.config["PREPARED_STATEMENTS"] = True


def test_a_changed_text_is_prepared_again(app):
    """Should a marked statement's text change on a connection (its compiled form), the old
    one is deallocated and the new one prepared: never the old plan for the new text."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("PostgreSQL's PREPARE")
    statement = prepared(sa.select(sa.literal_column("1")).where(
        sa.bindparam("a", type_=sa.Integer) == 1), "jiguan_test_changed_text")
    with app.test_request_context():
        connection = db.session.connection()
        assert connection.execute(statement, {"a": 1}).scalar_one() == 1
        kept = connection.connection.info["jiguan_prepared"]
        kept["jiguan_test_changed_text"] = ("SELECT 2", kept["jiguan_test_changed_text"][1])
        assert connection.execute(statement, {"a": 1}).scalar_one() == 1
        assert connection.execute(statement, {"a": 2}).first() is None
        db.session.rollback()
    assert prepared_module.OPTION == "jiguan_prepared"


def test_a_list_page_reads_its_bell_and_saved_searches_in_one_statement(app):
    """core/web/list_facts.py: one statement gives the list page the bell's count and the saved
    searches; the page shows both as they are in the database."""
    from core.home.models import Notification

    clerk = Browser(app, "tianshan_clerk")
    clerk.post("/assetview/saved-filters/save", data={"name": "一条语句测试", "args": "q=y"})
    statements = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    try:
        with app.app_context():
            engine = db.engine
            user_id = app.appbuilder.sm.find_user(username="tianshan_clerk").id
            unread = db.session.query(Notification).filter_by(user_id=user_id, read_at=None).count()
        sa.event.listen(engine, "before_cursor_execute", seen)
        page = clerk.text("/assetview/list/")
        sa.event.remove(engine, "before_cursor_execute", seen)
        assert "一条语句测试" in page
        bell = re.search(r'id="notification-count">(\d+)<', page)
        assert (int(bell.group(1)) if bell else 0) == unread
        touching = [s for s in statements if "core_saved_filter" in s or "core_notification" in s
                    or s.startswith("EXECUTE jiguan_")]
        assert len([s for s in touching if "saved" in s or "facts" in s]) == 1, touching
        assert not [s for s in touching if "unread_count" in s or "FROM core_notification" in s
                    and "core_saved_filter" not in s], touching
    finally:
        with app.app_context():
            db.session.execute(sa.text("DELETE FROM core_saved_filter WHERE name = '一条语句测试'"))
            db.session.commit()
