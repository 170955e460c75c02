"""assets disposal recipient: 无偿划转 names its recipient organisation, and the card history
has the movement of a transferred asset (issue 11, Art. 19)

Revision ID: 5b8e2d4f7a19
Revises: a3f9c1d27e58
Create Date: 2026-12-04 16:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b8e2d4f7a19'
down_revision = 'a3f9c1d27e58'
branch_labels = None
depends_on = None

#: SQLite rebuilds the tables for the new key and check: keep AUTOINCREMENT (core/versioning.py)
KEEP_IDS = {"sqlite_autoincrement": True}
KINDS = ("'receipt', 'check_out', 'return', 'custodian_transfer', 'stocktake_adjustment', "
         "'pool_entry', 'pool_transfer', 'repair', 'disposal', 'status_change', 'relocation', 'void'")


def upgrade():
    with op.batch_alter_table('assets_disposal', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('recipient_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_assets_disposal_recipient_id'), ['recipient_id'], unique=False)
        batch_op.create_foreign_key('fk_assets_disposal_recipient_id', 'catalog_organization',
                                    ['recipient_id'], ['id'])
    with op.batch_alter_table('assets_movement', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_constraint('ck_assets_movement_kind', type_='check')
        batch_op.create_check_constraint('ck_assets_movement_kind', f"kind in ({KINDS}, 'free_transfer')")


def downgrade():
    with op.batch_alter_table('assets_movement', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_constraint('ck_assets_movement_kind', type_='check')
        batch_op.create_check_constraint('ck_assets_movement_kind', f"kind in ({KINDS})")
    with op.batch_alter_table('assets_disposal', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_constraint('fk_assets_disposal_recipient_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_assets_disposal_recipient_id'))
        batch_op.drop_column('recipient_id')
