"""Housing units (Art. 25): talent apartments and turnover housing, handover into the bureau's
management, repairs and maintenance, disposal."""
