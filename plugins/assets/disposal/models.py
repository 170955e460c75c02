"""Disposal (资产处置, Art. 19): applications with lines of assets, approval, proceeds.

Submitting an application marks its assets 待处置 and keeps each asset's previous status on
its line; withdraw and reject put it back; approval marks them 已处置 — or, for a 无偿划转,
moves them to the recipient organisation with the status they had before. Each of these
writes a card movement in the transition's flush (``on_transition``).

Proceeds (处置收入) are a separate small record on an approved application: recording money
received later does not reopen the approved application (approved is final in the workflow).
"""

from __future__ import annotations

import datetime as dt

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
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import object_session, relationship

from catalog.models import Jurisdiction, standard_in_force
from core.api import (
    ApprovalMixin,
    Model,
    Stage,
    Versioned,
    Voidable,
    WorkflowError,
    current_scope,
    db,
    local_today,
    related_target,
)
from plugins.assets.cards.models import ASSET_STATUSES, record_movement

#: The standard kind of the period within which proceeds are paid to the treasury (天, key "all")
PROCEEDS_DAYS = "asset_disposal_proceeds_days"

DISPOSAL_METHODS = {
    "transfer": _l("无偿划转"),
    "donation": _l("对外捐赠"),
    "sale": _l("转让"),
    "auction": _l("拍卖"),
    "exchange": _l("置换"),
    "scrap": _l("报废"),
    "write_off": _l("损失核销"),
}
#: States of an application that still hold its assets (approved ones have disposed of them).
OPEN_STATES = ("draft", "submitted", "reviewed", "rejected")
#: Standard kind (元, key "all"): from this original value of an application on, the finance
#: department of the same level approves it after the bureau (Art. 19); below it the bureau alone
FINANCE_THRESHOLD = "asset_disposal_finance_threshold"
FINANCE_THRESHOLD_KEY = "all"


def needs_finance(disposal) -> bool:
    """Whether the finance department's stage applies (Art. 19): the application's original
    value reaches the threshold in force for its organisation's level. With no threshold set
    the finance department always decides (the Measures name it for every disposal)."""
    session = object_session(disposal) or db.session
    org = related_target(session, disposal, "organization")
    if org is None:
        return True
    standard = standard_in_force(session, FINANCE_THRESHOLD, FINANCE_THRESHOLD_KEY, org.jurisdiction)
    return standard is None or disposal.original_total >= standard.value


#: Art. 19: the bureau of the organisation's own level approves; the finance department of the same
#: level after it where the amount requires (``needs_finance``)
DISPOSAL_STAGES = (
    Stage("review", _l("机关事务管理部门审批"), "approve", "submitted", _l("已提交，待机关事务管理部门审批"),
          body="bureau", article=19),
    Stage("finance", _l("财政部门审批"), "approve_finance", "reviewed", _l("已审核，待财政审批"),
          body="finance", article=19, required=needs_finance),
)


