"""Flask-Migrate, bound to each app by the command line's service (its ``init_app``) and
imported, with Alembic and Mako (~0.1 s of CPU), by the first use: a command that migrates
(``jiguan db …``, ``init``, ``demo``), not every start.

``migrate`` (``from core.cli.migrations import migrate``) is Flask-Migrate's ``Migrate``; an
app's ``extensions["migrate"]`` is :class:`Migrations` until first read, then Flask-Migrate's
own record, made by ``migrate.init_app(app, db, directory=core/migrations)`` as before.
"""

from __future__ import annotations

import threading

_lock = threading.Lock()


def __getattr__(name: str):
    if name != "migrate":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    with _lock:
        if "migrate" not in globals():
            from flask_migrate import Migrate

            globals()["migrate"] = Migrate()
    return globals()["migrate"]


class Migrations:
    """An app's ``extensions["migrate"]`` until an attribute of it is first read."""

    def __init__(self, app, db, directory: str) -> None:
        self._init = (app, db, directory)

    def __getattr__(self, name: str):
        app, db, directory = self._init
        if app.extensions.get("migrate") is self:
            ours = app.cli.commands.get("db")  # init_app adds Flask-Migrate's bare `db` group
            __getattr__("migrate").init_app(app, db, directory=directory)
            if ours is not None:
                app.cli.add_command(ours)
        return getattr(app.extensions["migrate"], name)


def init_migrations(app) -> None:
    from core.config import MIGRATIONS_DIR
    from core.extensions import db

    app.extensions["migrate"] = Migrations(app, db, str(MIGRATIONS_DIR))
