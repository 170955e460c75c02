"""Government procurement (Art. 14): each flag on the form, REST (bearer token) and XLSX import.

Every test buys its own item (a name no other test uses), so the splitting rule never mixes a
test's purchases with the demo's or another test's. The demo's standards (region 650000, from
2026-01-01): 分散采购限额标准 100,000 元 (goods, services), 1,000,000 (works); 公开招标数额标准
4,000,000; splitting period 365 days.
"""

from __future__ import annotations

import itertools
import time
from decimal import Decimal

import pytest
from sqlalchemy import select

from catalog.models import Organization
from core.extensions import db
from core.models import Finding
from plugins.funds.procurement.models import CatalogueItem, ProcurementRecord
from tests.catalog.xlsx_helpers import upload, xlsx_bytes

CLERK, BUREAU = "tianshan_clerk", "tianshan_bureau"
TIANSHAN = "乌鲁木齐市天山区财政局"
PATHS = ("form", "rest", "import")
HEADERS = ["*采购单位", "*采购日期", "*采购品目", "集中采购目录品目", "品目类别", "采购需求（规格）",
           "*采购金额（元）", "采购方式", "集中采购"]
_serial = itertools.count()


def unique(name: str) -> str:
    return f"{name}{int(time.time() * 1000) % 10**8}{next(_serial)}"


def org_id(app, name=TIANSHAN) -> int:
    with app.app_context():
        return db.session.execute(select(Organization.id).where(Organization.name == name)).scalar_one()


def catalogue_item(app, code) -> CatalogueItem:
    with app.app_context():
        item = db.session.execute(select(CatalogueItem).where(CatalogueItem.code == code)).scalar_one()
        db.session.expunge(item)
        return item


def records(app, name) -> list[ProcurementRecord]:
    with app.app_context():
        rows = list(db.session.execute(select(ProcurementRecord).where(ProcurementRecord.item_name == name)
                                       .order_by(ProcurementRecord.id)).scalars())
        db.session.expunge_all()
        return rows


def findings_of(app, record_id, rule=None) -> list[Finding]:
    with app.app_context():
        query = select(Finding).where(Finding.entity == "procurement_record",
                                      Finding.entity_id == str(record_id), Finding.status == "open")
        if rule:
            query = query.where(Finding.rule_key == f"funds.procurement_{rule}")
        rows = list(db.session.execute(query.order_by(Finding.id)).scalars())
        db.session.expunge_all()
        return rows


METHOD_LABELS = {"self": "自行采购", "inquiry": "询价", "framework": "框架协议", "public_tender": "公开招标",
                 "consultation": "竞争性磋商"}


def buy(app, login, rest, path, *purchases) -> list[ProcurementRecord]:
    """Each purchase (a dict: name, amount, day, spec, method, central, item code, category)
    written by the clerk of 天山区财政局 on ``path`` — an import takes them all in one file."""
    org = org_id(app)
    names = {p["name"] for p in purchases}
    before = {r.id for name in names for r in records(app, name)}
    if path == "import":
        rows = []
        for p in purchases:
            code = p.get("code")
            rows.append([TIANSHAN, p.get("day", "2026-10-01"), p["name"], code or None,
                         {"goods": "货物", "services": "服务", "works": "工程"}[p.get("category", "goods")],
                         p.get("spec", ""), p["amount"], METHOD_LABELS[p.get("method", "inquiry")],
                         "是" if p.get("central") else "否"])
        response = login(CLERK).post("/api/v1/procurement_record/import", data=upload(
            xlsx_bytes(HEADERS, rows)), content_type="multipart/form-data")
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["created"] == len(purchases)
    for p in purchases if path != "import" else ():
        code = p.get("code")
        item = catalogue_item(app, code).id if code else None
        if path == "form":
            data = {"organization": org, "purchased_on": p.get("day", "2026-10-01"), "item_name": p["name"],
                    "category": p.get("category", "goods"), "specification": p.get("spec", ""),
                    "amount": str(p["amount"]), "method": p.get("method", "inquiry"), "supplier": "某公司"}
            if item:
                data["catalogue_item"] = item
            if p.get("central"):
                data["central"] = "y"
            login(CLERK).post("/procurementrecordview/add", data=data)  # written: counted below
        else:
            body = {"organization_id": org, "purchased_on": p.get("day", "2026-10-01"),
                    "item_name": p["name"],
                    "category": p.get("category", "goods"), "specification": p.get("spec", ""),
                    "amount": p["amount"], "method": p.get("method", "inquiry"),
                    "central": bool(p.get("central")), "catalogue_item_id": item}
            response = rest(CLERK, "jwt").api("POST", "/api/v1/procurement_record/", json=body)
            assert response.status_code == 201, response.get_json()
    made = sorted((r for name in names for r in records(app, name) if r.id not in before), key=lambda r: r.id)
    assert len(made) == len(purchases)
    return made


