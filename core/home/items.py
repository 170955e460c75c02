"""What a module contributes to the home page (``register_dashboard_items``): data, never markup.

The core renders every item, counts and queries in the viewer's scope and shows a module's
items only where the module is active for the viewer (core/activation.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DashboardCard:
    """A number card: ``count(scope)`` rows of the viewer's scope; a click opens ``endpoint``."""

    key: str
    label: Any
    count: Callable[[Any], int]
    #: the list view's endpoint (``AssetView.list``) the card opens; none: not a link
    endpoint: str | None = None
    #: query arguments of the link, e.g. a list filter ``(("_flt_1_posted", "y"),)``: the card opens
    #: the list showing what it counts
    args: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ChartData:
    """The figures of one chart: categories, one or more named series, an optional target line."""

    categories: list[str]
    series: list[tuple[str, list[float]]]
    unit: str = ""
    target: float | None = None
    target_label: str = ""


@dataclass(frozen=True)
class DashboardChart:
    """A chart of the viewer's scope: ``data(scope)`` → :class:`ChartData`; ``kind`` bar or pie."""

    key: str
    label: Any
    data: Callable[[Any], ChartData]
    kind: str = "bar"


@dataclass(frozen=True)
class DashboardList:
    """A short list of texts for the viewer: ``items(user)`` → ``[(text, url, date or None), …]``,
    newest first; the home page shows the first ``limit`` under ``label``, each a link when it has
    a url (a module's published notices, say). ``user`` is the logged-in user (its organisation
    says what concerns it); the function reads only what that user may read."""

    key: str
    label: Any
    items: Callable[[Any], list[tuple[str, str | None, dt.date | None]]]
    limit: int = 5


@dataclass(frozen=True)
class OverdueItem:
    """A record past its due date: what is due and since when. ``text`` is a lazy string
    (``_l``): the notifier writes it in each reader's language."""

    record: Any
    due_on: dt.date
    text: Any


@dataclass(frozen=True)
class OverdueSource:
    """Records of a module past their due date: ``find(scope, today)`` → :class:`OverdueItem` s.

    The home page lists them for the viewer; ``jiguan notify overdue`` notifies, once per item
    and due date, every user who may act on the record (``can_edit`` on its view, in scope).
    """

    key: str
    label: Any
    find: Callable[[Any, dt.date], list[OverdueItem]]
    extra: dict = field(default_factory=dict)


DashboardItem = DashboardCard | DashboardChart | DashboardList | OverdueSource
