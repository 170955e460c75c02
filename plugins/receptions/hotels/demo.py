"""Demo designated hotels of 乌鲁木齐市 and 喀什市 (made-up names and prices, marked as demo)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from plugins.receptions.hotels.models import DesignatedHotel

DEMO_BASIS = "演示数据（参照国内公务接待管理规定第十条定点接待，请以本地定点协议为准）"

#: (jurisdiction, name, address, standard, single, suite)
HOTELS = [
    ("650100", "天山宾馆（演示）", "乌鲁木齐市天山区演示路 1 号", "320", "300", "480"),
    ("650100", "博格达饭店（演示）", "乌鲁木齐市沙依巴克区演示路 8 号", "300", "280", None),
    ("653101", "喀什噶尔宾馆（演示）", "喀什市演示路 16 号", "280", "260", None),
]


def load(ctx) -> None:
    for code, name, address, standard, single, suite in HOTELS:
        ctx.session.add(DesignatedHotel(
            name=name, address=address, jurisdiction=ctx.jurisdictions[code],
            price_standard=Decimal(standard), price_single=Decimal(single),
            price_suite=Decimal(suite) if suite else None, effective_from=dt.date(2024, 1, 1),
            basis=DEMO_BASIS))
    ctx.session.flush()
