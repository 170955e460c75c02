"""公务接待审批单 (Art. 34 with 国内公务接待管理规定) and what it lists.

A reception is asked for by the host organisation with the guest unit's official letter (公函),
its guests, companions (陪餐), meals, lodging and what it declares; the bureau of the host's
level approves it (one stage). After the visit the clerk records what the host really paid in a
settlement (接待结算) and completes it (接待完成/结算): that posts the cost to the catalog's
expenditure ledger under 30217 公务接待费. The approved 审批单 is final (the workflow's rule), so
the money lives on the settlement, which is voided (作废) — withdrawing the posting — never deleted.
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
)
from sqlalchemy.orm import relationship

from core.api import ApprovalMixin, Model, Stage, Versioned, Voidable, has_attachment, local_today
from plugins.receptions.hotels.models import ROOM_TYPES

#: what 国内公务接待管理规定 forbids (第九、十条); declaring any of them refuses the reception
FORBIDDEN_ITEMS = {
    "banquet": _l("超标准宴请"),
    "tobacco": _l("香烟"),
    "liquor": _l("高档酒水"),
    "gifts": _l("礼品"),
    "delicacies": _l("鱼翅燕窝等"),
    "ceremony": _l("迎送仪式"),
}
MEAL_KINDS = {"breakfast": _l("早餐"), "lunch": _l("午餐"), "dinner": _l("晚餐")}

#: Standard kinds (standards.py)
COMPANION_CAP = "receptions_companion_cap"
MEAL_CAP = "receptions_meal_cap"
LODGING_CAP = "receptions_lodging_cap"

#: the attachment kind of the guest unit's official letter (公函)
LETTER = "letter"

#: Choice: the bureau of the host's level decides (同级机关事务管理部门, like Art. 17 and 19); the
#: host's leader signs the printed 审批单 (接待单位负责人), which is attached as its 签字扫描件
RECEPTION_STAGES = (
    Stage("review", _l("机关事务管理部门审批"), "approve", "submitted", _l("已提交，待机关事务管理部门审批"),
          body="bureau", article=34),
)


class Reception(ApprovalMixin, Versioned, Model):
    """公务接待审批单: one visit of one guest unit to one host organisation."""

    __tablename__ = "receptions_reception"
    approval_stages = RECEPTION_STAGES
    #: 接待 (JD-2026-00001); main's numbering reads it (until merged, core's DEFAULT_PREFIXES names it)
    document_prefix = "JD"

    id = Column(Integer, primary_key=True)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    guest_unit = Column(String(128), nullable=False)
    #: 公函 reference (文号); the letter itself is the attachment of kind ``letter``
    letter_number = Column(String(64))
    activity = Column(Text, nullable=False)
    start_on = Column(Date, nullable=False, default=local_today)
    end_on = Column(Date, nullable=False, default=local_today)
    place = Column(String(255), nullable=False)
    #: one of FORBIDDEN_ITEMS when the clerk declares it (any declaration is refused)
    declared_item = Column(String(16))
    note = Column(Text)

    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")
    guests = relationship("ReceptionGuest", back_populates="reception", cascade="all, delete-orphan",
                          order_by="ReceptionGuest.id")
    companions = relationship("ReceptionCompanion", back_populates="reception", cascade="all, delete-orphan",
                              order_by="ReceptionCompanion.id")
    meals = relationship("ReceptionMeal", back_populates="reception", cascade="all, delete-orphan",
                         order_by="ReceptionMeal.id")
    lodgings = relationship("ReceptionLodging", back_populates="reception", cascade="all, delete-orphan",
                            order_by="ReceptionLodging.id")
    settlements = relationship("ReceptionSettlement", back_populates="reception",
                               order_by="ReceptionSettlement.id")

    def __repr__(self) -> str:
        return _("%(unit)s来访接待（%(number)s）", unit=self.guest_unit or "",
                 number=self.document_number or _("草稿 %(id)s", id=self.id or ""))

    @property
    def guest_count(self) -> int:
        return len(self.guests)

    @property
    def companion_count(self) -> int:
        return len(self.companions)

    @property
    def declared_label(self) -> str:
        return str(FORBIDDEN_ITEMS.get(self.declared_item, self.declared_item or ""))

    @property
    def planned_meals(self) -> Decimal:
        return sum((meal.amount for meal in self.meals), Decimal(0))

    @property
    def settlement(self):
        """The live settlement (not voided), if any."""
        return next((s for s in self.settlements if s.voided_at is None), None)


class _Line:
    """What every line of a reception carries: its reception and the reception's scope columns."""

    id = Column(Integer, primary_key=True)

    def __repr__(self) -> str:
        return getattr(self, "name", None) or f"#{self.id}"


def _reception_fk():
    return Column(Integer, ForeignKey("receptions_reception.id", ondelete="CASCADE"), nullable=False,
                  index=True)


def _org_fk():
    return Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)


def _jur_fk():
    return Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)


class ReceptionGuest(_Line, Versioned, Model):
    """接待对象: a guest with post and organisation (the 接待清单 lists them)."""

    __tablename__ = "receptions_guest"
    reception_id = _reception_fk()
    organization_id = _org_fk()
    jurisdiction_id = _jur_fk()
    name = Column(String(64), nullable=False)
    post = Column(String(64), nullable=False)
    unit = Column(String(128))

    reception = relationship("Reception", back_populates="guests")


