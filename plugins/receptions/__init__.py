"""Official reception (公务接待, Art. 34): requests with the guest unit's 公函, the reception list."""
