"""Search in a real browser (docs/search.md): the navbar's global search, the quick search box,
a status picked by its label in the filter panel, which stays open, and a saved filter."""

from __future__ import annotations


def _idle_card(in_app) -> None:
    import datetime as dt
    import uuid
    from decimal import Decimal

    from sqlalchemy import select

    from catalog.models import Organization
    from plugins.assets.cards.models import Asset
    from tests.plugins.assets.helpers import furniture_class

    with in_app() as session:
        org = session.execute(
            select(Organization).where(Organization.name == "乌鲁木齐市天山区财政局")).scalar_one()
        session.add(Asset(number=f"E2E-SEARCH-{uuid.uuid4().hex[:6]}", asset_class=furniture_class(),
                          name="闲置文件柜", quantity=1, unit="个", original_value=Decimal("800"),
                          acquired_on=dt.date(2020, 5, 1), organization=org,
                          jurisdiction=org.jurisdiction, status="idle"))
        session.commit()


def test_a_clerk_finds_computers_and_idle_cards_and_saves_the_filter(live_app, login_as, in_app):
    from core.extensions import db
    from core.search.models import SavedFilter

    _idle_card(in_app)  # other browser tests may have put the demo's idle cards back to use
    page = login_as("tianshan_clerk")
    # the navbar's box: the global search, grouped by type, each result a link to its record
    page.type_into("#navbar-search input[name=q]", "计算机\n")
    page.wait_for("#search-results section[data-type=asset]")
    group = page.find("#search-results section[data-type=asset]")
    assert page.text("#search-results section[data-type=asset] h4").startswith("资产卡片")
    titles = [a.text for a in page.find_all("li a", group)]
    assert titles and all("计算机" in t for t in titles)
    # scoped: only the clerk's own organisation's cards (a card taken over from the city's pool
    # keeps its number, so the number's prefix says nothing)
    from sqlalchemy import select

    from catalog.models import Organization
    from plugins.assets.cards.models import Asset

    with in_app() as session:
        own = set(session.execute(
            select(Asset.number).join(Organization, Asset.organization_id == Organization.id)
            .where(Organization.name == "乌鲁木齐市天山区财政局")).scalars())
    assert all(t.split()[0] in own for t in titles), titles
    # the list's quick search box
    page.open("/assetview/list/")
    page.type_into("#quick-search input[name=q]", "计算机\n")
    page.wait_for("#active-filters")
    names = page.table_column("资产名称")
    assert names and all("计算机" in n for n in names)
    assert "关键字：计算机" in page.text("#active-filters")
    # the filter panel: 资产状态 is a drop-down of labels; picking 闲置 lists the idle cards
    page.open("/assetview/list/")
    page.find("#accordion1 .accordion-toggle").click()
    page.wait_visible("#filter_form .dropdown-toggle").click()
    page.wait_visible('#filter_form a.filter[name="status"]').click()
    page.select("status", "闲置")
    page.find("#filter_form button[type=submit]").click()
    page.wait_for("#active-filters")
    assert "资产状态 是 闲置" in page.text("#active-filters")
    assert set(page.table_column("资产状态")) == {"闲置"}
    assert "in" in page.find("#accordion1_href").get_attribute("class").split()  # stays open
    # saved under a name, applied again from 我的筛选
    page.type_into("#save-filter input[name=name]", "本单位闲置资产")
    page.find("#save-filter button[type=submit]").click()
    page.wait_for("#saved-filters a")
    assert ("success", "已保存筛选“本单位闲置资产”") in page.flashes()
    page.open("/assetview/list/")
    page.find("#saved-filters a").click()
    page.wait_for("#active-filters")
    assert set(page.table_column("资产状态")) == {"闲置"}
    with in_app():
        db.session.query(SavedFilter).delete()
        db.session.commit()
