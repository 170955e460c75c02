"""Official-vehicle categories (公务用车类别, Art. 27), public reference data.

The category decides who sets an organisation's vehicle establishment (编制): the bureau for
机要通信、应急保障 and 其他按照规定配备的公务用车, the finance department for 执法执勤 and
特种专业技术 vehicles, filed (备案) with the bureau of the same level. Versioned like the
economic classification: a revision retires a category (``effective_to``) and adds a row.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Column, Date, Integer, String, Text, UniqueConstraint, or_, select

from core.registry import Scope

#: Who sets the establishment of a category (第二十七条第二款).
ESTABLISHMENT_BODIES = {"bureau": _l("机关事务管理部门核定"),
                        "finance": _l("财政部门核定，报机关事务管理部门备案")}

VEHICLE_CATEGORIES_CSV = Path(__file__).with_name("data") / "vehicle-categories.csv"


class VehicleCategory(Model):
    """A category of official vehicle in force over a period."""

    __tablename__ = "catalog_vehicle_category"
    __table_args__ = (
        UniqueConstraint("code", "effective_from", name="uq_catalog_vehicle_category_code_from"),
        CheckConstraint("establishment_body in ('bureau', 'finance')",
                        name="ck_catalog_vehicle_category_body"),
    )
    __jiguan_scope__ = Scope(public=True)

    id = Column(Integer, primary_key=True)
    code = Column(String(16), nullable=False, index=True)
    name = Column(String(64), nullable=False)
    establishment_body = Column(String(16), nullable=False)
    effective_from = Column(Date, nullable=False)
    effective_to = Column(Date)
    basis = Column(Text)

    def __repr__(self) -> str:
        return self.name

    @property
    def establishment_body_label(self) -> str:
        return str(ESTABLISHMENT_BODIES.get(self.establishment_body, self.establishment_body))


def vehicle_category_in_force(session, code: str, on: dt.date | None = None) -> VehicleCategory | None:
    from core.display import local_today

    on = on or local_today()
    return session.execute(
        select(VehicleCategory)
        .where(VehicleCategory.code == code, VehicleCategory.effective_from <= on,
               or_(VehicleCategory.effective_to.is_(None), VehicleCategory.effective_to >= on))
        .order_by(VehicleCategory.effective_from.desc()).limit(1)
    ).scalar_one_or_none()


def load_vehicle_categories(session, path: Path = VEHICLE_CATEGORIES_CSV) -> int:
    """Insert the categories of a file (code,name,establishment_body,effective_from,basis) whose
    code is not yet present; return how many were added. All or nothing: a row without code or
    name, with an unknown establishment body or a day that is not a date raises ValueError
    naming every bad row, and nothing is added."""
    from catalog.holidays import parse_day, read_calendar_csv

    rows = read_calendar_csv(path, ("code", "name", "establishment_body", "effective_from", "basis"))
    known = set(session.execute(select(VehicleCategory.code)).scalars())
    errors, added = [], []
    for number, row in enumerate(rows, start=2):
        try:
            code, name, body = row["code"], row["name"], row["establishment_body"]
            if not code or not name:
                raise ValueError(f"第 {number} 行：类别代码和类别名称不能为空")
            if body not in ESTABLISHMENT_BODIES:
                raise ValueError(f"第 {number} 行：编制核定部门“{body}”应为 bureau（机关事务管理部门核定）"
                                 f"或 finance（财政部门核定）")
            since = parse_day(row["effective_from"], number, "生效日期")
        except ValueError as exc:
            errors.append(str(exc))
            continue
        if code in known:
            continue
        added.append(VehicleCategory(code=code, name=name, establishment_body=body,
                                     effective_from=since, basis=row.get("basis") or None))
        known.add(code)
    if errors:
        raise ValueError("；".join(errors))
    session.add_all(added)
    session.flush()
    return len(added)
