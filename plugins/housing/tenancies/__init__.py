"""Tenancies (Art. 25): applications checked against eligibility standards, allocation with a period
and rent, check-in and check-out with an inventory, overdue occupation, renewal."""
