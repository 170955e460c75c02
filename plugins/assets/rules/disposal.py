"""Rules of the disposal area."""

from __future__ import annotations

RULES: list = []
