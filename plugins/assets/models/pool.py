"""Models of the pool area (issue 4); filled in by its owner."""
