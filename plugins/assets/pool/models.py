"""The shared pool 公物仓 (Art. 18): pool items, repairs before reuse, and pool requests (调剂).

A pool item belongs to the managing bureau (机关事务管理部门) of a jurisdiction; its catalogue is
read by every organisation of that jurisdiction and below (``Scope(shared_up=True)`` on the entity
type), while the asset card itself stays scoped to its owner until a request is approved.

"已预订" (reserved) is not stored on the item: it is the item having a submitted request. A
clerk submits the request but may not write the bureau's item row (row scope), so the
reservation lives on the clerk's own record and is read back with the item (``reserved``).
"""

from __future__ import annotations

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
    and_,
    exists,
    func,
    inspect,
    select,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import relationship
from sqlalchemy.orm.attributes import flag_modified

from core.api import (
    ApprovalMixin,
    Derivation,
    Model,
    Versioned,
    WorkflowError,
    current_scope,
    flush_scratch,
    local_today,
    related_target,
)
from plugins.assets.cards.models import Asset, record_movement

POOL_STATUSES = {
    "available": _l("可调剂"),
    "reserved": _l("已预订"),
    "transferred": _l("已调剂"),
    "withdrawn": _l("已撤回"),
}
#: Statuses stored on the row; "reserved" is derived from a submitted request.
STORED_POOL_STATUSES = {k: v for k, v in POOL_STATUSES.items() if k != "reserved"}
SOURCE_KINDS = {
    "idle": _l("闲置资产"),
    "low_use": _l("低效运转资产"),
    "big_event": _l("大型活动资产"),
    "temporary_body": _l("临时机构资产"),
}
#: ``session.info`` key: the items an approval is transferring in the current flush.
TRANSFERRING = "jiguan_assets_pool_transferring"
#: What the asset becomes at the requesting organisation.
TARGET_STATUSES = {"in_use": _l("在用"), "idle": _l("闲置")}


class PoolRequest(ApprovalMixin, Versioned, Model):
    """调剂申请: an organisation asks the bureau for a pool item; approval moves ownership."""

    __tablename__ = "assets_pool_request"
    __table_args__ = (
        CheckConstraint("target_status in ('in_use', 'idle')", name="ck_assets_pool_request_target"),
    )

    id = Column(Integer, primary_key=True)
    item_id = Column(Integer, ForeignKey("assets_pool_item.id"), nullable=False, index=True)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False,
                             index=True)
    #: the requesting organisation's jurisdiction (kept equal to it on every write)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False,
                             index=True)
    purpose = Column(Text, nullable=False)
    requested_by_id = Column(Integer, ForeignKey("catalog_person.id"))
    requested_on = Column(Date, nullable=False, default=local_today)
    target_status = Column(String(16), nullable=False, default="in_use")
    note = Column(Text)

    item = relationship("PoolItem", back_populates="requests")
    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")
    requested_by = relationship("Person")

    def __repr__(self) -> str:
        # its number once submitted (TJ-2026-00001), as every approval document is named
        return _("调剂申请 %(id)s", id=self.document_number or self.id or "")

    @property
    def target_status_label(self) -> str:
        return str(TARGET_STATUSES.get(self.target_status, self.target_status))

    def on_transition(self, action: str, session) -> list[str]:
        item = self.item
        if action == "submit":
            check_requestable(session, item, exclude_request=self.id)
        elif action == "approve":
            scope = current_scope()
            if scope.kind == "organization" or scope.kind == "jurisdiction" and \
                    not item.jurisdiction.path.startswith(scope.jurisdiction_path):
                raise WorkflowError(_("只有公物仓所属的机关事务管理部门（%(bureau)s）可以批准此调剂申请",
                                      bureau=item.organization.name), status=403)
            if item.status != "available":
                raise WorkflowError(_("公物仓物品“%(item)s”当前状态为“%(status)s”，不能调剂",
                                      item=item.asset, status=item.status_label))
            refuse_if_under_repair(item)
            if item.asset.status in ("pending_disposal", "disposed"):
                raise WorkflowError(_("资产“%(asset)s”已处置或待处置，不能调剂", asset=item.asset))
            transfer(session, self)
            return [_("资产“%(asset)s”已无偿划转至%(org)s，状态改为“%(status)s”", asset=item.asset,
                      org=self.organization.name, status=self.target_status_label)]
        return []


