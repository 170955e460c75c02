"""Demo catalog: the real divisions (a few townships too), ~30 organisations, their
establishment (编制核定) and staff whose ranks follow the organ's level."""

from __future__ import annotations

import datetime as dt

from catalog.divisions import load_divisions
from catalog.expenditures import load_economic_classes, post_expenditure
from catalog.holidays import load_holidays
from catalog.models import Establishment, Organization, Person
from catalog.vehicle_categories import load_vehicle_categories
from core.uscc import check_char

_KINDS = {"party_government": "11", "other_state_organ": "11", "public_institution": "12",
          "peoples_organization": "13"}

#: (demo key, name, type, is_bureau, division code)
ORGANIZATIONS = [
    ("xj_bureau", "新疆维吾尔自治区机关事务管理局", "party_government", True, "650000"),
    ("xj_finance", "新疆维吾尔自治区财政厅", "party_government", False, "650000"),
    ("xj_education", "新疆维吾尔自治区教育厅", "party_government", False, "650000"),
    ("xj_natres", "新疆维吾尔自治区自然资源厅", "party_government", False, "650000"),
    ("xj_health", "新疆维吾尔自治区卫生健康委员会", "party_government", False, "650000"),
    ("xj_procuratorate", "新疆维吾尔自治区人民检察院", "other_state_organ", False, "650000"),
    ("xj_union", "新疆维吾尔自治区总工会", "peoples_organization", False, "650000"),
    ("xj_women", "新疆维吾尔自治区妇女联合会", "peoples_organization", False, "650000"),
    ("xj_archives", "新疆维吾尔自治区档案馆", "public_institution", False, "650000"),
    ("urumqi_bureau", "乌鲁木齐市机关事务管理局", "party_government", True, "650100"),
    ("urumqi_finance", "乌鲁木齐市财政局", "party_government", False, "650100"),
    ("urumqi_education", "乌鲁木齐市教育局", "party_government", False, "650100"),
    ("urumqi_natres", "乌鲁木齐市自然资源局", "party_government", False, "650100"),
    ("tianshan_bureau", "乌鲁木齐市天山区机关事务服务中心", "party_government", True, "650102"),
    ("tianshan_office", "乌鲁木齐市天山区人民政府办公室", "party_government", False, "650102"),
    ("tianshan_finance", "乌鲁木齐市天山区财政局", "party_government", False, "650102"),
    ("tianshan_education", "乌鲁木齐市天山区教育局", "party_government", False, "650102"),
    ("saybagh_bureau", "乌鲁木齐市沙依巴克区机关事务管理局", "party_government", True, "650103"),
    ("saybagh_finance", "乌鲁木齐市沙依巴克区财政局", "party_government", False, "650103"),
    ("changji_bureau", "昌吉回族自治州机关事务管理局", "party_government", True, "652300"),
    ("changji_city_bureau", "昌吉市机关事务管理局", "party_government", True, "652301"),
    ("kashgar_pref_bureau", "喀什地区机关事务管理局", "party_government", True, "653100"),
    ("kashgar_pref_finance", "喀什地区财政局", "party_government", False, "653100"),
    ("kashgar_pref_education", "喀什地区教育局", "party_government", False, "653100"),
    ("kashgar_bureau", "喀什市机关事务管理局", "party_government", True, "653101"),
    ("kashgar_finance", "喀什市财政局", "party_government", False, "653101"),
    ("kashgar_education", "喀什市教育局", "party_government", False, "653101"),
    ("kashgar_hospital", "喀什市人民医院", "public_institution", False, "653101"),
    ("shufu_bureau", "疏附县机关事务管理局", "party_government", True, "653121"),
    ("shufu_finance", "疏附县财政局", "party_government", False, "653121"),
    ("yecheng_women", "叶城县妇女联合会", "peoples_organization", False, "653126"),
    # a township government: 乡镇级, its jurisdiction a 12-digit statistical code (data/README.md)
    ("uper_township", "疏附县乌帕尔乡人民政府", "party_government", False, "653121200000"),
]
#: 财政部门 (Organization.is_finance): the finance stage of their level's approvals (Art. 17, 19)
FINANCE_DEPARTMENTS = ("xj_finance", "urumqi_finance", "tianshan_finance", "saybagh_finance",
                       "kashgar_pref_finance", "kashgar_finance", "shufu_finance")

