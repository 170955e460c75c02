"""Re-check the flag rules of records nobody is writing (``core.api.recheck_rules``).

A flag rule runs at every write (core/pipeline.py). Some rules turn true by time alone — a
period that ran out while the record stayed as it was (proceeds not paid in, Art. 19): a
periodic command (cron, docs/jobs.md) hands those records here, and their findings open (or
close) exactly as a write would have done — same rule, same message, same scope — once per
record and rule, however often it runs. Nothing of the record is written, so its version and
its audit trail stay untouched.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core.display import local_today
from core.events import column_values
from core.models import Finding
from core.pipeline import record_finding, scope_values
from core.rules import WriteContext, render_message
from core.scoping import current_scope, scope_of_model
from core.state import get_state


def recheck_rules(session, records, *, today: dt.date | None = None, keys=None) -> int:
    """Run the flag rules of ``records`` (those named in ``keys``, or all) as an update would;
    open a finding where one fails, close the open one where it holds. Returns how many
    findings were opened; the caller commits."""
    state = get_state()
    ctx = WriteContext(session=session, action="update", scope=current_scope(), today=today or local_today())
    conn = session.connection()
    table = Finding.__table__
    opened, jurisdiction_of = 0, {}
    for record in records:
        model = type(record)
        entity = state.entities.for_model(model)
        entity_key = entity.key if entity else model.__tablename__
        org_id, jur_id = scope_values(conn, scope_of_model(model), column_values(record), jurisdiction_of)
        for module_key, rule in state.rules_for(model):
            if rule.severity != "flag" or "update" not in rule.on or (keys and rule.key not in keys):
                continue
            result = rule.check(record, ctx)
            message = render_message(rule, result) if result else None
            if message is not None and session.execute(select(table.c.id).where(
                    table.c.entity == entity_key, table.c.entity_id == str(record.id),
                    table.c.rule_key == rule.key, table.c.status == "open").limit(1)).first() is None:
                opened += 1
            record_finding(conn, module_key, rule, message, entity_key, str(record.id), org_id, jur_id)
    return opened