class PoolItem(Versioned, Model):
    """An asset in a bureau's shared pool (公物仓)."""

    __tablename__ = "assets_pool_item"
    __table_args__ = (
        CheckConstraint("status in ('available', 'transferred', 'withdrawn')",
                        name="ck_assets_pool_item_status"),
        CheckConstraint("source_kind in ('idle', 'low_use', 'big_event', 'temporary_body')",
                        name="ck_assets_pool_item_source"),
    )

    id = Column(Integer, primary_key=True)
    asset_id = Column(Integer, ForeignKey("assets_asset.id"), nullable=False, index=True)
    #: the managing bureau (Organization.is_bureau) and its jurisdiction: the pool's owner
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False,
                             index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False,
                             index=True)
    source_kind = Column(String(16), nullable=False, default="idle")
    entered_on = Column(Date, nullable=False, default=local_today)
    condition = Column(String(255))
    status = Column(String(16), nullable=False, default="available", index=True)
    note = Column(Text)

    asset = relationship("Asset")
    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")
    requests = relationship("PoolRequest", back_populates="item")
    repairs = relationship("PoolRepair", back_populates="item", order_by="PoolRepair.id")
    @hybrid_property
    def reserved(self) -> bool:
        """A submitted request holds the item (已预订); in SQL a correlated EXISTS."""
        return any(r.state == "submitted" for r in self.requests)

    @reserved.inplace.expression
    @classmethod
    def _reserved_expression(cls):
        return exists().where(and_(PoolRequest.item_id == cls.id, PoolRequest.state == "submitted"))

    def __repr__(self) -> str:
        return str(self.asset) if self.asset is not None else f"#{self.id}"

    @property
    def effective_status(self) -> str:
        if self.status == "available" and self.reserved:
            return "reserved"
        return self.status

    @property
    def status_label(self) -> str:
        label = str(POOL_STATUSES.get(self.effective_status, self.effective_status))
        if self.effective_status == "available" and self.under_repair:
            label += _("（维修中）")
        return label

    @property
    def source_label(self) -> str:
        return str(SOURCE_KINDS.get(self.source_kind, self.source_kind))

    @property
    def under_repair(self) -> bool:
        return any(not r.finished for r in self.repairs)

    # what the catalogue shows of the asset (the card itself stays scoped to its owner)
    @property
    def asset_number(self):
        return self.asset.number if self.asset else ""

    @property
    def asset_name(self):
        return self.asset.name if self.asset else ""

    @property
    def asset_class_name(self):
        return self.asset.asset_class.name if self.asset and self.asset.asset_class else ""

    @property
    def specification(self):
        return self.asset.specification if self.asset else ""

    @property
    def quantity(self):
        return f"{self.asset.quantity} {self.asset.unit}" if self.asset else ""

    @property
    def original_value(self):
        return self.asset.original_value if self.asset else None

    @property
    def owner(self):
        return self.asset.organization if self.asset else None


class PoolRepair(Versioned, Model):
    """A repair of a pool item before reuse (维修记录)."""

    __tablename__ = "assets_pool_repair"
    __table_args__ = (CheckConstraint("cost >= 0", name="ck_assets_pool_repair_cost"),)

    id = Column(Integer, primary_key=True)
    item_id = Column(Integer, ForeignKey("assets_pool_item.id", ondelete="CASCADE"), nullable=False,
                     index=True)
    #: copied from the pool item (the bureau's), for the row scope
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False,
                             index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False,
                             index=True)
    repaired_on = Column(Date, nullable=False, default=local_today)
    description = Column(Text, nullable=False)
    cost = Column(Numeric(14, 2), nullable=False, default=0)
    done_by = Column(String(128))
    finished = Column(Boolean, nullable=False, default=False)

    item = relationship("PoolItem", back_populates="repairs")
    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        return f"{self.repaired_on} {self.description or ''}"[:60]


# --- the effects --------------------------------------------------------------------------------


def refuse_if_under_repair(item: PoolItem) -> None:
    if item.under_repair:
        raise WorkflowError(_("公物仓物品“%(item)s”尚有未完成的维修，维修完成前不能调剂", item=item.asset))


def open_request_exists(session, item_id, exclude_request=None) -> bool:
    query = select(PoolRequest.id).where(PoolRequest.item_id == item_id, PoolRequest.state == "submitted")
    if exclude_request is not None:
        query = query.where(PoolRequest.id != exclude_request)
    return session.execute(query.limit(1)).first() is not None


def check_requestable(session, item: PoolItem, exclude_request=None) -> None:
    """Refuse a request for an item that is not available (reserved, transferred, withdrawn)."""
    with session.no_autoflush:
        if item.status != "available":
            raise WorkflowError(_("公物仓物品“%(item)s”当前状态为“%(status)s”，不能申请调剂",
                                  item=item.asset, status=item.status_label))
        if open_request_exists(session, item.id, exclude_request):
            raise WorkflowError(_("公物仓物品“%(item)s”已被其他单位预订，不能重复申请", item=item.asset))
        refuse_if_under_repair(item)


def transfer(session, request: PoolRequest) -> None:
    """无偿划转: the asset moves to the requesting organisation, in the approval's flush."""
    item, asset = request.item, request.item.asset
    before = dict(org=asset.organization_id, custodian=asset.custodian_id, status=asset.status)
    asset.organization = request.organization
    asset.jurisdiction = request.organization.jurisdiction
    asset.custodian = None
    asset.status = request.target_status
    item.status = "transferred"
    # read by the assets.pool_status rule in this flush only
    flush_scratch(session).setdefault(TRANSFERRING, set()).add(id(item))
    record_movement(
        session, asset, "pool_transfer", source=f"pool_request:{request.id}",
        from_organization_id=before["org"], to_organization_id=request.organization.id,
        from_custodian_id=before["custodian"], from_status=before["status"],
        to_status=request.target_status,
        note=_("公物仓调剂，无偿划转至%(org)s", org=request.organization.name),
    )


