"""Designated suppliers (定点供应商), catalog data any module checks against (Art. 29, 34).

The bureau designates, by agreement or a procurement result, the repair shops (定点维修) and
insurers (定点保险) of official vehicles, and may designate others (加油、充电); a module flags
spending at a supplier that is not designated for its kind on the day. A designation belongs to
a jurisdiction and serves every organisation below it (``shared_up``) over a period.
"""

from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Integer, String, Text, func, or_, select
from sqlalchemy.orm import relationship

from core.registry import Scope
from core.versioning import Versioned

#: What a supplier is designated for; a module names the kind it checks.
SUPPLIER_KINDS = {
    "vehicle_repair": _l("公务用车定点维修"),
    "vehicle_insurance": _l("公务用车定点保险"),
    "vehicle_fuel": _l("公务用车定点加油（充电）"),
}


class DesignatedSupplier(Versioned, Model):
    """A supplier designated for one kind of service over a period."""

    __tablename__ = "catalog_designated_supplier"
    __table_args__ = (
        CheckConstraint("effective_to is null or effective_to >= effective_from",
                        name="ck_catalog_designated_supplier_period"),
    )
    __jiguan_scope__ = Scope(jurisdiction="jurisdiction_id", shared_up=True)

    id = Column(Integer, primary_key=True)
    kind = Column(String(32), nullable=False, index=True)
    name = Column(String(128), nullable=False, index=True)
    #: 统一社会信用代码, when the agreement names it
    uscc = Column(String(18))
    address = Column(String(255))
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    effective_from = Column(Date, nullable=False)
    effective_to = Column(Date)
    #: the agreement or procurement result (定点协议、采购结果公告)
    basis = Column(Text)

    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        return str(SUPPLIER_KINDS.get(self.kind, self.kind))


def designated_supplier(session, kind: str, name: str | None, jurisdiction,
                        on: dt.date | None = None) -> DesignatedSupplier | None:
    """The designation of ``name`` (trimmed, exact) for ``kind`` in force on ``on`` at
    ``jurisdiction`` or a jurisdiction above it; None when it is not designated."""
    from core.display import local_today
    from core.tenancy import Jurisdiction

    if not name or not name.strip() or jurisdiction is None:
        return None
    on = on or local_today()
    codes = jurisdiction.ancestor_codes or [jurisdiction.code]
    return session.execute(
        select(DesignatedSupplier)
        .where(DesignatedSupplier.kind == kind, func.trim(DesignatedSupplier.name) == name.strip(),
               DesignatedSupplier.jurisdiction_id.in_(select(Jurisdiction.id).where(Jurisdiction.code.in_(codes))),
               DesignatedSupplier.effective_from <= on,
               or_(DesignatedSupplier.effective_to.is_(None), DesignatedSupplier.effective_to >= on))
        .order_by(DesignatedSupplier.effective_from.desc()).limit(1)
    ).scalar_one_or_none()
