"""core: a user's e-mail is optional (ab_user.email may be NULL, still unique when given)

A bureau's staff often have no e-mail address the system could use (issue 10, part 5):
the user screens accept an empty address and store NULL; several users may have none
(a UNIQUE column holds any number of NULLs in SQLite and PostgreSQL).

Revision ID: 7f0e1a2b3c4d
Revises: 7c1e5a9d2b40
Create Date: 2026-12-03 18:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7f0e1a2b3c4d'
down_revision = '7c1e5a9d2b40'
branch_labels = None
depends_on = None


def upgrade():
    # SQLite rebuilds the table: keep AUTOINCREMENT (ids are never reused, see test_migrations)
    with op.batch_alter_table('ab_user', table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.alter_column('email', existing_type=sa.String(length=320), nullable=True)


def downgrade():
    # users without an address get a unique placeholder the NOT NULL column accepts
    op.execute("UPDATE ab_user SET email = username || '@jiguan.invalid' WHERE email IS NULL")
    # SQLite rebuilds the table: keep AUTOINCREMENT (ids are never reused, see test_migrations)
    with op.batch_alter_table('ab_user', table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.alter_column('email', existing_type=sa.String(length=320), nullable=False)
