"""Helpers shared by core tests: find views and rows the way a user would reach them."""

from __future__ import annotations

from flask_appbuilder import ModelView
from sqlalchemy import not_, select

from core.extensions import db
from core.scoping import read_clause, scope_for_user


def model_view_for(app, model):
    for view in app.appbuilder.baseviews:
        if isinstance(view, ModelView) and view.datamodel.obj is model:
            return view
    return None


def user(app, username):
    return app.appbuilder.sm.find_user(username=username)


def foreign_row(app, model, username):
    """A row of ``model`` the user may not read (None if every row is visible)."""
    clause = read_clause(model, scope_for_user(user(app, username)))
    query = select(model)
    if clause is not None:
        query = query.where(not_(clause))
    return db.session.execute(query.order_by(model.id).limit(1)).scalar_one_or_none()
