"""The shared entities every module builds on (Art. 2, 8, 11, 43)."""

from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    inspect,
    or_,
    select,
)
from sqlalchemy.orm import relationship, validates

from catalog.uscc import uscc_error
from core.versioning import Versioned

LEVELS = {"region": _l("自治区"), "prefecture": _l("地州市"), "county": _l("县市区")}

#: Organisation types; Art. 43 extends the Measures to all of them.
ORG_TYPES = {
    "party_government": _l("党政机关"),
    "other_state_organ": _l("其他国家机关"),
    "public_institution": _l("事业单位"),
    "peoples_organization": _l("人民团体"),
    "other": _l("其他组织"),
}

#: 职级 (ranks), the key per-person standards (e.g. office area) look up.
RANKS = {
    "provincial_chief": _l("省部级正职"),
    "provincial_deputy": _l("省部级副职"),
    "bureau_chief": _l("厅局级正职"),
    "bureau_deputy": _l("厅局级副职"),
    "division_chief": _l("县处级正职"),
    "division_deputy": _l("县处级副职"),
    "section_chief": _l("乡科级正职"),
    "section_deputy": _l("乡科级副职"),
    "staff": _l("科员及以下"),
}


class Jurisdiction(Versioned, Model):
    """An administrative division (GB/T 2260), with its materialised path."""

    __tablename__ = "catalog_jurisdiction"
    __table_args__ = (CheckConstraint("level in ('region', 'prefecture', 'county')"),)

    id = Column(Integer, primary_key=True)
    code = Column(String(6), nullable=False, unique=True)
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
        if not code or len(code) != 6 or not code.isdigit():
            raise ValueError("行政区划代码应为 6 位数字（GB/T 2260）")
        return code

    @property
    def ancestor_codes(self) -> list[str]:
        return [c for c in self.path.split("/") if c]

    @property
    def level_label(self) -> str:
        return str(LEVELS.get(self.level, self.level))


class Organization(Versioned, Model):
    """A department or unit (部门/单位); ``is_bureau`` marks a 机关事务管理部门."""

    __tablename__ = "catalog_organization"

    id = Column(Integer, primary_key=True)
    name = Column(String(128), nullable=False)
    uscc = Column(String(18), nullable=False, unique=True)
    org_type = Column(String(32), nullable=False, default="party_government")
    is_bureau = Column(Boolean, nullable=False, default=False)
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

    @validates("org_type")
    def _check_type(self, _key, value):
        if value not in ORG_TYPES:
            raise ValueError(_("未知的单位类型：%(value)s", value=value))
        return value

    @property
    def org_type_label(self) -> str:
        return str(ORG_TYPES.get(self.org_type, self.org_type))


class Person(Versioned, Model):
    """A member of staff; the rank drives per-person standards."""

    __tablename__ = "catalog_person"

    id = Column(Integer, primary_key=True)
    name = Column(String(64), nullable=False)
    rank = Column(String(32), nullable=False, default="staff")
    title = Column(String(64))
    organization_id = Column(
        Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True
    )
    user_id = Column(Integer, ForeignKey("ab_user.id"), unique=True)
    organization = relationship("Organization")

    def __repr__(self) -> str:
        return self.name

    @validates("rank")
    def _check_rank(self, _key, value):
        if value not in RANKS:
            raise ValueError(_("未知的职级：%(value)s", value=value))
        return value

    @property
    def rank_label(self) -> str:
        return str(RANKS.get(self.rank, self.rank))


class Standard(Versioned, Model):
    """A quota, cap or per-person area in force for a jurisdiction over a period."""

    __tablename__ = "catalog_standard"
    __table_args__ = (Index("ix_catalog_standard_lookup", "kind", "key", "jurisdiction_id"),)

    id = Column(Integer, primary_key=True)
    kind = Column(String(64), nullable=False)
    key = Column(String(128), nullable=False)
    value = Column(Numeric(18, 4), nullable=False)
    unit = Column(String(32), nullable=False, default="")
    jurisdiction_id = Column(
        Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True
    )
    effective_from = Column(Date, nullable=False)
    effective_to = Column(Date)
    basis = Column(Text)  # the document that set it
    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        return f"{self.kind}/{self.key} = {self.value}{self.unit}"


def standard_in_force(session, kind: str, key: str, jurisdiction, on: dt.date | None = None):
    """The Standard of ``kind``/``key`` in force for ``jurisdiction`` on ``on``.

    The nearest jurisdiction up the tree that sets one wins, so a county
    inherits its prefecture's or the region's standard unless it sets its own.
    """
    on = on or dt.date.today()
    codes = jurisdiction.ancestor_codes
    depth = {code: i for i, code in enumerate(codes)}
    rows = session.execute(
        select(Standard, Jurisdiction.code)
        .join(Jurisdiction, Standard.jurisdiction_id == Jurisdiction.id)
        .where(
            Standard.kind == kind,
            Standard.key == key,
            Jurisdiction.code.in_(codes),
            Standard.effective_from <= on,
            or_(Standard.effective_to.is_(None), Standard.effective_to >= on),
        )
    ).all()
    if not rows:
        return None
    return max(rows, key=lambda row: (depth[row[1]], row[0].effective_from))[0]


def materialise_path(jurisdiction: Jurisdiction, ctx) -> None:
    """Keep ``path`` true to the parent chain, whichever path wrote the row (a derivation of
    the write pipeline: a new parent in the same flush is derived first)."""
    parent = ctx.related(jurisdiction, "parent")
    if parent is not None and (parent.path is None or inspect(parent).key is None):
        materialise_path(parent, ctx)
    path = f"{parent.path if parent is not None else '/'}{jurisdiction.code}/"
    if jurisdiction.path != path:
        jurisdiction.path = path
