"""Readable everywhere (issue 10, part 4): one article style, one display time zone, history and
audit in labels and names, the activation page without codes."""

from __future__ import annotations

import datetime as dt
import pathlib
import re

from sqlalchemy import select

from core.display import article_text, chinese_number, from_local, local_time
from core.extensions import db
from core.models import AuditLog
from plugins.assets.cards.models import Asset

ROOT = pathlib.Path(__file__).resolve().parents[2]
#: every other way of writing an article: Arabic digits, a placeholder, N (docs/display.md); but
#: the one pattern ``article_text`` fills with the numeral of the language (十七 in Chinese)
OTHER_ARTICLE_STYLES = re.compile(r"第\s*(\d+|N|%\((?!numeral\))\w+\)s|%s|\{[^}]*\})\s*条")


def test_one_article_style_in_every_source_template_doc_and_catalogue():
    assert OTHER_ARTICLE_STYLES.search("（《办法》第 " + "17 条）")  # the test can fail
    offenders = []
    for folder in ("core", "catalog", "plugins", "reports", "templates", "docs", "tests", "translations"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".html", ".md", ".po", ".tmpl", ".css") and path.is_file():
                for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                    if OTHER_ARTICLE_STYLES.search(line) and not line.startswith("#~"):
                        offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "write articles as 第十七条 (docs/display.md):\n" + "\n".join(offenders)


def test_articles_are_written_in_chinese_numerals():
    assert [chinese_number(n) for n in (1, 10, 11, 17, 20, 21, 43, 100, 103, 110)] == [
        "一", "十", "十一", "十七", "二十", "二十一", "四十三", "一百", "一百零三", "一百一十"]
    assert article_text(17) == "第十七条"


def test_articles_follow_the_language(app):
    """In English and Uyghur the article is the catalogue's, with digits (issue 16: no Chinese
    citation inside a translated refusal); in Chinese it stays 第十七条."""
    from flask_babel import force_locale

    from core.display import measures_article

    with app.test_request_context():
        assert (article_text(103), measures_article(17)) == ("第一百零三条", "（《办法》第十七条）")
        with force_locale("en"):
            assert (article_text(103), measures_article(17)) == ("Art. 103", " (Measures, Art. 17)")
        with force_locale("ug"):
            assert article_text(17) == "17-ماددا" and "第" not in measures_article(17)


def test_one_display_time_zone_configurable(app):
    moment = dt.datetime(2026, 12, 3, 16, 30, 15, 123456)  # as the database keeps it: naive UTC
    with app.app_context():
        assert local_time(moment) == "2026-12-04 00:30"
        assert local_time(moment, seconds=True) == "2026-12-04 00:30:15"
        assert from_local(dt.datetime(2026, 12, 4, 0, 30)) == dt.datetime(2026, 12, 3, 16, 30)
        app.config["DISPLAY_TIMEZONE"] = "Asia/Urumqi"
        try:
            assert local_time(moment) == "2026-12-03 22:30"
            from core.scoping import SYSTEM
            from reports.engine import build

            _report, context = build("organization_directory", {}, SYSTEM)
            assert context["generated_at"].utcoffset() == dt.timedelta(hours=6)
            assert "Asia/Urumqi" in context["generated_at_text"]
        finally:
            app.config["DISPLAY_TIMEZONE"] = "Asia/Shanghai"
        assert local_time(None) == "" and local_time(dt.date(2026, 1, 2)) == "2026-01-02"


def _edited_asset(app, api_client):
    """Edit a 天山区 card's 经费来源 through the API, as a clerk does."""
    with app.app_context():
        asset = db.session.execute(select(Asset).where(Asset.voided_at.is_(None),
                                                       Asset.funding_source == "fiscal")
                                   .where(Asset.organization.has(name="乌鲁木齐市天山区财政局"))).scalars().first()
        pk = asset.id
        db.session.remove()
    clerk = api_client("tianshan_clerk")
    response = clerk.put(f"/api/v1/asset/{pk}", json={"funding_source": "self_raised"})
    assert response.status_code == 200, response.get_json()
    return pk


def test_history_reads_in_labels_names_and_beijing_time(app, api_client, login):
    pk = _edited_asset(app, api_client)
    page = login("tianshan_clerk").text(f"/history/asset/{pk}")
    table = page[page.index('id="history"'):]
    assert "经费来源" in table and "财政拨款" in table and "自筹" in table
    assert "funding_source" not in table and "self_raised" not in table and "fiscal" not in table
    assert "乌鲁木齐市天山区财政局" in table and "organization_id" not in table  # a relation by name
    assert "修改" in table and ">update<" not in table
    assert not re.search(r"<td>[A-Z][a-z]+( [A-Z][a-z]+)*</td>", table)  # no FAB default labels (Class Id)
    with app.app_context():
        at = db.session.execute(select(AuditLog.at).where(
            AuditLog.entity == "asset", AuditLog.entity_id == str(pk))
            .order_by(AuditLog.id.desc())).scalars().first()
        db.session.remove()
    assert (at + dt.timedelta(hours=8)).strftime("%Y-%m-%d %H:%M") + "</td>" in table
    assert not re.search(r"\d{2}:\d{2}:\d{2}\.\d+", table)  # no seconds with microseconds


