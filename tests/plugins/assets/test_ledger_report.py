"""资产台账 (Art. 18): the asset ledger report, read back from the PDF with pdftotext.

The expected figures are counted straight from the table (not through the scope
function), so a scope or filter mistake in the report shows as a wrong row list or total.
"""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from catalog.models import Jurisdiction, Organization
from core.extensions import db
from core.scoping import scope_for_user
from plugins.assets.cards.models import Asset, AssetClass
from reports.engine import ReportError, render_html, render_pdf
from reports.ledger import check_ledger_pdf

LABELS = ["资产编号", "资产名称", "使用单位", "原值（元）"]


@pytest.fixture(autouse=True)
def _poppler():
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils missing: run `make system-deps`")


def scope_of(app, username):
    return scope_for_user(app.appbuilder.sm.find_user(username=username))


def expected(path: str, *where):
    """Numbers (in ledger order) and the value total of the assets under a jurisdiction path."""
    rows = db.session.execute(
        select(Asset.number, Asset.original_value)
        .join(Jurisdiction, Asset.jurisdiction_id == Jurisdiction.id)
        .join(Organization, Asset.organization_id == Organization.id)
        .where(Jurisdiction.path.startswith(path), *where)
        .order_by(Jurisdiction.path, Organization.name, Asset.number)
    ).all()
    return [r.number for r in rows], sum((Decimal(r.original_value) for r in rows), Decimal(0))


def path_of(code: str) -> str:
    return db.session.execute(select(Jurisdiction.path).where(Jurisdiction.code == code)).scalar_one()


def test_ledger_lists_the_scope_without_disposed_assets_with_exact_totals(ctx):
    """Art. 18: the in-use ledger of 乌鲁木齐 — every card once, disposed ones left out."""
    numbers, total = expected(path_of("650100"), Asset.status != "disposed")
    assert numbers, "the demo has assets in 乌鲁木齐"
    pdf = render_pdf("asset_ledger", {}, scope_of(ctx, "urumqi_bureau"))
    problems = check_ledger_pdf(pdf, ids=numbers, labels=LABELS, title="资产台账",
                                totals={"原值（元）": f"{total:,.2f}"})
    assert problems == []


def test_ledger_of_a_clerk_has_only_their_organisation(ctx):
    numbers, _total = expected(path_of("653101"), Asset.status != "disposed",
                               Organization.name == "喀什市财政局")
    pdf = render_pdf("asset_ledger", {}, scope_of(ctx, "kashgar_clerk"))
    assert check_ledger_pdf(pdf, ids=numbers, labels=LABELS) == []
    html = render_html("asset_ledger", {}, scope_of(ctx, "kashgar_clerk"))
    assert "天山区" not in html and "乌鲁木齐" not in html


def test_filters_class_subtree_status_and_disposed(ctx):
    """设备 (2000000) lists its own cards and those of every class below it."""
    equipment = db.session.execute(select(AssetClass.id).where(AssetClass.code == "2000000")).scalar_one()
    subtree = [equipment, *db.session.execute(
        select(AssetClass.id).where(AssetClass.parent_id == equipment)).scalars()]
    listed, listed_total = expected("", Asset.class_id.in_(subtree), Asset.status == "idle")
    assert listed, "the demo has idle equipment"
    pdf = render_pdf("asset_ledger", {"class_code": "2000000", "status": "idle"}, scope_of(ctx, "xj_bureau"))
    assert check_ledger_pdf(pdf, ids=listed, labels=LABELS,
                            totals={"原值（元）": f"{listed_total:,.2f}"}) == []
    with_disposed, _t = expected("")
    pdf = render_pdf("asset_ledger", {"include_disposed": True}, scope_of(ctx, "xj_bureau"))
    assert check_ledger_pdf(pdf, ids=with_disposed, labels=LABELS) == []


def test_preview_shows_totals_by_status_and_class(ctx):
    html = render_html("asset_ledger", {"organization": "乌鲁木齐市天山区财政局"},
                       scope_of(ctx, "urumqi_bureau"))
    count = db.session.execute(
        select(func.count(Asset.id)).join(Organization, Asset.organization_id == Organization.id)
        .where(Organization.name == "乌鲁木齐市天山区财政局", Asset.status != "disposed")).scalar()
    assert f'<td class="num">{count}</td>' in html
    assert "状态：在用" in html and "分类：2010000 计算机设备" in html
    assert "使用单位：乌鲁木齐市天山区财政局" in html


def test_unknown_organisation_class_or_range_is_a_chinese_422(ctx):
    scope = scope_of(ctx, "kashgar_clerk")
    for params, text in (
        ({"organization": "乌鲁木齐市天山区财政局"}, "权限范围内没有名称或信用代码为"),  # out of scope
        ({"class_code": "9999999"}, "没有代码为 9999999 的资产分类"),
        ({"acquired_from": "2025-01-01", "acquired_to": "2024-01-01"}, "不能早于"),
        ({"status": "lost"}, "不是可选的值"),
    ):
        with pytest.raises(ReportError) as refused:
            render_pdf("asset_ledger", params, scope)
        assert refused.value.status == 422 and text in str(refused.value), params
