"""land parcel void: a parcel is voided (作废) with who, when and why, never deleted

Revision ID: 3c7d1e9a5b20
Revises: 20afe0b8afa6
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c7d1e9a5b20'
down_revision = '20afe0b8afa6'
branch_labels = None
depends_on = None

#: SQLite may rebuild the table on downgrade: keep AUTOINCREMENT, so an id is never reused
KEEP_IDS = {"sqlite_autoincrement": True}


def upgrade():
    with op.batch_alter_table('land_parcel', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('voided_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('voided_by', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('void_reason', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('land_parcel', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_column('void_reason')
        batch_op.drop_column('voided_by')
        batch_op.drop_column('voided_at')
