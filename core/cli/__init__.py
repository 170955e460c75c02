"""The ``jiguan`` command: a FlaskGroup over ``core.create_app``."""

from __future__ import annotations

from flask.cli import FlaskGroup

from core import create_app


def main() -> None:
    # the command line may write a random key into the instance folder when none is configured
    # (core/web/secret_key.py); core.wsgi may not: production sets its own
    cli = FlaskGroup(create_app=lambda: create_app({"GENERATE_SECRET_KEY": True}),
                     help="机关事务管理平台命令行")
    cli.main(prog_name="jiguan")


if __name__ == "__main__":
    main()
