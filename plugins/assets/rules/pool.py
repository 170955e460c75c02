"""Rules of the pool area."""

from __future__ import annotations

RULES: list = []
