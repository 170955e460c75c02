"""Division codes of Xinjiang shipped with the project (data/xinjiang-divisions.csv): GB/T 2260
down to the county, a few 12-digit statistical codes of townships (data/README.md)."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select

from catalog.models import LEVEL_ORDER, Jurisdiction

DIVISIONS_CSV = Path(__file__).with_name("data") / "xinjiang-divisions.csv"


def read_divisions(path: Path = DIVISIONS_CSV) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_divisions(session, path: Path = DIVISIONS_CSV) -> dict[str, Jurisdiction]:
    """Insert the divisions not yet present (parents first); return all of them by code."""
    existing = {j.code: j for j in session.execute(select(Jurisdiction)).scalars()}
    order = LEVEL_ORDER
    for row in sorted(read_divisions(path), key=lambda r: order[r["level"]]):
        if row["code"] in existing:
            continue
        parent = existing.get(row["parent"]) if row["parent"] else None
        if row["parent"] and parent is None:
            raise ValueError(f"区划 {row['code']} 的上级 {row['parent']} 不存在")
        jurisdiction = Jurisdiction(code=row["code"], name=row["name"], level=row["level"],
                                    parent=parent, path="")
        session.add(jurisdiction)
        session.flush()
        existing[row["code"]] = jurisdiction
    return existing
