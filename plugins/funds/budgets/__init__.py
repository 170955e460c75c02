"""Budgets by 定员定额 (Art. 12): 编制 × per-capita quotas, centrally run items, allocation,
adjustments, execution.
"""
