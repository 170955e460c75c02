"""定点接待酒店 (designated hotels, Art. 34): reference data the bureaus keep."""