class Disposal(ApprovalMixin, Versioned, Model):
    """A disposal application (资产处置申请)."""

    __tablename__ = "assets_disposal"
    approval_stages = DISPOSAL_STAGES
    __table_args__ = (
        CheckConstraint("method in ('transfer', 'donation', 'sale', 'auction', 'exchange', 'scrap', "
                        "'write_off')", name="ck_assets_disposal_method"),
        CheckConstraint("appraised_value >= 0", name="ck_assets_disposal_appraised"),
    )

    id = Column(Integer, primary_key=True)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False,
                             index=True)
    #: the organisation's jurisdiction (kept equal to it on every write)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False,
                             index=True)
    applied_on = Column(Date, nullable=False, default=local_today)
    method = Column(String(16), nullable=False)
    reason = Column(Text, nullable=False)
    appraised_value = Column(Numeric(14, 2))
    note = Column(Text)
    #: 接收单位 of a 无偿划转 (Art. 19): the assets move there on approval (``recipient_problem``)
    recipient_id = Column(Integer, ForeignKey("catalog_organization.id",
                                              name="fk_assets_disposal_recipient_id"), index=True)

    organization = relationship("Organization", foreign_keys=[organization_id])
    recipient = relationship("Organization", foreign_keys=[recipient_id])
    jurisdiction = relationship("Jurisdiction")
    lines = relationship("DisposalLine", back_populates="disposal", order_by="DisposalLine.id",
                         cascade="all, delete-orphan")
    proceeds = relationship("DisposalProceeds", back_populates="disposal",
                            order_by="DisposalProceeds.id")

    def __repr__(self) -> str:
        return _("处置申请 %(id)s（%(method)s）", id=self.document_number or self.id or "",
                 method=self.method_label)

    @property
    def method_label(self) -> str:
        return str(DISPOSAL_METHODS.get(self.method, self.method or ""))

    @property
    def line_count(self) -> int:
        return len(self.lines)

    @property
    def original_total(self):
        return sum((line.asset.original_value for line in self.lines if line.asset), 0)

    @property
    def proceeds_total(self):
        return sum((p.amount for p in self.proceeds if p.voided_at is None), 0)

    def on_transition(self, action: str, session) -> list[str]:
        """Move the cards with the application; returns what changed on them, for the user."""
        source = f"disposal:{self.id}"
        moved: dict[str, int] = {}
        if action == "submit":
            if not self.lines:
                raise WorkflowError(_("处置申请没有列明任何资产，不能提交"), status=422)
            for line in self.lines:
                refuse_line(session, line)
                asset = line.asset
                line.previous_status = asset.status
                asset.status = "pending_disposal"
                moved["pending_disposal"] = moved.get("pending_disposal", 0) + 1
                record_movement(session, asset, "status_change", source=source,
                                from_status=line.previous_status, to_status="pending_disposal",
                                note=_("提交处置申请（%(method)s）", method=self.method_label))
        elif action in ("withdraw", "reject"):
            for line in self.lines:
                asset = line.asset
                if asset.status != "pending_disposal":
                    continue
                back = line.previous_status or "in_use"
                asset.status = back
                moved[back] = moved.get(back, 0) + 1
                record_movement(session, asset, "status_change", source=source,
                                from_status="pending_disposal", to_status=back,
                                note=_("处置申请已撤回") if action == "withdraw" else _("处置申请被退回"))
        elif action == "approve" and self.state == "approved":  # the last stage's decision
            if current_scope().kind == "organization":
                raise WorkflowError(_("资产处置须由机关事务管理部门审批"), status=403)
            if self.method == "transfer":
                return self._transfer(session)
            for line in self.lines:
                asset = line.asset
                from_status = asset.status
                asset.status = "disposed"
                moved["disposed"] = moved.get("disposed", 0) + 1
                record_movement(session, asset, "disposal", source=source, from_status=from_status,
                                to_status="disposed",
                                note=_("资产处置（%(method)s）已批准", method=self.method_label))
        return [_("%(n)s 张资产卡片状态改为“%(status)s”", n=n, status=ASSET_STATUSES[status])
                for status, n in moved.items()]

    def _transfer(self, session) -> list[str]:
        """无偿划转 (Art. 19): the cards move to the recipient with the status they had before the
        application (在用 stays 在用, 闲置 stays 闲置), not 已处置; one movement names both sides."""
        problem = recipient_problem(session, self)
        if problem:
            raise WorkflowError(problem, status=422)
        recipient = related_target(session, self, "recipient")
        source_org = related_target(session, self, "organization")
        for line in self.lines:
            asset = line.asset
            before = dict(custodian=asset.custodian_id, status=asset.status)
            status = line.previous_status or "in_use"
            asset.organization = recipient
            asset.jurisdiction = recipient.jurisdiction
            asset.custodian = None  # a person of the giving organisation
            asset.status = status
            record_movement(session, asset, "free_transfer", source=f"disposal:{self.id}",
                            from_organization_id=source_org.id, to_organization_id=recipient.id,
                            from_custodian_id=before["custodian"], from_status=before["status"],
                            to_status=status,
                            note=_("无偿划转：由%(source)s划转至%(recipient)s（处置申请 %(number)s）",
                                   source=source_org.name, recipient=recipient.name,
                                   number=self.document_number or self.id))
        return [_("%(n)s 张资产卡片无偿划转至“%(org)s”，保持申请前的状态", n=len(self.lines),
                  org=recipient.name)]


