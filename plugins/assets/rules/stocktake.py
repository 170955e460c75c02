"""Rules of the stocktake area."""

from __future__ import annotations

RULES: list = []
