"""vehicles: the root of the branch, the vehicle register and the establishment; each area adds its tables in a revision after it

Revision ID: 4b7e2c9d1a36
Revises:
Create Date: 2026-12-04 23:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4b7e2c9d1a36'
down_revision = None
branch_labels = ('vehicles',)
depends_on = ('9e4070e8cf0c', '5b8e2d4f7a19')  # catalog: vehicle categories; assets: the cards


def upgrade():
    op.create_table('vehicles_establishment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('jurisdiction_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('quota', sa.Integer(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('decision', sa.String(length=128), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('state', sa.String(length=16), server_default='draft', nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('quota >= 0', name='ck_vehicles_establishment_quota'),
    sa.ForeignKeyConstraint(['category_id'], ['catalog_vehicle_category.id'], ),
    sa.ForeignKeyConstraint(['jurisdiction_id'], ['catalog_jurisdiction.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['catalog_organization.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('vehicles_establishment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vehicles_establishment_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vehicles_establishment_jurisdiction_id'), ['jurisdiction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vehicles_establishment_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vehicles_establishment_state'), ['state'], unique=False)

    op.create_table('vehicles_vehicle',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('asset_id', sa.Integer(), nullable=False),
    sa.Column('plate', sa.String(length=16), nullable=False),
    sa.Column('vin', sa.String(length=17), nullable=False),
    sa.Column('brand', sa.String(length=64), nullable=False),
    sa.Column('model_name', sa.String(length=64), nullable=False),
    sa.Column('domestic', sa.Boolean(), nullable=False),
    sa.Column('energy_type', sa.String(length=16), nullable=False),
    sa.Column('displacement', sa.Numeric(precision=4, scale=2), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('jurisdiction_id', sa.Integer(), nullable=False),
    sa.Column('marked', sa.Boolean(), nullable=False),
    sa.Column('parking_place', sa.String(length=255), nullable=True),
    sa.Column('shared_platform', sa.Boolean(), nullable=False),
    sa.Column('odometer_km', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('disposed_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('voided_at', sa.DateTime(), nullable=True),
    sa.Column('voided_by', sa.String(length=128), nullable=True),
    sa.Column('void_reason', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("status in ('in_service', 'disposed')", name='ck_vehicles_vehicle_status'),
    sa.CheckConstraint('displacement is null or displacement >= 0', name='ck_vehicles_vehicle_displacement'),
    sa.ForeignKeyConstraint(['asset_id'], ['assets_asset.id'], ),
    sa.ForeignKeyConstraint(['category_id'], ['catalog_vehicle_category.id'], ),
    sa.ForeignKeyConstraint(['jurisdiction_id'], ['catalog_jurisdiction.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['catalog_organization.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('asset_id', name='uq_vehicles_vehicle_asset'),
    sa.UniqueConstraint('plate', name='uq_vehicles_vehicle_plate'),
    sa.UniqueConstraint('vin', name='uq_vehicles_vehicle_vin'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('vehicles_vehicle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vehicles_vehicle_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vehicles_vehicle_jurisdiction_id'), ['jurisdiction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vehicles_vehicle_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vehicles_vehicle_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('vehicles_vehicle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vehicles_vehicle_status'))
        batch_op.drop_index(batch_op.f('ix_vehicles_vehicle_organization_id'))
        batch_op.drop_index(batch_op.f('ix_vehicles_vehicle_jurisdiction_id'))
        batch_op.drop_index(batch_op.f('ix_vehicles_vehicle_category_id'))
    op.drop_table('vehicles_vehicle')
    with op.batch_alter_table('vehicles_establishment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vehicles_establishment_state'))
        batch_op.drop_index(batch_op.f('ix_vehicles_establishment_organization_id'))
        batch_op.drop_index(batch_op.f('ix_vehicles_establishment_jurisdiction_id'))
        batch_op.drop_index(batch_op.f('ix_vehicles_establishment_category_id'))
    op.drop_table('vehicles_establishment')
