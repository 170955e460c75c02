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
    text,
)
from sqlalchemy.orm import relationship

from catalog.models import standard_in_force_row
from core.api import (
    Derivation,
    Model,
    Scope,
    Versioned,
    Voidable,
    effective_values,
    local_today,
    read_memo,
)
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


class Asset(Voidable, Versioned, Model):
    """An asset card (资产卡片, Art. 18); never deleted, voided (作废) with a reason."""

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
        # a list sorted by status pages by (status, id) from the index, however deep; the card
        # list hides disposed cards (status <> 'disposed'), which sort first: its own index
        # skips them instead of reading 1 card in 8 to reach its first page (docs/performance.md)
        Index("ix_assets_asset_status_id", "status", "id"),
        Index("ix_assets_asset_status_id_kept", "status", "id",
              postgresql_where=text("status <> 'disposed'"), sqlite_where=text("status <> 'disposed'")),
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
    status = Column(String(16), nullable=False, default="in_use")
    #: End of the minimum service life: acquired_on + the standard in force (computed on save).
    min_life_ends_on = Column(Date)
    note = Column(Text)
    #: The configuration-plan line the asset was bought under (Art. 17): a deviation approved
    #: with the plan lets the card exceed the standards.
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


def asset_class_choices() -> list[tuple[str, str]]:
    """The keys of the class-keyed standards: every class code, with its name."""
    from sqlalchemy import select

    from core.api import db

    rows = db.session.execute(select(AssetClass.code, AssetClass.name).order_by(AssetClass.code)).all()
    pending = [(c.code, c.name) for c in db.session.new if isinstance(c, AssetClass)]  # same flush
    return [(code, f"{code} {name}") for code, name in [*rows, *pending]]


def class_chain(session, asset_class: AssetClass) -> list[AssetClass]:
    """The class and its ancestors up the GB/T 14885 tree, the class itself first."""
    chain, seen = [], set()
    while asset_class is not None and asset_class.id not in seen:
        chain.append(asset_class)
        seen.add(asset_class.id)
        parent = asset_class.parent
        if parent is None and asset_class.parent_id is not None:
            parent = session.get(AssetClass, asset_class.parent_id)
        asset_class = parent
    return chain


def class_standard(session, kind: str, asset_class: AssetClass, jurisdiction, on: dt.date | None = None):
    """The configuration standard of ``kind`` in force for ``asset_class`` in ``jurisdiction`` (Art. 17).

    A class inherits its parent's standard unless it has its own. The order: the nearest
    jurisdiction up the tree that sets the kind for the class or any ancestor class wins, and
    within it the most specific class — a county's cap on 设备 governs the county's computers
    even when the region sets one on 计算机设备, since the county decided for its own level. Each
    class code is looked up by the catalog (``standard_in_force``, the jurisdiction walk).
    """
    from catalog.models import Jurisdiction, Standard

    if asset_class is None or jurisdiction is None:
        return None
    on = on or local_today()
    # a bulk write (an import) asks again for each row of a class, jurisdiction and day (today's
    # for most): the answer is kept in its memo, which the standards cannot change under
    memo = read_memo(session, Standard, Jurisdiction, AssetClass) if type(on) is dt.date else None
    jurisdiction_id = jurisdiction if isinstance(jurisdiction, int) else jurisdiction.id
    if memo is None or asset_class.id is None or jurisdiction_id is None:
        return _class_standard(session, kind, asset_class, jurisdiction, on)
    key = ("class_standard", kind, asset_class.id, jurisdiction_id, on)
    if key not in memo:
        memo[key] = _class_standard(session, kind, asset_class, jurisdiction, on)
    return memo[key]


