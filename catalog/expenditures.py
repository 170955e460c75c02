"""Money every module spends, in one ledger by economic classification (Art. 10, 13, 15).

A module never imports another, so the funds (三公经费, 机关运行成本) add up what the modules
post here: a reception posts its cost under 30217 公务接待费, a vehicle's fuel under 30231
公务用车运行维护费. The ledger is written only by ``post_expenditure`` and
``withdraw_expenditures``, from the operation that makes the spending final (an approval, a
check-out); the generic screens, API and import read it.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

from flask_appbuilder import Model
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
    UniqueConstraint,
    or_,
    select,
)
from sqlalchemy.orm import relationship

from core.registry import Scope
from core.versioning import Versioned

#: The 三公经费 classes of the 政府支出经济分类 (Art. 13): what the disclosure adds up.
OUTBOUND_TRAVEL = "30212"  # 因公出国（境）费用
RECEPTION = "30217"  # 公务接待费
VEHICLE_RUNNING = "30231"  # 公务用车运行维护费
VEHICLE_PURCHASE = "31013"  # 公务用车购置


class EconomicClass(Model):
    """A class of the 政府支出经济分类 (部门预算支出经济分类科目), in force over a period.

    The classification is revised by the Ministry of Finance; a revision retires a class
    (``effective_to``) and adds the new one as a new row, so a past expenditure keeps the class it
    was booked under. Public reference data: everyone reads it, the system admin writes it.
    """

    __tablename__ = "catalog_economic_class"
    __table_args__ = (
        UniqueConstraint("code", "effective_from", name="uq_catalog_economic_class_code_from"),
    )
    __jiguan_scope__ = Scope(public=True)

    id = Column(Integer, primary_key=True)
    code = Column(String(16), nullable=False, index=True)
    name = Column(String(128), nullable=False)
    parent_id = Column(Integer, ForeignKey("catalog_economic_class.id"), index=True)
    level = Column(Integer, nullable=False, default=1)  # 类 1, 款 2
    #: an expenditure of this class needs its invoice (发票) attached before it is final
    requires_invoice = Column(Boolean, nullable=False, default=True)
    effective_from = Column(Date, nullable=False)
    effective_to = Column(Date)
    basis = Column(Text)  # the document that set it (e.g. 财预〔2017〕98号)
    parent = relationship("EconomicClass", remote_side=[id], backref="children")

    def __repr__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def tree_name(self) -> str:
        """The name indented by its level: the list reads as the tree."""
        return "\u3000\u3000" * ((self.level or 1) - 1) + self.name

    @property
    def level_label(self) -> str:
        return str({1: _l("类"), 2: _l("款")}.get(self.level, self.level))


def economic_class_in_force(session, code: str, on: dt.date | None = None):
    """The EconomicClass with ``code`` in force on ``on`` (today by default); None if none."""
    from core.display import local_today

    on = on or local_today()
    return session.execute(
        select(EconomicClass)
        .where(EconomicClass.code == code, EconomicClass.effective_from <= on,
               or_(EconomicClass.effective_to.is_(None), EconomicClass.effective_to >= on))
        .order_by(EconomicClass.effective_from.desc()).limit(1)
    ).scalar_one_or_none()


#: What every generic write path (screen, REST, XLSX import) answers: the ledger is written only
#: by the operation that makes a module's spending final (Art. 13, 15).
READ_ONLY_MESSAGE = _l("支出记录由业务模块在审批、结算时登记，不能直接新增、修改或删除"
                       "（第十条、第十三条、第十五条）")


ECONOMIC_CLASSES_CSV = Path(__file__).with_name("data") / "economic-classes.csv"


def load_economic_classes(session, path: Path = ECONOMIC_CLASSES_CSV) -> int:
    """Insert the classes of the shipped classification whose code is not yet present (parents
    first); return how many were added. A production install runs it through
    ``jiguan load-economic-classes``; the demo calls it too."""
    with open(path, encoding="utf-8") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda r: (int(r["level"]), r["code"]))
    known = {}
    for klass in session.execute(
            select(EconomicClass).order_by(EconomicClass.effective_from)).scalars():
        known[klass.code] = klass  # the latest revision of a code is the parent to hang on
    added = 0
    for row in rows:
        code = row["code"].strip()
        if code in known:
            continue
        parent = known.get(row["parent_code"].strip()) if row["parent_code"].strip() else None
        if row["parent_code"].strip() and parent is None:
            raise ValueError(f"支出经济分类 {code} 的上级 {row['parent_code']} 不存在")
        klass = EconomicClass(
            code=code, name=row["name"].strip(), parent=parent, level=int(row["level"]),
            requires_invoice=row["requires_invoice"].strip().lower() in ("true", "1", "是"),
            effective_from=dt.date.fromisoformat(row["effective_from"].strip()),
            basis=row["basis"].strip() or None,
        )
        session.add(klass)
        known[code] = klass
        added += 1
    session.flush()
    return added


class Expenditure(Versioned, Model):
    """One spending booked by a module: who paid whom, when, how much, under which class.

    ``source_module``/``source_type``/``source_id`` name the record it comes from (the module key,
    the entity type key, the record's id); ``person_times`` carries the count the 三公 table
    reports with the amount (reception guests, delegation members), ``batch`` whether the record
    counts as one 批次 (a reception, a delegation).
    """

    __tablename__ = "catalog_expenditure"
    __table_args__ = (
        UniqueConstraint("source_type", "source_id", "economic_class_id",
                         name="uq_catalog_expenditure_source_class"),
        CheckConstraint("amount >= 0", name="ck_catalog_expenditure_amount_nonnegative"),
        Index("ix_catalog_expenditure_org_day", "organization_id", "spent_on"),
        Index("ix_catalog_expenditure_source", "source_type", "source_id"),
    )

    #: no generic add/edit/delete/import (core: screens, REST, XLSX); ``guard_ledger`` holds
    #: every other path to post_expenditure/withdraw_expenditures
    __jiguan_read_only__ = READ_ONLY_MESSAGE

    id = Column(Integer, primary_key=True)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False,
                             index=True)
    spent_on = Column(Date, nullable=False)
    economic_class_id = Column(Integer, ForeignKey("catalog_economic_class.id"), nullable=False,
                               index=True)
    amount = Column(Numeric(14, 2), nullable=False)
    payee = Column(String(128), nullable=False, default="")
    description = Column(String(255), nullable=False, default="")
    person_times = Column(Integer)
    batch = Column(Boolean, nullable=False, default=False)
    source_module = Column(String(32), nullable=False)
    source_type = Column(String(64), nullable=False)
    source_id = Column(Integer, nullable=False)
    #: the record's own number (JD-2026-00001), shown instead of an id
    source_number = Column(String(64))

    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")
    economic_class = relationship("EconomicClass")

    def __repr__(self) -> str:
        return f"{self.economic_class} {self.amount}（{self.source_number or self.source_id}）"

    @property
    def source_label(self) -> str:
        from catalog.expenditure_views import source_label

        return source_label(self)

    @property
    def source_link(self):
        from catalog.expenditure_views import source_link

        return source_link(self)


EXPENDITURE_SOURCE_LABEL = _l("来源")
#: set on a row by post/withdraw for the flush that writes it; the guard refuses any other change
_POSTED = "_catalog_ledger_write"


def _in_use(session, klass) -> bool:
    booked = select(Expenditure.id).where(Expenditure.economic_class_id == klass.id).exists()
    parent = select(EconomicClass.id).where(EconomicClass.parent_id == klass.id).exists()
    return bool(session.execute(select(booked | parent)).scalar())


def guard_ledger(changes, ctx) -> None:
    """Refuse a flush that changes an expenditure other than through post/withdraw, or deletes
    a class spending or a sub-class is booked under (a revision retires it: 失效日期)."""
    from flask_babel import gettext as _

    from core.errors import WriteRefused

    for obj, action in changes:
        if isinstance(obj, Expenditure) and not obj.__dict__.get(_POSTED):
            raise WriteRefused(READ_ONLY_MESSAGE)
        if isinstance(obj, EconomicClass) and action == "delete" and _in_use(ctx.session, obj):
            raise WriteRefused(_("支出经济分类 %(code)s 已有支出登记或下级科目，不能删除；"
                                 "财政部修订分类时请填写失效日期（第十条）", code=obj.code))
    for obj, _action in changes:
        if isinstance(obj, Expenditure):
            obj.__dict__.pop(_POSTED, None)  # a later change of the same row is checked again


def post_expenditure(session, *, source_module: str, source_type: str, source_id: int,
                     organization, spent_on: dt.date, economic_code: str, amount,
                     payee: str = "", description: str = "", person_times: int | None = None,
                     batch: bool = False, source_number: str | None = None) -> Expenditure:
    """Book (or re-book) the spending of one source record under one economic class.

    Idempotent per (source_type, source_id, class): a second call updates the row, so an
    operation may post again after a correction. ``economic_code`` must name a class in force on
    ``spent_on``; a ValueError with a Chinese message otherwise.
    """
    from flask_babel import gettext as _

    klass = economic_class_in_force(session, economic_code, spent_on)
    if klass is None:
        raise ValueError(_("支出经济分类 %(code)s 在 %(day)s 不在有效期内或不存在",
                           code=economic_code, day=spent_on.isoformat()))
    row = session.execute(
        select(Expenditure).where(Expenditure.source_type == source_type,
                                  Expenditure.source_id == source_id,
                                  Expenditure.economic_class_id == klass.id)
    ).scalar_one_or_none()
    if row is None:
        row = Expenditure(source_module=source_module, source_type=source_type,
                          source_id=source_id, economic_class_id=klass.id)
        session.add(row)
    with session.no_autoflush:  # the row is flushed whole, with its mark (guard_ledger)
        row.organization_id = organization.id
        row.jurisdiction_id = organization.jurisdiction_id
        row.spent_on = spent_on
        row.amount = Decimal(str(amount)).quantize(Decimal("0.01"))
        row.payee = payee or ""
        row.description = description or ""
        row.person_times = person_times
        row.batch = batch
        row.source_number = source_number
        row.economic_class = klass
        row.__dict__[_POSTED] = True
    return row


def withdraw_expenditures(session, source_type: str, source_id: int) -> int:
    """Take back what a source record booked (it was voided or its approval revoked)."""
    rows = session.execute(
        select(Expenditure).where(Expenditure.source_type == source_type,
                                  Expenditure.source_id == source_id)
    ).scalars().all()
    for row in rows:
        row.__dict__[_POSTED] = True
        session.delete(row)
    return len(rows)


def __getattr__(name: str):
    """The totals live in catalog.expenditure_totals; reachable from here too (one import)."""
    if name in ("expenditure_totals", "expenditure_totals_by_organization"):
        from catalog import expenditure_totals

        return getattr(expenditure_totals, name)
    raise AttributeError(name)
