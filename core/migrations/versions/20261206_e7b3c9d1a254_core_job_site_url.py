"""core: the address a job was submitted from (core_job.site_url)

A background job has no request: what it renders for people to open later (a 资产标签's QR
code) needs the address the submitter used (issue 16). NULL: submitted from the command line.

Revision ID: e7b3c9d1a254
Revises: d2a6c0e4b718
Create Date: 2026-12-06 16:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7b3c9d1a254'
down_revision = 'd2a6c0e4b718'
branch_labels = None
depends_on = None


def upgrade():
    # SQLite rebuilds the table: keep AUTOINCREMENT (ids are never reused, see test_migrations)
    with op.batch_alter_table('core_job', table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.add_column(sa.Column('site_url', sa.String(length=512), nullable=True))


def downgrade():
    with op.batch_alter_table('core_job', table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.drop_column('site_url')
