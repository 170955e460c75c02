"""机关运行成本 (Art. 15): cost statistics, indicators, performance evaluation, upward submission and
roll-up.
"""
