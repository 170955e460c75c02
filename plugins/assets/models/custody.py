"""Models of the custody area (issue 4); filled in by its owner."""
