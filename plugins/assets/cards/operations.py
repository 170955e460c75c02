"""作废 of an asset card: a card entered by mistake (a duplicate, a wrong registration) is voided
with a reason, never deleted — its history stays (Art. 18, 41-42). A card still in an open
process (a disposal application, the pool, a stocktake awaiting approval) is finished there first.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from core.api import Operation, db, void_operation
from plugins.assets.cards.models import Asset, record_movement

#: A card in use, idle, lent or under repair may be voided; one pending disposal or disposed has
#: legal consequences under way or done.
VOIDABLE = ("in_use", "idle", "lent", "repair")


def open_process(asset: Asset) -> str | None:
    """Why the card cannot be voided now (it is listed in an open process), else None."""
    from plugins.assets.disposal.models import OPEN_STATES, Disposal, DisposalLine
    from plugins.assets.pool.models import PoolItem
    from plugins.assets.stocktake.models import Stocktake, StocktakeLine

    session = db.session
    in_disposal = (select(Disposal.id).join(DisposalLine, DisposalLine.disposal_id == Disposal.id)
                   .where(DisposalLine.asset_id == asset.id, Disposal.state.in_(OPEN_STATES)))
    if session.execute(in_disposal.limit(1)).first() is not None:
        return _("资产“%(asset)s”已列入未办结的处置申请，不能作废", asset=asset)
    in_pool = select(PoolItem.id).where(PoolItem.asset_id == asset.id, PoolItem.status == "available")
    if session.execute(in_pool.limit(1)).first() is not None:
        return _("资产“%(asset)s”在公物仓中，须先从公物仓撤回才能作废", asset=asset)
    # a submitted stocktake is what its approver decides on; a draft one skips a voided card
    counting = (select(Stocktake.id).join(StocktakeLine, StocktakeLine.stocktake_id == Stocktake.id)
                .where(StocktakeLine.asset_id == asset.id, Stocktake.state == "submitted"))
    if session.execute(counting.limit(1)).first() is not None:
        return _("资产“%(asset)s”在已提交待审批的清查盘点中，不能作废", asset=asset)
    return None


def _on_the_card(asset: Asset, reason: str) -> None:
    record_movement(db.session, asset, "void", note=_("作废：%(reason)s", reason=reason),
                    from_status=asset.status, to_status=asset.status)


def operations() -> list[Operation]:
    return [void_operation("asset", refuse=open_process, on_void=_on_the_card,
                           when={"status": VOIDABLE})]
