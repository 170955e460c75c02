"""Schemas and entity types of the plans area."""

from __future__ import annotations


def entity_types() -> list:
    return []
