"""Disposal (Art. 19): applications with their assets, approval, and the proceeds."""
