"""Saved filters: a user's named list searches (docs/search.md, "Saved filters")."""

from __future__ import annotations

from flask_appbuilder import Model
from sqlalchemy import Column, DateTime, Index, Integer, String, Text

from core.versioning import utcnow


class SavedFilter(Model):
    """One named search of one list screen, belonging to one user only.

    ``args`` is the list's query string (its ``_flt_*`` filters, ``q`` and order), so applying
    it is opening the list with it; the list still applies the user's scope at that moment.
    """

    __tablename__ = "core_saved_filter"
    __table_args__ = (Index("ix_core_saved_filter_user_view", "user_id", "view"),)

    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, nullable=False)
    #: The list screen's endpoint (``AssetView``).
    view = Column(String(128), nullable=False)
    name = Column(String(100), nullable=False)
    args = Column(Text, nullable=False, default="")
    created_at = Column(DateTime, nullable=False, default=utcnow)
