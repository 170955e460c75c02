"""Reports of the custody area."""

from __future__ import annotations


def reports() -> list:
    return []
