"""Models of the disposal area (issue 4); filled in by its owner."""
