"""The shared entities every module builds on (Art. 2, 8, 11, 43)."""

from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    or_,
    select,
)
from sqlalchemy.orm import relationship, validates

from core.display import format_number, local_today
from core.tenancy import LEVELS, ORG_TYPES, Jurisdiction, Organization  # noqa: F401  (the catalog's)
from core.versioning import Versioned

#: The tree's levels, top down; an organ's level (机构级别) uses the same keys.
LEVEL_ORDER = {"region": 0, "prefecture": 1, "county": 2, "township": 3}
#: 机构级别 (Organization.organ_level), by the level of government the organ belongs to: the
#: organ's own, independent of its staff's ranks.
ORGAN_LEVELS = {"region": _l("自治区级"), "prefecture": _l("地州市级"), "county": _l("县市区级"),
                "township": _l("乡镇级")}
#: The types the Measures govern (Art. 2) or extend to 参照 (Art. 43); 其他组织 is not one.
IN_SCOPE_TYPES = {key: label for key, label in ORG_TYPES.items() if key != "other"}


def organ_level_label(level: str | None) -> str:
    return str(ORGAN_LEVELS.get(level, level or ""))

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
    """A quota, cap or per-person area (``value``), or a service standard's content and grade
    (``text_value``), in force for a jurisdiction over a period (Art. 11)."""

    __tablename__ = "catalog_standard"
    __table_args__ = (Index("ix_catalog_standard_lookup", "kind", "key", "jurisdiction_id"),)

    id = Column(Integer, primary_key=True)
    kind = Column(String(64), nullable=False)
    key = Column(String(128), nullable=False)
    value = Column(Numeric(18, 4))  # a number kind's value (StandardKind.value_type)
    text_value = Column(Text)  # a text kind's: what the service comprises and its grade
    unit = Column(String(32), nullable=False, default="")
    jurisdiction_id = Column(
        Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True
    )
    effective_from = Column(Date, nullable=False)
    effective_to = Column(Date)
    basis = Column(Text)  # the document that set it
    #: why it takes effect before the day it is recorded: a backdated standard changes what was
    #: compliant, so it needs a reason and the level above sees it (a finding)
    backdate_reason = Column(Text)
    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        return f"{self.kind_label} {self.key_text}：{self.value_text}"

    def _kind(self):
        from core.state import state_or_none

        state = state_or_none()
        found = state.standard_kinds.get(self.kind) if state else None
        return found[1] if found else None

    @property
    def kind_label(self) -> str:
        kind = self._kind()
        return str(kind.label) if kind else self.kind

    @property
    def key_text(self) -> str:
        """The key by what it names (``2010104 便携式计算机``), as the kind's picker shows it."""
        kind = self._kind()
        if kind is not None and kind.key_choices is not None:
            return str(dict(kind.key_choices()).get(self.key, self.key))
        return self.key

    @property
    def value_text(self) -> str:
        """``3,000 元``, ``95%``: the value with its unit, without trailing zeros; a text
        standard's content as it is written."""
        if self.value is None:
            return self.text_value or ""
        number = format_number(self.value)  # at most four decimals, no trailing zeros
        return f"{number}{self.unit}" if self.unit in ("%", "") else f"{number} {self.unit}"


def standard_in_force(session, kind: str, key: str, jurisdiction, on: dt.date | None = None):
    """The Standard of ``kind``/``key`` in force for ``jurisdiction`` on ``on``.

    The nearest jurisdiction up the tree that sets one wins, so a county
    inherits its prefecture's or the region's standard unless it sets its own.
    """
    found = standard_in_force_row(session, kind, key, jurisdiction, on)
    return found[0] if found is not None else None


def standard_in_force_row(session, kind: str, key: str, jurisdiction, on: dt.date | None = None):
    """``(standard, its jurisdiction's code)`` as ``standard_in_force`` finds it, or None.

    In a bulk write (an import, ``core.pipeline.bulk_memo``) every period of the kind and key
    up the jurisdiction's tree is read once and the one in force on ``on`` chosen here, by the
    same test as the query: thousands of rows with thousands of acquisition dates cost one
    query per class and jurisdiction, not two per row."""
    from core.pipeline import read_memo

    on = on or local_today()
    codes = jurisdiction.ancestor_codes
    depth = {code: i for i, code in enumerate(codes)}
    # the memo compares dates in Python: a day given as text (an imported cell) or a datetime
    # goes to the database, which compares it as the query always did
    memo = read_memo(session, Standard, Jurisdiction) if type(on) is dt.date else None
    if memo is not None:
        memo_key = ("standard_in_force", kind, key, tuple(codes))
        periods = memo.get(memo_key)
        if periods is None:
            periods = memo[memo_key] = session.execute(
                select(Standard, Jurisdiction.code)
                .join(Jurisdiction, Standard.jurisdiction_id == Jurisdiction.id)
                .where(Standard.kind == kind, Standard.key == key, Jurisdiction.code.in_(codes))
            ).all()
        rows = [row for row in periods if row[0].effective_from <= on
                and (row[0].effective_to is None or row[0].effective_to >= on)]
    else:
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
    return max(rows, key=lambda row: (depth[row[1]], row[0].effective_from))


class Establishment(Versioned, Model):
    """编制核定: an organisation's establishment as one decision fixed it, from its effective date.

    A new decision is a new record (the one in force is the latest effective on a day); an
    edit corrects an entry error, and the audit trail keeps what it was. Art. 12 budgets by
    定员定额 and the per-person standards (Art. 17) count 编制人数, not the staff on the list.
    """

    __tablename__ = "catalog_establishment"
    __table_args__ = (
        UniqueConstraint("organization_id", "effective_from", name="uq_catalog_establishment_day"),
        CheckConstraint("administrative >= 0 AND institutional >= 0 AND actual >= 0 AND leaders >= 0",
                        name="ck_catalog_establishment_non_negative"),
    )

    id = Column(Integer, primary_key=True)
    organization_id = Column(
        Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True
    )
    administrative = Column(Integer, nullable=False, default=0)  # 行政编制
    institutional = Column(Integer, nullable=False, default=0)  # 事业编制
    actual = Column(Integer, nullable=False, default=0)  # 实有人数
    leaders = Column(Integer, nullable=False, default=0)  # 领导职数
    effective_from = Column(Date, nullable=False)
    decision = Column(String(128), nullable=False)  # 批准文号/决定
    approved_by = Column(String(128), nullable=False)  # 批准机关
    note = Column(Text)
    organization = relationship("Organization")

    def __repr__(self) -> str:
        return f"{self.organization}（{self.effective_from}）"

    @property
    def established(self) -> int:
        """编制人数: 行政编制 + 事业编制, what per-person standards multiply."""
        return (self.administrative or 0) + (self.institutional or 0)


def establishment_in_force(session, organization, on: dt.date | None = None):
    """The Establishment of ``organization`` (object or id) in force on ``on``: the latest
    record effective on or before that day; None when none is recorded."""
    on = on or local_today()
    org_id = organization if isinstance(organization, int) else organization.id
    return session.execute(
        select(Establishment)
        .where(Establishment.organization_id == org_id, Establishment.effective_from <= on)
        .order_by(Establishment.effective_from.desc())
        .limit(1)
    ).scalar_one_or_none()
