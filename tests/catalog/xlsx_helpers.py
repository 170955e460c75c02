"""Real .xlsx files for the XLSX tests: written and read back with openpyxl."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook, load_workbook

ASSET_HEADERS = ["*资产编号", "*资产分类", "*资产名称", "数量", "计量单位", "*原值（元）", "*取得日期",
                 "取得方式", "经费来源", "*使用单位", "*所在辖区", "资产状态"]
#: A purchase: the Art. 17 caps apply (the other rows register holdings, 存量登记, as a first import does).
PURCHASE = {"取得方式": "购置"}


def xlsx_bytes(headers, rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read_xlsx(data: bytes):
    """(headers, rows as dicts by header) of the first sheet."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    headers = list(rows[0])
    return headers, [dict(zip(headers, r, strict=True)) for r in rows[1:]]


def asset_row(number, value=5000, org="乌鲁木齐市天山区财政局", jur="天山区", cls="计算机设备", **kw):
    row = {"*资产编号": number, "*资产分类": cls, "*资产名称": "台式计算机", "数量": 1, "计量单位": "台",
           "*原值（元）": value, "*取得日期": kw.pop("acquired", dt.date(2026, 3, 1)), "取得方式": "存量登记",
           "经费来源": "财政拨款",
           "*使用单位": org, "*所在辖区": jur, "资产状态": "在用"}
    row.update(kw)
    return [row[h] for h in ASSET_HEADERS]


def upload(data: bytes, name="import.xlsx", **form):
    return {"file": (io.BytesIO(data), name), **form}


def remove_imported_assets(app, *prefixes) -> None:
    """Delete the cards a test imported: 天山区财政局's holdings set its Art. 17 caps in other tests."""
    from sqlalchemy import or_, select

    from core.extensions import db
    from plugins.assets.cards.models import Asset

    with app.app_context():
        query = select(Asset).where(or_(*(Asset.number.startswith(p) for p in prefixes)))
        for asset in db.session.execute(query).scalars():
            db.session.delete(asset)
        db.session.commit()
