"""Yearly acquisition and renewal plans (年度公务用车配备更新计划, Art. 28)."""