# --- 指定品牌、型号、产地 --------------------------------------------------------------------------

@pytest.mark.parametrize("path", PATHS)
def test_art14_designated_brand_is_flagged(app, login, rest, path):
    """第十四条: a specification naming a brand, a model or an origin opens a finding; one that
    asks for performance does not."""
    named, plain = unique("激光打印机"), unique("激光打印机")
    [flagged, clean] = buy(app, login, rest, path,
                           {"name": named, "amount": 3200, "spec": "品牌：惠普，型号 M1136，原装进口"},
                           {"name": plain, "amount": 3200, "spec": "A4 黑白激光，每分钟 30 页以上"})
    [finding] = findings_of(app, flagged.id, "designation")
    assert finding.article == 14 and "第十四条" in finding.message
    assert "品牌“惠普”" in finding.message and "型号“M1136”" in finding.message
    assert "原装进口" in finding.message
    assert findings_of(app, clean.id, "designation") == []


# --- 集中采购目录 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", PATHS)
def test_art14_central_catalogue_item_bought_by_self_is_flagged(app, login, rest, path):
    """第十四条: 复印机 is in the region's 集中采购目录 (demo): bought by 自行采购 it is flagged; through
    central procurement it is not; named only by its name (no item chosen) it is found all the same.
    Small amounts: with the demo's 复印机 they must not add up to a split purchase."""
    by_self, by_name, central = unique("复印机"), "复印机", unique("复印机")
    rows = buy(app, login, rest, path,
               {"name": by_self, "amount": 1500, "code": "A02020100", "method": "self"},
               {"name": central, "amount": 1500, "code": "A02020100", "method": "framework", "central": True})
    [finding] = findings_of(app, rows[0].id, "central_catalogue")
    assert "A02020100 复印机" in finding.message and "自行采购" in finding.message
    assert "第十四条" in finding.message and finding.article == 14
    assert findings_of(app, rows[1].id, "central_catalogue") == []
    if path == "rest":  # no catalogue item chosen: the record's name finds it in the catalogue
        response = rest(CLERK, "jwt").api("POST", "/api/v1/procurement_record/", json={
            "organization_id": org_id(app), "purchased_on": "2026-11-02", "item_name": by_name,
            "amount": 900, "method": "inquiry", "central": False, "supplier": "某公司"})
        assert response.status_code == 201, response.get_json()
        [finding] = findings_of(app, response.get_json()["id"], "central_catalogue")
        assert "未通过集中采购" in finding.message


def test_art14_a_retired_catalogue_item_does_not_count(app, rest):
    """第十四条, versioned catalogue: 扫描仪 left the demo catalogue on 2025-12-31. A purchase of 2026
    by 自行采购 is no finding; one of 2025 (when it was in force) is."""
    api = rest(CLERK, "jwt")
    made = {}
    for day in ("2026-03-01", "2025-06-01"):
        response = api.api("POST", "/api/v1/procurement_record/", json={
            "organization_id": org_id(app), "purchased_on": day, "item_name": "扫描仪", "amount": 2500,
            "method": "self", "central": False, "specification": "A4 平板"})
        assert response.status_code == 201, response.get_json()
        made[day] = response.get_json()["id"]
    assert findings_of(app, made["2026-03-01"], "central_catalogue") == []
    [finding] = findings_of(app, made["2025-06-01"], "central_catalogue")
    assert "A02021100 扫描仪" in finding.message


