"""Models of the plans area (issue 4); filled in by its owner."""
