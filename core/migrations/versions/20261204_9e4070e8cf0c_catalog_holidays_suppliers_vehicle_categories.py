"""catalog: the holiday calendar, designated suppliers and vehicle categories (issue 13, Art. 27, 29)

Revision ID: 9e4070e8cf0c
Revises: c5e1a7d3f902
Create Date: 2026-12-04 22:19:12.970564

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9e4070e8cf0c'
down_revision = 'c5e1a7d3f902'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('catalog_vehicle_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('establishment_body', sa.String(length=16), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.Column('basis', sa.Text(), nullable=True),
    sa.CheckConstraint("establishment_body in ('bureau', 'finance')", name='ck_catalog_vehicle_category_body'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code', 'effective_from', name='uq_catalog_vehicle_category_code_from'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('catalog_vehicle_category', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalog_vehicle_category_code'), ['code'], unique=False)

    op.create_table('catalog_designated_supplier',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=True),
    sa.Column('address', sa.String(length=255), nullable=True),
    sa.Column('jurisdiction_id', sa.Integer(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.Column('basis', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('effective_to is null or effective_to >= effective_from', name='ck_catalog_designated_supplier_period'),
    sa.ForeignKeyConstraint(['jurisdiction_id'], ['catalog_jurisdiction.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('catalog_designated_supplier', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalog_designated_supplier_jurisdiction_id'), ['jurisdiction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_catalog_designated_supplier_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_catalog_designated_supplier_name'), ['name'], unique=False)

    op.create_table('catalog_holiday',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('jurisdiction_id', sa.Integer(), nullable=False),
    sa.Column('basis', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name='ck_catalog_holiday_period'),
    sa.ForeignKeyConstraint(['jurisdiction_id'], ['catalog_jurisdiction.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('catalog_holiday', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalog_holiday_ends_on'), ['ends_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_catalog_holiday_jurisdiction_id'), ['jurisdiction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_catalog_holiday_starts_on'), ['starts_on'], unique=False)


def downgrade():
    with op.batch_alter_table('catalog_holiday', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalog_holiday_starts_on'))
        batch_op.drop_index(batch_op.f('ix_catalog_holiday_jurisdiction_id'))
        batch_op.drop_index(batch_op.f('ix_catalog_holiday_ends_on'))
    op.drop_table('catalog_holiday')
    with op.batch_alter_table('catalog_designated_supplier', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalog_designated_supplier_name'))
        batch_op.drop_index(batch_op.f('ix_catalog_designated_supplier_kind'))
        batch_op.drop_index(batch_op.f('ix_catalog_designated_supplier_jurisdiction_id'))
    op.drop_table('catalog_designated_supplier')
    with op.batch_alter_table('catalog_vehicle_category', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalog_vehicle_category_code'))
    op.drop_table('catalog_vehicle_category')
