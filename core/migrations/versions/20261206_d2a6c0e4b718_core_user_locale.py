"""core: a user's interface language (ab_user.locale)

The language chosen in the navbar's menu is remembered per user (issue 16, item 4): applied at
login, to the user's API requests by token and to the jobs and notifications rendered for them.
NULL: never chosen, the session's or the default language applies.

Revision ID: d2a6c0e4b718
Revises: 9e4070e8cf0c
Create Date: 2026-12-06 12:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd2a6c0e4b718'
down_revision = '9e4070e8cf0c'
branch_labels = None
depends_on = None


def upgrade():
    # SQLite rebuilds the table: keep AUTOINCREMENT (ids are never reused, see test_migrations)
    with op.batch_alter_table('ab_user', table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table('ab_user', table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.drop_column('locale')