def test_audit_log_reads_in_labels(app, api_client, login):
    pk = _edited_asset(app, api_client)
    with app.app_context():
        entry = db.session.execute(select(AuditLog.id).where(
            AuditLog.entity == "asset", AuditLog.entity_id == str(pk))
            .order_by(AuditLog.id.desc())).scalars().first()
        db.session.remove()
    bureau = login("urumqi_bureau")
    listing = bureau.text("/auditlogview/list/")
    rows = listing[listing.index("<tbody"):]
    assert "资产卡片" in rows and ">asset<" not in rows and ">update<" not in rows
    with app.app_context():
        named = str(db.session.get(Asset, pk))
        db.session.remove()
    assert named.startswith("ZC-") and named in rows  # the record by its number and name, not its id
    shown = bureau.text(f"/auditlogview/show/{entry}")
    assert "资产卡片：ZC-" in shown and "经费来源" in shown and "自筹" in shown and "self_raised" not in shown
    assert bureau.get("/auditlogview/show/999999999").status_code == 404


def test_the_activation_page_names_modules_and_places(login):
    page = login("urumqi_bureau").text("/modules/?jurisdiction=650100")
    table = page[page.index('id="modules"'):]
    assert "适用条款" in table and "服务条款" not in table
    assert "<code>" not in table and "650000：" not in table
    assert re.search(r"第[一二三四五六七八九十百]+条", table)


# ---- 标准定额: a kind drop-down, keys from the kind's picker, values with their unit ----------

def _standard_form(ids, **changes):
    form = {"kind": "asset_price_cap", "key": "2010104", "value": "5000", "unit": "元",
            "jurisdiction": str(ids["urumqi"]), "effective_from": "2031-01-01", "basis": "测试"}
    form.update(changes)
    return form


def test_standards_read_with_labels_and_units(login):
    page = login("urumqi_bureau").text("/standardview/list/?psize_StandardView=500")  # every module adds some
    rows = page[page.index("<tbody"):]
    assert "资产单价上限" in rows and "asset_price_cap" not in rows
    assert re.search(r"\d{1,3}(,\d{3})* 元", rows) and ".0000" not in rows
    form = login("urumqi_bureau").text("/standardview/add")
    assert "资产单价上限（元）" in form and "资产单价上限：资产分类" in form  # the kind and the key picker


def test_a_mistyped_key_is_refused_on_the_form_and_the_api(app, login, api_client):
    from catalog.models import Jurisdiction, Standard

    with app.app_context():
        ids = {"urumqi": db.session.execute(
            select(Jurisdiction.id).where(Jurisdiction.code == "650100")).scalar_one()}
        before = db.session.execute(select(Standard.id)).all()
        db.session.remove()
    page = login("urumqi_bureau").post("/standardview/add", data=_standard_form(ids, key="201014"))
    assert page.status_code == 200 and "不是有效的选择" in page.get_data(as_text=True)
    api = api_client("urumqi_bureau").post("/api/v1/standard/", json={
        "kind": "asset_price_cap", "key": "201014", "value": 5000, "unit": "元",
        "jurisdiction_id": ids["urumqi"], "effective_from": "2031-01-01"})
    assert api.status_code == 422
    assert "“201014”不是“资产单价上限”可用的资产分类" in api.get_json()["message"]
    assert "第十一条" in api.get_json()["message"]
    unknown_kind = api_client("urumqi_bureau").post("/api/v1/standard/", json={
        "kind": "asset_price_capp", "key": "2010104", "value": 5000, "unit": "元",
        "jurisdiction_id": ids["urumqi"], "effective_from": "2031-01-01"})
    assert unknown_kind.status_code == 422 and "未被任何已安装模块登记" in unknown_kind.get_json()["message"]
    with app.app_context():
        assert db.session.execute(select(Standard.id)).all() == before
        db.session.remove()


def test_the_printed_time_of_a_pdf_is_the_display_zones(app, pdf_text):
    from core.scoping import SYSTEM
    from reports.engine import render_pdf

    with app.app_context():
        app.config["DISPLAY_TIMEZONE"] = "Asia/Urumqi"
        try:
            urumqi = squeeze(pdf_text(render_pdf("organization_directory", {}, SYSTEM)))
        finally:
            app.config["DISPLAY_TIMEZONE"] = "Asia/Shanghai"
        beijing = squeeze(pdf_text(render_pdf("organization_directory", {}, SYSTEM)))
    now = dt.datetime.now(dt.UTC)
    for text, hours, zone in ((beijing, 8, "北京时间"), (urumqi, 6, "Asia/Urumqi")):
        stamp = re.search(r"(\d{1,2}):(\d{2})（" + zone + "）", text)
        assert stamp, text[-400:]
        printed = int(stamp.group(1)) * 60 + int(stamp.group(2))
        expected = ((now.hour + hours) % 24) * 60 + now.minute
        assert min(abs(printed - expected), 1440 - abs(printed - expected)) <= 2, (stamp.group(0), now)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)