#: Titles and ranks by the organ's level (机构级别): a region department is 厅局级, so its head
#: is 厅局级正职; a prefecture's bureau 县处级; a county's bureau 乡科级 (its 局长 正科级);
#: a township's head 乡科级正职 too.
_STAFF = {
    "region": [("局长", "bureau_chief"), ("副局长", "bureau_deputy"), ("处长", "division_chief"),
               ("副处长", "division_deputy"), ("科员", "staff")],
    "prefecture": [("局长", "division_chief"), ("副局长", "division_deputy"), ("科长", "section_chief"),
                   ("副科长", "section_deputy"), ("科员", "staff")],
    "county": [("局长", "section_chief"), ("副局长", "section_deputy"), ("股长", "staff"),
               ("科员", "staff"), ("科员", "staff")],
    "township": [("乡长", "section_chief"), ("副乡长", "section_deputy"), ("科员", "staff"),
                 ("科员", "staff"), ("科员", "staff")],
}

#: Demo establishment by organ level (示例数据, not real figures): 行政编制, 事业编制, 领导职数;
#: a region department ~40, a prefecture's ~30, a county bureau ~25, a township ~20.
_ESTABLISHMENT = {"region": (36, 6, 5), "prefecture": (26, 4, 4), "county": (20, 5, 3),
                  "township": (15, 5, 3)}
#: 事业单位 hold 事业编制 rather than 行政编制.
_INSTITUTION = {"region": (0, 40, 4), "prefecture": (0, 30, 3), "county": (0, 25, 3),
                "township": (0, 20, 2)}
_SURNAMES = "王李张刘陈杨艾买阿热古吐努迪帕"
_GIVEN = ["建新", "古丽", "热依汗", "买买提", "志强", "阿依努尔", "海燕", "艾力", "晓东", "努尔"]


def demo_uscc(index: int, org_type: str, division: str) -> str:
    """The code's division part is 6 digits: a township organisation's is its county's."""
    return make_uscc(_KINDS[org_type][0], _KINDS[org_type][1], division, f"MB{index:07d}")


def load_catalog_demo(ctx) -> None:
    session = ctx.session
    ctx.jurisdictions.update(load_divisions(session))
    load_economic_classes(session)  # the 支出经济分类 every module posts its spending under
    load_vehicle_categories(session)  # 公务用车类别 (Art. 27)
    load_holidays(session)  # the 2026 放假安排 the vehicles are sealed over (Art. 29)
    load_demo_local_holidays(ctx)
    for index, (key, name, org_type, is_bureau, code) in enumerate(ORGANIZATIONS, start=1):
        org = Organization(
            name=name, uscc=demo_uscc(index, org_type, code[:6]), org_type=org_type,
            is_bureau=is_bureau, jurisdiction=ctx.jurisdictions[code],
        )
        session.add(org)
        ctx.organizations[key] = org
    for key in FINANCE_DEPARTMENTS:
        ctx.organizations[key].is_finance = True
    session.flush()
    for index, (key, org) in enumerate(ctx.organizations.items()):
        for n, (title, rank) in enumerate(_STAFF[org.organ_level][: 2 + index % 3]):
            name = _SURNAMES[(index + n) % len(_SURNAMES)] + _GIVEN[(index * 3 + n) % len(_GIVEN)]
            person = Person(name=name, rank=rank, title=title, organization=org)
            session.add(person)
            ctx.people[f"{key}.{n}"] = person
        session.add(demo_establishment(org, index))
    session.flush()
    load_demo_suppliers(ctx)
    load_demo_ledger(ctx)


