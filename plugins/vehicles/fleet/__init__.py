"""The fleet: vehicle categories' establishment (编制, Art. 27), the vehicle register (Art. 26, 29)
and disposal (Art. 30)."""
