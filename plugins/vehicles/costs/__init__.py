"""Per-vehicle cost accounting (运维费用单车核算, Art. 29): cost records posted to the catalog's
expenditure ledger under 30231, designated repair shops and insurers, the yearly performance
evaluation (年度绩效评价)."""
