"""Demo of expenditure claims (Art. 10-11): standards marked as demo values, and claims in every
state for 天山区财政局 (tianshan_clerk) and 喀什市财政局 (kashgar_clerk).

天山区: a draft (办公费, no invoice yet), a training claim awaiting 部门审核 (then 分管领导: above
the 5,000 元 threshold), two approved claims booked in the ledger (差旅费, 会议费), a rejected
meeting claim — entered as 一类 at 700 元/人·天, returned because it is a 二类 meeting whose
standard is 650: set it to 二类 and the save is refused naming the article — and an approved
claim entered twice, voided, its booking taken back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from catalog.expenditures import EconomicClass, economic_class_in_force
from catalog.models import Standard
from catalog.standards import DEMO_BACKDATE_REASON
from core.api import transition, void_record
from plugins.funds.spending.models import (
    APPROVAL_THRESHOLD,
    ENTITY,
    MEETING_RATE,
    TRAINING_RATE,
    TRAVEL_RATE,
    ExpenditureClaim,
    unbook,
)

BASIS = "演示数据（参照中央和国家机关会议费、培训费、差旅费管理办法，请以本地文件为准）"
THRESHOLD_BASIS = "演示数据（单位支出审批权限示例，请以本单位内部控制制度为准）"
STANDARDS = [
    (MEETING_RATE, "class1", 760), (MEETING_RATE, "class2", 650), (MEETING_RATE, "class3", 550),
    (TRAINING_RATE, "class1", 650), (TRAINING_RATE, "class2", 550), (TRAINING_RATE, "class3", 450),
    (TRAVEL_RATE, "meal:xinjiang", 120), (TRAVEL_RATE, "meal:urumqi", 120),
    (TRAVEL_RATE, "meal:kashgar", 120), (TRAVEL_RATE, "meal:beijing", 100),
    (TRAVEL_RATE, "lodging:urumqi:staff", 380), (TRAVEL_RATE, "lodging:urumqi:director", 480),
    (TRAVEL_RATE, "lodging:urumqi:bureau", 800), (TRAVEL_RATE, "lodging:kashgar:staff", 350),
    (TRAVEL_RATE, "lodging:kashgar:director", 450), (TRAVEL_RATE, "lodging:xinjiang:staff", 340),
    (TRAVEL_RATE, "lodging:beijing:staff", 500),
]
THRESHOLDS = [("leader", 5000), ("head", 50000), ("collective", 300000)]
#: the classes the claims use, when the catalog's classification is not loaded yet
CLASSES = [("30201", "办公费", True), ("30211", "差旅费", True), ("30215", "会议费", True),
           ("30216", "培训费", True)]
#: a one-page PDF standing for a scanned invoice
INVOICE = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]"
           b"/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
           b"trailer<</Root 1 0 R>>\n%%EOF\n")


def ensure_classes(session, on: dt.date | None = None) -> dict[str, EconomicClass]:
    """The classes the claims use, added where the catalog has not loaded them."""
    found = {}
    for code, name, invoice in CLASSES:
        klass = economic_class_in_force(session, code, on)
        if klass is None:
            klass = EconomicClass(code=code, name=name, level=2, requires_invoice=invoice,
                                  effective_from=dt.date(2018, 1, 1), basis="财预〔2017〕98号")
            session.add(klass)
        found[code] = klass
    session.flush()
    return found


#: who scanned the demo's papers: the demo login of the claim's organisation (core/cli/demo.py)
DEMO_CLERKS = {"乌鲁木齐市天山区财政局": "tianshan_clerk", "喀什市财政局": "kashgar_clerk"}


def attach_invoice(session, claim, name="发票.pdf") -> None:
    """An invoice scan, as the 附件 panel stores one (bytes in the database)."""
    from core.attachments.models import Attachment, AttachmentContent

    row = Attachment(entity=ENTITY, record_id=str(claim.id), kind="invoice", filename=name,
                     content_type="application/pdf", size=len(INVOICE),
                     sha256=hashlib.sha256(INVOICE).hexdigest(), storage="database",
                     uploaded_by=DEMO_CLERKS.get(claim.organization.name, "admin"),
                     organization_id=claim.organization_id,
                     jurisdiction_id=claim.jurisdiction_id)
    session.add(row)
    session.flush()
    session.add(AttachmentContent(attachment_id=row.id, data=INVOICE))
    session.flush()


def load(ctx) -> None:
    session = ctx.session
    region = ctx.jurisdictions["650000"]
    for kind, key, value in STANDARDS:
        session.add(Standard(kind=kind, key=key, value=Decimal(value), unit="元/人·天", jurisdiction=region,
                             effective_from=dt.date(2024, 1, 1), basis=BASIS,
                             backdate_reason=DEMO_BACKDATE_REASON))
    for key, value in THRESHOLDS:
        session.add(Standard(kind=APPROVAL_THRESHOLD, key=key, value=Decimal(value), unit="元",
                             jurisdiction=region, effective_from=dt.date(2024, 1, 1), basis=THRESHOLD_BASIS,
                             backdate_reason=DEMO_BACKDATE_REASON))
    session.flush()
    classes = ensure_classes(session)
    today = dt.date.today()
    day = today - dt.timedelta(days=10)

    def claim(org, code, amount, payee, purpose, **details):
        row = ExpenditureClaim(organization=org, jurisdiction=org.jurisdiction, spent_on=day,
                               economic_class=classes[code], amount=Decimal(amount), payee=payee,
                               purpose=purpose, **details)
        session.add(row)
        session.flush()
        return row

    def submitted(row):
        attach_invoice(session, row)
        transition(row, "submit", comment="请审批")
        session.flush()
        return row

    def approved(row, *comments):
        submitted(row)
        for comment in comments:
            transition(row, "approve", comment=comment)
            session.flush()
        return row

    tianshan = ctx.organizations["tianshan_finance"]
    claim(tianshan, "30201", "1200", "新华书店天山区分店", "购置办公用纸及文具")
    submitted(claim(tianshan, "30216", "15000", "自治区财政干部培训中心", "全区预算管理业务培训（二类）",
                    grade="class2", participants=10, days=3))
    approved(claim(tianshan, "30211", "2820", "王建国", "赴喀什市开展预算执行情况调研",
                   participants=2, days=3, place="kashgar", rank="staff", meal_amount=Decimal("720"),
                   lodging_amount=Decimal("2100")), "同意报销")
    approved(claim(tianshan, "30215", "7500", "天山区会议服务中心", "2026 年财政工作会议（三类）",
                   grade="class3", participants=15, days=1), "部门审核通过", "同意")
    rejected = submitted(claim(tianshan, "30215", "4200", "某宾馆", "全区财政监督工作会议",
                               grade="class1", participants=3, days=2))
    transition(rejected, "reject", comment="经核实为二类会议，人均每天 700 元超过二类会议标准 650 元/人·天，"
                                           "请按标准调整后重新提交（《办法》第十一条）")
    session.flush()
    twice = approved(claim(tianshan, "30201", "860", "天山区文印中心", "打印复印费（重复录入）"), "同意")
    void_record(twice, "与已报销的同一张发票重复录入")
    unbook(twice, twice.void_reason)
    session.flush()

    kashgar = ctx.organizations["kashgar_finance"]
    claim(kashgar, "30201", "900", "喀什市文具店", "购置档案盒")
    submitted(claim(kashgar, "30201", "3000", "喀什市办公用品公司", "购置办公耗材"))
    approved(claim(kashgar, "30211", "1400", "阿不都热合曼", "赴乌鲁木齐市参加财政工作会议",
                   participants=1, days=2, place="urumqi", rank="staff", meal_amount=Decimal("240"),
                   lodging_amount=Decimal("760")), "同意报销")
    session.flush()
