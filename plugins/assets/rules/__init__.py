"""Rules of the assets module, one file per area (``RULES`` in each)."""
