"""The card history (资产变动记录, Art. 18): every movement of an asset, one row each.

Every area that moves an asset (receipt, check-out, return, custodian transfer, stocktake
adjustment, pool entry and transfer, repair, disposal) calls :func:`record_movement` in the
same flush as the change itself, so the card's history and the card never disagree. The
audit log keeps the raw before/after; this table is what a clerk reads on the card.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Column, Date, DateTime, ForeignKey, Integer, String, Text, event
from sqlalchemy.orm import Session, relationship

from core.api import Model, Scope, effective_values, previous_values
from core.versioning import utcnow

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
    from plugins.assets.models.cards import Asset

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
