"""core saved filter: a user's named list searches (docs/search.md, "Saved filters")

core_saved_filter holds, per user and list screen, a name and the list's query string
(filters, quick search, order). (Issue 10, search.)

Revision ID: 7c1e5a9d2b40
Revises: 5e55a1b2c3d4
Create Date: 2026-12-03 18:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c1e5a9d2b40'
down_revision = '5e55a1b2c3d4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('core_saved_filter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('view', sa.String(length=128), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('args', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True
    )
    op.create_index('ix_core_saved_filter_user_view', 'core_saved_filter', ['user_id', 'view'], unique=False)


def downgrade():
    op.drop_index('ix_core_saved_filter_user_view', table_name='core_saved_filter')
    op.drop_table('core_saved_filter')