# --- 化整为零 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", PATHS)
def test_art14_a_purchase_split_into_three_is_flagged(app, login, rest, path):
    """第十四条 化整为零: three purchases of one item within 365 days, each under the 100,000 元
    分散采购限额标准, together 120,000: each is flagged, naming the other two and the sum; with
    two of them (80,000) none was."""
    name = unique("档案密集架")
    first = buy(app, login, rest, path, {"name": name, "amount": 40000, "day": "2026-02-01"},
                {"name": name, "amount": 40000, "day": "2026-05-01"}) if path != "import" else []
    if first:
        assert all(findings_of(app, r.id, "splitting") == [] for r in first)
        buy(app, login, rest, path, {"name": name, "amount": 40000, "day": "2026-08-01"})
    else:
        buy(app, login, rest, path, *({"name": name, "amount": 40000, "day": day}
                                      for day in ("2026-02-01", "2026-05-01", "2026-08-01")))
    parts = records(app, name)
    assert len(parts) == 3
    for part in parts:
        [finding] = findings_of(app, part.id, "splitting")
        assert finding.article == 14 and "第十四条" in finding.message and "化整为零" in finding.message
        assert "120,000.00" in finding.message and "分散采购限额标准 100,000.00" in finding.message
        assert all(other.number in finding.message for other in parts if other.id != part.id)
        assert part.number not in finding.message


def test_art14_splitting_window_and_void(app, rest):
    """第十四条: a part bought outside the 365-day period is not added up; voiding a part closes the
    findings of the others once they no longer pass the threshold."""
    api, org, name = rest(CLERK, "jwt"), org_id(app), unique("办公桌")
    ids = []
    for day, amount in (("2025-01-05", 60000), ("2026-03-01", 30000), ("2026-04-01", 30000),
                        ("2026-05-01", 45000)):
        response = api.api("POST", "/api/v1/procurement_record/", json={
            "organization_id": org, "purchased_on": day, "item_name": name, "amount": amount,
            "method": "inquiry", "central": False})
        assert response.status_code == 201, response.get_json()
        ids.append(response.get_json()["id"])
    old, *recent = ids
    assert findings_of(app, old, "splitting") == []  # 2025-01-05 is more than 365 days before May 2026 parts
    assert all(len(findings_of(app, pk, "splitting")) == 1 for pk in recent)
    voided = api.api("POST", f"/api/v1/procurement_record/{recent[2]}/void", json={"reason": "重复登记"})
    assert voided.status_code == 200, voided.get_json()
    assert all(findings_of(app, pk, "splitting") == [] for pk in recent[:2])  # 60,000 < 100,000


# --- 公开招标数额标准 -------------------------------------------------------------------------------

@pytest.mark.parametrize("path", PATHS)
def test_art14_above_public_tender_threshold_without_tender_is_flagged(app, login, rest, path):
    """第十四条 with 政府采购法第二十七条: 4,200,000 元 of services by 竞争性磋商 is flagged;
    by 公开招标 it is not."""
    other, tendered = unique("物业服务"), unique("物业服务")
    rows = buy(app, login, rest, path,
               {"name": other, "amount": 4200000, "category": "services", "method": "consultation",
                "central": True},
               {"name": tendered, "amount": 4200000, "category": "services", "method": "public_tender",
                "central": True})
    [finding] = findings_of(app, rows[0].id, "method")
    assert "4,200,000.00" in finding.message and "公开招标数额标准 4,000,000.00" in finding.message
    assert "竞争性磋商" in finding.message and "第十四条" in finding.message
    assert findings_of(app, rows[1].id, "method") == []


# --- the catalogue's period (block) -----------------------------------------------------------------

