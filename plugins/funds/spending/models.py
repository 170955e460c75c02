"""Expenditure claims (支出申请/报销单, Art. 10-11): approved and spent within the standards.

A claim names its organisation, day, economic class (the catalog's 政府支出经济分类), amount,
payee and purpose; a 会议费, 培训费 or 差旅费 claim also the details its spending standard needs
(class of meeting or training, persons, days, place, rank). It is approved through stages the
amount decides (部门审核 → 分管领导 → 单位主要负责人 → 集体研究, each above its threshold, a
Standard); the final approval books it in the catalog's expenditure ledger and 作废 of an
approved claim takes the booking back.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Integer, Numeric, String, Text, select
from sqlalchemy.orm import object_session, relationship

from catalog.expenditures import post_expenditure, withdraw_expenditures
from catalog.models import standard_in_force
from core.api import (
    ApprovalMixin,
    Model,
    Stage,
    Versioned,
    Voidable,
    WorkflowError,
    db,
    local_today,
    related_target,
)

ENTITY = "funds_spending_claim"

# economic classes whose spending standard is a rate per person and day (Art. 11)
TRAVEL = "30211"  # 差旅费
MEETING = "30215"  # 会议费
TRAINING = "30216"  # 培训费
RATED_CLASSES = (TRAVEL, MEETING, TRAINING)

#: standard kinds (元/人·天; 元 for the thresholds)
MEETING_RATE = "funds_meeting_rate"
TRAINING_RATE = "funds_training_rate"
TRAVEL_RATE = "funds_travel_rate"
APPROVAL_THRESHOLD = "funds_approval_threshold"

#: 会议类别 / 培训类别 (the key of the meeting and training rates)
GRADES = {"class1": _l("一类"), "class2": _l("二类"), "class3": _l("三类")}
#: 出差地点 (the place part of the travel rates' keys)
PLACES = {"urumqi": _l("乌鲁木齐市"), "kashgar": _l("喀什地区"), "xinjiang": _l("自治区内其他地区"),
          "beijing": _l("北京市")}
#: 出差人员级别 (the rank part of the lodging rates' keys)
RANKS = {"staff": _l("一般工作人员"), "director": _l("处级"), "bureau": _l("厅级")}
#: approval thresholds by stage key
THRESHOLD_KEYS = {"leader": _l("分管领导审批起点"), "head": _l("单位主要负责人审批起点"),
                  "collective": _l("集体研究起点")}


def _needs(stage_key: str):
    """Stage predicate: the claim's amount is above the threshold in force for its organisation's
    jurisdiction on the claim's day. Without a threshold the stage is needed (the safe side)."""

    def required(claim) -> bool:
        session = object_session(claim) or db.session
        org = related_target(session, claim, "organization")
        if org is None:
            return True
        standard = standard_in_force(session, APPROVAL_THRESHOLD, stage_key, org.jurisdiction,
                                     claim.spent_on)
        return standard is None or Decimal(claim.amount or 0) > standard.value

    required.__name__ = f"needs_{stage_key}"
    return required


#: Art. 10 规范资金使用审批程序: the department reviews every claim; the leader in charge, the
#: head and the collective decision join above their thresholds. No body: the organisation's own
#: approvers (or its bureau) decide, separation of duties gives each stage another person.
CLAIM_STAGES = (
    Stage("department", _l("部门审核"), "approve", "submitted", _l("已提交，待部门审核"), article=10),
    Stage("leader", _l("分管领导审批"), "approve", "leader", _l("待分管领导审批"), article=10,
          required=_needs("leader")),
    Stage("head", _l("单位主要负责人审批"), "approve", "head", _l("待单位主要负责人审批"), article=10,
          required=_needs("head")),
    Stage("collective", _l("集体研究"), "approve", "collective", _l("待集体研究决定"), article=10,
          required=_needs("collective")),
)


