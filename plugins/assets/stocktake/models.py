"""Stocktake (清查盘点, Art. 18): a count of an organisation's assets, approved by the bureau.

Opening a stocktake snapshots every asset of the organisation that is not disposed (its
expected status, location and custodian) into lines; the clerk enters what was counted and
the surplus (盘盈) found without a card. Once the bureau approves, the differences are applied
to the cards in the approval's own flush (``on_transition``), each with a
'stocktake_adjustment' movement: a missing asset (盘亏) goes to 待处置 for a loss write-off,
status and location differences update the card, a surplus becomes a new card.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
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
    select,
)
from sqlalchemy.orm import relationship

from core.api import (
    ApprovalMixin,
    Derivation,
    Model,
    Scope,
    Versioned,
    WorkflowError,
    WriteRefused,
    join_items,
    local_today,
)
from plugins.assets.cards.models import ASSET_STATUSES, Asset, record_movement

DISCREPANCY_KINDS = {
    "loss": _l("盘亏"),
    "surplus": _l("盘盈"),
    "status": _l("状态不符"),
    "location": _l("地点不符"),
}


class Stocktake(ApprovalMixin, Versioned, Model):
    """One stocktake (清查盘点) of an organisation's assets."""

    __tablename__ = "assets_stocktake"

    id = Column(Integer, primary_key=True)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    planned_on = Column(Date, nullable=False)
    counted_on = Column(Date)
    note = Column(Text)

    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")
    lines = relationship("StocktakeLine", back_populates="stocktake", cascade="all, delete-orphan",
                         order_by="StocktakeLine.id")
    surpluses = relationship("StocktakeSurplus", back_populates="stocktake",
                             cascade="all, delete-orphan", order_by="StocktakeSurplus.id")

    def __repr__(self) -> str:
        return self.number or str(_("新盘点"))

    @property
    def number(self) -> str:
        """盘点单号: the approval document's number (PD-2026-00001, docs/workflow.md) once submitted;
        a draft is known by its id (草稿 12)."""
        if not self.id:
            return ""
        return self.document_number or str(_("草稿 %(id)s", id=self.id))

    @property
    def uncounted(self) -> int:
        return sum(1 for line in self.lines if line.found is None)

    def on_transition(self, action: str, session) -> list[str]:
        if action == "submit" and self.uncounted:
            raise WorkflowError(_("尚有 %(n)s 项资产未录入实盘结果，不能提交", n=self.uncounted),
                                status=422)
        if action != "approve":
            return []
        touched = apply_adjustments(self, session)
        from plugins.assets.stocktake.periodic import sync  # the periodic check reads this model

        closed = sync(session, self.organization, approved_on=self.counted_on or self.planned_on) == "closed"
        # say what the approval changed on the cards: it used to change them silently
        added = len(self.surpluses)  # apply_adjustments makes one card per surplus, after the lines
        adjusted = len(touched) - added
        effects = []
        if adjusted:
            effects.append(_("%(n)s 张资产卡片按盘点结果调整（状态或存放地点）", n=adjusted))
        if added:
            effects.append(_("盘盈新增 %(n)s 张资产卡片", n=added))
        if not touched:
            effects.append(_("盘点无差异，资产卡片未作调整"))
        if closed:
            effects.append(_("本单位“未按期清查盘点”问题已自动关闭（第十八条）"))
        return effects


class StocktakeLine(Versioned, Model):
    """One asset of a stocktake: what the card says (snapshot) and what was counted."""

    __tablename__ = "assets_stocktake_line"
    __table_args__ = (
        UniqueConstraint("stocktake_id", "asset_id", name="uq_assets_stocktake_line_asset"),
        CheckConstraint(
            "counted_status is null or counted_status in "
            "('in_use', 'idle', 'lent', 'repair', 'pending_disposal', 'disposed')",
            name="ck_assets_stocktake_line_status"),
    )

    id = Column(Integer, primary_key=True)
    stocktake_id = Column(Integer, ForeignKey("assets_stocktake.id", ondelete="CASCADE"), nullable=False,
                          index=True)
    asset_id = Column(Integer, ForeignKey("assets_asset.id"), nullable=False, index=True)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    expected_status = Column(String(16), nullable=False)
    expected_location = Column(String(255))
    expected_custodian_id = Column(Integer, ForeignKey("catalog_person.id"))
    #: None: not counted yet; True: found; False: missing (盘亏)
    found = Column(Boolean)
    counted_status = Column(String(16))
    counted_location = Column(String(255))
    note = Column(Text)

    stocktake = relationship("Stocktake", back_populates="lines")
    asset = relationship("Asset")
    expected_custodian = relationship("Person")

    def __repr__(self) -> str:
        return f"{self.asset}" if self.asset is not None else f"#{self.id}"

    @property
    def discrepancies(self) -> list[str]:
        """Kinds of difference between the card and the count (empty: matches or not counted)."""
        if self.found is None:
            return []
        if not self.found:
            return ["loss"]
        kinds = []
        if self.counted_status and self.counted_status != self.expected_status:
            kinds.append("status")
        if self.counted_location and (self.counted_location or "") != (self.expected_location or ""):
            kinds.append("location")
        return kinds

    @property
    def expected_status_label(self) -> str:
        return str(ASSET_STATUSES.get(self.expected_status, self.expected_status))

    @property
    def counted_status_label(self) -> str:
        return str(ASSET_STATUSES.get(self.counted_status, self.counted_status or ""))

    @property
    def found_label(self) -> str:
        return {None: _("未盘"), True: _("在"), False: _("不在（盘亏）")}[self.found]


