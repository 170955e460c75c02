"""What an import of thousands of rows saves per row without changing what a write sees
(docs/performance.md, "The import, third pass")."""

from __future__ import annotations

import gc
import io

from sqlalchemy import event, select, text

from catalog.models import Organization
from core.events import held
from core.extensions import db
from core.scoping import acting_as_username
from core.state import get_state
from core.xlsx.importer import import_xlsx
from tests.catalog.xlsx_helpers import ASSET_HEADERS, asset_row, xlsx_bytes


def test_the_import_hides_what_lives_from_the_cycle_collector_and_hands_it_back(app):
    """The rows are checked with the objects alive before them frozen (``gc.freeze``), so the
    collector's full passes do not walk the app and the sheet again; afterwards nothing stays frozen."""
    gc.unfreeze()  # a command run in this process may have frozen its app
    frozen = []
    with app.app_context(), app.test_request_context("/"), acting_as_username("tianshan_clerk"):
        data = io.BytesIO(xlsx_bytes(ASSET_HEADERS, [asset_row(f"XL-GC-{i}") for i in range(3)]))
        result = import_xlsx(get_state().entities.get("asset"), data, dry_run=True,
                             progress=lambda _done, _total: frozen.append(gc.get_freeze_count()))
    assert result.ok, [str(e) for e in result.errors]
    assert len(frozen) == 3 and min(frozen) > 100_000  # the app's objects at least
    assert gc.get_freeze_count() == 0


def test_held_gives_what_session_get_gives(app):
    """A row in the identity map comes back as it is, without a statement; an expired one is read
    again (as ``session.get`` does), so a change made meanwhile is seen; an unknown key is None."""
    statements = []
    with app.app_context():
        named = Organization.name == "乌鲁木齐市天山区财政局"
        org = db.session.execute(select(Organization).where(named)).scalar_one()

        def seen(*_args):
            statements.append(1)

        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            assert held(db.session, Organization, org.id) is org and statements == []
            db.session.execute(text("UPDATE catalog_organization SET name = name || '（held）'"
                                    " WHERE id = :id"), {"id": org.id})
            db.session.expire(org)
            assert held(db.session, Organization, org.id) is org and statements
            assert org.name.endswith("（held）")
            assert held(db.session, Organization, -1) is None
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)
            db.session.rollback()
