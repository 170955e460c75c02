"""Government land parcels (Art. 20-21): the ledger, title registration and its progress."""