def demo_establishment(org: Organization, index: int) -> Establishment:
    """A plausible 编制核定 of the demo organisation (示例数据), in force since 2024."""
    table = _INSTITUTION if org.org_type == "public_institution" else _ESTABLISHMENT
    administrative, institutional, leaders = table[org.organ_level]
    administrative += index % 4 if administrative else 0
    established = administrative + institutional
    return Establishment(
        organization=org, administrative=administrative, institutional=institutional,
        actual=established - 1 - index % 3, leaders=leaders, effective_from=dt.date(2024, 1, 1),
        decision=f"示例编办〔2024〕{index + 1}号", approved_by="机构编制委员会办公室（示例）",
        note="示例数据",
    )


#: 机关运行成本 booked outside the modules (办公费, 电费, 水费 from the finance system), so the
#: 支出台账 of every demo level has rows before any module posts: (organisation, class, amount).
DEMO_LEDGER = [
    ("tianshan_finance", "30201", "3260.00"), ("tianshan_finance", "30206", "1840.50"),
    ("tianshan_education", "30201", "2150.00"), ("urumqi_finance", "30205", "960.00"),
    ("kashgar_finance", "30201", "2780.00"), ("kashgar_finance", "30206", "1525.30"),
    ("xj_finance", "30209", "12800.00"),
]
DEMO_LEDGER_SOURCE = "catalog_demo"


def load_demo_ledger(ctx) -> None:
    """A few demo rows of the expenditure ledger (演示数据), posted as a module posts."""
    from core.display import local_today

    # last December: a module's test adding up this year's spending finds only its own rows
    day = local_today().replace(year=local_today().year - 1, month=12, day=1)
    for n, (key, code, amount) in enumerate(DEMO_LEDGER, start=1):
        post_expenditure(
            ctx.session, source_module="catalog", source_type=DEMO_LEDGER_SOURCE, source_id=n,
            organization=ctx.organizations[key], spent_on=day, economic_code=code, amount=amount,
            payee="演示收款单位", description="演示数据：财务系统汇总的日常公用经费",
            source_number=f"演示-{n:03d}")
    ctx.session.flush()


#: Periods a city or county arranges itself (演示数据), beside the region's calendar: each level
#: reads its own and the ones above, never a neighbour's. (jurisdiction, name, first, last day)
DEMO_LOCAL_HOLIDAYS = [
    ("650100", "诺鲁孜节", dt.date(2026, 3, 21), dt.date(2026, 3, 21)),
    ("653101", "诺鲁孜节", dt.date(2026, 3, 21), dt.date(2026, 3, 21)),
]


def load_demo_local_holidays(ctx) -> None:
    from catalog.holidays import Holiday

    for code, name, first, last in DEMO_LOCAL_HOLIDAYS:
        ctx.session.add(Holiday(name=name, starts_on=first, ends_on=last, jurisdiction=ctx.jurisdictions[code],
                                basis="演示数据：地方民族传统节日安排，日期以当地人民政府通知为准"))
    ctx.session.flush()


#: Designated suppliers of the demo (演示数据): (jurisdiction, kind, name).
DEMO_SUPPLIERS = [
    ("650100", "vehicle_repair", "乌鲁木齐市公务用车定点维修中心"),
    ("650102", "vehicle_repair", "天山区汽车综合维修厂"),
    ("650100", "vehicle_insurance", "中国人民财产保险股份有限公司乌鲁木齐市分公司"),
    ("650000", "vehicle_fuel", "中国石油新疆销售有限公司"),
    ("653101", "vehicle_repair", "喀什市机关车辆定点维修站"),
]


def load_demo_suppliers(ctx) -> None:
    from catalog.suppliers import DesignatedSupplier

    for code, kind, name in DEMO_SUPPLIERS:
        ctx.session.add(DesignatedSupplier(
            kind=kind, name=name, jurisdiction=ctx.jurisdictions[code], effective_from=dt.date(2024, 1, 1),
            basis="示例定点协议（演示数据）"))


def make_uscc(registry: str, kind: str, division: str, serial: str) -> str:
    """A valid 统一社会信用代码 built from its parts (the demo's organisations, tests)."""
    body = f"{registry}{kind}{division}{serial}"
    if len(body) != 17:
        raise ValueError("registry(1) + kind(1) + division(6) + serial(9) must be 17 chars")
    return body + check_char(body)
