"""Use of the vehicles (Art. 29): trip registration (出车登记), dispatch of shared vehicles,
monthly statistics, and holiday sealing (节假日封存停驶)."""
