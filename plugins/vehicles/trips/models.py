"""Trips (出车登记), dispatch of shared vehicles (派车审批), holiday sealing (节假日封存停驶) and
emergency use during a sealed holiday (应急用车审批), Art. 26 and 29.

A trip is registered by the vehicle's organisation (its scope is the vehicle's). A vehicle of a
shared platform (``Vehicle.shared_platform``) is dispatched by the bureau: its trip is submitted
and approved (one stage, ``required`` only for such vehicles) before it may be returned; a trip of
any other vehicle needs no approval and stays a registration (its state reads 无需派车审批).
回车登记 (an operation) records the return time and the odometer, and advances the vehicle's
``odometer_km`` (a derivation). Over a holiday period of the vehicle's jurisdiction or above the
vehicles are sealed; a trip on those days needs an approved 应急用车审批 and is flagged even then.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import relationship

from core.api import ApprovalMixin, Model, Stage, Versioned, Voidable


def _shared(trip) -> bool:
    vehicle = getattr(trip, "vehicle", None)
    return bool(vehicle is not None and vehicle.shared_platform)


#: 派车审批: only a vehicle of a shared platform is dispatched by the bureau of its level (Art. 26)
TRIP_STAGES = (
    Stage("dispatch", _l("机关事务管理部门派车审批"), "approve", "submitted", _l("已申请，待派车审批"),
          body="bureau", article=26, required=_shared),
)

#: 应急用车审批 during a sealed holiday: the bureau of the same level (Art. 29)
EMERGENCY_STAGES = (
    Stage("bureau", _l("机关事务管理部门审批"), "approve", "submitted", _l("已提交，待机关事务管理部门审批"),
          body="bureau", article=29),
)


def _org_fk():
    return Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)


def _jur_fk():
    return Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)


def _vehicle_fk():
    return Column(Integer, ForeignKey("vehicles_vehicle.id"), nullable=False, index=True)


class VehicleTrip(ApprovalMixin, Voidable, Versioned, Model):
    """出车登记: one trip of one vehicle; 回车登记 completes it."""

    __tablename__ = "vehicles_trip"
    __table_args__ = (
        CheckConstraint("odometer_start >= 0", name="ck_vehicles_trip_odometer_start"),
        CheckConstraint("end_at >= start_at", name="ck_vehicles_trip_period"),
    )
    approval_stages = TRIP_STAGES
    document_prefix = "CC"

    id = Column(Integer, primary_key=True)
    vehicle_id = _vehicle_fk()
    organization_id = _org_fk()
    jurisdiction_id = _jur_fk()
    #: 用车人 and 驾驶员 (catalog people)
    requester_id = Column(Integer, ForeignKey("catalog_person.id"), nullable=False, index=True)
    driver_id = Column(Integer, ForeignKey("catalog_person.id"), nullable=False, index=True)
    purpose = Column(String(255), nullable=False)
    destination = Column(String(255), nullable=False)
    #: 出车时间 and 预计回车时间, Beijing wall time as entered
    start_at = Column(DateTime, nullable=False)
    end_at = Column(DateTime, nullable=False)
    #: 出车里程表读数 (km)
    odometer_start = Column(Integer, nullable=False)
    #: the vehicle's last recorded odometer when the trip was registered (derived, read-only)
    odometer_recorded = Column(Integer)
    #: 同乘人员
    passengers = Column(String(255))
    note = Column(Text)
    #: 回车登记 (operation): actual return time and odometer
    returned = Column(Boolean, nullable=False, default=False, server_default="0")
    returned_at = Column(DateTime)
    odometer_end = Column(Integer)

    vehicle = relationship("Vehicle")
    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")
    requester = relationship("Person", foreign_keys=[requester_id])
    driver = relationship("Person", foreign_keys=[driver_id])

    def __repr__(self) -> str:
        plate = self.vehicle.plate if self.vehicle is not None else ""
        when = f"{self.start_at:%Y-%m-%d %H:%M}" if self.start_at else ""
        return _("%(plate)s %(when)s 出车（%(destination)s）", plate=plate, when=when,
                 destination=self.destination or "")

    @property
    def last_day(self) -> dt.date | None:
        end = self.returned_at or self.end_at
        return end.date() if end else None

    @property
    def days(self) -> tuple[dt.date, dt.date] | None:
        """The days the trip covers (first, last), inclusive."""
        if self.start_at is None or self.last_day is None:
            return None
        return self.start_at.date(), max(self.start_at.date(), self.last_day)

    @property
    def distance(self) -> int | None:
        if self.odometer_end is None or self.odometer_start is None:
            return None
        return self.odometer_end - self.odometer_start

    @property
    def dispatch_label(self) -> str:
        if not _shared(self):
            return _("无需派车审批")
        return self.state_label

    @property
    def return_label(self) -> str:
        return _("已回车") if self.returned else _("未回车")


class VehicleEmergencyUse(ApprovalMixin, Versioned, Model):
    """应急用车审批: a vehicle used on days of a sealed holiday, approved by the bureau (Art. 29)."""

    __tablename__ = "vehicles_emergency_use"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="ck_vehicles_emergency_use_period"),
    )
    approval_stages = EMERGENCY_STAGES
    document_prefix = "YJ"

    id = Column(Integer, primary_key=True)
    vehicle_id = _vehicle_fk()
    organization_id = _org_fk()
    jurisdiction_id = _jur_fk()
    holiday_id = Column(Integer, ForeignKey("catalog_holiday.id"), nullable=False, index=True)
    starts_on = Column(Date, nullable=False)
    ends_on = Column(Date, nullable=False)
    reason = Column(Text, nullable=False)

    vehicle = relationship("Vehicle")
    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")
    holiday = relationship("Holiday")

    def __repr__(self) -> str:
        plate = self.vehicle.plate if self.vehicle is not None else ""
        return _("%(plate)s 应急用车（%(start)s至%(end)s）", plate=plate, start=self.starts_on or "",
                 end=self.ends_on or "")

    def covers(self, first: dt.date, last: dt.date) -> bool:
        return self.starts_on <= first and last <= self.ends_on


class VehicleSealing(Voidable, Versioned, Model):
    """封存登记: one vehicle sealed for one holiday period; 启封登记 records when it was unsealed."""

    __tablename__ = "vehicles_sealing"

    id = Column(Integer, primary_key=True)
    holiday_id = Column(Integer, ForeignKey("catalog_holiday.id"), nullable=False, index=True)
    vehicle_id = _vehicle_fk()
    organization_id = _org_fk()
    jurisdiction_id = _jur_fk()
    sealed_at = Column(DateTime, nullable=False)
    sealed_by_id = Column(Integer, ForeignKey("catalog_person.id"), nullable=False, index=True)
    #: 停放地点 during the holiday
    place = Column(String(255), nullable=False)
    unsealed_at = Column(DateTime)
    note = Column(Text)

    holiday = relationship("Holiday")
    vehicle = relationship("Vehicle")
    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")
    sealed_by = relationship("Person")

    def __repr__(self) -> str:
        plate = self.vehicle.plate if self.vehicle is not None else ""
        name = self.holiday.name if self.holiday is not None else ""
        return _("%(plate)s %(holiday)s封存", plate=plate, holiday=name)


def period_text(holiday) -> str:
    """国庆节（2026-10-01至2026-10-07）"""
    return _("%(name)s（%(start)s至%(end)s）", name=holiday.name, start=holiday.starts_on.isoformat(),
             end=holiday.ends_on.isoformat())