def record_count(line: StocktakeLine, found: str, status: str | None, location: str | None,
                 note: str | None) -> None:
    """One line's count as the form and the per-line save (operation 录入实盘结果) both enter it:
    ``found`` is "1" (在), "0" (不在，盘亏) or "" (未盘); status and location only when found."""
    if found not in ("", "1", "0"):
        raise WriteRefused(_("资产“%(asset)s”的“是否在”取值无效", asset=line.asset.number))
    status = status or None
    if status is not None and status not in ASSET_STATUSES:
        raise WriteRefused(_("未知的资产状态：%(value)s", value=status))
    values = dict(
        found=None if found == "" else found == "1",
        counted_status=status if found == "1" else None,
        counted_location=((location or "").strip() or None) if found == "1" else None,
        note=(note or "").strip() or None,
    )
    for key, value in values.items():
        if getattr(line, key) != value:
            setattr(line, key, value)  # an unchanged line writes no version, no audit row


class StocktakeSurplus(Versioned, Model):
    """An asset found during the count that has no card (盘盈)."""

    __tablename__ = "assets_stocktake_surplus"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="ck_assets_stocktake_surplus_quantity"),
        CheckConstraint("estimated_value >= 0", name="ck_assets_stocktake_surplus_value"),
    )

    id = Column(Integer, primary_key=True)
    stocktake_id = Column(Integer, ForeignKey("assets_stocktake.id", ondelete="CASCADE"), nullable=False,
                          index=True)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    class_id = Column(Integer, ForeignKey("assets_class.id"), nullable=False)
    name = Column(String(128), nullable=False)
    specification = Column(String(255))
    quantity = Column(Integer, nullable=False, default=1)
    unit = Column(String(16), nullable=False, default="台")
    #: 估计价值（元）, the whole line
    estimated_value = Column(Numeric(14, 2), nullable=False, default=0)
    location = Column(String(255))
    note = Column(Text)

    stocktake = relationship("Stocktake", back_populates="surpluses")
    asset_class = relationship("AssetClass")

    def __repr__(self) -> str:
        return self.name or ""


def snapshot_lines(session, stocktake: Stocktake, org_id: int) -> None:
    """Add a line per asset of the organisation that is neither disposed nor voided (what the
    cards say now)."""
    assets = session.execute(
        select(Asset).where(Asset.organization_id == org_id, Asset.status != "disposed",
                            Asset.voided_at.is_(None))
        .order_by(Asset.number)
    ).scalars().all()
    for asset in assets:
        stocktake.lines.append(StocktakeLine(
            asset=asset, expected_status=asset.status, expected_location=asset.location,
            expected_custodian_id=asset.custodian_id,
        ))


def _open(stocktake: Stocktake, ctx) -> None:
    """A new stocktake gets its lines, whichever path opened it; the pipeline scopes them."""
    org = ctx.related(stocktake, "organization")
    if org is not None and not stocktake.lines:
        snapshot_lines(ctx.session, stocktake, org.id)


DERIVATIONS = [Derivation("assets.stocktake_lines", Stocktake, _open, on=("create",))]
#: A stocktake's jurisdiction is its organisation's; its lines and surpluses are the stocktake's.
STOCKTAKE_SCOPE = Scope(organization="organization_id", jurisdiction="jurisdiction_id",
                        derive_jurisdiction=True)
LINE_SCOPE = Scope(organization="organization_id", jurisdiction="jurisdiction_id",
                   parent="stocktake")


