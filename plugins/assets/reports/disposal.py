"""Reports of the disposal area."""

from __future__ import annotations


def reports() -> list:
    return []
