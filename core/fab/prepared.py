"""Server-side prepared statements for the few statements every request runs (PostgreSQL).

PostgreSQL plans a statement each time it arrives as text. The request's user is a 7-table
join that it plans in ~0.3 ms and runs in ~0.05 ms, on every page and every API call. A
statement marked with :func:`prepared` is sent once per database connection as
``PREPARE <name> AS …`` and then as ``EXECUTE <name> (…)``: after five executions PostgreSQL
keeps a generic plan, and the statement costs its run alone. The result has the same columns
under the same names, so SQLAlchemy (Core or ORM) reads it as it reads the ``SELECT``.

Only key lookups are marked (one plan is right for every value). Each connection keeps what it
has prepared in its ``info``, which SQLAlchemy discards with the connection (a database restart,
an invalidated connection): a new connection prepares again. SQLite and other drivers run the
statement as it is. A pooler that hands a client another server connection per transaction
(PgBouncer's transaction mode) loses a connection's prepared statements:
the setting ``PREPARED_STATEMENTS = False`` (``JIGUAN_PREPARED_STATEMENTS=false``) turns
them off there (README, "Configuration").
"""

from __future__ import annotations

import re

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.engine import Engine

#: The execution option that names a statement's prepared form.
OPTION = "jiguan_prepared"
_NAME = re.compile(r"^jiguan_[a-z0-9_]{1,40}$")
_PARAMETER = re.compile(r"%\((\w+)\)s")


def prepared(statement, name: str):
    """``statement`` marked to run as the prepared statement ``name`` on PostgreSQL.

    ``name`` starts with ``jiguan_`` and names one statement (each app of a process builds its
    own copy under the same name: a connection holds the text it prepared under a name and
    prepares again when another text comes, so a clash costs time, never a wrong answer). The
    statement should have no IN list of varying length (its text would change per call)."""
    if not _NAME.match(name):
        raise ValueError(f"a prepared statement's name is jiguan_ and lower-case letters: {name!r}")
    return statement.execution_options(**{OPTION: name})


def _positional(statement: str) -> tuple[str, list[str]]:
    """The pyformat text as PREPARE wants it (``$1`` …, ``%`` unescaped) and its parameters' order."""
    order: list[str] = []

    def number(match):
        if match.group(1) not in order:
            order.append(match.group(1))
        return f"${order.index(match.group(1)) + 1}"

    return _PARAMETER.sub(number, statement).replace("%%", "%"), order


@event.listens_for(Engine, "before_cursor_execute", retval=True)
def _execute_prepared(conn, cursor, statement, parameters, context, executemany):
    name = context.execution_options.get(OPTION) if context is not None else None
    if (name is None or executemany or conn.dialect.name != "postgresql"
            or conn.dialect.paramstyle != "pyformat" or not isinstance(parameters, dict)):
        return statement, parameters
    if has_app_context() and not current_app.config.get("PREPARED_STATEMENTS", True):
        return statement, parameters
    kept = conn.connection.info.setdefault("jiguan_prepared", {})
    found = kept.get(name)
    if found is None or found[0] != statement:  # new on this connection, or its text changed
        text, order = _positional(statement)
        if found is not None:
            cursor.execute(f"DEALLOCATE {name}")
        cursor.execute(f"PREPARE {name} AS {text}")  # not transactional: a rollback keeps it
        found = kept[name] = (statement, ", ".join(f"%({p})s" for p in order))
    return f"EXECUTE {name} ({found[1]})" if found[1] else f"EXECUTE {name}", parameters
