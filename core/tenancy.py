"""Tenancy: the jurisdictions (GB/T 2260) and organisations every row's scope leads to.

The kernel's row scope (``core.scoping``) and write pipeline (``core.pipeline``) are built on
these two tables; the catalog (``catalog/``) shows and imports them and adds the people and
standards. A Jurisdiction's ``path`` holds every ancestor's code, kept true by the catalog's
derivation :func:`materialise_path` on every write.
"""

from __future__ import annotations

from flask_appbuilder import Model
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, Column, Date, ForeignKey, Integer, String, false, inspect
from sqlalchemy.orm import relationship, validates

from core.uscc import uscc_error
from core.versioning import Versioned

#: GB/T 2260 stops at the county; a township (乡、镇、街道) has a 12-digit statistical code.
LEVELS = {"region": _l("自治区"), "prefecture": _l("地州市"), "county": _l("县市区"),
          "township": _l("乡镇街道")}
#: Types in the words of Art. 2 and 43; the catalog refuses 其他组织 (outside the Measures).
ORG_TYPES = {
    "party_government": _l("各级人民政府及其部门"),
    "other_state_organ": _l("其他国家机关"),
    "public_institution": _l("事业单位"),
    "peoples_organization": _l("人民团体（工会、共青团、妇联等）"),
    "other": _l("其他组织（不适用本办法）"),
}

class Jurisdiction(Versioned, Model):
    """An administrative division (GB/T 2260), with its materialised path."""

    __tablename__ = "catalog_jurisdiction"
    __table_args__ = (CheckConstraint("level in ('region', 'prefecture', 'county', 'township')",
                                      name="ck_catalog_jurisdiction_level"),)

    id = Column(Integer, primary_key=True)
    code = Column(String(12), nullable=False, unique=True)
    name = Column(String(64), nullable=False)
    level = Column(String(16), nullable=False)
    parent_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), index=True)
    #: "/650000/650100/650102/": every ancestor's code, root first.
    path = Column(String(255), nullable=False, index=True)
    #: A division retired by a reform keeps its rows and history.
    retired_on = Column(Date)
    parent = relationship("Jurisdiction", remote_side=[id], backref="children")

    def __repr__(self) -> str:
        return f"{self.name}（{self.code}）"

    @validates("code")
    def _check_code(self, _key, code):
        if not code or len(code) not in (6, 12) or not code.isdigit():
            raise ValueError(_("区划代码应为 6 位数字（GB/T 2260），乡镇街道为 12 位统计用区划代码"))
        return code

    @property
    def ancestor_codes(self) -> list[str]:
        return [c for c in self.path.split("/") if c]

    @property
    def level_label(self) -> str:
        return str(LEVELS.get(self.level, self.level))


class Organization(Versioned, Model):
    """A department or unit (部门/单位); ``is_bureau`` marks a 机关事务管理部门, ``is_finance`` a 财政部门."""

    __tablename__ = "catalog_organization"

    id = Column(Integer, primary_key=True)
    name = Column(String(128), nullable=False)
    uscc = Column(String(18), nullable=False, unique=True)
    org_type = Column(String(32), nullable=False, default="party_government")
    is_bureau = Column(Boolean, nullable=False, default=False)
    organ_level = Column(String(16))  # 机构级别: the catalog fills and checks it
    #: 财政部门: gives the finance stage of its level's approvals (Art. 17, 19; core/workflow/deciders.py)
    is_finance = Column(Boolean, nullable=False, default=False, server_default=false())
    parent_id = Column(Integer, ForeignKey("catalog_organization.id"), index=True)
    jurisdiction_id = Column(
        Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True
    )
    parent = relationship("Organization", remote_side=[id])
    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        return self.name

    @validates("uscc")
    def _check_uscc(self, _key, code):
        error = uscc_error(code)
        if error:
            raise ValueError(error)
        return code.strip().upper()

    @property
    def org_type_label(self) -> str:
        return str(ORG_TYPES.get(self.org_type, self.org_type))

    @property
    def applies_by_reference(self) -> bool:
        """Art. 43: 其他国家机关、事业单位、人民团体 follow the Measures 参照 (Art. 2 binds the rest)."""
        return self.org_type in ("other_state_organ", "public_institution", "peoples_organization")


def materialise_path(jurisdiction: Jurisdiction, ctx) -> None:
    """Keep ``path`` true to the parent chain, whichever path wrote the row (a derivation of
    the write pipeline: a new parent in the same flush is derived first)."""
    parent = ctx.related(jurisdiction, "parent")
    if parent is not None and (parent.path is None or inspect(parent).key is None):
        materialise_path(parent, ctx)
    path = f"{parent.path if parent is not None else '/'}{jurisdiction.code}/"
    if jurisdiction.path != path:
        jurisdiction.path = path