@pytest.mark.parametrize("path", PATHS)
def test_art14_catalogue_item_period_reversed_is_refused(app, login, rest, path):
    """第十四条: a 集中采购目录 item whose 失效日期 is before its 生效日期 is refused; nothing written."""
    code = unique("T")[:20]
    with app.app_context():  # the bureau keeps its own jurisdiction's catalogue (天山区)
        region = db.session.execute(select(Organization.jurisdiction_id).where(
            Organization.name == TIANSHAN)).scalar_one()
    if path == "form":
        html = login(BUREAU).post("/catalogueitemview/add", data={
            "jurisdiction": region, "code": code, "name": "测试品目", "category": "goods",
            "channel": "agency", "effective_from": "2026-06-01", "effective_to": "2026-01-01"},
            follow_redirects=True).get_data(as_text=True)
        assert "失效日期 2026-01-01 早于生效日期 2026-06-01" in html and "第十四条" in html
    elif path == "rest":
        response = rest(BUREAU, "jwt").api("POST", "/api/v1/procurement_catalogue_item/", json={
            "jurisdiction_id": region, "code": code, "name": "测试品目", "category": "goods",
            "channel": "agency", "effective_from": "2026-06-01", "effective_to": "2026-01-01"})
        assert response.status_code == 422 and "第十四条" in response.get_json()["message"]
    else:
        headers = ["*制定辖区", "*品目编码", "*品目名称", "品目类别", "组织形式", "*生效日期", "失效日期"]
        response = login(BUREAU).post("/api/v1/procurement_catalogue_item/import", data=upload(xlsx_bytes(
            headers, [["天山区", code, "测试品目", "货物", "集中采购机构采购", "2026-06-01", "2026-01-01"]])),
            content_type="multipart/form-data")
        assert response.status_code == 422, response.get_json()
        assert "第十四条" in response.get_json()["errors"][0]["text"]
    with app.app_context():
        assert db.session.execute(select(CatalogueItem).where(CatalogueItem.code == code)).first() is None


# --- reference data, numbers, scope ----------------------------------------------------------------

def test_the_catalogue_is_read_below_and_kept_by_the_bureau(app, rest):
    """A county clerk reads the region's 集中采购目录 (shared up) but cannot write it."""
    api = rest(CLERK, "jwt")
    listed = api.api("GET", "/api/v1/procurement_catalogue_item/?page_size=100").get_json()["result"]
    assert {"台式计算机", "复印机", "物业管理服务"} <= {row["name"] for row in listed}
    refused = api.api("POST", "/api/v1/procurement_catalogue_item/", json={
        "jurisdiction_id": listed[0]["jurisdiction_id"], "code": "X1", "name": "x", "category": "goods",
        "channel": "agency", "effective_from": "2026-01-01"})
    assert refused.status_code in (401, 403), refused.get_json()


def test_a_record_is_numbered_and_keeps_its_number(app, rest):
    api = rest(CLERK, "jwt")
    response = api.api("POST", "/api/v1/procurement_record/", json={
        "organization_id": org_id(app), "purchased_on": "2026-11-20", "item_name": unique("碎纸机"),
        "amount": 900, "method": "inquiry", "central": False, "number": "CG-2026-99999"})
    assert response.status_code == 201, response.get_json()
    pk = response.get_json()["id"]
    number = api.api("GET", f"/api/v1/procurement_record/{pk}").get_json()["result"]["number"]
    assert number.startswith("CG-2026-") and number != "CG-2026-99999"
    changed = api.api("PUT", f"/api/v1/procurement_record/{pk}", json={"number": "CG-2026-00000"})
    assert changed.status_code == 422
    assert api.api("GET", f"/api/v1/procurement_record/{pk}").get_json()["result"]["number"] == number
    assert api.api("DELETE", f"/api/v1/procurement_record/{pk}").status_code in (403, 405, 409, 422)


def test_bad_amount_is_refused_in_chinese(app, login, rest):
    response = rest(CLERK, "jwt").api("POST", "/api/v1/procurement_record/", json={
        "organization_id": org_id(app), "purchased_on": "2026-11-20", "item_name": "坏数据",
        "amount": -5, "method": "自己买"})
    assert response.status_code == 422
    text = str(response.get_json())
    assert "采购金额必须大于 0 元" in text and "未知的采购方式" in text
    assert records(app, "坏数据") == []


