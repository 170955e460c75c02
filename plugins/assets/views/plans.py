"""Screens of the plans area."""

from __future__ import annotations


def view_specs(common: dict) -> list:
    """ViewSpecs of this area; ``common`` holds the menu category arguments."""
    return []
