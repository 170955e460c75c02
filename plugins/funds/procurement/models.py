"""Government procurement (Art. 14): the 集中采购目录 (versioned reference data) and the records.

A procurement record is what an organisation bought: the item (and the catalogue item it falls
under, if any), the specification, the amount, the method and whether it went through central
procurement, the supplier and the contract. It is legal history: voided with a reason, never
deleted. Its number (CG-2026-00001) is given when it is first written.
"""

from __future__ import annotations

import re
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Column, Date, ForeignKey, Integer, Numeric, String, Text, func, select
from sqlalchemy.orm import relationship

from core.api import Derivation, Model, Versioned, Voidable

#: 采购方式 (政府采购法第二十六条, plus 框架协议采购 and an organisation's own purchase)
METHODS = {
    "public_tender": _l("公开招标"), "invited_tender": _l("邀请招标"),
    "negotiation": _l("竞争性谈判"), "consultation": _l("竞争性磋商"), "inquiry": _l("询价"),
    "single_source": _l("单一来源"), "framework": _l("框架协议"), "self": _l("自行采购"),
}
#: 采购品目类别: the thresholds differ for works (工程)
CATEGORIES = {"goods": _l("货物"), "services": _l("服务"), "works": _l("工程")}
#: who buys a catalogue item: the central procurement agency, or the department itself centrally
CHANNELS = {"agency": _l("集中采购机构采购"), "department": _l("部门集中采购")}
NUMBER_PREFIX = "CG"


class CatalogueItem(Versioned, Model):
    """An item of the 集中采购目录 of a jurisdiction, in force between two dates (reference data:
    kept by the bureau, read by the jurisdictions below)."""

    __tablename__ = "funds_procurement_catalogue_item"

    id = Column(Integer, primary_key=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    code = Column(String(32), nullable=False)
    name = Column(String(128), nullable=False)
    category = Column(String(16), nullable=False, default="goods")
    #: the asset class or description the item covers
    covers = Column(Text)
    channel = Column(String(16), nullable=False, default="agency")
    effective_from = Column(Date, nullable=False)
    effective_to = Column(Date)
    basis = Column(String(255))

    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def channel_label(self) -> str:
        return str(CHANNELS.get(self.channel, self.channel))

    @property
    def category_label(self) -> str:
        return str(CATEGORIES.get(self.category, self.category))


class ProcurementRecord(Voidable, Versioned, Model):
    """One purchase of an organisation (采购记录)."""

    __tablename__ = "funds_procurement_record"

    id = Column(Integer, primary_key=True)
    number = Column(String(32), unique=True)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    purchased_on = Column(Date, nullable=False, index=True)
    item_name = Column(String(128), nullable=False)
    catalogue_item_id = Column(Integer, ForeignKey("funds_procurement_catalogue_item.id"), index=True)
    category = Column(String(16), nullable=False, default="goods")
    specification = Column(Text)
    quantity = Column(Numeric(14, 2))
    unit = Column(String(16))
    unit_price = Column(Numeric(14, 2))
    amount = Column(Numeric(16, 2), nullable=False)
    method = Column(String(16), nullable=False, default="self")
    #: bought through central procurement (集中采购机构 or 部门集中采购)
    central = Column(Boolean, nullable=False, default=False)
    supplier = Column(String(128))
    contract_no = Column(String(64))
    note = Column(Text)

    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")
    catalogue_item = relationship("CatalogueItem")

    def __repr__(self) -> str:
        return f"{self.number or ''} {self.item_name}".strip()

    @property
    def method_label(self) -> str:
        return str(METHODS.get(self.method, self.method))

    @property
    def category_label(self) -> str:
        return str(CATEGORIES.get(self.category, self.category))


def normalised(name: str | None) -> str:
    """An item name as purchases of the same thing are compared: no spaces, brackets or case."""
    return re.sub(r"[\s（）()【】\[\]·,，、]", "", name or "").lower()


def _amount(record: ProcurementRecord, ctx) -> None:
    """An amount left empty is quantity × unit price (a form may give only those two)."""
    if record.amount is None and record.quantity is not None and record.unit_price is not None:
        record.amount = (Decimal(record.quantity) * Decimal(record.unit_price)).quantize(Decimal("0.01"))


def _number(record: ProcurementRecord, ctx) -> None:
    """CG-<year>-<sequence>, the year of the purchase: the next after the year's highest number
    (a number a create offers is not taken: the sequence is the system's)."""
    if record.purchased_on is None:
        return
    prefix = f"{NUMBER_PREFIX}-{record.purchased_on.year}-"
    taken = ctx.scratch.setdefault("funds_procurement_numbers", set())
    last = ctx.session.execute(select(func.max(ProcurementRecord.number)).where(
        ProcurementRecord.number.like(prefix + "%"))).scalar()
    sequence = int(last.rsplit("-", 1)[1]) if last else 0
    while True:  # several new records in one flush (an import) take consecutive numbers
        sequence += 1
        number = f"{prefix}{sequence:05d}"
        if number not in taken:
            break
    taken.add(number)
    record.number = number


def _splitting_siblings(record: ProcurementRecord, ctx) -> None:
    """化整为零 is decided over several records: when one changes, the purchases it is compared
    with join the flush, so their findings open or close with it (funds.procurement_splitting)."""
    from plugins.funds.procurement.splitting import rejoin_siblings

    rejoin_siblings(record, ctx)


DERIVATIONS = [
    Derivation("funds.procurement_amount", ProcurementRecord, _amount),
    Derivation("funds.procurement_number", ProcurementRecord, _number, on=("create",)),
    Derivation("funds.procurement_splitting_siblings", ProcurementRecord, _splitting_siblings),
]
