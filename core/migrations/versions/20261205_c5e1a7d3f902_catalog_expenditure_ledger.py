"""catalog: the 政府支出经济分类 and the shared expenditure ledger every module posts to

Art. 10, 13 and 15 add up what the modules spend (三公经费, 机关运行成本) without importing
them: each module posts its spending to catalog_expenditure under an economic class
(catalog/expenditures.py). Issue 12, item 1-2.

Revision ID: c5e1a7d3f902
Revises: b4f8e2a61c09
Create Date: 2026-12-05 19:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c5e1a7d3f902'
down_revision = 'b4f8e2a61c09'
branch_labels = None
depends_on = None

#: ids are never reused (SQLite AUTOINCREMENT), as for every table of the core
KEEP_IDS = {'sqlite_autoincrement': True}


def upgrade():
    op.create_table(
        'catalog_economic_class',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=16), nullable=False),
        sa.Column('name', sa.String(length=128), nullable=False),
        sa.Column('parent_id', sa.Integer(), nullable=True),
        sa.Column('level', sa.Integer(), nullable=False),
        sa.Column('requires_invoice', sa.Boolean(), nullable=False),
        sa.Column('effective_from', sa.Date(), nullable=False),
        sa.Column('effective_to', sa.Date(), nullable=True),
        sa.Column('basis', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['parent_id'], ['catalog_economic_class.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('code', 'effective_from', name='uq_catalog_economic_class_code_from'),
        **KEEP_IDS,
    )
    op.create_index(op.f('ix_catalog_economic_class_code'), 'catalog_economic_class', ['code'])
    op.create_index(op.f('ix_catalog_economic_class_parent_id'), 'catalog_economic_class',
                    ['parent_id'])
    op.create_table(
        'catalog_expenditure',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('jurisdiction_id', sa.Integer(), nullable=False),
        sa.Column('spent_on', sa.Date(), nullable=False),
        sa.Column('economic_class_id', sa.Integer(), nullable=False),
        sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column('payee', sa.String(length=128), nullable=False),
        sa.Column('description', sa.String(length=255), nullable=False),
        sa.Column('person_times', sa.Integer(), nullable=True),
        sa.Column('batch', sa.Boolean(), nullable=False),
        sa.Column('source_module', sa.String(length=32), nullable=False),
        sa.Column('source_type', sa.String(length=64), nullable=False),
        sa.Column('source_id', sa.Integer(), nullable=False),
        sa.Column('source_number', sa.String(length=64), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint('amount >= 0', name='ck_catalog_expenditure_amount_nonnegative'),
        sa.ForeignKeyConstraint(['economic_class_id'], ['catalog_economic_class.id'], ),
        sa.ForeignKeyConstraint(['jurisdiction_id'], ['catalog_jurisdiction.id'], ),
        sa.ForeignKeyConstraint(['organization_id'], ['catalog_organization.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('source_type', 'source_id', 'economic_class_id',
                            name='uq_catalog_expenditure_source_class'),
        **KEEP_IDS,
    )
    op.create_index('ix_catalog_expenditure_org_day', 'catalog_expenditure',
                    ['organization_id', 'spent_on'])
    op.create_index('ix_catalog_expenditure_source', 'catalog_expenditure',
                    ['source_type', 'source_id'])
    op.create_index(op.f('ix_catalog_expenditure_economic_class_id'), 'catalog_expenditure',
                    ['economic_class_id'])
    op.create_index(op.f('ix_catalog_expenditure_jurisdiction_id'), 'catalog_expenditure',
                    ['jurisdiction_id'])


def downgrade():
    op.drop_table('catalog_expenditure')
    op.drop_table('catalog_economic_class')
