"""Custody (Art. 18): receipt into stock, check-out, return and custodian transfer."""
