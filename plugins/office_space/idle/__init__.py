"""Idle office space (Art. 24): rooms unallocated longer than the standard, and their reuse (调剂使用),
lease (出租出借, only with an approval) or disposal."""
