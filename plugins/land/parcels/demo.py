"""Demo parcels across the demo organisations, in every registration state."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from catalog.models import Standard
from catalog.standards import DEMO_BACKDATE_REASON as DEMO_BACKDATE
from plugins.land.parcels.models import LandParcel

#: (name, using org key, division, location, area m², use, status, certificate, holder key)
PARCELS = [
    ("自治区机关集中办公区", "xj_bureau", "650000", "乌鲁木齐市天山区中山路 2 号", 58200, "office",
     "registered", "新(2021)乌鲁木齐市不动产权第0001234号", "xj_bureau"),
    ("自治区财政厅办公楼", "xj_finance", "650000", "乌鲁木齐市天山区中山路 12 号", 12400, "office",
     "registered", "新(2022)乌鲁木齐市不动产权第0002311号", "xj_finance"),
    ("自治区教育厅业务用房", "xj_education", "650000", "乌鲁木齐市沙依巴克区友好北路 8 号", 8650,
     "business", "in_progress", None, None),
    ("自治区档案馆库房", "xj_archives", "650000", "乌鲁木齐市新市区北京南路 17 号", 15200,
     "public_facility", "unregistered", None, None),
    ("乌鲁木齐市行政中心", "urumqi_bureau", "650100", "乌鲁木齐市水磨沟区南湖路 1 号", 73100, "office",
     "registered", "新(2020)乌鲁木齐市不动产权第0000881号", "urumqi_bureau"),
    ("乌鲁木齐市教育局办公楼", "urumqi_education", "650100", "乌鲁木齐市天山区解放南路 3 号", 5400,
     "office", "in_progress", None, None),
    ("天山区政府办公楼", "tianshan_office", "650102", "乌鲁木齐市天山区新华南路 198 号", 9800, "office",
     "registered", "新(2023)乌鲁木齐市不动产权第0003456号", "tianshan_bureau"),
    ("天山区财政局业务楼", "tianshan_finance", "650102", "乌鲁木齐市天山区和平南路 45 号", 3200,
     "business", "unregistered", None, None),
    ("天山区教育局周转用地", "tianshan_education", "650102", "乌鲁木齐市天山区延安路 120 号", 2100,
     "other", "in_progress", None, None),
    ("沙依巴克区财政局办公楼", "saybagh_finance", "650103", "乌鲁木齐市沙依巴克区西虹西路 9 号", 4100,
     "office", "registered", "新(2023)乌鲁木齐市不动产权第0004102号", "saybagh_finance"),
    ("喀什地区行政办公区", "kashgar_pref_bureau", "653100", "喀什市人民东路 2 号", 41600, "office",
     "registered", "新(2021)喀什市不动产权第0000567号", "kashgar_pref_bureau"),
    ("喀什市财政局办公楼", "kashgar_finance", "653101", "喀什市解放北路 66 号", 4800, "office",
     "registered", "新(2022)喀什市不动产权第0001789号", "kashgar_finance"),
    ("喀什市教育局办公楼", "kashgar_education", "653101", "喀什市色满路 21 号", 3900, "office",
     "unregistered", None, None),
    ("喀什市人民医院院区", "kashgar_hospital", "653101", "喀什市迎宾大道 120 号", 66000,
     "public_facility", "in_progress", None, None),
    ("疏附县财政局办公楼", "shufu_finance", "653121", "疏附县托克扎克镇团结路 5 号", 2700, "office",
     "unregistered", None, None),
    ("昌吉市机关集中办公区", "changji_city_bureau", "652301", "昌吉市延安北路 19 号", 35500, "office",
     "registered", "新(2022)昌吉市不动产权第0002020号", "changji_city_bureau"),
]


def load(ctx) -> None:
    session = ctx.session
    region = ctx.jurisdictions["650000"]
    session.add_all([
        Standard(kind="land_registration_target", key="share", value=Decimal(80), unit="%",
                 jurisdiction=region, effective_from=dt.date(2023, 1, 1),
                 effective_to=dt.date(2025, 12, 31), basis="新政办发〔2023〕示例号",
                 backdate_reason=DEMO_BACKDATE),
        Standard(kind="land_registration_target", key="share", value=Decimal(95), unit="%",
                 jurisdiction=region, effective_from=dt.date(2026, 1, 1),
                 basis="新政办发〔2026〕示例号", backdate_reason=DEMO_BACKDATE),
        # a prefecture may set a stricter target for itself and its counties
        Standard(kind="land_registration_target", key="share", value=Decimal(100), unit="%",
                 jurisdiction=ctx.jurisdictions["650100"], effective_from=dt.date(2026, 1, 1),
                 basis="乌政办发〔2026〕示例号", backdate_reason=DEMO_BACKDATE),
        Standard(kind="land_registration_target", key="share", value=Decimal(98), unit="%",
                 jurisdiction=ctx.jurisdictions["653100"], effective_from=dt.date(2026, 1, 1),
                 basis="喀署办发〔2026〕示例号", backdate_reason=DEMO_BACKDATE),
    ])
    for name, org, code, location, area, use, status, cert, holder in PARCELS:
        session.add(LandParcel(
            name=name, organization=ctx.organizations[org], jurisdiction=ctx.jurisdictions[code],
            location=location, area=Decimal(area), land_use=use, registration_status=status,
            certificate_no=cert, title_holder=ctx.organizations[holder] if holder else None,
        ))
    session.flush()
