"""Rules of the plans area."""

from __future__ import annotations

RULES: list = []
