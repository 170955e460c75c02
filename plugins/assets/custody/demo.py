"""Demo data of the custody area: receipts, check-outs, a return and a custodian transfer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from plugins.assets.cards.models import Asset, AssetClass
from plugins.assets.custody.models import check_out, receive, return_asset, transfer_custodian

#: (organisation key, class code, name, specification, quantity, unit, unit price, supplier, invoice)
RECEIPTS = [
    # within the demo's configuration standards (Art. 17): 天山区财政局 has room for one more
    # piece of office equipment and none for computers or furniture without an approved exception
    ("tianshan_finance", "2020000", "激光打印机", "A4 彩色 双面", 1, "台", Decimal("2600"),
     "新疆信创科技有限公司", "FP-2026-0311"),
    ("kashgar_finance", "2020000", "激光打印机", "A4 彩色", 1, "台", Decimal("2600"),
     "喀什办公设备商行", "FP-2026-0520"),
]


def _assets(session, org):
    return session.execute(select(Asset).where(Asset.organization_id == org.id)
                           .order_by(Asset.number)).scalars().all()


def load(ctx) -> None:
    session = ctx.session
    classes = {c.code: c for c in session.execute(select(AssetClass)).scalars()}
    today = dt.date.today()
    for n, (org_key, code, name, spec, qty, unit, price, supplier, invoice) in enumerate(RECEIPTS):
        org = ctx.organizations[org_key]
        receive(session, organization=org, asset_class=classes[code], name=name, specification=spec,
                quantity=qty, unit=unit, unit_price=price, acquired_on=today - dt.timedelta(days=40 - n * 10),
                funding_source="fiscal", supplier=supplier, invoice_no=invoice,
                location=f"{org.name}资产库房", status="idle")
    # the clerk's organisation: the new printer is checked out, then changes hands; a chair goes back
    org = ctx.organizations["tianshan_finance"]
    first, second = ctx.people["tianshan_finance.0"], ctx.people["tianshan_finance.1"]
    printer = next(a for a in _assets(session, org) if "-RK" in a.number)
    check_out(session, printer, first, location=f"{org.name}办公楼 301 室",
              on=today - dt.timedelta(days=25), note="综合科共用")
    transfer_custodian(session, printer, second, on=today - dt.timedelta(days=5),
                       note="岗位调整，由新保管人接管")
    chair = next(a for a in _assets(session, org)
                 if a.name == "办公椅" and a.custodian_id is not None and a.status == "in_use")
    return_asset(session, chair, location=f"{org.name}资产库房", on=today - dt.timedelta(days=3),
                 note="会议室改造，暂交回库房")
    # an idle demo card somewhere else is checked out
    for org_key in ("kashgar_finance", "urumqi_finance"):
        org = ctx.organizations[org_key]
        idle = next((a for a in _assets(session, org) if a.status == "idle" and a.custodian_id is None), None)
        person = ctx.people.get(f"{org_key}.0")
        if idle is not None and person is not None:
            check_out(session, idle, person, on=today - dt.timedelta(days=15), note="调剂使用")
    session.flush()
