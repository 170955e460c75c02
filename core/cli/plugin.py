"""The command-line service, installed through the module hooks: ``jiguan plugins``,
``modules``, ``init``, ``demo`` and ``db`` (the other services add theirs the same way)."""

from __future__ import annotations

from core.hookspecs import hookimpl


@hookimpl
def register_cli_commands():
    from core.cli.commands import CORE_COMMANDS

    return CORE_COMMANDS
