"""Demo data of the assets module, one file per area (``load(ctx)`` in each)."""
