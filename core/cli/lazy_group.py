"""A click group whose options and commands are imported when the group is first used.

``jiguan db`` is Flask-Migrate's group extended (core/cli/db_commands.py): importing it brings
Flask-Migrate, Alembic and Mako (~0.1 s of CPU), which every start paid while only ``jiguan
db …`` (and ``init``, ``demo``, which import them themselves) needs them.
"""

from __future__ import annotations

import importlib

import click


class LazyGroup(click.Group):
    """The group ``target`` ("module:attribute") under ``name`` with ``help``, imported by the
    first parse of its own options, listing or look-up of its commands."""

    def __init__(self, name: str, target: str, help: str) -> None:
        super().__init__(name, help=help)
        self.target = target
        self.loaded: click.Group | None = None

    def load(self) -> click.Group:
        if self.loaded is None:
            module, attribute = self.target.split(":")
            group = getattr(importlib.import_module(module), attribute)
            self.params, self.callback, self.commands = group.params, group.callback, group.commands
            self.loaded = group
        return self.loaded

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        self.load()
        return super().parse_args(ctx, args)

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        self.load()
        return super().get_params(ctx)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self.load()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self.load()
        return super().get_command(ctx, cmd_name)
