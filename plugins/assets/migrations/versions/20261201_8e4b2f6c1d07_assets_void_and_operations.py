"""assets void and operations: cards and proceeds are voided (作废), never deleted; the card
history names the two new operations' movements (变更存放地点, 作废)

Revision ID: 8e4b2f6c1d07
Revises: 645efa9ba3f7
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8e4b2f6c1d07'
down_revision = '645efa9ba3f7'
branch_labels = None
depends_on = None

#: SQLite rebuilds the movement table for its new check: keep AUTOINCREMENT (core/versioning.py)
KEEP_IDS = {"sqlite_autoincrement": True}
KINDS = ("'receipt', 'check_out', 'return', 'custodian_transfer', 'stocktake_adjustment', "
         "'pool_entry', 'pool_transfer', 'repair', 'disposal', 'status_change'")


def upgrade():
    for table in ('assets_asset', 'assets_disposal_proceeds'):
        with op.batch_alter_table(table, schema=None, table_kwargs=KEEP_IDS) as batch_op:
            batch_op.add_column(sa.Column('voided_at', sa.DateTime(), nullable=True))
            batch_op.add_column(sa.Column('voided_by', sa.String(length=128), nullable=True))
            batch_op.add_column(sa.Column('void_reason', sa.Text(), nullable=True))
    with op.batch_alter_table('assets_movement', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_constraint('ck_assets_movement_kind', type_='check')
        batch_op.create_check_constraint(
            'ck_assets_movement_kind', f"kind in ({KINDS}, 'relocation', 'void')")


def downgrade():
    with op.batch_alter_table('assets_movement', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_constraint('ck_assets_movement_kind', type_='check')
        batch_op.create_check_constraint('ck_assets_movement_kind', f"kind in ({KINDS})")
    for table in ('assets_disposal_proceeds', 'assets_asset'):
        with op.batch_alter_table(table, schema=None, table_kwargs=KEEP_IDS) as batch_op:
            batch_op.drop_column('void_reason')
            batch_op.drop_column('voided_by')
            batch_op.drop_column('voided_at')
