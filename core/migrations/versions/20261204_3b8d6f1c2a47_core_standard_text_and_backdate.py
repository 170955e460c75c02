"""catalog_standard: text standards and the reason for a backdated one (Art. 11)

A kind's value is a number or a text (a 服务标准's content and grade): ``value`` becomes
nullable and ``text_value`` holds the text; ``backdate_reason`` says why a standard takes
effect before the day it is recorded. (Issue 11, standards governance.)

Revision ID: 3b8d6f1c2a47
Revises: 7a1c4e2f9b30
Create Date: 2026-12-04 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3b8d6f1c2a47'
down_revision = '7a1c4e2f9b30'
branch_labels = None
depends_on = None


def upgrade():
    # SQLite rebuilds the table: keep AUTOINCREMENT (ids never reused, core/versioning.py)
    with op.batch_alter_table('catalog_standard', table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.alter_column('value', existing_type=sa.Numeric(precision=18, scale=4), nullable=True)
        batch_op.add_column(sa.Column('text_value', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('backdate_reason', sa.Text(), nullable=True))


def downgrade():
    # SQLite rebuilds the table: keep AUTOINCREMENT (ids never reused, core/versioning.py)
    with op.batch_alter_table('catalog_standard', table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.drop_column('backdate_reason')
        batch_op.drop_column('text_value')
        batch_op.alter_column('value', existing_type=sa.Numeric(precision=18, scale=4), nullable=False)
