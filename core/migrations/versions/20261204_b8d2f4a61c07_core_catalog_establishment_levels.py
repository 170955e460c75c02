"""catalog: 编制核定 (catalog_establishment), 机构级别 on organisations, township divisions

catalog_establishment holds an organisation's establishment by decision and effective date
(Art. 12 定员定额; Art. 17 per-person caps read it). catalog_organization gains organ_level,
filled here from each organisation's jurisdiction level. catalog_jurisdiction's code grows to
12 characters and its level may be 'township' (the 12-digit statistical division codes).
(Issue 11, items 1 and 2.)

Revision ID: b8d2f4a61c07
Revises: 3b8d6f1c2a47
Create Date: 2026-12-04 16:00:00

"""
import warnings

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8d2f4a61c07'
down_revision = '3b8d6f1c2a47'
branch_labels = None
depends_on = None

LEVELS_NOW = "level in ('region', 'prefecture', 'county', 'township')"
LEVELS_BEFORE = "level in ('region', 'prefecture', 'county')"


def _jurisdiction(code_length: int, levels: str) -> None:
    """The code's width and the level check; the check was unnamed before, so SQLite rebuilds
    the table without the reflected one and PostgreSQL drops it by its generated name."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE catalog_jurisdiction DROP CONSTRAINT IF EXISTS catalog_jurisdiction_level_check")
        op.execute("ALTER TABLE catalog_jurisdiction DROP CONSTRAINT IF EXISTS ck_catalog_jurisdiction_level")
        op.alter_column('catalog_jurisdiction', 'code', type_=sa.String(length=code_length),
                        existing_nullable=False)
        op.create_check_constraint('ck_catalog_jurisdiction_level', 'catalog_jurisdiction', levels)
        return
    with warnings.catch_warnings():  # leaving the old unnamed check behind is the point
        warnings.filterwarnings("ignore", message="Unnamed CHECK constraint")
        with op.batch_alter_table('catalog_jurisdiction', recreate='always',
                                  table_kwargs={'sqlite_autoincrement': True}) as batch:
            batch.alter_column('code', type_=sa.String(length=code_length), existing_nullable=False)
            batch.create_check_constraint('ck_catalog_jurisdiction_level', levels)


def upgrade():
    op.create_table('catalog_establishment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('administrative', sa.Integer(), nullable=False),
    sa.Column('institutional', sa.Integer(), nullable=False),
    sa.Column('actual', sa.Integer(), nullable=False),
    sa.Column('leaders', sa.Integer(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('decision', sa.String(length=128), nullable=False),
    sa.Column('approved_by', sa.String(length=128), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('administrative >= 0 AND institutional >= 0 AND actual >= 0 AND leaders >= 0',
                       name='ck_catalog_establishment_non_negative'),
    sa.ForeignKeyConstraint(['organization_id'], ['catalog_organization.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('organization_id', 'effective_from', name='uq_catalog_establishment_day'),
    sqlite_autoincrement=True
    )
    op.create_index(op.f('ix_catalog_establishment_organization_id'), 'catalog_establishment',
                    ['organization_id'], unique=False)
    with op.batch_alter_table('catalog_organization') as batch:
        batch.add_column(sa.Column('organ_level', sa.String(length=16), nullable=True))
    op.execute("UPDATE catalog_organization SET organ_level = (SELECT level FROM catalog_jurisdiction"
               " WHERE catalog_jurisdiction.id = catalog_organization.jurisdiction_id)")
    _jurisdiction(12, LEVELS_NOW)


def downgrade():
    op.execute("DELETE FROM catalog_jurisdiction WHERE level = 'township'")
    _jurisdiction(6, LEVELS_BEFORE)
    with op.batch_alter_table('catalog_organization') as batch:
        batch.drop_column('organ_level')
    op.drop_index(op.f('ix_catalog_establishment_organization_id'), table_name='catalog_establishment')
    op.drop_table('catalog_establishment')
