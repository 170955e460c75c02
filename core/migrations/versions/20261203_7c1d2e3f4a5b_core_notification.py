"""core notification: the bell's notifications (core/home)

core_notification holds one message to one user about one record: it awaits the user's
decision, the user's submission was approved or returned, or it is overdue; read or unread.
(Issue 10, notifications. If another core revision lands beside this one, re-chain
down_revision.)

Revision ID: 7c1d2e3f4a5b
Revises: a7c3d9e1f2b4
Create Date: 2026-12-03 18:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c1d2e3f4a5b'
down_revision = 'a7c3d9e1f2b4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('core_notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('entity', sa.String(length=64), nullable=True),
    sa.Column('entity_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('dedupe_key', sa.String(length=160), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['ab_user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'dedupe_key', name='uq_core_notification_user_dedupe'),
    sqlite_autoincrement=True
    )
    op.create_index('ix_core_notification_user_read', 'core_notification', ['user_id', 'read_at'], unique=False)


def downgrade():
    op.drop_index('ix_core_notification_user_read', table_name='core_notification')
    op.drop_table('core_notification')
