"""PDF reports of the assets module, one file per area (``reports()`` in each)."""
