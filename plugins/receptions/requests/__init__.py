"""Reception requests (Art. 34): 公函, guests, companions, meals and lodging, the 接待清单."""
