"""The vehicle register and the vehicle establishment (Art. 26-27, 29).

One truth with the asset card: a vehicle is a fixed asset, entered first as a card in the
assets module; the vehicle record names its card (``entity_reference("asset")``) and holds only
what a vehicle adds (plate, VIN, brand, energy, category, marking, parking). Its organisation and
jurisdiction are the card's, filled by the write pipeline (``Scope(parent="asset")``); price and
acquisition date are read from the card, never copied.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship

from core.api import ApprovalMixin, Model, Stage, Versioned, Voidable, entity_reference

ENERGY_TYPES = {
    "petrol": _l("燃油（汽油）"), "diesel": _l("燃油（柴油）"), "bev": _l("纯电动"),
    "phev": _l("插电式混合动力"), "erev": _l("增程式"), "fcev": _l("燃料电池"),
    "hybrid": _l("油电混合（非插电）"),
}
#: what counts as a new-energy vehicle (新能源汽车) in the share Art. 28 asks to prefer
NEW_ENERGY = ("bev", "phev", "erev", "fcev")

VEHICLE_STATUSES = {"in_service": _l("在用"), "disposed": _l("已处置")}


class Vehicle(Voidable, Versioned, Model):
    """A vehicle of the register (公务用车登记), linked to its asset card."""

    __tablename__ = "vehicles_vehicle"
    __table_args__ = (
        UniqueConstraint("plate", name="uq_vehicles_vehicle_plate"),
        UniqueConstraint("vin", name="uq_vehicles_vehicle_vin"),
        UniqueConstraint("asset_id", name="uq_vehicles_vehicle_asset"),
        CheckConstraint("status in ('in_service', 'disposed')", name="ck_vehicles_vehicle_status"),
        CheckConstraint("displacement is null or displacement >= 0", name="ck_vehicles_vehicle_displacement"),
    )

    id = Column(Integer, primary_key=True)
    #: the asset card (assets module) this vehicle is: organisation, price, acquisition date
    asset_id = entity_reference("asset", nullable=False, index=False)  # the unique constraint indexes it
    plate = Column(String(16), nullable=False)
    vin = Column(String(17), nullable=False)
    brand = Column(String(64), nullable=False)
    model_name = Column(String(64), nullable=False)
    #: 国产汽车 (Art. 28)
    domestic = Column(Boolean, nullable=False, default=True)
    energy_type = Column(String(16), nullable=False, default="petrol")
    #: 排量 in litres; none for a battery-electric vehicle
    displacement = Column(Numeric(4, 2))
    category_id = Column(Integer, ForeignKey("catalog_vehicle_category.id"), nullable=False, index=True)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    #: 统一标识 (Art. 29); an exemption says why (e.g. 机要通信)
    marked = Column(Boolean, nullable=False, default=True)
    #: 定点停放 (Art. 29)
    parking_place = Column(String(255))
    #: a vehicle of a shared platform (公务用车平台): each trip needs dispatch approval
    shared_platform = Column(Boolean, nullable=False, default=False)
    #: the odometer at registration (km); trips advance it
    odometer_km = Column(Integer, nullable=False, default=0)
    status = Column(String(16), nullable=False, default="in_service", index=True)
    disposed_on = Column(Date)
    note = Column(Text)

    category = relationship("VehicleCategory")
    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        return f"{self.plate} {self.brand}{self.model_name}"

    @property
    def energy_label(self) -> str:
        return str(ENERGY_TYPES.get(self.energy_type, self.energy_type))

    @property
    def status_label(self) -> str:
        return str(VEHICLE_STATUSES.get(self.status, self.status))

    @property
    def new_energy(self) -> bool:
        return self.energy_type in NEW_ENERGY

    # the card is the truth for these (docs/vehicles.md, "One truth with the asset card")
    @property
    def price(self):
        card = getattr(self, "asset", None)
        return card.original_value if card is not None else None

    @property
    def acquired_on(self):
        card = getattr(self, "asset", None)
        return card.acquired_on if card is not None else None


def _set_by_finance(record) -> bool:
    category = getattr(record, "category", None)
    return category is not None and category.establishment_body == "finance"


#: 执法执勤、特种专业技术: finance sets, the bureau records it (备案); the others: the bureau sets.
ESTABLISHMENT_STAGES = (
    Stage("finance", _l("财政部门核定"), "approve_finance", "submitted", _l("待财政部门核定"),
          body="finance", article=27, required=_set_by_finance),
    Stage("bureau", _l("机关事务管理部门核定（备案）"), "approve", "reviewed",
          _l("待机关事务管理部门核定（备案）"), body="bureau", article=27),
)


class VehicleEstablishment(ApprovalMixin, Versioned, Model):
    """The number of vehicles of one category an organisation may hold (车辆编制), from a date.

    The approved record in force on a day (latest ``effective_from`` not after it) is the
    establishment; holdings (vehicles in service) never exceed it (Art. 27).
    """

    __tablename__ = "vehicles_establishment"
    __table_args__ = (
        CheckConstraint("quota >= 0", name="ck_vehicles_establishment_quota"),
    )
    approval_stages = ESTABLISHMENT_STAGES
    document_prefix = "CB"

    id = Column(Integer, primary_key=True)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    category_id = Column(Integer, ForeignKey("catalog_vehicle_category.id"), nullable=False, index=True)
    quota = Column(Integer, nullable=False)
    effective_from = Column(Date, nullable=False)
    #: the decision (核定文件文号)
    decision = Column(String(128))
    note = Column(Text)

    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")
    category = relationship("VehicleCategory")

    def __repr__(self) -> str:
        return f"{self.organization} {self.category} {self.quota}"


#: 处置方式 of a vehicle (Art. 30)
DISPOSAL_METHODS = {
    "procedure": _l("按规定程序处置"),
    "reallocation": _l("调剂"),
    "takeback": _l("厂家回收"),
}


#: Art. 26, 30: the bureau of the organisation's level decides a vehicle's disposal
DISPOSAL_STAGES = (
    Stage("bureau", _l("机关事务管理部门审批"), "approve", "submitted", _l("待机关事务管理部门审批"),
          body="bureau", article=30),
)


class VehicleDisposal(ApprovalMixin, Versioned, Model):
    """A vehicle's disposal (公务用车处置, Art. 30): by the normal procedure, by reallocation (调剂)
    to another organisation, or by manufacturer take-back (厂家回收); the bureau approves and the
    approval applies it (``plugins.vehicles.fleet.disposal``)."""

    __tablename__ = "vehicles_disposal"
    __table_args__ = (
        CheckConstraint("method in ('procedure', 'reallocation', 'takeback')",
                        name="ck_vehicles_disposal_method"),
    )
    approval_stages = DISPOSAL_STAGES
    #: 车辆处置: the assets module's disposals are CZ
    document_prefix = "CLCZ"

    id = Column(Integer, primary_key=True)
    vehicle_id = Column(Integer, ForeignKey("vehicles_vehicle.id"), nullable=False, index=True)
    #: the applicant: the vehicle's organisation when applied for (kept when a 调剂 moves it)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    method = Column(String(16), nullable=False)
    applied_on = Column(Date, nullable=False)
    reason = Column(Text, nullable=False)
    #: 调剂: the receiving organisation (it must have room in its establishment, Art. 27)
    target_id = Column(Integer, ForeignKey("catalog_organization.id", name="fk_vehicles_disposal_target_id"),
                       index=True)
    #: 厂家回收: the manufacturer taking the vehicle back
    manufacturer = Column(String(128))
    note = Column(Text)

    vehicle = relationship("Vehicle")
    organization = relationship("Organization", foreign_keys=[organization_id])
    target = relationship("Organization", foreign_keys=[target_id])
    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        return f"{self.document_number or self.id or ''} {self.vehicle or ''}"

    @property
    def method_label(self) -> str:
        return str(DISPOSAL_METHODS.get(self.method, self.method or ""))

    def on_transition(self, action: str, session) -> list[str] | None:
        from plugins.vehicles.fleet.disposal import apply_disposal, check_submit

        if action == "submit":
            check_submit(session, self)
        elif action == "approve" and self.state == "approved":
            return apply_disposal(session, self)
        return None
