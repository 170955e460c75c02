"""Models of the stocktake area (issue 4); filled in by its owner."""
