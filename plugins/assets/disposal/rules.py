"""Rules of disposal (资产处置, Art. 19)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import Rule
from plugins.assets.disposal.models import (
    Disposal,
    DisposalLine,
    DisposalProceeds,
    is_early,
    line_problem,
    proceeds_due_on,
    recipient_problem,
)


def _early(line: DisposalLine, ctx):
    asset = ctx.related(line, "asset")
    disposal = ctx.related(line, "disposal")
    if not is_early(asset, disposal):
        return None
    return {"asset": str(asset), "end": asset.min_life_ends_on.isoformat()}


def _early_without_reason(line: DisposalLine, ctx):
    """Art. 19: disposal before the minimum service life needs an explicit reason."""
    if (line.early_reason or "").strip():
        return None
    return _early(line, ctx)


def _early_with_reason(line: DisposalLine, ctx):
    """Art. 19: allowed with a reason, but the bureau reviews it (a finding on 问题清单)."""
    if ctx.action == "delete" or not (line.early_reason or "").strip():  # a removed line closes it
        return None
    result = _early(line, ctx)
    if result:
        result["reason"] = line.early_reason.strip()[:100]
    return result


def _invalid_line(line: DisposalLine, ctx):
    """Art. 19: only the organisation's own, not yet disposed assets, in one open application."""
    problem = line_problem(ctx.session, line)
    return {"problem": problem} if problem else None


def _proceeds_problem(proceeds: DisposalProceeds, ctx):
    """Art. 19: proceeds belong to an approved disposal; money paid to the treasury has a date."""
    disposal = ctx.related(proceeds, "disposal")
    if disposal is not None and disposal.state != "approved":
        return {"problem": _l("处置收入只能登记在已批准的处置申请上")}
    if proceeds.paid_to_treasury and proceeds.paid_on is None:
        return {"problem": _l("已上缴国库的处置收入须填写上缴日期")}
    if proceeds.paid_on is not None and proceeds.received_on is not None \
            and proceeds.paid_on < proceeds.received_on:
        return {"problem": _l("上缴日期不能早于收款日期")}
    return None


def _recipient(disposal: Disposal, ctx):
    """Art. 19, 无偿划转: the recipient organisation is named and may receive (``recipient_problem``)."""
    with ctx.session.no_autoflush:
        problem = recipient_problem(ctx.session, disposal)
    return {"problem": problem} if problem else None


def _proceeds_unpaid(proceeds: DisposalProceeds, ctx):
    """Art. 19 处置收益上缴国库: proceeds still unpaid after the period the standard sets. Time alone
    makes it true: ``jiguan assets check-proceeds`` (cron) re-checks the records nobody writes."""
    due = proceeds_due_on(ctx.session, proceeds)
    if due is None or due[0] >= ctx.today:
        return None
    return {"amount": proceeds.amount, "received": proceeds.received_on.isoformat(), "limit": due[1],
            "days": (ctx.today - proceeds.received_on).days}


RULES = [
    Rule(
        key="assets.disposal_early_reason", article=19, severity="block", model=DisposalLine,
        message=_l("资产“%(asset)s”最低使用年限至 %(end)s 届满，未满最低使用年限提前处置须填写提前处置理由"),
        check=_early_without_reason,
    ),
    Rule(
        key="assets.disposal_early_flag", article=19, severity="flag", model=DisposalLine,
        message=_l("资产“%(asset)s”未满最低使用年限（至 %(end)s）即申请处置，理由：%(reason)s"),
        check=_early_with_reason, on=("create", "update", "delete"),
    ),
    Rule(
        key="assets.disposal_line", article=19, severity="block", model=DisposalLine,
        message=_l("%(problem)s"), check=_invalid_line,
    ),
    Rule(
        key="assets.disposal_proceeds", article=19, severity="block", model=DisposalProceeds,
        message=_l("%(problem)s"), check=_proceeds_problem,
    ),
    Rule(
        key="assets.disposal_recipient", article=19, severity="block", model=Disposal,
        message=_l("%(problem)s"), check=_recipient,
    ),
    Rule(
        key="assets.disposal_proceeds_unpaid", article=19, severity="flag", model=DisposalProceeds,
        message=_l("处置收入 %(amount)s 元于 %(received)s 收款，%(days)s 天仍未上缴国库，"
                   "超过规定的 %(limit)s 天期限"),
        check=_proceeds_unpaid,
    ),
]
