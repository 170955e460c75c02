"""Rules of the stocktake area (Art. 18): counts are entered only while the stocktake is open."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import Rule
from plugins.assets.stocktake.models import Stocktake, StocktakeLine, StocktakeSurplus

OPEN_STATES = ("draft", "rejected")


def _stocktake_closed(record, ctx):
    """Art. 18: what was submitted is what the bureau approves; counts change only while open."""
    stocktake = ctx.related(record, "stocktake")
    return stocktake is not None and (stocktake.state or "draft") not in OPEN_STATES


def _asset_of_other_organization(line: StocktakeLine, ctx):
    """Art. 18: a stocktake counts the assets of its own organisation only."""
    stocktake = ctx.related(line, "stocktake")
    asset = ctx.related(line, "asset")
    if stocktake is None or asset is None:
        return None
    org = stocktake.organization_id or (stocktake.organization.id if stocktake.organization else None)
    return asset.organization_id != org


def _rules(model, what):
    return Rule(
        key=f"assets.stocktake_{what}_locked", article=18, severity="block", model=model,
        message=_l("盘点已提交审批或已批准，不能再录入或修改实盘结果；如需修改，请先撤回"),
        check=_stocktake_closed, on=("create", "update", "delete"),
    )


RULES = [
    _rules(StocktakeLine, "line"),
    _rules(StocktakeSurplus, "surplus"),
    Rule(
        key="assets.stocktake_line_organization", article=18, severity="block", model=StocktakeLine,
        message=_l("该资产不属于本次盘点的单位，不能列入盘点表"),
        check=_asset_of_other_organization, on=("create", "update"),
    ),
]


SNAPSHOT_COLUMNS = ("stocktake_id", "asset_id", "expected_status", "expected_location",
                    "expected_custodian_id")


def _snapshot_changed(line: StocktakeLine, ctx):
    """Art. 18: the book side of a count line (what the card said at opening) is not editable."""
    from sqlalchemy import inspect

    attrs = inspect(line).attrs
    return any(attrs[key].history.has_changes() for key in SNAPSHOT_COLUMNS)


RULES.append(Rule(
    key="assets.stocktake_snapshot_fixed", article=18, severity="block", model=StocktakeLine,
    message=_l("盘点明细的账面信息（资产、账面状态、地点、保管人）在开盘时生成，不能修改"),
    check=_snapshot_changed, on=("update",),
))


def _organization_changed(stocktake: Stocktake, ctx):
    """Art. 18: the lines are the assets of the organisation it was opened for; open a new one instead."""
    from sqlalchemy import inspect

    return inspect(stocktake).attrs["organization_id"].history.has_changes() or \
        inspect(stocktake).attrs["organization"].history.has_changes()


RULES.append(Rule(
    key="assets.stocktake_organization_fixed", article=18, severity="block", model=Stocktake,
    message=_l("盘点单位在开盘时确定，不能更改；如需盘点其他单位，请新建盘点"),
    check=_organization_changed, on=("update",),
))


# 定期清查盘点: a periodic rule (time makes it true), evaluated by its sweep and at approval
from plugins.assets.stocktake.periodic import RULE as _PERIODIC  # noqa: E402

RULES.append(_PERIODIC)
