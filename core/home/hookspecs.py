"""The home service's own hook (``core.plugins.SERVICE_HOOKSPECS``; docs/plugins.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from core.home.items import DashboardItem

hookspec = pluggy.HookspecMarker("jiguan")


@hookspec
def register_dashboard_items() -> Sequence[DashboardItem]:
    """Return the number cards, charts and overdue sources this module adds to the home page.

    The core calls each item's function in the viewer's scope and shows a module's items only
    to users for whom the module is active; an overdue source also feeds the notifications
    (``jiguan notify overdue``).

    :returns: :class:`core.home.items.DashboardCard`, :class:`~core.home.items.DashboardChart`
        and :class:`~core.home.items.OverdueSource` instances (``core.api`` re-exports them).

    Called once per ``create_app``, inside an application context.
    """
