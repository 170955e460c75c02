"""Models of the assets module, one file per area; importing the package maps them all.

The card models are re-exported here because every area builds on them.
"""

from plugins.assets.models import custody, disposal, history, plans, pool, stocktake  # noqa: F401
from plugins.assets.models.cards import (
    ACQUISITION_METHODS,
    ASSET_STATUSES,
    FUNDING_SOURCES,
    MIN_LIFE,
    PRICE_CAP,
    QUANTITY_CAP,
    Asset,
    AssetClass,
    add_years,
)
from plugins.assets.models.history import MOVEMENT_KINDS, AssetMovement, record_movement

__all__ = [
    "ACQUISITION_METHODS", "ASSET_STATUSES", "FUNDING_SOURCES", "MIN_LIFE", "MOVEMENT_KINDS",
    "PRICE_CAP", "QUANTITY_CAP",
    "Asset", "AssetClass", "AssetMovement", "add_years", "record_movement",
]
