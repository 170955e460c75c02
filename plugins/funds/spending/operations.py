"""Operations of expenditure claims: 作废 (a claim has legal history; never deleted).

Voiding an approved claim takes its booking out of the expenditure ledger in the same flush;
a claim under approval is withdrawn first.
"""

from __future__ import annotations

from core.api import Operation, void_operation
from plugins.funds.spending.models import ENTITY, unbook, void_refusal


def operations() -> list[Operation]:
    return [void_operation(ENTITY, refuse=void_refusal, on_void=unbook)]