class ExpenditureClaim(ApprovalMixin, Voidable, Versioned, Model):
    """支出申请/报销单: one spending to approve against the standards (Art. 10-11)."""

    __tablename__ = "funds_spending_claim"
    document_prefix = "ZC"  # 支出: ZC-2026-00001
    approval_stages = CLAIM_STAGES
    __table_args__ = (
        CheckConstraint("amount > 0", name="ck_funds_spending_claim_amount"),
        CheckConstraint("participants is null or participants > 0",
                        name="ck_funds_spending_claim_participants"),
        CheckConstraint("days is null or days > 0", name="ck_funds_spending_claim_days"),
    )

    id = Column(Integer, primary_key=True)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    spent_on = Column(Date, nullable=False, default=local_today)
    economic_class_id = Column(Integer, ForeignKey("catalog_economic_class.id"), nullable=False,
                               index=True)
    amount = Column(Numeric(14, 2), nullable=False)
    payee = Column(String(128), nullable=False)
    purpose = Column(Text, nullable=False)
    #: 会议类别 / 培训类别 (class1..class3)
    grade = Column(String(8))
    #: 人数 (参会、参训、出差人数)
    participants = Column(Integer)
    #: 天数 (会期、培训、出差天数)
    days = Column(Integer)
    #: 出差地点 and 出差人员级别 (travel)
    place = Column(String(16))
    rank = Column(String(16))
    #: of a travel claim's amount: 伙食补助 and 住宿费
    meal_amount = Column(Numeric(14, 2))
    lodging_amount = Column(Numeric(14, 2))

    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")
    economic_class = relationship("EconomicClass")

    def __repr__(self) -> str:
        return _("支出申请 %(number)s（%(purpose)s）",
                 number=self.document_number or _("草稿 %(id)s", id=self.id or ""),
                 purpose=(self.purpose or "")[:20])

    @property
    def class_code(self) -> str | None:
        klass = related_target(object_session(self) or db.session, self, "economic_class")
        return klass.code if klass is not None else None

    @property
    def grade_label(self) -> str:
        return str(GRADES.get(self.grade, self.grade or ""))

    @property
    def place_label(self) -> str:
        return str(PLACES.get(self.place, self.place or ""))

    @property
    def rank_label(self) -> str:
        return str(RANKS.get(self.rank, self.rank or ""))

    def on_transition(self, action: str, session) -> list[str]:
        if action == "submit":
            if invoice_missing(session, self):
                raise WorkflowError(_("“%(klass)s”的支出须先上传发票附件才能提交（《办法》第十条）",
                                      klass=self.economic_class), status=422)
        elif action == "approve" and self.state == "approved":  # the last stage's decision
            book(session, self)
            return [_("已记入支出明细账：%(klass)s %(amount)s 元", klass=self.economic_class,
                      amount=self.amount)]
        return []


def invoice_missing(session, claim) -> bool:
    """The class wants its invoice (``requires_invoice``) and none is attached (Art. 10)."""
    from core.attachments.models import Attachment

    klass = related_target(session, claim, "economic_class")
    if klass is None or not klass.requires_invoice:
        return False
    found = session.execute(select(Attachment.id).where(
        Attachment.entity == ENTITY, Attachment.record_id == str(claim.id),
        Attachment.kind == "invoice").limit(1)).first()
    return found is None


def book(session, claim) -> None:
    """Post the approved claim to the catalog's expenditure ledger (Art. 10, 13, 15)."""
    org = related_target(session, claim, "organization")
    klass = related_target(session, claim, "economic_class")
    try:
        post_expenditure(session, source_module="funds", source_type=ENTITY, source_id=claim.id,
                         organization=org, spent_on=claim.spent_on, economic_code=klass.code,
                         amount=claim.amount, payee=claim.payee, description=(claim.purpose or "")[:255],
                         person_times=claim.participants,
                         source_number=claim.document_number or None)
    except ValueError as exc:  # the class is no longer in force on the claim's day
        raise WorkflowError(str(exc), status=422) from exc


def unbook(claim, reason: str) -> None:
    """作废 of an approved claim takes its booking back."""
    withdraw_expenditures(db.session, ENTITY, claim.id)


def void_refusal(claim) -> str | None:
    if claim.state not in ("draft", "rejected", "approved"):
        return _("审批中的支出申请不能作废，请先撤回")
    return None
