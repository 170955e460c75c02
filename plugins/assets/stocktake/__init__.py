"""Stocktake (Art. 18): count sheets, discrepancies and the adjustments the bureau approves."""
