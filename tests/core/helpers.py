"""Helpers shared by core tests: find views and rows the way a user would reach them."""

from __future__ import annotations

from core.testing.matrix import foreign_row as _foreign_row
from core.testing.matrix import model_view_for

__all__ = ["foreign_row", "model_view_for", "user"]


def user(app, username):
    return app.appbuilder.sm.find_user(username=username)


def foreign_row(app, model, username):
    """A row of ``model`` the user may not read (None if every row is visible)."""
    return _foreign_row(app, model, username)