class ReceptionCompanion(_Line, Versioned, Model):
    """陪餐人员 of the host."""

    __tablename__ = "receptions_companion"
    reception_id = _reception_fk()
    organization_id = _org_fk()
    jurisdiction_id = _jur_fk()
    name = Column(String(64), nullable=False)
    post = Column(String(64), nullable=False)

    reception = relationship("Reception", back_populates="companions")


class ReceptionMeal(_Line, Versioned, Model):
    """工作餐: a meal with its persons and cost per person."""

    __tablename__ = "receptions_meal"
    __table_args__ = (
        CheckConstraint("persons > 0", name="ck_receptions_meal_persons"),
        CheckConstraint("per_person >= 0", name="ck_receptions_meal_price"),
    )
    reception_id = _reception_fk()
    organization_id = _org_fk()
    jurisdiction_id = _jur_fk()
    meal_on = Column(Date, nullable=False)
    kind = Column(String(16), nullable=False)
    persons = Column(Integer, nullable=False)
    per_person = Column(Numeric(10, 2), nullable=False)
    place = Column(String(128))

    reception = relationship("Reception", back_populates="meals")

    def __repr__(self) -> str:
        return f"{self.meal_on} {self.kind_label}"

    @property
    def kind_label(self) -> str:
        return str(MEAL_KINDS.get(self.kind, self.kind or ""))

    @property
    def amount(self) -> Decimal:
        return Decimal(self.per_person or 0) * (self.persons or 0)


class ReceptionLodging(_Line, Versioned, Model):
    """住宿: rooms at a designated hotel at its agreed price; paid by the guest unit unless said."""

    __tablename__ = "receptions_lodging"
    __table_args__ = (
        CheckConstraint("nights > 0", name="ck_receptions_lodging_nights"),
        CheckConstraint("rooms > 0", name="ck_receptions_lodging_rooms"),
        CheckConstraint("price >= 0", name="ck_receptions_lodging_price"),
    )
    reception_id = _reception_fk()
    organization_id = _org_fk()
    jurisdiction_id = _jur_fk()
    hotel_id = Column(Integer, ForeignKey("receptions_hotel.id"), nullable=False, index=True)
    room_type = Column(String(16), nullable=False, default="standard")
    check_in = Column(Date, nullable=False)
    nights = Column(Integer, nullable=False, default=1)
    rooms = Column(Integer, nullable=False, default=1)
    price = Column(Numeric(10, 2), nullable=False)
    paid_by_guest = Column(Boolean, nullable=False, default=True)

    reception = relationship("Reception", back_populates="lodgings")
    hotel = relationship("DesignatedHotel")

    def __repr__(self) -> str:
        return f"{self.hotel} {self.room_type_label}"

    @property
    def room_type_label(self) -> str:
        return str(ROOM_TYPES.get(self.room_type, self.room_type or ""))

    @property
    def amount(self) -> Decimal:
        return Decimal(self.price or 0) * (self.nights or 0) * (self.rooms or 0)


class ReceptionSettlement(Voidable, Versioned, Model):
    """接待结算: what the host really paid, recorded after the visit on an approved reception;
    ``completed`` once 接待完成/结算 has posted it to the expenditure ledger."""

    __tablename__ = "receptions_settlement"
    __table_args__ = tuple(
        CheckConstraint(f"{name} >= 0", name=f"ck_receptions_settlement_{name}")
        for name in ("meals_cost", "lodging_cost", "transport_cost", "other_cost"))

    id = Column(Integer, primary_key=True)
    reception_id = Column(Integer, ForeignKey("receptions_reception.id"), nullable=False, index=True)
    organization_id = _org_fk()
    jurisdiction_id = _jur_fk()
    meals_cost = Column(Numeric(12, 2), nullable=False, default=0)
    #: lodging the host paid (normally none: the guest unit pays its lodging)
    lodging_cost = Column(Numeric(12, 2), nullable=False, default=0)
    transport_cost = Column(Numeric(12, 2), nullable=False, default=0)
    other_cost = Column(Numeric(12, 2), nullable=False, default=0)
    note = Column(Text)
    completed = Column(Boolean, nullable=False, default=False, server_default="0")
    completed_on = Column(Date)

    reception = relationship("Reception", back_populates="settlements")

    def __repr__(self) -> str:
        return _("接待结算 %(total)s 元", total=format(self.total, ",.2f"))

    @property
    def total(self) -> Decimal:
        return sum((Decimal(v or 0) for v in (self.meals_cost, self.lodging_cost, self.transport_cost,
                                               self.other_cost)), Decimal(0))


# --- checks the rules, the screens and the reports share -----------------------------------------

def has_letter(session, reception: Reception) -> bool:
    """The guest unit's 公函 is attached."""
    return reception.id is not None and has_attachment(session, "reception", reception.id, LETTER)


def companion_limit(guests: int, small_max: int, small_companions: int, ratio: Decimal) -> int:
    """陪餐人数上限 (第九条): up to ``small_max`` guests, ``small_companions``; beyond, a third of the
    guests rounded down (12 → 4, 30 → 10; 11 → 3, as ⌊11/3⌋ is 3). ``ratio`` 0.3333 stands for ⅓:
    a tiny tolerance keeps ⌊30 × 0.3333⌋ at 10."""
    if guests <= small_max:
        return small_companions
    return int(Decimal(guests) * Decimal(ratio) + Decimal("0.01"))
