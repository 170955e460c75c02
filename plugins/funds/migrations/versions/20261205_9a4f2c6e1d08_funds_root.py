"""funds: the root of the branch; each area of the module adds its tables in a revision after it

Revision ID: 9a4f2c6e1d08
Revises:
Create Date: 2026-12-05 19:00:00

"""


# revision identifiers, used by Alembic.
revision = '9a4f2c6e1d08'
down_revision = None
branch_labels = ('funds',)
depends_on = 'c5e1a7d3f902'  # core: the expenditure ledger


def upgrade():
    pass


def downgrade():
    pass
