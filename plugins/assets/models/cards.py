"""Asset classes (GB/T 14885) and asset cards (Art. 17-18)."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    event,
    select,
)
from sqlalchemy.orm import Session, relationship

from catalog.models import Jurisdiction, standard_in_force
from core.api import Model, Scope, Versioned

#: The standard kinds this module reads (Art. 17); key = the asset class code.
PRICE_CAP = "asset_price_cap"
QUANTITY_CAP = "asset_quantity_cap_per_person"
MIN_LIFE = "asset_min_service_life"

ASSET_STATUSES = {
    "in_use": _l("在用"),
    "idle": _l("闲置"),
    "lent": _l("出借"),
    "repair": _l("维修"),
    "pending_disposal": _l("待处置"),
    "disposed": _l("已处置"),
}
#: 取得方式: the configuration standards (Art. 17) govern purchases; a card that records an
#: asset found in a stocktake or received by transfer is not a purchase and is not capped.
ACQUISITION_METHODS = {
    "purchase": _l("购置"),
    # registration of what an organisation already holds when it starts keeping cards here
    "existing": _l("存量登记"),
    "transfer_in": _l("调拨划入"),
    "donation": _l("接受捐赠"),
    "surplus": _l("盘盈"),
    "self_built": _l("自建自制"),
    "other": _l("其他"),
}
FUNDING_SOURCES = {
    "fiscal": _l("财政拨款"),
    "self_raised": _l("自筹"),
    "other": _l("其他"),
}


class AssetClass(Model):
    """A class of the national asset classification (GB/T 14885-2022): public reference data."""

    __tablename__ = "assets_class"
    __table_args__ = (UniqueConstraint("code", name="uq_assets_class_code"),)
    #: national classification: everyone reads it, only the system admin writes it
    __jiguan_scope__ = Scope(public=True)

    id = Column(Integer, primary_key=True)
    code = Column(String(16), nullable=False)
    name = Column(String(128), nullable=False)
    parent_id = Column(Integer, ForeignKey("assets_class.id"), index=True)
    level = Column(Integer, nullable=False, default=1)
    parent = relationship("AssetClass", remote_side=[id], backref="children")

    def __repr__(self) -> str:
        return f"{self.code} {self.name}"


class Asset(Versioned, Model):
    """An asset card (资产卡片, Art. 18)."""

    __tablename__ = "assets_asset"
    __table_args__ = (
        UniqueConstraint("number", name="uq_assets_asset_number"),
        CheckConstraint("quantity > 0", name="ck_assets_asset_quantity_positive"),
        CheckConstraint("original_value >= 0", name="ck_assets_asset_value_nonnegative"),
        CheckConstraint(
            "status in ('in_use', 'idle', 'lent', 'repair', 'pending_disposal', 'disposed')",
            name="ck_assets_asset_status",
        ),
        CheckConstraint("acquisition_method in ('purchase', 'existing', 'transfer_in', 'donation', "
                        "'surplus', 'self_built', 'other')", name="ck_assets_asset_acquisition_method"),
        CheckConstraint("funding_source in ('fiscal', 'self_raised', 'other')",
                        name="ck_assets_asset_funding"),
        # a clerk's list (its organisation, newest first) reads 25 index entries, not every
        # row of the organisation then a sort (docs/performance.md)
        Index("ix_assets_asset_organization_id_id", "organization_id", "id"),
    )

    id = Column(Integer, primary_key=True)
    number = Column(String(64), nullable=False)
    class_id = Column(Integer, ForeignKey("assets_class.id"), nullable=False, index=True)
    name = Column(String(128), nullable=False)
    specification = Column(String(255))
    quantity = Column(Integer, nullable=False, default=1)
    unit = Column(String(16), nullable=False, default="台")
    original_value = Column(Numeric(14, 2), nullable=False)
    acquired_on = Column(Date, nullable=False)
    acquisition_method = Column(String(16), nullable=False, default="purchase",
                                server_default="purchase")
    funding_source = Column(String(16), nullable=False, default="fiscal")
    location = Column(String(255))
    custodian_id = Column(Integer, ForeignKey("catalog_person.id"), index=True)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False,
                             index=True)
    status = Column(String(16), nullable=False, default="in_use", index=True)
    #: End of the minimum service life: acquired_on + the standard in force (computed on save).
    min_life_ends_on = Column(Date)
    note = Column(Text)
    #: The configuration-plan line the asset was bought under (Art. 14, 17): an approved
    #: exception there lets the card exceed the standards.
    plan_line_id = Column(Integer, ForeignKey("assets_plan_line.id", name="fk_assets_asset_plan_line_id"),
                          index=True)

    asset_class = relationship("AssetClass")
    custodian = relationship("Person")
    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")
    plan_line = relationship("AssetPlanLine")

    def __repr__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def status_label(self) -> str:
        return str(ASSET_STATUSES.get(self.status, self.status))

    @property
    def acquisition_label(self) -> str:
        return str(ACQUISITION_METHODS.get(self.acquisition_method, self.acquisition_method))

    @property
    def funding_label(self) -> str:
        return str(FUNDING_SOURCES.get(self.funding_source, self.funding_source))


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@event.listens_for(Asset, "before_insert")
@event.listens_for(Asset, "before_update")
def _compute_min_life_end(_mapper, connection, target: Asset) -> None:
    """acquired_on + the minimum service life in force for the class in the asset's jurisdiction."""
    class_id = target.asset_class.id if target.asset_class is not None else target.class_id
    jur_id = target.jurisdiction.id if target.jurisdiction is not None else target.jurisdiction_id
    if target.acquired_on is None or class_id is None or jur_id is None:
        target.min_life_ends_on = None
        return
    with Session(bind=connection, autoflush=False) as session:
        code = session.execute(
            select(AssetClass.code).where(AssetClass.id == class_id)).scalar_one_or_none()
        jurisdiction = session.get(Jurisdiction, jur_id)
        standard = None
        if code and jurisdiction is not None:  # in force on acquisition, else today's
            standard = (standard_in_force(session, MIN_LIFE, code, jurisdiction, target.acquired_on)
                        or standard_in_force(session, MIN_LIFE, code, jurisdiction))
        target.min_life_ends_on = (add_years(target.acquired_on, int(standard.value))
                                   if standard is not None else None)
