"""Expenditures (Art. 10-11): claims approved by amount thresholds, checked against the spending
standards, posted to the ledger.
"""
