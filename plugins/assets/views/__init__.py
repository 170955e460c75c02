"""Screens of the assets module, one file per area (``view_specs(common)`` in each)."""
