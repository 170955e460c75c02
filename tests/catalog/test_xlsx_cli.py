"""``jiguan import KEY FILE.xlsx --as USER``: the same engine, scope and rules as the screen."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.extensions import db
from core.models import AuditLog
from plugins.assets.cards.models import Asset
from tests.catalog.xlsx_helpers import ASSET_HEADERS, PURCHASE, asset_row, remove_imported_assets, xlsx_bytes


@pytest.fixture(autouse=True)
def _leave_the_demo_holdings(app):
    yield
    remove_imported_assets(app, "CLI-")

def _file(tmp_path, rows, headers=ASSET_HEADERS, name="assets.xlsx"):
    path = tmp_path / name
    path.write_bytes(xlsx_bytes(headers, rows))
    return str(path)


def _count(app, prefix):
    with app.app_context():
        return db.session.execute(select(func.count(Asset.id))
                                  .where(Asset.number.startswith(prefix))).scalar()


def _run(app, *args):
    return app.test_cli_runner().invoke(args=["import", *args])


def test_cli_import_as_a_user_creates_audited_rows(app, tmp_path):
    path = _file(tmp_path, [asset_row("CLI-OK-1"), asset_row("CLI-OK-2", cls="办公设备", value=4500)])
    result = _run(app, "asset", path, "--as", "tianshan_clerk")
    assert result.exit_code == 0, result.output + result.stderr
    assert "导入成功：新增 2 条记录" in result.output
    assert "导入" in result.stderr  # the progress bar
    assert _count(app, "CLI-OK-") == 2
    with app.app_context():
        names = db.session.execute(select(AuditLog.username).join(
            Asset, AuditLog.entity_id == func.cast(Asset.id, db.String))
            .where(AuditLog.entity == "asset", Asset.number.startswith("CLI-OK-"))).scalars().all()
    assert names == ["tianshan_clerk", "tianshan_clerk"]


def test_art17_cli_import_prints_row_errors_and_writes_nothing(app, tmp_path):
    """Art. 17: the price cap blocks an imported row from the command line too."""
    path = _file(tmp_path, [asset_row("CLI-BAD-1"), asset_row("CLI-BAD-2", value=7000, **PURCHASE)])
    result = _run(app, "asset", path, "--as", "tianshan_clerk")
    assert result.exit_code == 1
    assert "第 3 行：资产单价 7,000.00 元超过" in result.stderr and "第十七条" in result.stderr
    assert "未写入任何记录" in result.stderr
    assert _count(app, "CLI-BAD-") == 0


def test_cli_import_as_a_clerk_stays_in_its_scope(app, tmp_path):
    path = _file(tmp_path, [asset_row("CLI-SCOPE-1")])
    result = _run(app, "asset", path, "--as", "kashgar_clerk")
    assert result.exit_code == 1
    assert "第 2 行“使用单位”：找不到“乌鲁木齐市天山区财政局”，或不在您的权限范围内" in result.stderr
    assert _count(app, "CLI-SCOPE-") == 0


def test_cli_import_with_an_unknown_user_is_refused(app, tmp_path):
    path = _file(tmp_path, [asset_row("CLI-NOUSER-1")])
    result = _run(app, "asset", path, "--as", "nobody")
    assert result.exit_code == 1 and "找不到用户 nobody" in result.stderr
    assert _count(app, "CLI-NOUSER-") == 0


def test_cli_import_needs_the_add_permission(app, tmp_path):
    path = _file(tmp_path, [["某单位", "91650102MA0000000X", "各级人民政府及其部门"]],
                 headers=["*单位名称", "*统一社会信用代码", "单位类型", "*所属辖区"])
    result = _run(app, "organization", path, "--as", "kashgar_clerk")
    assert result.exit_code == 1 and "无权新增“单位”" in result.stderr


def test_cli_import_of_a_file_that_is_not_xlsx(app, tmp_path):
    path = tmp_path / "assets.xlsx"
    path.write_text("number,name\nA-1,x\n", encoding="utf-8")
    result = _run(app, "asset", str(path), "--as", "tianshan_clerk")
    assert result.exit_code == 1 and "不是有效的 Excel 工作簿" in result.stderr


def test_cli_import_of_an_unknown_type(app, tmp_path):
    result = _run(app, "nothing", _file(tmp_path, [asset_row("X")]))
    assert result.exit_code == 1 and "没有实体类型 nothing" in result.stderr and "asset" in result.stderr


def test_cli_dry_run_writes_nothing(app, tmp_path):
    path = _file(tmp_path, [asset_row("CLI-DRY-1")])
    result = _run(app, "asset", path, "--as", "tianshan_clerk", "--dry-run")
    assert result.exit_code == 0 and "检查通过：1 行均可导入（未写入）" in result.output
    assert _count(app, "CLI-DRY-") == 0