class DisposalLine(Model):
    """One asset of a disposal application, with the reason for disposing before its minimum life."""

    __tablename__ = "assets_disposal_line"
    __table_args__ = (UniqueConstraint("disposal_id", "asset_id", name="uq_assets_disposal_line_asset"),)

    id = Column(Integer, primary_key=True)
    disposal_id = Column(Integer, ForeignKey("assets_disposal.id", ondelete="CASCADE"), nullable=False,
                         index=True)
    asset_id = Column(Integer, ForeignKey("assets_asset.id"), nullable=False, index=True)
    #: 提前处置理由 (Art. 19): required when the asset's minimum service life has not ended
    early_reason = Column(Text)
    #: the asset's status before submission, restored on withdraw or reject
    previous_status = Column(String(16))
    #: copied from the application, for the row scope
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False,
                             index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False,
                             index=True)

    disposal = relationship("Disposal", back_populates="lines")
    asset = relationship("Asset")

    def __repr__(self) -> str:
        return str(self.asset) if self.asset is not None else f"#{self.id}"

    @property
    def previous_status_label(self) -> str:
        """申请前状态 by its label (empty before submission)."""
        return str(ASSET_STATUSES.get(self.previous_status, self.previous_status or ""))

    @property
    def is_early(self) -> bool:
        return is_early(self.asset, self.disposal)

    # the card's figures a reviewer needs beside each line (原值, 取得日期, 最低使用年限)
    @property
    def original_value(self):
        return self.asset.original_value if self.asset is not None else None

    @property
    def acquired_on(self):
        return self.asset.acquired_on if self.asset is not None else None

    @property
    def min_life_ends_on(self):
        return self.asset.min_life_ends_on if self.asset is not None else None


class DisposalProceeds(Voidable, Versioned, Model):
    """处置收入 of an approved application: amount, date received, paid to the treasury; a wrong
    entry is voided (作废) with a reason, never deleted (money paid to the treasury, Art. 19)."""

    __tablename__ = "assets_disposal_proceeds"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="ck_assets_disposal_proceeds_amount"),
    )

    id = Column(Integer, primary_key=True)
    disposal_id = Column(Integer, ForeignKey("assets_disposal.id"), nullable=False, index=True)
    amount = Column(Numeric(14, 2), nullable=False)
    received_on = Column(Date, nullable=False)
    #: 上缴国库
    paid_to_treasury = Column(Boolean, nullable=False, default=False)
    paid_on = Column(Date)
    note = Column(Text)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False,
                             index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False,
                             index=True)

    disposal = relationship("Disposal", back_populates="proceeds")

    def __repr__(self) -> str:
        return f"{self.amount} ({self.received_on})"


# --- checks shared by the rules and the submission ----------------------------------------------


def proceeds_due_on(session, proceeds: DisposalProceeds) -> tuple[dt.date, int] | None:
    """When unpaid proceeds fall due for the treasury (Art. 19 处置收益上缴国库): the day received
    plus the period of the standard in force then (else today's), and that period in days;
    None when paid, voided, or no standard applies."""
    if proceeds.paid_to_treasury or proceeds.voided_at is not None or proceeds.received_on is None \
            or proceeds.jurisdiction_id is None:
        return None
    jurisdiction = session.get(Jurisdiction, proceeds.jurisdiction_id)
    standard = (standard_in_force(session, PROCEEDS_DAYS, "all", jurisdiction, proceeds.received_on)
                or standard_in_force(session, PROCEEDS_DAYS, "all", jurisdiction))
    if standard is None:
        return None
    days = int(standard.value)
    return proceeds.received_on + dt.timedelta(days=days), days


