"""The shared asset pool 公物仓 (Art. 18): entries, repairs, requests and free transfers."""
