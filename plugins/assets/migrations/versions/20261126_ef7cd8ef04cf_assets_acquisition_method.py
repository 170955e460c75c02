"""assets acquisition method: 取得方式 on the card (the Art. 17 caps govern purchases only)

Revision ID: ef7cd8ef04cf
Revises: e39f521d0062
Create Date: 2026-11-26 19:33:36.246873

"""
from alembic import op
import sqlalchemy as sa


#: SQLite rebuilds the table for this change: keep AUTOINCREMENT, so an id is never reused
#: (a deleted card's audit trail must not continue into a new card, core/versioning.py)
KEEP_IDS = {"sqlite_autoincrement": True}

# revision identifiers, used by Alembic.
revision = 'ef7cd8ef04cf'
down_revision = 'e39f521d0062'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assets_asset', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('acquisition_method', sa.String(length=16),
                                      server_default='purchase', nullable=False))
        batch_op.create_check_constraint(
            'ck_assets_asset_acquisition_method',
            "acquisition_method in ('purchase', 'existing', 'transfer_in', 'donation', 'surplus', "
            "'self_built', 'other')")


def downgrade():
    with op.batch_alter_table('assets_asset', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_constraint('ck_assets_asset_acquisition_method', type_='check')
        batch_op.drop_column('acquisition_method')

