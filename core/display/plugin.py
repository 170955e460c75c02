"""The display service: one time zone and one article style for every screen and document."""

from __future__ import annotations

from core.hookspecs import hookimpl


@hookimpl(tryfirst=True)
def init_app(app, state):
    """First: the web service's and the reports' templates use the filters."""
    from core.display import install_display

    install_display(app)
