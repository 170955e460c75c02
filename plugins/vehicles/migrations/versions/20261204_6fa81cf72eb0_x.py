"""x

Revision ID: 6fa81cf72eb0
Revises: c1d77f2dd13f
Create Date: 2026-12-04 23:59:31.356218

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6fa81cf72eb0'
down_revision = 'c1d77f2dd13f'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