def recipient_problem(session, disposal: Disposal) -> str | None:
    """Art. 19, 无偿划转: a recipient is named, is another organisation and lies in the applicant's
    jurisdiction or below it — the bureau of the applicant's level approves the disposal, so it
    transfers within the government it serves (to another county or up needs that level's
    procedure, not this one). Other methods name no recipient."""
    recipient = related_target(session, disposal, "recipient")
    if disposal.method != "transfer":
        return _("只有处置方式为“无偿划转”的申请才填写接收单位") if recipient is not None else None
    if recipient is None:
        return _("处置方式为“无偿划转”的，必须填写接收单位")
    owner = related_target(session, disposal, "organization")
    if owner is None:
        return None
    if recipient.id is not None and recipient.id == owner.id:
        return _("接收单位不能是申请单位本身")
    here = related_target(session, owner, "jurisdiction")
    there = related_target(session, recipient, "jurisdiction")
    if here is not None and there is not None and not (there.path or "").startswith(here.path or "/"):
        return _("接收单位“%(recipient)s”不在申请单位所在辖区（%(jur)s）或其下级辖区内，不能无偿划转",
                 recipient=recipient.name, jur=here.name)
    return None


def is_early(asset, disposal) -> bool:
    """Art. 19: the asset's minimum service life ends after the application date."""
    if asset is None or disposal is None or asset.min_life_ends_on is None:
        return False
    return asset.min_life_ends_on > (disposal.applied_on or local_today())


def line_problem(session, line: DisposalLine) -> str | None:
    """Why this line may not be listed (other organisation, disposed, listed twice), else None."""
    asset = related_target(session, line, "asset")
    disposal = related_target(session, line, "disposal")
    if asset is None or disposal is None:
        return None
    asset_org = related_target(session, asset, "organization")
    owner = related_target(session, disposal, "organization")
    if asset_org is not None and owner is not None and asset_org.id != owner.id:
        return _("资产“%(asset)s”不属于本单位，不能列入本单位的处置申请", asset=asset)
    if asset.status == "disposed":
        return _("资产“%(asset)s”已处置，不能再次处置", asset=asset)
    from plugins.assets.pool.models import PoolItem

    in_pool = select(PoolItem.id).where(PoolItem.asset_id == asset.id, PoolItem.status == "available")
    if session.execute(in_pool.limit(1)).first() is not None:
        return _("资产“%(asset)s”已纳入公物仓，须先从公物仓撤回才能处置", asset=asset)
    query = (select(Disposal.id).join(DisposalLine, DisposalLine.disposal_id == Disposal.id)
             .where(DisposalLine.asset_id == asset.id, Disposal.state.in_(OPEN_STATES)))
    if disposal.id is not None:
        query = query.where(Disposal.id != disposal.id)
    other = session.execute(query.limit(1)).scalar_one_or_none()
    if other is not None:
        return _("资产“%(asset)s”已列入另一份未办结的处置申请（编号 %(id)s），不能重复申请",
                 asset=asset, id=other)
    return None


def refuse_line(session, line: DisposalLine) -> None:
    with session.no_autoflush:
        problem = line_problem(session, line)
        if problem is None and is_early(line.asset, line.disposal) and not (line.early_reason or "").strip():
            problem = _("资产“%(asset)s”最低使用年限至 %(end)s 届满，提前处置须填写提前处置理由"
                        "（《办法》第十九条）", asset=line.asset, end=line.asset.min_life_ends_on)
    if problem:
        raise WorkflowError(problem, status=422)
