"""Configuration plans (Art. 14, 17, 18): lines checked against the standards, bureau → finance approval."""
