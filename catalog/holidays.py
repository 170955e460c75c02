"""The holiday calendar (法定节假日安排), catalog data every module reads (Art. 29).

Official vehicles are sealed (节假日封存停驶) over each holiday period; the canteen and the
logistics services plan by the same calendar. A period belongs to a jurisdiction and is read
by every organisation below it (``shared_up``): the State Council's 放假安排 at the region,
the region's own (古尔邦节、肉孜节) beside it. Periods are whole days, ``starts_on`` to
``ends_on`` inclusive, as the notice gives them (调休 working days are not holidays).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from flask_appbuilder import Model
from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import relationship

from core.registry import Scope
from core.versioning import Versioned

HOLIDAYS_CSV = Path(__file__).with_name("data") / "holidays.csv"


class Holiday(Versioned, Model):
    """One holiday period of a jurisdiction's calendar (e.g. 国庆节 2026-10-01 — 2026-10-07)."""

    __tablename__ = "catalog_holiday"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="ck_catalog_holiday_period"),
    )
    __jiguan_scope__ = Scope(jurisdiction="jurisdiction_id", shared_up=True)

    id = Column(Integer, primary_key=True)
    name = Column(String(64), nullable=False)
    starts_on = Column(Date, nullable=False, index=True)
    ends_on = Column(Date, nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    #: the notice that set it (国办发明电〔2025〕x号)
    basis = Column(Text)

    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        return f"{self.name}（{self.starts_on:%Y-%m-%d}—{self.ends_on:%Y-%m-%d}）"

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


def holidays_between(session, jurisdiction, start: dt.date, end: dt.date) -> list[Holiday]:
    """The holiday periods of ``jurisdiction`` and the jurisdictions above it that overlap the
    days ``start`` to ``end`` (inclusive), earliest first."""
    if jurisdiction is None:
        return []
    from core.tenancy import Jurisdiction

    codes = jurisdiction.ancestor_codes or [jurisdiction.code]
    ids = select(Jurisdiction.id).where(Jurisdiction.code.in_(codes))
    return list(session.execute(
        select(Holiday).where(Holiday.jurisdiction_id.in_(ids), Holiday.starts_on <= end,
                              Holiday.ends_on >= start)
        .order_by(Holiday.starts_on, Holiday.id)
    ).scalars())


def load_holidays(session, path: Path = HOLIDAYS_CSV) -> int:
    """Insert the periods of a calendar file (jurisdiction_code,name,starts_on,ends_on,basis) not yet
    present (same jurisdiction, name and first day); return how many were added. All or nothing:
    a row naming an unknown jurisdiction or a period ending before it starts raises ValueError."""
    from core.tenancy import Jurisdiction

    with open(path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    added = []
    for number, row in enumerate(rows, start=2):
        code = row["jurisdiction_code"].strip()
        jurisdiction = session.execute(select(Jurisdiction).filter_by(code=code)).scalar_one_or_none()
        if jurisdiction is None:
            raise ValueError(f"第 {number} 行：行政区划代码 {code} 不存在")
        starts, ends = (dt.date.fromisoformat(row[name].strip()) for name in ("starts_on", "ends_on"))
        if ends < starts:
            raise ValueError(f"第 {number} 行：{row['name']} 的结束日期早于开始日期")
        exists = session.execute(select(Holiday.id).filter_by(
            jurisdiction_id=jurisdiction.id, name=row["name"].strip(), starts_on=starts)).first()
        if exists is None:
            added.append(Holiday(name=row["name"].strip(), starts_on=starts, ends_on=ends,
                                 jurisdiction=jurisdiction, basis=row["basis"].strip() or None))
    session.add_all(added)
    session.flush()
    return len(added)
