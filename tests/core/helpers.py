"""Helpers shared by core tests: find views and rows the way a user would reach them."""

from __future__ import annotations

import contextlib

from core.testing.matrix import foreign_row as _foreign_row
from core.testing.matrix import model_view_for

__all__ = ["foreign_row", "model_view_for", "modules_switched", "user"]


def user(app, username):
    return app.appbuilder.sm.find_user(username=username)


def foreign_row(app, model, username):
    """A row of ``model`` the user may not read (None if every row is visible)."""
    return _foreign_row(app, model, username)


@contextlib.contextmanager
def modules_switched(app, switches: dict[str, dict[str, bool]]):
    """Modules switched on or off per jurisdiction code (``{"650100": {"land": False}}``) for the
    block (Art. 5: per jurisdiction); the activation rows are removed after it."""
    from sqlalchemy import select

    from catalog.models import Jurisdiction
    from core.activation import set_module
    from core.extensions import db
    from core.models import ModuleActivation

    def place(code):
        return db.session.execute(select(Jurisdiction).where(Jurisdiction.code == code)).scalar_one()

    with app.app_context():
        for code, modules in switches.items():
            for key, active in modules.items():
                set_module(place(code), key, active)
        db.session.commit()
    try:
        yield
    finally:
        with app.app_context():
            for code, modules in switches.items():
                for row in db.session.execute(select(ModuleActivation).join(Jurisdiction).where(
                        Jurisdiction.code == code, ModuleActivation.module_key.in_(list(modules)))).scalars():
                    db.session.delete(row)
            db.session.commit()
