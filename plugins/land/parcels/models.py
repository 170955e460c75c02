"""Government land parcels (Art. 20-21)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, Column, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import relationship

from core.api import Model, Versioned, Voidable

REGISTRATION_STATUSES = {
    "unregistered": _l("未登记"), "in_progress": _l("登记中"), "registered": _l("已登记"),
}
LAND_USES = {
    "office": _l("办公用地"),
    "business": _l("业务用房用地"),
    "public_facility": _l("公共设施用地"),
    "residential": _l("住宅用地"),
    "other": _l("其他用地"),
}


class LandParcel(Voidable, Versioned, Model):
    """A parcel of government land; never deleted, voided (作废) with a reason."""

    __tablename__ = "land_parcel"
    __table_args__ = (
        CheckConstraint("area > 0", name="ck_land_parcel_area_positive"),
        CheckConstraint(
            "registration_status in ('unregistered', 'in_progress', 'registered')",
            name="ck_land_parcel_status",
        ),
    )

    id = Column(Integer, primary_key=True)
    name = Column(String(128), nullable=False)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False,
                             index=True)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False,
                             index=True)
    location = Column(String(255), nullable=False)
    area = Column(Numeric(14, 2), nullable=False)  # m²
    land_use = Column(String(32), nullable=False, default="office")
    certificate_no = Column(String(64))
    registration_status = Column(String(16), nullable=False, default="unregistered")
    title_holder_id = Column(Integer, ForeignKey("catalog_organization.id"), index=True)
    #: Part of a centralised office compound (集中统一办公区, Art. 20).
    in_compound = Column(Boolean, nullable=False, default=False)
    note = Column(Text)

    jurisdiction = relationship("Jurisdiction")
    organization = relationship("Organization", foreign_keys=[organization_id])
    title_holder = relationship("Organization", foreign_keys=[title_holder_id])

    def __repr__(self) -> str:
        return self.name

    @property
    def status_label(self) -> str:
        return str(REGISTRATION_STATUSES.get(self.registration_status, self.registration_status))

    @property
    def land_use_label(self) -> str:
        return str(LAND_USES.get(self.land_use, self.land_use))
