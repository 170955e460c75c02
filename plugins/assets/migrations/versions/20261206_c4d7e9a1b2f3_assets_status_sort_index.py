"""assets status sort index: (status, id) serves a list sorted by 资产状态 page by page, however deep

Keyset pages sorted by status seek (status, id) past the previous page's last card; an index on
status alone makes PostgreSQL sort every card tying on that status (docs/performance.md, "Deep
pages"). It replaces the single-column index, which it covers. The card list hides disposed
cards (status <> 'disposed'), which sort first: a partial index of the others lets its first
page (ascending) and its last (descending) start at the first card it shows.

Revision ID: c4d7e9a1b2f3
Revises: 5b8e2d4f7a19
Create Date: 2026-12-06 01:30:00

"""
import sqlalchemy as sa
from alembic import op


#: SQLite rebuilds the table for this change: keep AUTOINCREMENT (core/versioning.py)
KEEP_IDS = {"sqlite_autoincrement": True}
#: the cards the card list shows (AssetView's base filter)
KEPT = sa.text("status <> 'disposed'")

# revision identifiers, used by Alembic.
revision = 'c4d7e9a1b2f3'
down_revision = '5b8e2d4f7a19'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assets_asset', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assets_asset_status'))
        batch_op.create_index('ix_assets_asset_status_id', ['status', 'id'], unique=False)
        batch_op.create_index('ix_assets_asset_status_id_kept', ['status', 'id'], unique=False,
                              postgresql_where=KEPT, sqlite_where=KEPT)


def downgrade():
    with op.batch_alter_table('assets_asset', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_index('ix_assets_asset_status_id_kept')
        batch_op.drop_index('ix_assets_asset_status_id')
        batch_op.create_index(batch_op.f('ix_assets_asset_status'), ['status'], unique=False)
