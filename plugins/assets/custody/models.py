"""Custody of asset cards (Art. 18): receipt (入库登记), check-out (领用), return (交回), transfer.

Each operation is a function every write path calls (screens, REST API, demo): it checks the
move, changes the card and writes its movement (资产变动记录) in the same flush, so the
card and its history never disagree. A refused move raises :class:`CustodyError` (a
``WriteRefused``, 422) with a Chinese message before anything is staged.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import relationship

from core.api import Model, Scope, WriteRefused, local_today
from core.versioning import utcnow  # as models/history.py
from plugins.assets.cards.models import FUNDING_SOURCES, Asset, record_movement

#: Statuses a newly received asset may take.
RECEIPT_STATUSES = ("in_use", "idle")
#: Cards one receipt may create (equipment: one per piece); a larger purchase is registered in batches.
MAX_CARDS = 200
#: An asset in these statuses is leaving the books: nobody checks it out or takes it over.
CLOSED_STATUSES = ("pending_disposal", "disposed")


class CustodyError(WriteRefused):
    """A move that custody refuses (wrong status, custodian of another organisation …)."""

    status = 422


class AssetReceipt(Model):
    """One receipt (入库登记) of purchased assets: the purchase document the new cards came from."""

    __tablename__ = "assets_receipt"
    __jiguan_scope__ = Scope(organization="organization_id", jurisdiction="jurisdiction_id")
    #: no entity type (receipts are made by ``receive`` only), but written to the audit log all the same
    __audited__ = True

    id = Column(Integer, primary_key=True)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    class_id = Column(Integer, ForeignKey("assets_class.id"), nullable=False)
    name = Column(String(128), nullable=False)
    specification = Column(String(255))
    quantity = Column(Integer, nullable=False)
    unit = Column(String(16), nullable=False)
    unit_price = Column(Numeric(14, 2), nullable=False)
    acquired_on = Column(Date, nullable=False)
    funding_source = Column(String(16), nullable=False)
    supplier = Column(String(128))
    invoice_no = Column(String(64))
    location = Column(String(255))
    cards = Column(Integer, nullable=False, default=1)
    note = Column(Text)
    user_id = Column(Integer, ForeignKey("ab_user.id"))
    recorded_at = Column(DateTime, nullable=False, default=utcnow)

    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")
    asset_class = relationship("AssetClass")

    def __repr__(self) -> str:
        return f"RK{self.id:06d} {self.name}" if self.id else self.name

    @property
    def number(self) -> str:
        return f"RK{self.id:06d}" if self.id else ""

    @property
    def funding_label(self) -> str:
        return str(FUNDING_SOURCES.get(self.funding_source, self.funding_source))

    @property
    def total_value(self) -> Decimal:
        return Decimal(self.unit_price or 0) * (self.quantity or 0)


def one_card_per_piece(asset_class) -> bool:
    """Equipment (GB/T 14885 class 2xxxxxx) gets one card per piece, the rest one card per batch.

    A computer or a printer is checked out, moved and disposed of one by one, so each needs its
    own card; twenty chairs of one purchase are managed together.
    """
    return bool(asset_class is not None and str(asset_class.code).startswith("2"))


def _label(status: str) -> str:
    from plugins.assets.cards.models import ASSET_STATUSES

    return str(ASSET_STATUSES.get(status, status))


def _check_custodian(asset: Asset, custodian) -> None:
    if custodian is None:
        raise CustodyError(_("请选择保管人"))
    org_id = asset.organization.id if asset.organization is not None else asset.organization_id
    if custodian.organization_id != org_id:
        raise CustodyError(_("保管人“%(person)s”不属于资产的使用单位“%(org)s”",
                             person=custodian.name, org=asset.organization.name))


def _check_open(asset: Asset, what: str) -> None:
    if asset.status in CLOSED_STATUSES:
        raise CustodyError(_("资产“%(asset)s”状态为“%(status)s”，不能%(what)s",
                             asset=asset.number, status=_label(asset.status), what=what))


def receive(session, *, organization, asset_class, name: str, quantity: int, unit: str,
            unit_price, acquired_on: dt.date, funding_source: str = "fiscal",
            specification: str | None = None, supplier: str | None = None,
            invoice_no: str | None = None, location: str | None = None, status: str = "idle",
            custodian=None, note: str | None = None,
            acquisition_method: str = "purchase") -> tuple[AssetReceipt, list[Asset]]:
    """入库登记: the receipt record, its new card(s) and a 'receipt' movement each (one flush).

    ``acquisition_method``: a receipt records a purchase (the Art. 17 caps apply) unless told
    otherwise (a donation, assets transferred in, holdings registered at go-live).
    """
    from core.api import current_scope

    if organization is None:
        raise CustodyError(_("请选择使用单位"))
    if asset_class is None:
        raise CustodyError(_("请选择资产分类"))
    if not name or not str(name).strip():
        raise CustodyError(_("请填写资产名称"))
    if quantity is None or int(quantity) <= 0:
        raise CustodyError(_("数量必须大于 0"))
    if unit_price is None or Decimal(unit_price) < 0:
        raise CustodyError(_("单价不能为负数"))
    if acquired_on is None:
        raise CustodyError(_("请填写取得日期"))
    if acquired_on > local_today():
        raise CustodyError(_("取得日期不能晚于今天"))
    if funding_source not in FUNDING_SOURCES:
        raise CustodyError(_("未知的经费来源：%(value)s", value=funding_source))
    if status not in RECEIPT_STATUSES:
        raise CustodyError(_("入库后的状态只能是“在用”或“闲置”"))
    if status == "in_use" and custodian is None:
        raise CustodyError(_("入库即领用（在用）时请选择保管人"))
    if status == "idle":
        custodian = None
    quantity, unit_price = int(quantity), Decimal(unit_price)
    if one_card_per_piece(asset_class) and quantity > MAX_CARDS:
        raise CustodyError(_("设备类资产每件一张卡片，一次入库最多 %(max)s 件，请分批登记", max=MAX_CARDS))
    receipt = AssetReceipt(
        organization=organization, jurisdiction=organization.jurisdiction, asset_class=asset_class,
        name=name.strip(), specification=specification, quantity=quantity, unit=unit,
        unit_price=unit_price, acquired_on=acquired_on, funding_source=funding_source,
        supplier=supplier, invoice_no=invoice_no, location=location, note=note,
        user_id=current_scope().user_id,
        cards=quantity if one_card_per_piece(asset_class) else 1,
    )
    session.add(receipt)
    session.flush()  # the receipt's id numbers the cards; rules on the cards run at their flush
    pieces = [1] * quantity if receipt.cards > 1 else [quantity]
    assets = []
    for index, pieces_here in enumerate(pieces, start=1):
        asset = Asset(
            number=f"ZC-{organization.jurisdiction.code}-RK{receipt.id:06d}-{index:03d}",
            asset_class=asset_class, name=receipt.name, specification=specification,
            quantity=pieces_here, unit=unit, original_value=unit_price * pieces_here,
            acquired_on=acquired_on, funding_source=funding_source, location=location,
            custodian=custodian, organization=organization, jurisdiction=organization.jurisdiction,
            status=status, note=note, acquisition_method=acquisition_method,
        )
        if custodian is not None:
            _check_custodian(asset, custodian)
        session.add(asset)
        record_movement(session, asset, "receipt", on=acquired_on, source=f"receipt:{receipt.id}",
                        note=_("入库登记 %(no)s；供应商：%(sup)s；发票/合同号：%(inv)s",
                               no=receipt.number, sup=supplier or "—", inv=invoice_no or "—"),
                        to_organization_id=organization.id, to_status=status, to_location=location,
                        to_custodian_id=custodian.id if custodian is not None else None)
        assets.append(asset)
    session.flush()
    return receipt, assets


def _move(session, asset: Asset, kind: str, *, custodian, status: str, location, on, note):
    changes = dict(from_custodian_id=asset.custodian_id, to_custodian_id=custodian.id if custodian else None,
                   from_status=asset.status, to_status=status,
                   from_location=asset.location, to_location=location)
    asset.custodian = custodian
    asset.status = status
    asset.location = location
    record_movement(session, asset, kind, on=on, note=note, **changes)
    session.flush()


def _on(on):
    on = on or local_today()
    if on > local_today():
        raise CustodyError(_("日期不能晚于今天"))
    return on


def check_out(session, asset: Asset, custodian, *, location: str | None = None,
              on: dt.date | None = None, note: str | None = None) -> None:
    """领用: an idle (or unassigned) asset goes to a custodian of its organisation, status in use."""
    _check_open(asset, _("领用"))
    if asset.custodian_id is not None:
        raise CustodyError(_("资产“%(asset)s”已由“%(person)s”保管，请办理保管人变更或先交回",
                             asset=asset.number, person=asset.custodian.name))
    if asset.status not in ("idle", "in_use"):
        raise CustodyError(_("资产“%(asset)s”状态为“%(status)s”，只有闲置或在用的资产可以领用",
                             asset=asset.number, status=_label(asset.status)))
    _check_custodian(asset, custodian)
    _move(session, asset, "check_out", custodian=custodian, status="in_use",
          location=location or asset.location, on=_on(on), note=note)


def return_asset(session, asset: Asset, *, location: str | None = None, on: dt.date | None = None,
                 note: str | None = None) -> None:
    """交回: the custodian hands the asset back; it is idle, with no custodian."""
    _check_open(asset, _("交回"))
    if asset.custodian_id is None:
        raise CustodyError(_("资产“%(asset)s”没有保管人，无需交回", asset=asset.number))
    _move(session, asset, "return", custodian=None, status="idle",
          location=location or asset.location, on=_on(on), note=note)


def relocate(session, asset: Asset, location: str, *, on: dt.date | None = None,
             note: str | None = None) -> None:
    """变更存放地点: the asset moves; who holds it and its status stay."""
    _check_open(asset, _("变更存放地点"))
    location = (location or "").strip()
    if not location:
        raise CustodyError(_("请填写新的存放地点"))
    if location == (asset.location or ""):
        raise CustodyError(_("新存放地点与原存放地点相同"))
    changes = dict(from_location=asset.location, to_location=location)
    asset.location = location
    record_movement(session, asset, "relocation", on=_on(on), note=note, **changes)
    session.flush()


#: What a user may set by hand (Art. 18: an asset no longer used is marked idle, for the pool);
#: 待处置 and 已处置 come only from a stocktake or a disposal approval.
USAGE_STATUSES = ("in_use", "idle", "lent", "repair")


def set_usage_status(session, asset: Asset, status: str, *, on: dt.date | None = None,
                     note: str | None = None) -> None:
    """变更使用状态 (在用/闲置/出借/维修), with a movement on the card."""
    if asset.status not in USAGE_STATUSES or status not in USAGE_STATUSES:
        raise CustodyError(_("资产“%(asset)s”状态为“%(status)s”，不能变更为“%(to)s”",
                             asset=asset.number, status=_label(asset.status), to=_label(status)))
    if status == asset.status:
        raise CustodyError(_("资产已是“%(status)s”状态", status=_label(status)))
    if status == "idle" and asset.custodian_id is not None:
        raise CustodyError(_("资产“%(asset)s”仍由“%(person)s”保管：闲置资产须先办理交回",
                             asset=asset.number, person=asset.custodian.name))
    from plugins.assets.pool.models import PoolItem

    in_pool = session.query(PoolItem.id).filter(PoolItem.asset_id == asset.id,
                                                 PoolItem.status == "available").first()
    if in_pool is not None:
        raise CustodyError(_("资产“%(asset)s”在公物仓中，其状态由公物仓管理（维修、调剂）",
                             asset=asset.number))
    changes = dict(from_status=asset.status, to_status=status)
    asset.status = status
    record_movement(session, asset, "status_change", on=_on(on), note=note, **changes)
    session.flush()


def transfer_custodian(session, asset: Asset, custodian, *, location: str | None = None,
                       on: dt.date | None = None, note: str | None = None) -> None:
    """保管人变更: another custodian of the same organisation takes the asset over."""
    _check_open(asset, _("变更保管人"))
    if asset.custodian_id is None:
        raise CustodyError(_("资产“%(asset)s”没有保管人，请办理领用", asset=asset.number))
    _check_custodian(asset, custodian)
    if custodian.id == asset.custodian_id:
        raise CustodyError(_("新保管人与原保管人相同"))
    _move(session, asset, "custodian_transfer", custodian=custodian, status=asset.status,
          location=location or asset.location, on=_on(on), note=note)
