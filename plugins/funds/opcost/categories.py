"""机关运行成本 categories (Art. 15): which economic classes count under which category.

Reference data read from ``categories.toml`` beside this file, versioned by ``effective_from``:
the mapping is a national statistics definition that changes with the classification, not a
number a bureau sets (so not a Standard) nor a record users edit (so not an entity type).
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from pathlib import Path

from flask_babel import lazy_gettext as _l

#: The categories in the order the statistics table shows them.
CATEGORY_LABELS = {
    "administration": _l("行政运行"),
    "energy": _l("能耗"),
    "property": _l("物业"),
    "vehicles": _l("公务用车"),
    "assets": _l("资产购置"),
}
#: 三公经费 (Art. 13), what the sangong_control indicator compares year on year
SANGONG_CODES = ("30212", "30217", "30231", "31013")
DATA = Path(__file__).with_name("categories.toml")


@functools.cache
def _versions() -> list[dict]:
    with DATA.open("rb") as handle:
        versions = tomllib.load(handle)["version"]
    return sorted(versions, key=lambda v: v["effective_from"])


def mapping_on(day: dt.date) -> dict:
    """The version in force on ``day``: ``{"effective_from", "basis", "categories"}``."""
    found = [v for v in _versions() if v["effective_from"] <= day]
    return found[-1] if found else _versions()[0]


def category_of(code: str, day: dt.date) -> str | None:
    """The category of economic class ``code`` on ``day`` (None: not operating cost)."""
    categories = mapping_on(day)["categories"]
    for key, codes in categories.items():
        if code in codes:
            return key
    best = None
    for key, codes in categories.items():
        for prefix in codes:
            longer = best is None or len(prefix) > best[1]
            if len(prefix) < len(code) and code.startswith(prefix) and longer:
                best = (key, len(prefix))
    return best[0] if best else None
