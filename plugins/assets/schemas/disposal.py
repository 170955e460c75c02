"""Schemas and entity types of the disposal area."""

from __future__ import annotations


def entity_types() -> list:
    return []