# --- the demo -------------------------------------------------------------------------------------

def test_art14_demo_split_purchase_is_flagged_on_each_part(app):
    """第十四条 化整为零: the demo's three 台式计算机 of 天山区财政局 are each flagged, naming the others."""
    with app.app_context():
        rows = db.session.execute(select(ProcurementRecord.id, ProcurementRecord.number).where(
            ProcurementRecord.item_name == "台式计算机").order_by(ProcurementRecord.purchased_on)).all()
    assert len(rows) == 3
    for record_id, number in rows:
        [finding] = findings_of(app, record_id, "splitting")
        assert finding.article == 14 and "第十四条" in finding.message and "110,100.00" in finding.message
        others = [n for _i, n in rows if n != number]
        assert all(n in finding.message for n in others) and number not in finding.message


def test_art14_demo_flags_for_the_logins(app, login):
    """The demo: 天山区 has a designated brand and a catalogue item bought by 自行采购 (its bureau sees
    them in 问题清单); 乌鲁木齐市教育局 bought above the public tender threshold; 喀什市 is clean."""
    def only(name):
        record = records(app, name)[0]  # the demo's: tests buy their own later
        return {f.rule_key.removeprefix("funds.procurement_") for f in findings_of(app, record.id)}

    assert only("便携式计算机") == {"designation"}
    assert only("复印机") == {"central_catalogue"}
    assert only("办公楼物业管理服务") == {"method"}
    assert only("空调机") == set() and only("档案数字化整理服务") == set()
    # 问题清单's quick search finds them, however many findings other tests opened since
    bureau = login(BUREAU)
    assert "品牌“联想”" in bureau.text("/findingview/list/?q=联想")
    assert "化整为零" in bureau.text("/findingview/list/?q=化整为零")
    assert "政府采购记录" in login(CLERK).text("/procurementrecordview/list/")
    kashgar = login("kashgar_clerk").text("/procurementrecordview/list/")
    assert "空调机" in kashgar and "台式计算机" not in kashgar


def test_art14_report_read_back(app, login, tmp_path):
    """政府采购情况表 as a PDF, read back with pdftotext: 天山区财政局's 2026 purchases by method, and
    the flagged ones with what was found."""
    from tests.reports.test_report_center import pages

    response = login(BUREAU).api("POST", "/api/v1/reports/funds_procurement/render",
                                 json={"params": {"year": 2026, "organization": TIANSHAN}})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    text = "\n".join(pages(response.data, tmp_path))
    assert "政府采购情况表" in text and TIANSHAN in text and "2026 年度" in text
    with app.app_context():
        rows = db.session.execute(select(ProcurementRecord.number, ProcurementRecord.amount)
                                  .join(Organization, ProcurementRecord.organization_id == Organization.id)
                                  .where(Organization.name == TIANSHAN, ProcurementRecord.voided_at.is_(None),
                                         ProcurementRecord.purchased_on >= "2026-01-01")).all()
    total = sum((amount for _n, amount in rows), Decimal(0))
    assert format(total, ",.2f") in text.replace(" ", "")
    assert "疑似问题事项" in text and "化整为零" in text
    refused = login("kashgar_clerk").api("POST", "/api/v1/reports/funds_procurement/render",
                                         json={"params": {"year": 2026, "organization": TIANSHAN}})
    assert refused.status_code == 422 and "不在您的权限范围内" in str(refused.get_json())


def test_art14_home_card_counts_the_flagged_records(app):
    """The home page's card: 天山区财政局 has at least the demo's five flagged records; 喀什市 none."""
    from core.scoping import scope_for_user
    from plugins.funds.procurement.dashboard import flagged

    with app.app_context():
        tianshan = flagged(scope_for_user(app.appbuilder.sm.find_user(username=CLERK)))
        kashgar = flagged(scope_for_user(app.appbuilder.sm.find_user(username="kashgar_clerk")))
    assert tianshan >= 5 and kashgar == 0