def _class_standard(session, kind: str, asset_class: AssetClass, jurisdiction, on: dt.date):
    from catalog.models import Jurisdiction

    if isinstance(jurisdiction, int):
        jurisdiction = session.get(Jurisdiction, jurisdiction)
    depth = {code: i for i, code in enumerate(jurisdiction.ancestor_codes)}
    best, best_rank = None, None
    for specific, cls in enumerate(class_chain(session, asset_class)):
        row = standard_in_force_row(session, kind, cls.code, jurisdiction, on)
        if row is None:
            continue
        found, code = row
        rank = (depth.get(code, -1), -specific)
        if best_rank is None or rank > best_rank:
            best, best_rank = found, rank
    return best


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def compute_min_life_end(asset: Asset, ctx) -> None:
    """acquired_on + the minimum service life in force for the class (or the nearest ancestor class
    with one) in the asset's jurisdiction."""
    asset_class = ctx.related(asset, "asset_class")
    jurisdiction = ctx.related(asset, "jurisdiction")
    standard = None
    if asset.acquired_on is not None and asset_class is not None and jurisdiction is not None:
        # in force on acquisition, else today's
        standard = (class_standard(ctx.session, MIN_LIFE, asset_class, jurisdiction, asset.acquired_on)
                    or class_standard(ctx.session, MIN_LIFE, asset_class, jurisdiction))
    ends = add_years(asset.acquired_on, int(standard.value)) if standard is not None else None
    if asset.min_life_ends_on != ends:
        asset.min_life_ends_on = ends


MOVEMENT_KINDS = {
    "receipt": _l("入库登记"),
    "check_out": _l("领用"),
    "return": _l("交回"),
    "custodian_transfer": _l("保管人变更"),
    "stocktake_adjustment": _l("盘点调整"),
    "pool_entry": _l("纳入公物仓"),
    "pool_transfer": _l("公物仓调剂（无偿划转）"),
    # a disposal by 无偿划转 (Art. 19): the card moves to the recipient instead of being disposed
    "free_transfer": _l("无偿划转"),
    "repair": _l("维修"),
    "disposal": _l("处置"),
    "status_change": _l("状态变更"),
    "relocation": _l("变更存放地点"),
    "void": _l("作废"),
}


class AssetMovement(Model):
    """One movement on an asset card: who, when, what changed (from → to)."""

    __tablename__ = "assets_movement"
    __table_args__ = (
        CheckConstraint("kind in ('receipt', 'check_out', 'return', 'custodian_transfer', "
                        "'stocktake_adjustment', 'pool_entry', 'pool_transfer', 'repair', "
                        "'disposal', 'status_change', 'relocation', 'void', 'free_transfer')",
                        name="ck_assets_movement_kind"),
    )
    #: read and written with the asset's organisation and jurisdiction (copied at the time)
    __jiguan_scope__ = Scope(organization="organization_id", jurisdiction="jurisdiction_id",
                             parent="asset")

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
    columns are the asset's organisation and jurisdiction after the change (the write
    pipeline fills them: ``Scope(parent="asset")``).
    """
    from core.scoping import current_scope

    if kind not in MOVEMENT_KINDS:
        raise ValueError(f"unknown movement kind {kind!r}")
    movement = AssetMovement(
        asset=asset, kind=kind, happened_on=on or local_today(), source=source, note=note,
        user_id=current_scope().user_id, **changes,
    )
    session.add(movement)
    return movement


#: Columns of a card whose change is a movement (who holds it, where, in what state, whose it is).
MOVED = ("organization_id", "custodian_id", "status", "location")


def record_unrecorded_moves(asset: Asset, ctx) -> None:
    """A card changed by hand (its edit form, ``PUT /api/v1/asset/``, an import) still gets its
    history line: the areas' operations write their own movement, this catches everything else."""
    session = ctx.session
    for row in session.new:
        if isinstance(row, AssetMovement) and (row.asset is asset or row.asset_id == asset.id):
            return  # its operation wrote the movement
    before, after = ctx.previous(asset), effective_values(asset)
    changed = [c for c in MOVED if before.get(c) != after.get(c)]
    if not changed:
        return
    kind = "custodian_transfer" if changed == ["custodian_id"] else "status_change"
    record_movement(session, asset, kind, source="card_edit",
                    **{f"from_{c}": before.get(c) for c in changed},
                    **{f"to_{c}": after.get(c) for c in changed})


DERIVATIONS = [
    Derivation("assets.min_life_end", Asset, compute_min_life_end),
    Derivation("assets.card_history", Asset, record_unrecorded_moves, on=("update",)),
]


# ``Asset.plan_line`` names a model of the plans area by class name: map it whenever the cards are
# mapped, or a process that imports only the cards (a test module, a script) cannot configure the
# mappers; last, since the plans import this module's names
from plugins.assets.plans import models as _plans  # noqa: E402,F401
