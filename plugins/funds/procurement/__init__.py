"""Government procurement (Art. 14): records, the 集中采购目录 and thresholds, designation and splitting
flags.
"""
