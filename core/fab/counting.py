"""A list's row count without an exact COUNT(*) on big tables (docs/performance.md)."""

from __future__ import annotations

import time

from flask_babel import gettext as _
from markupsafe import escape

from core.display.locale import format_number


class ListCount(int):
    """A list's row count: exact up to the cap, else the planner's estimate or "more than".

    It stays an ``int`` for FAB's pager arithmetic and the API's JSON; in a template it
    reads "约 1,000,000 条" (estimate) or "超过 1,000 条" (capped, no estimate available).
    """

    approximate = False
    capped = False
    #: A keyset list's position and cursors (``core.fab.keyset.Paging``), None when paged by OFFSET.
    paging = None

    def __new__(cls, value: int, approximate: bool = False, capped: bool = False):
        count = super().__new__(cls, value)
        count.approximate, count.capped = approximate, capped
        return count

    def __html__(self) -> str:
        if self.capped:
            return str(escape(_("超过 %(n)s 条", n=format_number(int(self) - 1))))
        if self.approximate:
            return str(escape(_("约 %(n)s 条", n=format_number(int(self)))))
        return format_number(int(self))


#: Planner estimates by (database, statement, parameters): (time taken, estimate).
_estimates: dict[tuple, tuple[float, int]] = {}
#: How long an estimate is reused: it is shown as "约 N 条" anyway, and paging through a big list
#: then costs the page's query alone.
ESTIMATE_TTL = 60.0


def estimate_key(bind, statement) -> tuple | None:
    """The key an estimate of ``statement`` is kept under: SQLAlchemy's own cache key names the
    statement without compiling it (~1 ms a request saved); None when it has none."""
    cache_key = statement._generate_cache_key()
    if cache_key is None:
        return None
    return str(bind.url), cache_key.key, repr([b.effective_value for b in cache_key.bindparams])


def planner_estimate(session, query, key: tuple | None = None) -> int | None:
    """PostgreSQL's estimate of how many rows ``query`` returns (EXPLAIN, nothing is read).

    ``key``: the statement's :func:`estimate_key`, when the caller keeps it (a kept list,
    ``core.fab.kept_queries``): the statement is then made only to ask the planner.
    """
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return None
    statement = None
    if key is None:
        statement = query.statement
        key = estimate_key(bind, statement)
    now = time.monotonic()
    cached = _estimates.get(key) if key is not None else None
    if cached is not None and now - cached[0] < ESTIMATE_TTL:
        return cached[1]
    if statement is None:
        statement = query.statement
    # render IN lists as plain parameters: EXPLAIN goes to the driver as it is
    compiled = statement.compile(dialect=bind.dialect, compile_kwargs={"render_postcompile": True})
    if key is None:
        key = (str(bind.url), str(compiled), repr(sorted(compiled.params.items())))
    plan = session.connection().exec_driver_sql("EXPLAIN (FORMAT JSON) " + str(compiled),
                                                compiled.params).scalar_one()
    estimate = int(plan[0]["Plan"]["Plan Rows"])
    if len(_estimates) > 1000:  # many users' scopes and filters: start over rather than grow
        _estimates.clear()
    _estimates[key] = (now, estimate)
    return estimate
