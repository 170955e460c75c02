"""Funds (经费管理, Art. 10-15): budgets by 定员定额, expenditures against standards, procurement,
三公经费 disclosure and the operating cost of the organs."""
