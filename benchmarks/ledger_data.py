"""Synthetic asset-like ledger rows (deterministic), shared by the benchmark and the tests."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from reports.ledger import Column

COLUMNS = [
    Column("code", "资产编号", 30),
    Column("name", "资产名称", None),
    Column("model", "规格型号", 34),
    Column("org", "使用单位", 50),
    Column("acquired", "取得日期", 20, align="center"),
    Column("qty", "数量", 12, align="right", sum=True),
    Column("value", "原值（元）", 30, align="right", fmt=",.2f", sum=True),
    Column("status", "状态", 17, align="center"),
]

_KINDS = ["台式计算机", "笔记本电脑", "激光打印机", "多功能一体机", "办公桌", "办公椅", "文件柜",
          "空调", "投影仪", "交换机", "服务器", "公务用车", "会议桌", "沙发", "碎纸机", "扫描仪",
          "不间断电源", "防火墙设备", "视频会议终端", "档案密集架"]
_QUAL = ["", "", "（标准型）", "（节能型）", "（三人位）", "（双面打印）", "（含显示器）", "（国产化替代）",
         "（大会议室专用，含安装调试及三年维保服务）"]
_BRANDS = ["联想", "华为", "惠普", "得力", "海尔", "格力", "浪潮", "长城", "奔图", "中科曙光"]
_ORGS = ["市机关事务管理局", "市机关事务管理局办公室", "市财政局", "市自然资源和规划局", "区人民政府办公室",
         "市公共机构节能管理中心", "市级机关后勤服务中心", "市发展和改革委员会", "县机关事务服务中心",
         "市人民政府驻北京联络处", "市档案馆", "市机关幼儿园"]
_SUFFIX = ["-Pro", "-S", "-G3", "-V2", "", " 1600×800", " Φ50±2", "（定制）"]
_STATUS = ["在用", "在用", "在用", "在用", "闲置", "待处置", "出租出借", "维修中"]


def make_rows(n: int, seed: int = 2026) -> list[list]:
    """``n`` asset-like rows in COLUMNS order."""
    rnd = random.Random(seed)
    start = date(2008, 1, 1)
    rows = []
    for i in range(1, n + 1):
        name = rnd.choice(_BRANDS) + rnd.choice(_KINDS) + rnd.choice(_QUAL)
        model = f"{rnd.choice('ABCDEFGHKMPTXZ')}{rnd.randint(10, 9999)}{rnd.choice(_SUFFIX)}"
        value = Decimal(rnd.randint(30000, 250000000)) / 100
        rows.append([
            f"ZC{2008 + i % 18}{i:07d}",
            name,
            model.rstrip("-"),
            rnd.choice(_ORGS),
            start + timedelta(days=rnd.randint(0, 6500)),
            rnd.randint(1, 20),
            value,
            rnd.choice(_STATUS),
        ])
    return rows


def expected_totals(rows: list[list]) -> dict[str, str]:
    """The 合计 texts the ledger must print (column label -> formatted exact sum)."""
    qty = sum(r[5] for r in rows)
    value = sum((r[6] for r in rows), Decimal(0))
    return {"数量": str(qty), "原值（元）": format(value, ",.2f")}
