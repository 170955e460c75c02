"""机关运行成本 (Art. 15): statistics per jurisdiction and year from the expenditure ledger,
performance evaluation against Standards, and the report submitted to the bureau one level up."""
