"""The command-line service, installed through the module hooks: ``jiguan plugins``,
``modules``, ``init``, ``demo`` and ``db`` (the other services add theirs the same way)."""

from __future__ import annotations

from core.hookspecs import hookimpl


@hookimpl
def register_cli_commands():
    from core.cli.commands import CORE_COMMANDS

    return CORE_COMMANDS


@hookimpl
def init_app(app, state):
    from core.cli.migrations import init_migrations

    init_migrations(app)  # Flask-Migrate, imported by the first command that migrates
