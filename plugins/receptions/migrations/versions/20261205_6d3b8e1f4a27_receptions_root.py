"""receptions: the root of the branch; each area of the module adds its tables in a revision after it

Revision ID: 6d3b8e1f4a27
Revises:
Create Date: 2026-12-05 19:00:00

"""


# revision identifiers, used by Alembic.
revision = '6d3b8e1f4a27'
down_revision = None
branch_labels = ('receptions',)
depends_on = 'c5e1a7d3f902'  # core: the expenditure ledger


def upgrade():
    pass


def downgrade():
    pass
