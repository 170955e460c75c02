"""Designated reception hotels (定点接待酒店/饭店, Art. 34; 国内公务接待管理规定第十条).

Guests are lodged only at a hotel the bureau has designated, at the price it agreed per room
type. A hotel is reference data of a jurisdiction, read by every organisation below it
(``shared_up``); a designation runs over a period (``effective_from``/``effective_to``).
Choice: the agreement prices the three room types offices book (标准间, 单间, 套间) as three
columns; a room type without an agreed price cannot be booked there.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import relationship

from core.api import Model, Versioned

ROOM_TYPES = {"standard": _l("标准间"), "single": _l("单间"), "suite": _l("套间")}


class DesignatedHotel(Versioned, Model):
    """A designated hotel with its agreed prices (元/间·天) and the period of its designation."""

    __tablename__ = "receptions_hotel"
    __table_args__ = (
        CheckConstraint("price_standard is null or price_standard >= 0", name="ck_receptions_hotel_standard"),
        CheckConstraint("price_single is null or price_single >= 0", name="ck_receptions_hotel_single"),
        CheckConstraint("price_suite is null or price_suite >= 0", name="ck_receptions_hotel_suite"),
    )

    id = Column(Integer, primary_key=True)
    name = Column(String(128), nullable=False)
    address = Column(String(255), nullable=False)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    price_standard = Column(Numeric(10, 2))
    price_single = Column(Numeric(10, 2))
    price_suite = Column(Numeric(10, 2))
    effective_from = Column(Date, nullable=False)
    effective_to = Column(Date)
    #: the bureau's designation (定点协议) the prices come from
    basis = Column(String(255))
    note = Column(Text)

    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        return self.name

    def agreed_price(self, room_type: str | None):
        """The agreed price of ``room_type`` (None: not agreed)."""
        return getattr(self, f"price_{room_type}", None) if room_type in ROOM_TYPES else None

    def designated_on(self, day: dt.date | None) -> bool:
        if day is None or self.effective_from is None:
            return True
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)
