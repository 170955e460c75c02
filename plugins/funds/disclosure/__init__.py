"""三公经费 (Art. 13): outbound delegations (因公出国（境）团组) and their settlement, the 三公经费
budget per organisation and year, its disclosure (预算/决算公开) against the expenditure ledger,
and the roll-up over a jurisdiction."""
