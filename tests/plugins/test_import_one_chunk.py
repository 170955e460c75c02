"""Rules that sum, count or look for stored rows hold when the rows that break them arrive together.

The XLSX import writes its checked rows 500 to a flush (``core.xlsx.importer.CHUNK``): the rules
of a row run before any row of its flush is stored, so a rule that reads stored rows also counts
the new rows of its flush before the row it judges (``WriteContext.new_before``). Each test here
imports a file whose rows pass one by one against what is stored but together break the rule,
all in one chunk: the file is refused with the row named and the article in Chinese, and nothing
is written.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from sqlalchemy import func, select

from catalog.expenditures import EconomicClass, post_expenditure
from catalog.models import Organization
from core.extensions import db
from core.models import Finding
from core.scoping import SYSTEM, acting_as
from core.workflow.approval import transition
from plugins.assets.cards.models import Asset, AssetClass
from plugins.assets.plans.models import AssetPlan, AssetPlanLine
from plugins.funds.budgets.models import Budget, CentralAllocation
from tests.catalog.xlsx_helpers import ASSET_HEADERS, upload, xlsx_bytes
from tests.plugins.assets.test_rules import ORG_NAME, fresh_class
from tests.plugins.funds.test_budgets import approved, org_id

_names = itertools.count(1)


def _import(client, key, headers, rows):
    return client.post(f"/api/v1/{key}/import", data=upload(xlsx_bytes(headers, rows)),
                       content_type="multipart/form-data")


def _refused(response, row: int, article: str) -> str:
    assert response.status_code == 422, response.get_json()
    texts = [e["text"] for e in response.get_json()["errors"]]
    assert len(texts) == 1 and texts[0].startswith(f"第 {row} 行") and article in texts[0], texts
    return texts[0]


def _count(app, *columns_where) -> int:
    with app.app_context():
        try:
            return db.session.execute(select(func.count()).where(*columns_where)).scalar()
        finally:
            db.session.remove()


def _plan_line(app, class_id, *, quantity: int) -> tuple[int, str]:
    """An approved plan line of 天山区财政局 with a name of its own (the import names it by name)."""
    name = f"分块导入明细{next(_names)}-{class_id}"
    with app.app_context(), acting_as(SYSTEM):
        org = db.session.execute(select(Organization).where(Organization.name == ORG_NAME)).scalar_one()
        plan = AssetPlan(organization=org, year=2026, title=f"分块导入计划{name}")
        line = AssetPlanLine(class_id=class_id, name=name, quantity=quantity, unit="台",
                             unit_price=Decimal("5000"), organization=org, exception_requested=True,
                             exception_reason="新增人员")
        plan.lines.append(line)
        db.session.add(plan)
        db.session.flush()
        for action in ("submit", "approve", "approve"):
            transition(plan, action, view_name="AssetPlanView")
        db.session.commit()
        return line.id, name


def test_art17_cards_of_one_file_past_their_plan_lines_quantity_are_refused(app, login):
    """第十七条: a line approved for 2 pieces; a file of 3 cards bought under it, in one flush: the third
    is refused (the first two are not stored yet when it is judged), nothing is written."""
    cls = fresh_class(app, price=1000, per_org=100, name="分块计划设备")
    line, name = _plan_line(app, cls, quantity=2)
    with app.app_context():
        class_code = db.session.get(AssetClass, cls).code
        db.session.remove()
    headers = [*ASSET_HEADERS, "配置计划明细"]
    rows = [[f"T-CHUNK-PL-{i}", class_code, "台式计算机", 1, "台", 3000, dt.date(2026, 3, 1), "购置",
             "财政拨款", ORG_NAME, "天山区", "在用", name] for i in range(3)]
    text = _refused(_import(login("tianshan_clerk"), "asset", headers, rows), row=4, article="第十七条")
    assert "已按批准数量配置完毕" in text
    assert _count(app, Asset.plan_line_id == line) == 0
    # two of them are within the line: they import
    ok = _import(login("tianshan_clerk"), "asset", headers, rows[:2])
    assert ok.status_code == 200 and ok.get_json()["created"] == 2, ok.get_json()
    assert _count(app, Asset.plan_line_id == line) == 2


def test_art12_allocations_of_one_file_past_their_item_are_refused(app, api_client, login):
    """第十二条: an item of 10,000; two allocations of 6,000 in one file: the second is refused."""
    bureau = api_client("tianshan_bureau")
    item = bureau.post("/api/v1/funds_central_item/", json={
        "organization_id": org_id(app, "乌鲁木齐市天山区机关事务服务中心"), "year": 2046,
        "item": "energy", "amount": "10000"}).get_json()["id"]
    headers = ["*集中统筹项目", "*预算单位", "*分配金额（元）"]
    rows = [[item, "乌鲁木齐市天山区财政局", 6000], [item, "乌鲁木齐市天山区财政局", 6000]]
    text = _refused(_import(login("tianshan_bureau"), "funds_central_allocation", headers, rows),
                    row=3, article="第十二条")
    assert "分配合计 12,000.00 元超过项目预算 10,000.00 元" in text
    assert _count(app, CentralAllocation.item_id == item) == 0
    within = [rows[0], [item, rows[0][1], 4000]]
    ok = _import(login("tianshan_bureau"), "funds_central_allocation", headers, within)
    assert ok.status_code == 200 and ok.get_json()["created"] == 2, ok.get_json()


def test_art12_two_budgets_of_one_organisation_and_year_in_one_file_are_refused(app, login):
    """第十二条: one department budget per organisation and year, even when both come in one file."""
    headers = ["*单位", "*年度"]
    rows = [["乌鲁木齐市天山区财政局", 2047], ["乌鲁木齐市天山区财政局", 2047]]
    response = _import(login("tianshan_clerk"), "funds_budget", headers, rows)
    text = _refused(response, row=3, article="第十二条")
    assert "2047 年度部门预算已有记录" in text
    assert _count(app, Budget.year == 2047) == 0


def test_art12_expenditures_of_one_flush_over_the_budget_are_flagged(app, api_client):
    """第十二条 (flag): two expenditures written in one flush that together pass the approved line
    are flagged on the second, as they would be one after the other."""
    budget = approved(app, api_client, 2048)
    with app.app_context(), acting_as(SYSTEM):
        found = db.session.get(Budget, budget)
        line = max(found.lines, key=lambda line: line.amount or 0)
        code = db.session.get(EconomicClass, line.economic_class_id).code
        half = (Decimal(line.amount) / 2 + 1).quantize(Decimal("0.01"))
        before = db.session.execute(select(func.count(Finding.id)).where(
            Finding.rule_key == "funds.expenditure_over_budget")).scalar()
        with db.session.no_autoflush:  # both rows in one flush
            rows = [post_expenditure(db.session, source_module="funds", source_type="chunk_test",
                                     source_id=900000 + i, organization=found.organization,
                                     spent_on=dt.date(2048, 6, 1), economic_code=code, amount=half,
                                     description=f"分块支出{i}") for i in range(2)]
        db.session.flush()
        flagged = db.session.execute(select(Finding.entity_id).where(
            Finding.rule_key == "funds.expenditure_over_budget")).scalars().all()
        assert len(flagged) == before + 1, flagged
        assert str(rows[1].id) in flagged and str(rows[0].id) not in flagged
        db.session.rollback()


def test_a_chunk_loads_the_rows_it_points_to_by_one_select_per_column(app):
    """Before its flush a chunk loads its organisations, classes and jurisdictions by one SELECT
    each (``_Importer._preload``): no rule loads them again one by one by primary key."""
    import io
    import re

    from sqlalchemy import event

    from core.scoping import acting_as_username
    from core.state import get_state
    from core.xlsx.importer import CHUNK, import_xlsx
    from tests.catalog.xlsx_helpers import asset_row

    rows = [asset_row(f"XL-PRE-{i}") for i in range(CHUNK + 5)]
    statements = []

    def seen(_conn, _cursor, statement, parameters, *_args):
        statements.append((re.sub(r"\s+", " ", statement), parameters))

    with app.app_context(), app.test_request_context("/"), acting_as_username("tianshan_clerk"):
        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            data = io.BytesIO(xlsx_bytes(ASSET_HEADERS, rows))
            result = import_xlsx(get_state().entities.get("asset"), data, dry_run=True)
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)
    assert result.ok, [str(e) for e in result.errors]
    with app.app_context():
        pointed = {db.session.execute(select(AssetClass.id).where(AssetClass.name == "计算机设备")).scalar()}
    assert None not in pointed
    tables = "catalog_organization|assets_class|catalog_jurisdiction"
    one_by_one = [(s, p) for s, p in statements if re.search(rf"FROM ({tables}) WHERE ({tables})\.id = ", s)]
    # only what no row points to is loaded by its key: a class's parent, read by the life standard
    assert all(s.startswith("SELECT assets_class.") for s, _p in one_by_one), one_by_one
    assert not pointed & {v for _s, p in one_by_one for v in (p.values() if isinstance(p, dict) else p)}
    assert len([s for s, _p in statements if "catalog_organization.id IN" in s]) == 2  # two chunks
