"""The operating-cost report (机关运行成本统计报告, Art. 15) and the office space it divides by.

A bureau draws up its jurisdiction's report for a year; 计算 fills its figures from the catalog's
expenditure ledger and 编制核定 (``figures``, never typed in), then it is submitted to the bureau
of the level above (报送上级机关事务管理部门), which accepts (批准) or returns (退回) it. Submitted
and accepted reports are locked by the workflow; submitting recomputes, so what goes up is what
the ledger says at that moment.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship

from core.api import ApprovalMixin, Model, Scope, Stage, Versioned, WorkflowError

GRADES = {"excellent": _l("优秀"), "good": _l("良好"), "pass": _l("合格"), "fail": _l("不合格")}


class OpcostReport(ApprovalMixin, Versioned, Model):
    """One jurisdiction's 机关运行成本统计报告 for one year, drawn up by its bureau."""

    __tablename__ = "funds_opcost_report"
    __table_args__ = (
        UniqueConstraint("jurisdiction_id", "year", name="uq_funds_opcost_report_year"),
        CheckConstraint("budget is null or budget >= 0", name="ck_funds_opcost_report_budget"),
    )
    approval_stages = (
        Stage("accept", _l("上级机关事务管理部门审核"), "approve", "submitted",
              _l("已报送，待上级机关事务管理部门审核"), body="bureau_above", article=15),
    )

    id = Column(Integer, primary_key=True)
    #: the reporting bureau (is_bureau) of the jurisdiction
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    year = Column(Integer, nullable=False)
    #: 机关运行经费预算数（元）, entered: what budget_execution divides by
    budget = Column(Numeric(16, 2))
    #: 评价说明: the bureau's analysis and remarks (Art. 15 分析、评价)
    remark = Column(Text)
    #: computed by 计算 / on submission (state fields): the statistics and the evaluation
    figures = Column(JSON)
    total_cost = Column(Numeric(16, 2))
    total_score = Column(Numeric(6, 2))
    grade = Column(String(16))
    computed_at = Column(DateTime)

    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        name = self.jurisdiction.name if self.jurisdiction is not None else ""
        return _("%(name)s %(year)s 年机关运行成本统计报告", name=name, year=self.year or "")

    @property
    def number(self) -> str:
        if not self.id:
            return ""
        return self.document_number or str(_("草稿 %(id)s", id=self.id))

    @property
    def grade_label(self) -> str:
        return str(GRADES.get(self.grade, "")) if self.grade else ""

    def on_transition(self, action: str, session) -> list[str]:
        if action != "submit":
            return []
        if self.jurisdiction is None or self.jurisdiction.parent is None:
            raise WorkflowError(_("自治区本级没有上一级机关事务管理部门，本报告无需报送（第十五条）"),
                                status=422)
        from plugins.funds.opcost.figures import refresh

        refresh(session, self)  # what goes up is what the ledger says now
        return [_("已按支出台账重新计算：运行成本合计 %(total)s 元，绩效评价 %(score)s 分（%(grade)s）",
                  total=self.total_cost, score=self.total_score, grade=self.grade_label)]


class OpcostOfficeArea(Versioned, Model):
    """办公用房面积 of an organisation in a year (m²), entered until an office-space module exists."""

    __tablename__ = "funds_opcost_office_area"
    __table_args__ = (
        UniqueConstraint("organization_id", "year", name="uq_funds_opcost_office_area_year"),
        CheckConstraint("area > 0", name="ck_funds_opcost_office_area_positive"),
    )

    id = Column(Integer, primary_key=True)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    year = Column(Integer, nullable=False)
    area = Column(Numeric(12, 2), nullable=False)
    note = Column(Text)

    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        return f"{self.organization} {self.year}：{self.area} m²"


REPORT_SCOPE = Scope(organization="organization_id", jurisdiction="jurisdiction_id",
                     derive_jurisdiction=True)
AREA_SCOPE = Scope(organization="organization_id", jurisdiction="jurisdiction_id",
                   derive_jurisdiction=True)
COMPUTED = ("figures", "total_cost", "total_score", "grade", "computed_at")
