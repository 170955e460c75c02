"""core sessions and login: server-side sessions, failed-login counters, password change time

core_session holds each live browser session (core/web/sessions.py): the SHA-256 of the
cookie's random id, the user, the data, login and last-use times. core_login_throttle counts
failed logins per name and per address and holds lockouts (core/web/login_guard.py).
ab_user.password_changed_on refuses JWTs issued before a password change.
(Issue 9, sessions and login.)

Revision ID: 5e55a1b2c3d4
Revises: 40c274f45e6a
Create Date: 2026-12-03 12:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e55a1b2c3d4'
down_revision = '40c274f45e6a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('core_session',
    sa.Column('sid_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('data', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('sid_hash')
    )
    op.create_index('ix_core_session_user_id', 'core_session', ['user_id'], unique=False)
    op.create_index('ix_core_session_last_seen', 'core_session', ['last_seen'], unique=False)
    op.create_table('core_login_throttle',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('window_start', sa.DateTime(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('key')
    )
    with op.batch_alter_table('ab_user') as batch_op:
        batch_op.add_column(sa.Column('password_changed_on', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('ab_user') as batch_op:
        batch_op.drop_column('password_changed_on')
    op.drop_table('core_login_throttle')
    op.drop_index('ix_core_session_last_seen', table_name='core_session')
    op.drop_index('ix_core_session_user_id', table_name='core_session')
    op.drop_table('core_session')
