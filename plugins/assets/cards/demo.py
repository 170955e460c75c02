"""Demo asset classes, configuration standards and asset cards (Art. 17-18)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from catalog.models import Standard
from catalog.standards import DEMO_BACKDATE_REASON
from plugins.assets.cards.models import MIN_LIFE, PRICE_CAP, QUANTITY_CAP, Asset, AssetClass

#: GB/T 14885-2022 top classes (code, name).
TOP_CLASSES = [
    ("1000000", "房屋和构筑物"), ("2000000", "设备"), ("3000000", "文物和陈列品"),
    ("4000000", "图书和档案"), ("5000000", "家具和用具"), ("6000000", "特种动植物"),
    ("7000000", "物资"), ("8000000", "无形资产"),
]
#: A few second-level classes (code, name, parent code).
SUB_CLASSES = [
    ("2010000", "计算机设备", "2000000"), ("2020000", "办公设备", "2000000"),
    ("2030000", "车辆", "2000000"), ("5010000", "家具", "5000000"),
]
COMPUTERS, OFFICE, VEHICLES, FURNITURE = "2010000", "2020000", "2030000", "5010000"

#: Region-level configuration standards: class code -> (price cap 元, qty per person 件, min life 年).
STANDARDS = {
    COMPUTERS: (6000, 1, 6),
    OFFICE: (5000, 2, 6),  # a printer and a scanner, say: room for the demo's walk-through
    FURNITURE: (3000, 8, 15),  # desk, chairs, cabinets: several pieces per person
}
BASIS = "新财资〔2023〕示例号"

#: (class code, name, specification, unit, unit price 元)
ITEMS = [
    (COMPUTERS, "台式计算机", "国产 i5/16G/512G", "台", Decimal("5200")),
    (COMPUTERS, "便携式计算机", "国产 14 英寸", "台", Decimal("5800")),
    (OFFICE, "激光打印机", "A4 黑白", "台", Decimal("1800")),
    (OFFICE, "多功能一体机", "A3 彩色", "台", Decimal("4600")),
    (FURNITURE, "办公桌", "1.4 米", "张", Decimal("1500")),
    (FURNITURE, "办公椅", "网布", "把", Decimal("600")),
    (FURNITURE, "文件柜", "钢制", "组", Decimal("900")),
]
ORGS = ["xj_finance", "xj_education", "urumqi_bureau", "urumqi_finance", "tianshan_finance",
        "tianshan_office", "kashgar_finance", "kashgar_education", "shufu_finance"]
#: Cycled over the cards: mostly in use, a few idle (Art. 18) and others.
STATUSES = ["in_use", "in_use", "in_use", "idle", "in_use", "repair", "in_use", "lent",
            "in_use", "pending_disposal", "in_use", "idle", "in_use", "disposed"]
FUNDING = ["fiscal", "fiscal", "fiscal", "self_raised", "fiscal", "other"]


def load(ctx) -> None:
    session = ctx.session
    classes: dict[str, AssetClass] = {}
    for code, name in TOP_CLASSES:
        classes[code] = AssetClass(code=code, name=name, level=1)
    for code, name, parent in SUB_CLASSES:
        classes[code] = AssetClass(code=code, name=name, level=2, parent=classes[parent])
    session.add_all(classes.values())
    region = ctx.jurisdictions["650000"]
    for code, (price, qty, life) in STANDARDS.items():
        for kind, value, unit in ((PRICE_CAP, price, "元"), (QUANTITY_CAP, qty, "件"),
                                  (MIN_LIFE, life, "年")):
            session.add(Standard(kind=kind, key=code, value=Decimal(value), unit=unit,
                                 jurisdiction=region, effective_from=dt.date(2023, 1, 1),
                                 basis=BASIS, backdate_reason=DEMO_BACKDATE_REASON))
    # vehicles (the vehicles module's cards, some bought in 2016): a minimum life only, since 2014;
    # their price caps are the vehicles module's standards by category
    session.add(Standard(kind=MIN_LIFE, key=VEHICLES, value=Decimal(8), unit="年", jurisdiction=region,
                         effective_from=dt.date(2014, 1, 1), basis=BASIS,
                         backdate_reason=DEMO_BACKDATE_REASON))
    session.flush()
    n = 0
    for o, org_key in enumerate(ORGS):
        org = ctx.organizations[org_key]
        for i in range(4 + o % 3):  # 4-6 cards per organisation, ~44 in all
            code, name, spec, unit, price = ITEMS[(o + i) % len(ITEMS)]
            quantity = 1 if code != FURNITURE else 2 + i % 3
            custodian = ctx.people.get(f"{org_key}.{i % 2}")
            session.add(Asset(
                acquisition_method="existing",  # held before the cards were kept here
                number=f"ZC-{org.jurisdiction.code}-{o + 1:02d}{i + 1:03d}", asset_class=classes[code],
                name=name, specification=spec, quantity=quantity, unit=unit,
                original_value=price * quantity,
                acquired_on=dt.date(2019 + (o + i) % 7, 1 + (o * 3 + i) % 12, 1 + (i * 7) % 28),
                funding_source=FUNDING[n % len(FUNDING)], location=f"{org.name}办公楼 {i + 2}0{o + 1} 室",
                custodian=custodian, organization=org, jurisdiction=org.jurisdiction,
                status=STATUSES[n % len(STATUSES)],
            ))
            n += 1
    session.flush()
