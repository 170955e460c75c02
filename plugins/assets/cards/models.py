"""Asset classes (GB/T 14885), asset cards (Art. 17-18) and the card history.

The card history (资产变动记录, Art. 18) has one row per movement of an asset. Every area
that moves an asset (receipt, check-out, return, custodian transfer, stocktake adjustment,
pool entry and transfer, repair, disposal) calls :func:`record_movement` in the same flush
as the change itself, so the card's history and the card never disagree. The audit log
keeps the raw before/after; the history is what a clerk reads on the card.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
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
from core.api import Model, Scope, Versioned, effective_values, previous_values
from core.versioning import utcnow

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

MOVEMENT_KINDS = {
    "receipt": _l("入库登记"),
    "check_out": _l("领用"),
    "return": _l("交回"),
    "custodian_transfer": _l("保管人变更"),
    "stocktake_adjustment": _l("盘点调整"),
    "pool_entry": _l("纳入公物仓"),
    "pool_transfer": _l("公物仓调剂（无偿划转）"),
    "repair": _l("维修"),
    "disposal": _l("处置"),
    "status_change": _l("状态变更"),
}


class AssetMovement(Model):
    """One movement on an asset card: who, when, what changed (from → to)."""

    __tablename__ = "assets_movement"
    __table_args__ = (
        CheckConstraint("kind in ('receipt', 'check_out', 'return', 'custodian_transfer', "
                        "'stocktake_adjustment', 'pool_entry', 'pool_transfer', 'repair', "
                        "'disposal', 'status_change')", name="ck_assets_movement_kind"),
    )
    #: read and written with the asset's organisation and jurisdiction (copied at the time)
    __jiguan_scope__ = Scope(organization="organization_id", jurisdiction="jurisdiction_id")

    id = Column(Integer, primary_key=True)
    asset_id = Column(Integer, ForeignKey("assets_asset.id", ondelete="CASCADE"), nullable=False,
                      index=True)
    kind = Column(String(32), nullable=False)
    happened_on = Column(Date, nullable=False)
    recorded_at = Column(DateTime, nullable=False, default=utcnow)
    user_id = Column(Integer, ForeignKey("ab_user.id"))
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False,
                             index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False,
                             index=True)
    from_organization_id = Column(Integer, ForeignKey("catalog_organization.id"))
    to_organization_id = Column(Integer, ForeignKey("catalog_organization.id"))
    from_custodian_id = Column(Integer, ForeignKey("catalog_person.id"))
    to_custodian_id = Column(Integer, ForeignKey("catalog_person.id"))
    from_status = Column(String(16))
    to_status = Column(String(16))
    from_location = Column(String(255))
    to_location = Column(String(255))
    #: the record that caused it, e.g. ``stocktake:12`` or ``disposal:3``
    source = Column(String(64))
    note = Column(Text)

    asset = relationship("Asset", backref="movements")
    from_organization = relationship("Organization", foreign_keys=[from_organization_id])
    to_organization = relationship("Organization", foreign_keys=[to_organization_id])
    from_custodian = relationship("Person", foreign_keys=[from_custodian_id])
    to_custodian = relationship("Person", foreign_keys=[to_custodian_id])

    @property
    def kind_label(self) -> str:
        return str(MOVEMENT_KINDS.get(self.kind, self.kind))


def record_movement(session, asset, kind: str, *, on: dt.date | None = None, source: str | None = None,
                    note: str | None = None, **changes) -> AssetMovement:
    """Add a movement row for ``asset`` (already changed or about to be) in ``session``.

    ``changes`` are ``from_…``/``to_…`` columns, e.g. ``to_custodian_id=7``; the scope
    columns are the asset's organisation and jurisdiction after the change.
    """
    from core.scoping import current_scope

    if kind not in MOVEMENT_KINDS:
        raise ValueError(f"unknown movement kind {kind!r}")
    movement = AssetMovement(
        asset=asset, kind=kind, happened_on=on or dt.date.today(), source=source, note=note,
        user_id=current_scope().user_id,
        organization_id=asset.organization.id if asset.organization is not None else asset.organization_id,
        jurisdiction_id=asset.jurisdiction.id if asset.jurisdiction is not None else asset.jurisdiction_id,
        **changes,
    )
    session.add(movement)
    return movement


#: Columns of a card whose change is a movement (who holds it, where, in what state, whose it is).
MOVED = ("organization_id", "custodian_id", "status", "location")


@event.listens_for(Session, "before_flush")
def record_unrecorded_moves(session, _flush_context, _instances) -> None:
    """A card changed by hand (its edit form, ``PUT /api/v1/asset/``, an import) still gets its
    history line: the areas' operations write their own movement, this catches everything else."""
    recorded = {id(m.asset) for m in session.new if isinstance(m, AssetMovement) and m.asset is not None}
    recorded |= {m.asset_id for m in session.new if isinstance(m, AssetMovement) and m.asset_id}
    for asset in list(session.dirty):
        if not isinstance(asset, Asset) or id(asset) in recorded or asset.id in recorded:
            continue
        if not session.is_modified(asset, include_collections=False):
            continue
        before, after = previous_values(asset), effective_values(asset)
        changed = [c for c in MOVED if before.get(c) != after.get(c)]
        if not changed:
            continue
        kind = "custodian_transfer" if changed == ["custodian_id"] else "status_change"
        record_movement(session, asset, kind, source="card_edit",
                        **{f"from_{c}": before.get(c) for c in changed},
                        **{f"to_{c}": after.get(c) for c in changed})


# Asset.plan_line names AssetPlanLine: a test or script that imports the cards alone must not
# leave the mapper unconfigurable until the plugin is loaded (plans.models imports this module).
from plugins.assets.plans import models as _plan_models  # noqa: E402, F401
