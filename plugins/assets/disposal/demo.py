"""Demo of disposal (Art. 19): one application awaiting approval, one approved with proceeds paid,
one approved 转让 whose proceeds are overdue for the treasury, one approved 无偿划转.

Same-level approval: 天山区's applications go to 天山区机关事务服务中心 (``tianshan_bureau``) and,
from the threshold on (6,600 元 against the demo's 5,000 元), to 天山区财政局
(``tianshan_fin_reviewer``); 喀什市's to 喀什市机关事务管理局 (``kashgar_bureau``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from catalog.models import Standard
from catalog.standards import DEMO_BACKDATE_REASON
from core.api import transition
from plugins.assets.cards.models import Asset, AssetClass
from plugins.assets.disposal.models import (
    FINANCE_THRESHOLD,
    FINANCE_THRESHOLD_KEY,
    Disposal,
    DisposalLine,
    DisposalProceeds,
)

#: (number, class code, name, spec, unit, value, years old)
ASSETS = [
    ("ZC-650102-D001", "2010000", "台式计算机", "国产 i3/4G/500G", "台", "4800", 8),
    ("ZC-650102-D002", "2020000", "激光打印机", "A4 黑白", "台", "1800", 2),
    ("ZC-650102-D003", "5010000", "办公椅", "皮面", "把", "600", 17),
]
KASHGAR_ASSET = ("ZC-653101-D001", "2020000", "复印机", "A3 黑白", "台", "4900", 9)
TRANSFER_ASSET = ("ZC-650102-D004", "5010000", "文件柜", "钢制五层", "组", "900", 16)


def load(ctx) -> None:
    session = ctx.session
    today = dt.date.today()
    # 处置收入上缴期限: no national figure found (docs/assets.md); a demo value the bureau corrects
    session.add(Standard(kind="asset_disposal_proceeds_days", key="all", value=Decimal(30), unit="天",
                         jurisdiction=ctx.jurisdictions["650000"], effective_from=dt.date(2023, 1, 1),
                         basis="演示值（示例，请按本级财政部门规定核定）",
                         backdate_reason=DEMO_BACKDATE_REASON))
    # a demo value (示例值), not a real figure: from 5,000 元 of original value on, the finance
    # department of the same level approves after the bureau (Art. 19)
    session.add(Standard(kind=FINANCE_THRESHOLD, key=FINANCE_THRESHOLD_KEY, value=Decimal(5000), unit="元",
                         jurisdiction=ctx.jurisdictions["650000"], effective_from=dt.date(2023, 1, 1),
                         basis="新财资〔2023〕示例号（示例值）",
                         backdate_reason=DEMO_BACKDATE_REASON))
    org = ctx.organizations["tianshan_finance"]
    classes = {c.code: c for c in session.execute(select(AssetClass)).scalars()}
    assets = {}
    for number, code, name, spec, unit, value, age in ASSETS:
        assets[number] = Asset(
            acquisition_method="existing",  # held before the cards were kept here
            number=number, asset_class=classes[code], name=name, specification=spec, quantity=1, unit=unit,
            original_value=Decimal(value), acquired_on=today.replace(year=today.year - age, day=1),
            funding_source="fiscal", location=f"{org.name}办公楼", organization=org,
            jurisdiction=org.jurisdiction, status="in_use")
    session.add_all(assets.values())
    session.flush()

    # awaiting 天山区机关事务服务中心 (then 天山区财政局: above the threshold): an old computer and a printer disposed early, with a reason
    pending = Disposal(organization=org, applied_on=today, method="scrap", appraised_value=Decimal("300"),
                       reason="设备老化、故障频发，维修已不经济")
    pending.lines = [
        DisposalLine(asset=assets["ZC-650102-D001"]),
        DisposalLine(asset=assets["ZC-650102-D002"],
                     early_reason="雷击导致主板烧毁，经鉴定维修费用超过重置价值"),
    ]
    session.add(pending)
    session.flush()
    transition(pending, "submit", comment="请审批")
    session.flush()

    # approved last month: old chairs auctioned, proceeds paid to the treasury
    done = Disposal(organization=org, applied_on=today - dt.timedelta(days=40), method="auction",
                    appraised_value=Decimal("120"), reason="超过最低使用年限且已损坏，公开拍卖")
    done.lines = [DisposalLine(asset=assets["ZC-650102-D003"])]
    session.add(done)
    session.flush()
    transition(done, "submit")
    session.flush()
    transition(done, "approve", comment="同意拍卖，收入上缴国库")
    session.flush()
    session.add(DisposalProceeds(disposal=done, amount=Decimal("150"),
                                 received_on=today - dt.timedelta(days=20), paid_to_treasury=True,
                                 paid_on=today - dt.timedelta(days=15),
                                 note="拍卖成交价"))
    session.flush()

    # 无偿划转 (approved): a filing cabinet moves to 天山区教育局, still 闲置 there
    number, code, name, spec, unit, value, age = TRANSFER_ASSET
    cabinet = Asset(acquisition_method="existing", number=number, asset_class=classes[code], name=name,
                    specification=spec, quantity=1, unit=unit, original_value=Decimal(value),
                    acquired_on=today.replace(year=today.year - age, day=1), funding_source="fiscal",
                    location=f"{org.name}库房", organization=org, jurisdiction=org.jurisdiction, status="idle")
    session.add(cabinet)
    session.flush()
    gift = Disposal(organization=org, applied_on=today - dt.timedelta(days=5), method="transfer",
                    recipient=ctx.organizations["tianshan_education"], reason="机构职能调整，闲置文件柜无偿划转")
    gift.lines = [DisposalLine(asset=cabinet)]
    session.add(gift)
    session.flush()
    transition(gift, "submit")
    transition(gift, "approve", comment="同意无偿划转至天山区教育局")
    session.flush()

    # 喀什市财政局: an old copier sold (转让), approved; the money is overdue for the treasury
    kashgar = ctx.organizations["kashgar_finance"]
    number, code, name, spec, unit, value, age = KASHGAR_ASSET
    copier = Asset(acquisition_method="existing", number=number, asset_class=classes[code], name=name,
                   specification=spec, quantity=1,
                   unit=unit, original_value=Decimal(value),
                   acquired_on=today.replace(year=today.year - age, day=1), funding_source="fiscal",
                   location=f"{kashgar.name}办公楼", organization=kashgar, jurisdiction=kashgar.jurisdiction,
                   status="idle")
    session.add(copier)
    session.flush()
    sale = Disposal(organization=kashgar, applied_on=today - dt.timedelta(days=60), method="sale",
                    appraised_value=Decimal("300"), reason="闲置多年且超过最低使用年限，公开转让")
    sale.lines = [DisposalLine(asset=copier)]
    session.add(sale)
    session.flush()
    transition(sale, "submit")
    transition(sale, "approve", comment="同意转让")
    session.add(DisposalProceeds(disposal=sale, amount=Decimal("350"),
                                 received_on=today - dt.timedelta(days=40), paid_to_treasury=False,
                                 note="转让成交价，待上缴国库"))
    session.flush()
