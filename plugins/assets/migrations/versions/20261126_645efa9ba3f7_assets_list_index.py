"""assets list index: (organization_id, id) serves a clerk's list, newest first, from the index

It replaces the single-column index on organization_id, which it covers (docs/performance.md).

Revision ID: 645efa9ba3f7
Revises: ef7cd8ef04cf
Create Date: 2026-11-26 19:15:01.999583

"""
from alembic import op
import sqlalchemy as sa


#: SQLite rebuilds the table for this change: keep AUTOINCREMENT, so an id is never reused
#: (a deleted card's audit trail must not continue into a new card, core/versioning.py)
KEEP_IDS = {"sqlite_autoincrement": True}

# revision identifiers, used by Alembic.
revision = '645efa9ba3f7'
down_revision = 'ef7cd8ef04cf'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assets_asset', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assets_asset_organization_id'))
        batch_op.create_index('ix_assets_asset_organization_id_id', ['organization_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('assets_asset', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_index('ix_assets_asset_organization_id_id')
        batch_op.create_index(batch_op.f('ix_assets_asset_organization_id'), ['organization_id'], unique=False)
