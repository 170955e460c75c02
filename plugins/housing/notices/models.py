"""Policy notices (Art. 25 及时公布有关政策、信息): what the bureau publishes about talent
apartments and turnover housing — the policies, the units on offer, the lists it makes public.

A notice is drafted by the bureau, 发布 (draft → published, the day it is published) and 撤回
(published → withdrawn) are operations; while published and not expired it is shown on the home
page (工作台) of the staff of its jurisdiction and below.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from core.api import Model, Versioned, Voidable

NOTICE_ENTITY = "housing_notice"
NOTICE_KINDS = {"policy": _l("政策"), "listing": _l("房源信息"), "publicity": _l("公示")}
NOTICE_STATES = {"draft": _l("草稿"), "published": _l("已发布"), "withdrawn": _l("已撤回")}


class PolicyNotice(Voidable, Versioned, Model):
    """政策信息公告: one notice of a bureau to the staff of its jurisdiction and below."""

    __tablename__ = "housing_notice"
    __table_args__ = (
        CheckConstraint("kind in ('policy', 'listing', 'publicity')", name="ck_housing_notice_kind"),
        CheckConstraint("state in ('draft', 'published', 'withdrawn')", name="ck_housing_notice_state"),
        CheckConstraint("expires_on is null or published_on is null or expires_on >= published_on",
                        name="ck_housing_notice_period"),
    )

    id = Column(Integer, primary_key=True)
    #: the publishing bureau and its jurisdiction: the notice is for the staff there and below
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    kind = Column(String(16), nullable=False, default="policy")
    title = Column(String(200), nullable=False)
    body = Column(Text, nullable=False)
    #: set by 发布
    published_on = Column(Date)
    #: shown until this day (inclusive); none: until withdrawn
    expires_on = Column(Date)
    state = Column(String(16), nullable=False, default="draft", index=True)

    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        return self.title or ""

    @property
    def kind_label(self) -> str:
        return str(NOTICE_KINDS.get(self.kind, self.kind or ""))

    @property
    def state_label(self) -> str:
        return str(NOTICE_STATES.get(self.state, self.state or ""))
