"""Schemas and entity types of the custody area."""

from __future__ import annotations


def entity_types() -> list:
    return []