def _enter(item: PoolItem, ctx) -> None:
    """An asset entering the pool goes idle, with a line in its history."""
    session = ctx.session
    bureau = ctx.related(item, "organization")
    asset = ctx.related(item, "asset")
    if asset is None:
        return
    from_status = asset.status
    if asset.status not in ("idle", "disposed", "pending_disposal"):
        asset.status = "idle"
    else:  # written all the same: the card's rules see it in the pool (its idle finding closes)
        flag_modified(asset, "status")
    kind = str(SOURCE_KINDS.get(item.source_kind or "idle", item.source_kind))
    record_movement(session, asset, "pool_entry", on=item.entered_on, from_status=from_status,
                    to_status=asset.status,
                    note=_("纳入%(org)s公物仓（%(kind)s）", org=bureau.name if bureau else "", kind=kind))


def _repair(repair: PoolRepair, ctx) -> None:
    """While a repair of a pool item is unfinished its asset is 维修."""
    session = ctx.session
    item = ctx.related(repair, "item")
    if item is None:
        return
    if ctx.action == "update" and not inspect(repair).attrs["finished"].history.has_changes():
        return
    asset = related_target(session, item, "asset")
    from_status = asset.status
    others_open = any(not r.finished for r in item.repairs if r is not repair)
    if asset.status in ("idle", "repair"):
        asset.status = "repair" if (others_open or not repair.finished) else "idle"
    what = repair.description or ""
    record_movement(session, asset, "repair", on=repair.repaired_on, from_status=from_status,
                    to_status=asset.status, source=f"pool_item:{item.id}",
                    note=_("维修完成：%(what)s", what=what) if repair.finished
                    else _("送修：%(what)s", what=what))


def _status_moved(item: PoolItem, ctx) -> None:
    """Withdrawn from the pool or put back: a line in the card's history."""
    session = ctx.session
    hist = inspect(item).attrs["status"].history
    if not hist.has_changes() or item.status not in ("withdrawn", "available"):
        return
    asset = related_target(session, item, "asset")
    if asset is None:
        return
    note = _("撤出公物仓") if item.status == "withdrawn" else _("重新纳入公物仓")
    record_movement(session, asset, "status_change", source=f"pool_item:{item.id}",
                    from_status=asset.status, to_status=asset.status, note=note)


#: The pool's effects on the cards, run by the write pipeline with the write that causes them.
DERIVATIONS = [
    Derivation("assets.pool_entry", PoolItem, _enter, on=("create",)),
    Derivation("assets.pool_status", PoolItem, _status_moved, on=("update",)),
    Derivation("assets.pool_repair", PoolRepair, _repair),
]


# --- which pools an organisation may request from (Art. 18) -------------------------------------


def requestable_pool_codes(jurisdiction) -> list[str]:
    """The jurisdictions whose pools an organisation of ``jurisdiction`` may request items from:
    its own and those above it (the bureau's jurisdiction covers the organisation). The one
    answer for the request rule (``assets.pool_request_jurisdiction``) and the plans' reuse-first
    flag (``assets.plan_reuse_first``)."""
    return list(jurisdiction.ancestor_codes) if jurisdiction is not None else []


def may_request_from(jurisdiction, pool_jurisdiction) -> bool:
    return pool_jurisdiction is not None and pool_jurisdiction.code in requestable_pool_codes(jurisdiction)


def requestable_items(session, organization, class_id: int, limit: int | None = None):
    """(count, first ``limit`` by asset number) of the pool items of the class ``organization`` may
    request now: 可调剂, not reserved by a submitted request, in a pool it may request from."""
    from catalog.models import Jurisdiction

    jurisdiction = organization.jurisdiction or session.get(Jurisdiction, organization.jurisdiction_id)
    codes = requestable_pool_codes(jurisdiction)
    base = (select(PoolItem).join(Asset, PoolItem.asset_id == Asset.id)
            .join(Jurisdiction, PoolItem.jurisdiction_id == Jurisdiction.id)
            .where(Asset.class_id == class_id, Asset.voided_at.is_(None), PoolItem.status == "available",
                   ~PoolItem.reserved, Jurisdiction.code.in_(codes)))
    count = session.execute(select(func.count()).select_from(base.subquery())).scalar() or 0
    rows = list(session.execute(base.order_by(Asset.number).limit(limit)).scalars()) if limit else []
    return count, rows


def is_transferring(session, item) -> bool:
    return id(item) in flush_scratch(session).get(TRANSFERRING, ())
