"""Reports of the pool area."""

from __future__ import annotations


def reports() -> list:
    return []
