"""Demo of government procurement (Art. 14): the region's 集中采购目录 and thresholds, and records
in which every flag is under way for the demo logins.

天山区财政局 (tianshan_clerk) bought 台式计算机 three times in 2026, each under the 100,000 元
分散采购限额标准, together over it (化整为零, flagged on all three); a 便携式计算机 whose
specification names a brand; a 复印机 of the catalogue bought by 自行采购. 乌鲁木齐市教育局 bought
物业管理服务 above the 公开招标数额标准 by 竞争性磋商. 喀什市财政局's records are clean.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from catalog.models import Standard
from catalog.standards import DEMO_BACKDATE_REASON as DEMO_BACKDATE
from plugins.funds.procurement.models import CatalogueItem, ProcurementRecord
from plugins.funds.procurement.splitting import KIND, WINDOW_KEY

BASIS = "新财购〔2026〕示例号（演示数据，参照自治区政府集中采购目录及标准，请以本地文件为准）"
#: (code, name, category, covers, channel)
CATALOGUE = [
    ("A02010104", "台式计算机", "goods", "资产分类 2010104 台式计算机", "agency"),
    ("A02010105", "便携式计算机", "goods", "资产分类 2010105 便携式计算机", "agency"),
    ("A02021000", "打印设备", "goods", "喷墨、激光、针式打印机", "agency"),
    ("A02020100", "复印机", "goods", "复印机、多功能一体机", "agency"),
    ("A02061800", "空调机", "goods", "分体式、柜式空调机", "agency"),
    ("A02030500", "公务用车", "goods", "轿车、越野车、商务车（不含特种车辆）", "agency"),
    ("A05010000", "办公家具", "goods", "办公桌椅、文件柜、沙发", "agency"),
    ("C21040000", "物业管理服务", "services", "机关办公用房物业管理", "department"),
    ("C23090000", "印刷服务", "services", "公文、资料印刷", "agency"),
    ("C22010000", "会议服务", "services", "会议场地及配套服务", "department"),
]
#: (code, name, category, covers, division): prefectures' own items
LOCAL = [
    ("C18040000", "车辆维修和保养服务", "services", "公务用车维修、保养", "650100"),
    ("C23120000", "档案数字化服务", "services", "纸质档案扫描、著录", "653100"),
]
#: (org key, date, item, catalogue code, category, specification, qty, unit, price, method, central, supplier)
RECORDS = [
    ("tianshan_finance", dt.date(2026, 3, 10), "台式计算机", "A02010104", "goods",
     "国产 i5 同等性能，16G 内存，512G 固态硬盘", 8, "台", 4800, "inquiry", True, "乌鲁木齐某科技有限公司"),
    ("tianshan_finance", dt.date(2026, 6, 16), "台式计算机", "A02010104", "goods",
     "国产 i5 同等性能，16G 内存，512G 固态硬盘", 9, "台", 4700, "inquiry", True, "乌鲁木齐某科技有限公司"),
    ("tianshan_finance", dt.date(2026, 9, 22), "台式计算机", "A02010104", "goods",
     "国产 i5 同等性能，16G 内存，512G 固态硬盘", 6, "台", 4900, "inquiry", True, "新疆某信息技术有限公司"),
    ("tianshan_finance", dt.date(2026, 5, 12), "便携式计算机", "A02010105", "goods",
     "品牌：联想 ThinkPad，原装进口", 2, "台", 7800, "framework", True, "新疆某信息技术有限公司"),
    ("tianshan_finance", dt.date(2026, 7, 8), "复印机", "A02020100", "goods",
     "A3 黑白复印，每分钟 30 页以上", 1, "台", 18500, "self", False, "天山区某办公设备商行"),
    ("urumqi_education", dt.date(2026, 2, 20), "办公楼物业管理服务", "C21040000", "services",
     "保洁、安保、设备运维，服务期三年", 1, "项", 4500000, "consultation", True, "乌鲁木齐某物业服务有限公司"),
    ("kashgar_finance", dt.date(2026, 4, 18), "空调机", "A02061800", "goods",
     "制冷量 3.5kW，一级能效", 4, "台", 5600, "framework", True, "喀什某电器有限公司"),
    ("kashgar_finance", dt.date(2026, 8, 5), "档案数字化整理服务", None, "services",
     "纸质档案扫描、著录、装盒", 1, "项", 36000, "self", False, "喀什某档案服务有限公司"),
]


def _standards(region) -> list[Standard]:
    values = {"decentralised_goods": 100000, "decentralised_services": 100000, "decentralised_works": 1000000,
              "public_tender_goods": 4000000, "public_tender_services": 4000000,
              "public_tender_works": 4000000}
    rows = [Standard(kind=KIND, key=key, value=Decimal(value), unit="元", jurisdiction=region,
                     effective_from=dt.date(2026, 1, 1), basis=BASIS, backdate_reason=DEMO_BACKDATE)
            for key, value in values.items()]
    rows.append(Standard(kind=KIND, key=WINDOW_KEY, value=Decimal(365), unit="天", jurisdiction=region,
                         effective_from=dt.date(2026, 1, 1), basis=BASIS, backdate_reason=DEMO_BACKDATE))
    return rows


def load(ctx) -> None:
    session = ctx.session
    region = ctx.jurisdictions["650000"]
    session.add_all(_standards(region))
    items = {}
    for code, name, category, covers, channel in CATALOGUE:
        items[code] = CatalogueItem(jurisdiction=region, code=code, name=name, category=category, covers=covers,
                                    channel=channel, effective_from=dt.date(2026, 1, 1), basis=BASIS)
    # the 2024-2025 catalogue still listed 扫描仪: retired, a purchase of 2026 is not held to it
    items["A02021100"] = CatalogueItem(
        jurisdiction=region, code="A02021100", name="扫描仪", category="goods", covers="平板、馈纸式扫描仪",
        channel="agency", effective_from=dt.date(2024, 1, 1), effective_to=dt.date(2025, 12, 31),
        basis="新财购〔2024〕示例号（演示数据，请以本地文件为准）")
    # a prefecture adds items of its own to the region's (read by its counties, not by others)
    for code, name, category, covers, division in LOCAL:
        items[code] = CatalogueItem(jurisdiction=ctx.jurisdictions[division], code=code, name=name,
                                    category=category, covers=covers, channel="department",
                                    effective_from=dt.date(2026, 1, 1), basis=BASIS)
    session.add_all(items.values())
    session.flush()
    for org, day, name, code, category, spec, qty, unit, price, method, central, supplier in RECORDS:
        session.add(ProcurementRecord(
            organization=ctx.organizations[org], purchased_on=day, item_name=name,
            catalogue_item=items[code] if code else None, category=category, specification=spec,
            quantity=Decimal(qty), unit=unit, unit_price=Decimal(price), amount=Decimal(qty * price),
            method=method, central=central, supplier=supplier,
            contract_no=f"HT-{day:%Y%m%d}-{org[:2].upper()}"))
        session.flush()  # one by one, as the clerks entered them: each numbered in turn
