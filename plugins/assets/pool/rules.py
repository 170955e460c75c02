"""Rules of the shared pool 公物仓 (Art. 18)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect, select

from core.api import Rule
from plugins.assets.pool.models import (
    PoolItem,
    PoolRequest,
    is_transferring,
    may_request_from,
    open_request_exists,
)


def _outside_bureau_jurisdiction(request: PoolRequest, ctx):
    """Art. 18: only an organisation within the pool's bureau's jurisdiction may request an item."""
    item = ctx.related(request, "item")
    org = ctx.related(request, "organization")
    if item is None or org is None:
        return None
    pool_jur = ctx.related(item, "jurisdiction")
    if pool_jur is None or org.jurisdiction is None:
        return None
    if may_request_from(org.jurisdiction, pool_jur):
        return None
    return {"org": org.name, "pool": pool_jur.name}


def _item_changed(request) -> bool:
    state = inspect(request)
    return bool(state.attrs["item"].history.added) or state.attrs["item_id"].history.has_changes()


def _not_available(request: PoolRequest, ctx):
    """Art. 18: an item already reserved, transferred or withdrawn cannot be requested (again)."""
    if ctx.action != "create" and not _item_changed(request):
        return None  # the request's own submission reserves the item; don't trip over it
    item = ctx.related(request, "item")
    if item is None:
        return None
    if item.status != "available":
        return {"item": str(item), "status": item.status_label}
    if open_request_exists(ctx.session, item.id, exclude_request=request.id):
        return {"item": str(item), "status": item.status_label}
    return None


def _not_bureau_pool(item: PoolItem, ctx):
    """Art. 18: the pool is kept by the 机关事务管理部门 whose jurisdiction covers the asset."""
    bureau = ctx.related(item, "organization")
    asset = ctx.related(item, "asset")
    if bureau is None or asset is None:
        return None
    if not bureau.is_bureau:
        return {"org": bureau.name, "why": _l("不是机关事务管理部门")}
    asset_jur = ctx.related(asset, "jurisdiction")
    if asset_jur is not None and not asset_jur.path.startswith(bureau.jurisdiction.path):
        return {"org": bureau.name, "why": _l("辖区不包括该资产所在辖区")}
    return None


def _asset_not_poolable(item: PoolItem, ctx):
    """Art. 18: a disposed or pending-disposal asset, or one already in a pool, cannot enter."""
    asset = ctx.related(item, "asset")
    if asset is None:
        return None
    if ctx.action == "update" and (inspect(item).attrs["asset_id"].history.has_changes()
                                   or inspect(item).attrs["asset"].history.added):
        return {"asset": str(asset), "why": _l("已纳入公物仓的物品不能更换资产")}
    if ctx.action != "create":
        return None
    if asset.status in ("disposed", "pending_disposal"):
        return {"asset": str(asset), "why": _l("已处置或待处置")}
    if any(ctx.related(other, "asset") is asset and (other.status or "available") == "available"
           for other in ctx.new_before(item, PoolItem)):  # earlier in this flush (an import)
        return {"asset": str(asset), "why": _l("已在公物仓中")}
    query = select(PoolItem.id).where(PoolItem.asset_id == asset.id, PoolItem.status == "available")
    if item.id is not None:
        query = query.where(PoolItem.id != item.id)
    if ctx.session.execute(query.limit(1)).first() is not None:
        return {"asset": str(asset), "why": _l("已在公物仓中")}
    return None


def _status_by_hand(item: PoolItem, ctx):
    """Art. 18: 已调剂 comes only from an approved request, and a transferred item is history."""
    if ctx.action != "update":
        return None
    hist = inspect(item).attrs["status"].history
    before = hist.deleted[0] if hist.deleted else item.status
    if before == "transferred" and not is_transferring(ctx.session, item):
        return {"why": _l("已调剂的物品不能再修改")}
    if item.status == "transferred" and before != "transferred" \
            and not is_transferring(ctx.session, item):
        return {"why": _l("“已调剂”只能由批准调剂申请产生")}
    return None


RULES = [
    Rule(
        key="assets.pool_request_jurisdiction", article=18, severity="block", model=PoolRequest,
        message=_l("%(org)s不在“%(pool)s”机关事务管理部门的辖区内，不能申请调剂该公物仓的资产"),
        check=_outside_bureau_jurisdiction,
    ),
    Rule(
        key="assets.pool_request_available", article=18, severity="block", model=PoolRequest,
        message=_l("公物仓物品“%(item)s”当前状态为“%(status)s”或已被预订，不能申请调剂"),
        check=_not_available,
    ),
    Rule(
        key="assets.pool_bureau", article=18, severity="block", model=PoolItem,
        message=_l("公物仓由机关事务管理部门统一管理：%(org)s%(why)s"),
        check=_not_bureau_pool,
    ),
    Rule(
        key="assets.pool_entry", article=18, severity="block", model=PoolItem,
        message=_l("资产“%(asset)s”不能纳入公物仓：%(why)s"),
        check=_asset_not_poolable,
    ),
    Rule(
        key="assets.pool_status", article=18, severity="block", model=PoolItem,
        message=_l("公物仓物品状态不能这样修改：%(why)s"), check=_status_by_hand,
    ),
]
