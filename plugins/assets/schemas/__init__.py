"""Marshmallow schemas and entity types of the assets module, one file per area."""

from plugins.assets.schemas.cards import AssetSchema

__all__ = ["AssetSchema"]
