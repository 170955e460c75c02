"""Demo receptions: every step of the flow for the demo logins (Art. 34).

天山区财政局 (tianshan_clerk): one completed reception with its 公函, settled and posted to the
expenditure ledger (its 接待清单 prints); one draft without 公函 (submitting it is refused); one
awaiting tianshan_bureau's approval. 喀什市财政局 (kashgar_clerk): one completed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from sqlalchemy import column, insert, select, table

from catalog.models import Standard
from catalog.standards import DEMO_BACKDATE_REASON
from core.api import transition
from plugins.receptions.hotels.models import DesignatedHotel
from plugins.receptions.requests.models import (
    COMPANION_CAP,
    LETTER,
    LODGING_CAP,
    MEAL_CAP,
    Reception,
    ReceptionCompanion,
    ReceptionGuest,
    ReceptionLodging,
    ReceptionMeal,
    ReceptionSettlement,
)
from plugins.receptions.requests.operations import post_settlement

BASIS = "演示数据（参照国内公务接待管理规定第九条，请以本地文件为准）"
STANDARDS = [
    (COMPANION_CAP, "small_group_max", "10", "人"),
    (COMPANION_CAP, "small_group_companions", "3", "人"),
    (COMPANION_CAP, "large_group_ratio", "0.3333", ""),
    (MEAL_CAP, "breakfast", "30", "元/人·餐"),
    (MEAL_CAP, "lunch", "100", "元/人·餐"),
    (MEAL_CAP, "dinner", "100", "元/人·餐"),
    (LODGING_CAP, "standard", "350", "元/间·天"),
    (LODGING_CAP, "single", "350", "元/间·天"),
    (LODGING_CAP, "suite", "500", "元/间·天"),
]
#: a one-page PDF standing in for the scanned 公函
LETTER_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
    b"endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n"
    b"%%EOF\n"
)

#: (org, guest unit, letter no., activity, start, days, place, guests, companions, meals, lodging,
#:  with letter, steps, settlement (meals, lodging, transport, other) or None)
RECEPTIONS = [
    (
        "tianshan_finance",
        "伊犁州财政局",
        "伊州财函〔2026〕12号",
        "考察预算一体化系统建设",
        dt.date(2026, 11, 10),
        2,
        "天山区财政局会议室",
        [("王建国", "副局长"), ("李娜", "科长"), ("阿力木·吐尔逊", "科员")],
        [("张伟", "局长"), ("刘芳", "科长")],
        [("lunch", 5, "80"), ("dinner", 5, "90")],
        ("天山宾馆（演示）", "standard", 1, 2, "320", True),
        True,
        [("submit", "伊犁州财政局来函考察，请审批"), ("approve", "同意，按标准接待")],
        ("850", "0", "120", "0"),
    ),
    (
        "tianshan_finance",
        "昌吉州财政局",
        None,
        "交流政府采购工作",
        dt.date(2026, 12, 15),
        1,
        "天山区财政局会议室",
        [("赵敏", "科长"), ("周杰", "科员")],
        [("刘芳", "科长")],
        [("lunch", 3, "60")],
        None,
        False,
        [],
        None,
    ),
    (
        "tianshan_finance",
        "哈密市财政局",
        "哈财函〔2026〕30号",
        "调研国有资产管理",
        dt.date(2026, 12, 20),
        1,
        "天山区财政局会议室",
        [("孙丽", "副局长"), ("马强", "科长")],
        [("张伟", "局长")],
        [("lunch", 3, "75")],
        None,
        True,
        [("submit", "哈密市财政局来函调研，请审批")],
        None,
    ),
    (
        "kashgar_finance",
        "和田地区财政局",
        "和地财函〔2026〕8号",
        "交流财政监督工作",
        dt.date(2026, 11, 20),
        1,
        "喀什市财政局会议室",
        [("艾尼瓦尔·买买提", "副局长"), ("陈晨", "科员")],
        [("古丽米拉", "科长")],
        [("lunch", 3, "70")],
        ("喀什噶尔宾馆（演示）", "standard", 1, 1, "280", True),
        True,
        [("submit", "和田地区财政局来函，请审批"), ("approve", "同意")],
        ("210", "0", "0", "0"),
    ),
]


def _standards(ctx) -> None:
    region = ctx.jurisdictions["650000"]
    for kind, key, value, unit in STANDARDS:
        ctx.session.add(
            Standard(
                kind=kind,
                key=key,
                value=Decimal(value),
                unit=unit,
                jurisdiction=region,
                effective_from=dt.date(2024, 1, 1),
                basis=BASIS,
                backdate_reason=DEMO_BACKDATE_REASON,
            )
        )


#: who scanned the demo's letters: the demo login of the host (core/cli/demo.py)
DEMO_CLERKS = {"乌鲁木齐市天山区财政局": "tianshan_clerk", "喀什市财政局": "kashgar_clerk"}


def attach_letter(session, reception: Reception) -> None:
    """The guest unit's 公函 as the demo's attachment (the system seeds it, like the records)."""
    attachments = table(
        "core_attachment",
        column("id"),
        column("entity"),
        column("record_id"),
        column("kind"),
        column("filename"),
        column("content_type"),
        column("size"),
        column("sha256"),
        column("storage"),
        column("uploaded_at"),
        column("uploaded_by"),
        column("organization_id"),
        column("jurisdiction_id"),
    )
    result = session.execute(
        insert(attachments).returning(attachments.c.id).values(
            entity="reception",
            record_id=str(reception.id),
            kind=LETTER,
            filename="公函.pdf",
            content_type="application/pdf",
            size=len(LETTER_PDF),
            sha256=hashlib.sha256(LETTER_PDF).hexdigest(),
            storage="database",
            uploaded_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            uploaded_by=DEMO_CLERKS.get(reception.organization.name, "admin"),
            organization_id=reception.organization_id,
            jurisdiction_id=reception.jurisdiction_id,
        )
    )
    contents = table("core_attachment_content", column("attachment_id"), column("data"))
    session.execute(insert(contents).values(attachment_id=result.scalar_one(), data=LETTER_PDF))


def load(ctx) -> None:
    session = ctx.session
    _standards(ctx)
    hotels = {h.name: h for h in session.execute(select(DesignatedHotel)).scalars()}
    for (
        org_key,
        unit,
        letter_no,
        activity,
        start,
        days,
        place,
        guests,
        companions,
        meals,
        lodging,
        with_letter,
        steps,
        settled,
    ) in RECEPTIONS:
        org = ctx.organizations[org_key]
        reception = Reception(
            organization=org,
            jurisdiction=org.jurisdiction,
            guest_unit=unit,
            letter_number=letter_no,
            activity=activity,
            start_on=start,
            end_on=start + dt.timedelta(days=days - 1),
            place=place,
        )
        scope = dict(organization_id=org.id, jurisdiction_id=org.jurisdiction_id)
        reception.guests = [ReceptionGuest(name=n, post=p, unit=unit, **scope) for n, p in guests]
        reception.companions = [ReceptionCompanion(name=n, post=p, **scope) for n, p in companions]
        reception.meals = [
            ReceptionMeal(meal_on=start, kind=k, persons=n, per_person=Decimal(v), place=place, **scope)
            for k, n, v in meals
        ]
        if lodging:
            name, room, nights, rooms, price, by_guest = lodging
            reception.lodgings = [
                ReceptionLodging(
                    hotel=hotels[name],
                    room_type=room,
                    check_in=start,
                    nights=nights,
                    rooms=rooms,
                    price=Decimal(price),
                    paid_by_guest=by_guest,
                    **scope,
                )
            ]
        session.add(reception)
        session.flush()
        if with_letter:
            attach_letter(session, reception)
        for action, comment in steps:
            transition(reception, action, comment, view_name="ReceptionView")
        if settled:
            meals_cost, lodging_cost, transport, other = (Decimal(v) for v in settled)
            settlement = ReceptionSettlement(
                reception=reception,
                meals_cost=meals_cost,
                lodging_cost=lodging_cost,
                transport_cost=transport,
                other_cost=other,
                completed=True,
                completed_on=reception.end_on,
                **scope,
            )
            session.add(settlement)
            session.flush()
            post_settlement(session, settlement)
    session.flush()
