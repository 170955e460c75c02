"""Demo idle space (Art. 24), 示例数据: the idle standard (180 days at the region) and, for the idle
rooms the buildings demo leaves unallocated (天山区政府办公楼 304, 喀什市财政局办公楼 204, vacant since
2025-03-01), a 出租出借 awaiting its approval in 天山区 and a 处置 awaiting 办理 in 喀什市 — both
rooms stay idle, so the bureaus' home pages list them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from catalog.models import Standard
from catalog.standards import DEMO_BACKDATE_REASON
from plugins.office_space.buildings.demo import demo_room
from plugins.office_space.idle.models import IdleSpaceDisposition
from plugins.office_space.idle.standards import ALL_ROOMS, IDLE_DAYS

BASIS = "党政机关办公用房管理办法（2017）“及时处置利用”（示例数据）"


def load(ctx) -> None:
    session = ctx.session
    session.add(
        Standard(
            kind=IDLE_DAYS,
            key=ALL_ROOMS,
            value=Decimal(180),
            unit="天",
            jurisdiction=ctx.jurisdictions["650000"],
            effective_from=dt.date(2017, 12, 1),
            basis=BASIS,
            backdate_reason=DEMO_BACKDATE_REASON,
        )
    )
    session.flush()
    for bureau, building, number, kind, number_doc, counterparty, reason in (
        (
            "tianshan_bureau",
            "天山区政府办公楼",
            "304",
            "lease",
            "天机事〔2026〕演示 8 号",
            "天山区退役军人事务局",
            "闲置一年以上，经批准临时出借作档案整理用房，批准文件待上传",
        ),
        (
            "kashgar_bureau",
            "喀什市财政局办公楼",
            "204",
            "dispose",
            None,
            "改作公共服务用房",
            "闲置一年以上，拟按程序处置",
        ),
    ):
        org = ctx.organizations[bureau]
        session.add(
            IdleSpaceDisposition(
                room=demo_room(session, building, number),
                organization=org,
                jurisdiction=org.jurisdiction,
                kind=kind,
                decision_number=number_doc,
                counterparty=counterparty,
                reason=reason,
            )
        )
    session.flush()
