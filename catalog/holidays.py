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

    @property
    def days(self) -> int | None:
        """How many days off the period gives (both ends included)."""
        if self.starts_on is None or self.ends_on is None:
            return None
        return (self.ends_on - self.starts_on).days + 1

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


def read_calendar_csv(path: Path, columns: tuple[str, ...]) -> list[dict]:
    """The rows of a UTF-8 CSV file with at least ``columns`` in its header, stripped; a
    ValueError in Chinese otherwise (shared by the catalog's loaders)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [name for name in columns if name not in (reader.fieldnames or [])]
            if missing:
                raise ValueError(f"文件缺少列：{'、'.join(missing)}（应有 {','.join(columns)}）")
            return [{key: (value or "").strip() for key, value in row.items() if key}
                    for row in reader]
    except UnicodeDecodeError as exc:
        raise ValueError("文件不是 UTF-8 编码的 CSV") from exc


def parse_day(value: str, number: int, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"第 {number} 行：{label}“{value}”不是日期（应为 2026-10-01 的格式）") from None


def load_holidays(session, path: Path = HOLIDAYS_CSV) -> int:
    """Insert the periods of a calendar file (jurisdiction_code,name,starts_on,ends_on,basis) not yet
    present (same jurisdiction, name and first day); return how many were added. All or nothing:
    any bad row (an unknown jurisdiction, a missing name, a day that is not a date, a period ending
    before it starts) raises ValueError naming every bad row, and nothing is added."""
    from core.tenancy import Jurisdiction

    rows = read_calendar_csv(path, ("jurisdiction_code", "name", "starts_on", "ends_on", "basis"))
    jurisdictions = {j.code: j for j in session.execute(select(Jurisdiction)).scalars()}
    errors, added, seen = [], [], set()
    for number, row in enumerate(rows, start=2):
        try:
            code, name = row["jurisdiction_code"], row["name"]
            jurisdiction = jurisdictions.get(code)
            if jurisdiction is None:
                raise ValueError(f"第 {number} 行：行政区划代码 {code or '（空）'} 不存在")
            if not name:
                raise ValueError(f"第 {number} 行：节日名称不能为空")
            starts = parse_day(row["starts_on"], number, "开始日期")
            ends = parse_day(row["ends_on"], number, "结束日期")
            if ends < starts:
                raise ValueError(f"第 {number} 行：{name} 的结束日期早于开始日期")
        except ValueError as exc:
            errors.append(str(exc))
            continue
        key = (jurisdiction.id, name, starts)
        if key in seen:
            continue
        seen.add(key)
        exists = session.execute(select(Holiday.id).filter_by(
            jurisdiction_id=jurisdiction.id, name=name, starts_on=starts)).first()
        if exists is None:
            added.append(Holiday(name=name, starts_on=starts, ends_on=ends,
                                 jurisdiction=jurisdiction, basis=row.get("basis") or None))
    if errors:
        raise ValueError("；".join(errors))
    session.add_all(added)
    session.flush()
    return len(added)