def surplus_number(stocktake: Stocktake, index: int) -> str:
    return f"PY-{stocktake.organization_id}-{stocktake.id:04d}-{index:02d}"


def apply_adjustments(stocktake: Stocktake, session) -> list[Asset]:
    """The approved differences, applied to the cards with a movement each; returns the cards touched."""
    source = f"stocktake:{stocktake.id}"
    on = stocktake.counted_on or local_today()
    touched = []
    for line in stocktake.lines:
        kinds = line.discrepancies
        asset = line.asset
        if not kinds or asset is None or asset.status == "disposed" or asset.voided_at is not None:
            continue  # a card voided while it was counted is no longer on the books
        changes = dict(from_status=asset.status, from_location=asset.location)
        if "loss" in kinds:
            asset.status = "pending_disposal"
            note = _("盘亏，转为待处置，待办理损失核销")
        else:
            if "status" in kinds:
                asset.status = line.counted_status
            if "location" in kinds:
                asset.location = line.counted_location
            note = join_items(str(DISCREPANCY_KINDS[k]) for k in kinds)
        if line.note:
            note = f"{note}；{line.note}"
        record_movement(session, asset, "stocktake_adjustment", on=on, source=source, note=note,
                        to_status=asset.status, to_location=asset.location, **changes)
        touched.append(asset)
    for index, surplus in enumerate(stocktake.surpluses, start=1):
        asset = Asset(
            number=surplus_number(stocktake, index), asset_class=surplus.asset_class,
            name=surplus.name, specification=surplus.specification,
            quantity=surplus.quantity, unit=surplus.unit,
            original_value=Decimal(surplus.estimated_value or 0), acquired_on=on,
            funding_source="other", acquisition_method="surplus", location=surplus.location,
            organization=stocktake.organization,
            jurisdiction=stocktake.jurisdiction, status="in_use",
            note=_("盘盈入账（盘点单 %(no)s），原值为估计价值", no=stocktake.number),
        )
        session.add(asset)
        record_movement(session, asset, "stocktake_adjustment", on=on, source=source,
                        note=str(DISCREPANCY_KINDS["surplus"]), to_status="in_use",
                        to_location=surplus.location, to_organization_id=stocktake.organization_id)
        touched.append(asset)
    return touched


def discrepancies(stocktake: Stocktake) -> dict:
    """The differences of a stocktake by kind (盘亏, 盘盈, 状态不符, 地点不符) with counts and values.

    A line with both a status and a location difference is listed under each; the total counts
    and values are per kind, and ``assets``/``value`` count every asset once.
    """
    groups = {kind: [] for kind in DISCREPANCY_KINDS}
    seen_value, seen = Decimal(0), 0
    for line in stocktake.lines:
        kinds = line.discrepancies
        if not kinds:
            continue
        asset = line.asset
        value = Decimal(asset.original_value or 0)
        seen, seen_value = seen + 1, seen_value + value
        for kind in kinds:
            expected = {"loss": line.expected_status_label, "status": line.expected_status_label,
                        "location": line.expected_location or ""}[kind]
            counted = {"loss": str(_("未找到")), "status": line.counted_status_label,
                       "location": line.counted_location or ""}[kind]
            groups[kind].append(dict(
                number=asset.number, name=asset.name, specification=asset.specification or "",
                quantity=asset.quantity, unit=asset.unit, value=value, expected=expected,
                counted=counted, custodian=line.expected_custodian.name if line.expected_custodian else "",
                note=line.note or "", line_id=line.id, asset_id=asset.id,
            ))
    for surplus in stocktake.surpluses:
        value = Decimal(surplus.estimated_value or 0)
        seen, seen_value = seen + 1, seen_value + value
        groups["surplus"].append(dict(
            number="", name=surplus.name, specification=surplus.specification or "",
            quantity=surplus.quantity, unit=surplus.unit, value=value,
            expected=str(_("无卡片")), counted=surplus.location or "", custodian="",
            note=surplus.note or "", surplus_id=surplus.id,
            asset_class=surplus.asset_class.name if surplus.asset_class else "",
        ))
    totals = {kind: dict(count=len(rows), value=sum((r["value"] for r in rows), Decimal(0)))
              for kind, rows in groups.items()}
    return dict(groups=groups, totals=totals, labels={k: str(v) for k, v in DISCREPANCY_KINDS.items()},
                assets=seen, value=seen_value,
                counted=sum(1 for line in stocktake.lines if line.found is not None),
                lines=len(stocktake.lines))
