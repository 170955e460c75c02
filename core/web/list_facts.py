"""What a list page shows of its user, read in one statement: the bell's unread count and the
user's saved searches of the list (issue 15 item 2).

Each was a statement of its own on every list page (core/home's count, core/search's saved
searches): two round trips where one does. The statement is theirs, joined: the count as a
scalar subquery on a single row, the saved searches outer-joined to it (none: one row with
the count and no search). Read as the page is rendered, after the view's own work: nothing
writes between it and the template that shows them.
"""

from __future__ import annotations

from flask import g
from sqlalchemy import and_, bindparam, literal, select

from core.extensions import db
from core.fab.prepared import prepared
from core.home.views import _UNREAD, remember_unread
from core.search.views import _SAVED_TABLE

_FACTS = prepared(
    select(_UNREAD.scalar_subquery().label("unread"), _SAVED_TABLE.c.id, _SAVED_TABLE.c.name,
           _SAVED_TABLE.c.args)
    .select_from(select(literal(1).label("one")).subquery())
    .outerjoin(_SAVED_TABLE, and_(_SAVED_TABLE.c.user_id == bindparam("user_id"),
                                  _SAVED_TABLE.c.view == bindparam("view")))
    .order_by(_SAVED_TABLE.c.name), "jiguan_list_page_facts")


def list_page_facts(view) -> list | None:
    """The user's saved searches of ``view`` (rows of id, name, args), the bell's count kept for
    the navbar; None for no logged-in user."""
    user_id = getattr(g.get("user"), "id", None)
    if user_id is None:
        return None
    session = db.session()
    if session.autoflush:
        session.flush()  # what the ORM's execution does first: a notification added, then drawn
    rows = session.connection().execute(_FACTS, {"user_id": user_id, "view": view.endpoint}).all()
    remember_unread(user_id, rows[0].unread)
    return [row for row in rows if row.id is not None]
