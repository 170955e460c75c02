"""Reports of the plans area."""

from __future__ import annotations


def reports() -> list:
    return []
