"""Reports of the cards area."""

from __future__ import annotations


def reports() -> list:
    return []
