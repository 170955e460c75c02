"""core: Organization.is_finance marks a 财政部门, the decider of its level's finance stage

A configuration plan (Art. 17) and a disposal (Art. 19) are decided by the bureau and the
finance department of the organisation's own level; the flag names the finance departments
(core/workflow/deciders.py). Existing rows are no finance department until marked.
(Issue 11, item 7.)

Revision ID: b4f8e2a61c09
Revises: b8d2f4a61c07
Create Date: 2026-12-04 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b4f8e2a61c09'
down_revision = 'b8d2f4a61c07'
branch_labels = None
depends_on = None

#: SQLite rebuilds the table for the ALTER: keep AUTOINCREMENT, so ids are never reused
KEEP_IDS = {'sqlite_autoincrement': True}


def upgrade():
    with op.batch_alter_table('catalog_organization', table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('is_finance', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('catalog_organization', table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_column('is_finance')
