"""Optimistic locking decided by the database: the version a writer read is the one the
``UPDATE … WHERE version = ?`` compares (docs/security.md, "Writes that land once")."""

from __future__ import annotations

from sqlalchemy.orm.attributes import set_committed_value

from core.errors import EditConflict, WriteRefused, conflict_message


def _as_version(seen) -> int:
    if isinstance(seen, bool):
        raise ValueError(seen)
    if isinstance(seen, int):
        return seen
    text = str(seen).strip()
    if not text.isdigit() or len(text) > 18:
        raise ValueError(seen)
    return int(text)


def claim_version(item, seen=None, *, bump: bool = True) -> None:
    """Make the coming write of ``item`` succeed only on the version the writer read.

    ``seen`` is the version the client read (``None``: the one loaded in this request). A
    version other than the loaded one is refused at once; otherwise the version becomes the
    committed value the flush compares in ``UPDATE … WHERE version = :seen`` and the new
    value is ``seen + 1``. So the database itself decides between simultaneous writers (one
    UPDATE matches, the others match no row and raise ``StaleDataError`` → 409), on SQLite and
    PostgreSQL, threads or processes; and every accepted save is a real UPDATE with its audit
    row, even one that changes nothing else. Call it before the new values are set, so an
    autoflush in between already carries the check. ``bump=False`` (operations, whose
    services may flush several times) leaves the new value to SQLAlchemy: the first UPDATE
    still compares the version the writer read.
    """
    table = getattr(type(item), "__table__", None)
    if table is None or "version" not in table.c:
        return
    loaded = item.version
    if seen is None or seen == "":
        seen = loaded
    try:
        seen = _as_version(seen)
    except ValueError:
        from flask_babel import gettext as _

        raise WriteRefused(_("version 应为记录读取时的版本号（正整数）")) from None
    if seen != loaded:
        raise EditConflict(conflict_message())
    set_committed_value(item, "version", seen)
    if bump:
        item.version = seen + 1
