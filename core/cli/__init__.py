"""The ``jiguan`` command: a FlaskGroup over ``core.create_app``.

Listing the commands (``jiguan --help``) reads the list kept by :mod:`core.cli.listing` instead
of building the app; running a command builds it as before, without the web service's screens
and APIs for the commands in ``WITHOUT_VIEWS``, which serve nothing.
"""

from __future__ import annotations

import gc

import click
from flask.cli import FlaskGroup, ScriptInfo

from core import collector_paused, create_app
from core.lazy_imports import defer

#: Commands (group, command) that serve no page and build no URL: they run in an app without
#: screens and APIs (``WEB_VIEWS = False``, core/web/settings.py). Their user is still found
#: by the security manager and their scope and modules are the same: a report is rendered
#: for ``--as`` exactly as in a full app (tests/core/test_startup.py renders every report both
#: ways and compares them).
WITHOUT_VIEWS = frozenset({("report", "render"), ("report", "list")})
APP_CONFIG = {"GENERATE_SECRET_KEY": True}


def _frozen(app):
    """The app, its ~440,000 objects moved out of the cycle collector's sight (``gc.freeze``):
    they live as long as the command, and its later full passes (a report's WeasyPrint import
    and layout: ~0.4 s of CPU) no longer walk them."""
    gc.freeze()
    return app


def _make_app():
    return _frozen(create_app(dict(APP_CONFIG)))


def _make_app_without_views():
    return _frozen(create_app({**APP_CONFIG, "WEB_VIEWS": False}))


class JiguanGroup(FlaskGroup):
    """FlaskGroup whose list of commands comes from the kept listing while that is still true."""

    def _kept(self):
        from core.cli import listing

        return listing.read()

    def _keep(self, ctx: click.Context) -> None:
        from core.cli import listing

        app = ctx.ensure_object(ScriptInfo)._loaded_app
        if app is None:  # the app failed to load: its error was shown, keep nothing
            return
        names = super().list_commands(ctx)
        commands = {name: self.get_command(ctx, name) for name in names}
        listing.write({name: cmd for name, cmd in commands.items() if cmd is not None}, app)

    def get_command(self, ctx: click.Context, name: str):
        # Flask imports the ``flask.commands`` entry points' modules here (FAB's ``fab`` group
        # imports FAB: hence the stand-ins first, as ``core.create_app`` puts them), and builds the app
        with collector_paused():
            defer()
            return super().get_command(ctx, name)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        info = ctx.ensure_object(ScriptInfo)
        # only the command line's own factory (a test's group brings its app), before any app
        if tuple(args[:2]) in WITHOUT_VIEWS and info._loaded_app is None and info.create_app is _make_app:
            info.create_app = _make_app_without_views
        return super().resolve_command(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        kept = self._kept()
        if kept is not None:
            return [item["name"] for item in kept]
        names = super().list_commands(ctx)
        self._keep(ctx)
        return names

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        kept = self._kept()
        if kept is None:
            super().format_commands(ctx, formatter)
            self._keep(ctx)
            return
        from core.cli.listing import stand_ins

        click.Group.format_commands(click.Group(commands=stand_ins(kept)), ctx, formatter)


def main() -> None:
    # the command line may write a random key into the instance folder when none is configured
    # (core/web/secret_key.py); core.wsgi may not: production sets its own
    cli = JiguanGroup(create_app=_make_app,
                      help="机关事务管理平台命令行")
    cli.main(prog_name="jiguan")


if __name__ == "__main__":
    main()
