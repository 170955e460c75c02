"""Demo data of the stocktake area."""

from __future__ import annotations


def load(ctx) -> None:
    """Called after the cards are loaded (``plugin.AREAS`` order)."""
