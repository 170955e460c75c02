"""Rules of the custody area."""

from __future__ import annotations

RULES: list = []
