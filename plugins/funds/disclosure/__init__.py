"""三公经费 (Art. 13): outbound official travel, budget and final accounts, the disclosure table and
its publication.
"""
