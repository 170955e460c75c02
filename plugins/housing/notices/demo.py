"""Demo policy notices (示例数据): 天山区's policy and its 2026 Q4 listing published, an expired
publicity and a draft; 喀什市's policy published; 乌鲁木齐's policy published (seen in 天山区 below)."""

from __future__ import annotations

import datetime as dt

from plugins.housing.notices.models import PolicyNotice

#: (bureau key, kind, title, body, published on, expires on, state)
NOTICES = [
    ("tianshan_bureau", "policy", "天山区周转住房管理办法（示例）",
     "为规范本区周转住房管理，依据《新疆维吾尔自治区机关事务管理办法》第二十五条，制定本办法。周转住房由区机关事务"
     "服务中心统一组织实施移交、维修、维护、运营、调配和处置。申请人应为新调入或新录用、在本市无住房的干部职工。（示例）",
     dt.date(2026, 9, 1), None, "published"),
    ("tianshan_bureau", "listing", "2026 年第四季度周转住房房源信息",
     "本季度可配租房源：天山区周转房小区 3 号楼 2-201、2-202（一居室，46.2 平方米），天山区人才公寓 1 号楼 501"
     "（二居室，72.0 平方米）。符合条件的干部职工可通过本单位提交入住申请。（示例）",
     dt.date(2026, 10, 1), dt.date(2026, 12, 31), "published"),
    ("tianshan_bureau", "publicity", "2026 年上半年周转住房配租结果公示",
     "经审核，2026 年上半年配租周转住房 2 套，公示期 5 个工作日。（示例）",
     dt.date(2026, 3, 2), dt.date(2026, 3, 9), "published"),
    ("tianshan_bureau", "policy", "关于周转住房租金标准调整的通知（征求意见稿）",
     "拟按建筑面积调整周转住房租金标准，现征求意见。（示例，草稿）", None, None, "draft"),
    ("kashgar_bureau", "policy", "喀什市周转住房入住须知（示例）",
     "入住前须签订周转住房使用协议，按配套家具家电清单清点交接；租期届满应按时退出。（示例）",
     dt.date(2026, 8, 15), None, "published"),
    ("urumqi_bureau", "policy", "乌鲁木齐市人才公寓管理暂行办法（示例）",
     "市级人才公寓面向引进的高层次人才和急需紧缺人才，由市机关事务管理局统一管理。（示例）",
     dt.date(2026, 7, 1), None, "published"),
]


def load(ctx) -> None:
    for bureau, kind, title, body, published_on, expires_on, state in NOTICES:
        org = ctx.organizations[bureau]
        ctx.session.add(PolicyNotice(organization=org, jurisdiction=org.jurisdiction, kind=kind, title=title,
                                     body=body, published_on=published_on, expires_on=expires_on, state=state))
    ctx.session.flush()
