"""receptions: designated hotels, the reception (公务接待审批单) with its lines, and its settlement (Art. 34)

Revision ID: 7e26c0589f28
Revises: 6d3b8e1f4a27
Create Date: 2026-12-04 19:09:54.027588

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7e26c0589f28'
down_revision = '6d3b8e1f4a27'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('receptions_hotel',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('address', sa.String(length=255), nullable=False),
    sa.Column('jurisdiction_id', sa.Integer(), nullable=False),
    sa.Column('price_standard', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('price_single', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('price_suite', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.Column('basis', sa.String(length=255), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('price_single is null or price_single >= 0', name='ck_receptions_hotel_single'),
    sa.CheckConstraint('price_standard is null or price_standard >= 0', name='ck_receptions_hotel_standard'),
    sa.CheckConstraint('price_suite is null or price_suite >= 0', name='ck_receptions_hotel_suite'),
    sa.ForeignKeyConstraint(['jurisdiction_id'], ['catalog_jurisdiction.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('receptions_hotel', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receptions_hotel_jurisdiction_id'), ['jurisdiction_id'], unique=False)

    op.create_table('receptions_reception',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('jurisdiction_id', sa.Integer(), nullable=False),
    sa.Column('guest_unit', sa.String(length=128), nullable=False),
    sa.Column('letter_number', sa.String(length=64), nullable=True),
    sa.Column('activity', sa.Text(), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=255), nullable=False),
    sa.Column('declared_item', sa.String(length=16), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('state', sa.String(length=16), server_default='draft', nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['jurisdiction_id'], ['catalog_jurisdiction.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['catalog_organization.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('receptions_reception', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receptions_reception_jurisdiction_id'), ['jurisdiction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receptions_reception_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receptions_reception_state'), ['state'], unique=False)

    op.create_table('receptions_companion',
    sa.Column('reception_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('jurisdiction_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('post', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['jurisdiction_id'], ['catalog_jurisdiction.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['catalog_organization.id'], ),
    sa.ForeignKeyConstraint(['reception_id'], ['receptions_reception.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('receptions_companion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receptions_companion_jurisdiction_id'), ['jurisdiction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receptions_companion_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receptions_companion_reception_id'), ['reception_id'], unique=False)

    op.create_table('receptions_guest',
    sa.Column('reception_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('jurisdiction_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('post', sa.String(length=64), nullable=False),
    sa.Column('unit', sa.String(length=128), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['jurisdiction_id'], ['catalog_jurisdiction.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['catalog_organization.id'], ),
    sa.ForeignKeyConstraint(['reception_id'], ['receptions_reception.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('receptions_guest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receptions_guest_jurisdiction_id'), ['jurisdiction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receptions_guest_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receptions_guest_reception_id'), ['reception_id'], unique=False)

    op.create_table('receptions_lodging',
    sa.Column('reception_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('jurisdiction_id', sa.Integer(), nullable=False),
    sa.Column('hotel_id', sa.Integer(), nullable=False),
    sa.Column('room_type', sa.String(length=16), nullable=False),
    sa.Column('check_in', sa.Date(), nullable=False),
    sa.Column('nights', sa.Integer(), nullable=False),
    sa.Column('rooms', sa.Integer(), nullable=False),
    sa.Column('price', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('paid_by_guest', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('nights > 0', name='ck_receptions_lodging_nights'),
    sa.CheckConstraint('price >= 0', name='ck_receptions_lodging_price'),
    sa.CheckConstraint('rooms > 0', name='ck_receptions_lodging_rooms'),
    sa.ForeignKeyConstraint(['hotel_id'], ['receptions_hotel.id'], ),
    sa.ForeignKeyConstraint(['jurisdiction_id'], ['catalog_jurisdiction.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['catalog_organization.id'], ),
    sa.ForeignKeyConstraint(['reception_id'], ['receptions_reception.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('receptions_lodging', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receptions_lodging_hotel_id'), ['hotel_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receptions_lodging_jurisdiction_id'), ['jurisdiction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receptions_lodging_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receptions_lodging_reception_id'), ['reception_id'], unique=False)

    op.create_table('receptions_meal',
    sa.Column('reception_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('jurisdiction_id', sa.Integer(), nullable=False),
    sa.Column('meal_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('persons', sa.Integer(), nullable=False),
    sa.Column('per_person', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('place', sa.String(length=128), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('per_person >= 0', name='ck_receptions_meal_price'),
    sa.CheckConstraint('persons > 0', name='ck_receptions_meal_persons'),
    sa.ForeignKeyConstraint(['jurisdiction_id'], ['catalog_jurisdiction.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['catalog_organization.id'], ),
    sa.ForeignKeyConstraint(['reception_id'], ['receptions_reception.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('receptions_meal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receptions_meal_jurisdiction_id'), ['jurisdiction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receptions_meal_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receptions_meal_reception_id'), ['reception_id'], unique=False)

    op.create_table('receptions_settlement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reception_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('jurisdiction_id', sa.Integer(), nullable=False),
    sa.Column('meals_cost', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('lodging_cost', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('transport_cost', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('other_cost', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('completed', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('voided_at', sa.DateTime(), nullable=True),
    sa.Column('voided_by', sa.String(length=128), nullable=True),
    sa.Column('void_reason', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('lodging_cost >= 0', name='ck_receptions_settlement_lodging_cost'),
    sa.CheckConstraint('meals_cost >= 0', name='ck_receptions_settlement_meals_cost'),
    sa.CheckConstraint('other_cost >= 0', name='ck_receptions_settlement_other_cost'),
    sa.CheckConstraint('transport_cost >= 0', name='ck_receptions_settlement_transport_cost'),
    sa.ForeignKeyConstraint(['jurisdiction_id'], ['catalog_jurisdiction.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['catalog_organization.id'], ),
    sa.ForeignKeyConstraint(['reception_id'], ['receptions_reception.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('receptions_settlement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receptions_settlement_jurisdiction_id'), ['jurisdiction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receptions_settlement_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receptions_settlement_reception_id'), ['reception_id'], unique=False)



def downgrade():
    with op.batch_alter_table('receptions_settlement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receptions_settlement_reception_id'))
        batch_op.drop_index(batch_op.f('ix_receptions_settlement_organization_id'))
        batch_op.drop_index(batch_op.f('ix_receptions_settlement_jurisdiction_id'))

    op.drop_table('receptions_settlement')
    with op.batch_alter_table('receptions_meal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receptions_meal_reception_id'))
        batch_op.drop_index(batch_op.f('ix_receptions_meal_organization_id'))
        batch_op.drop_index(batch_op.f('ix_receptions_meal_jurisdiction_id'))

    op.drop_table('receptions_meal')
    with op.batch_alter_table('receptions_lodging', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receptions_lodging_reception_id'))
        batch_op.drop_index(batch_op.f('ix_receptions_lodging_organization_id'))
        batch_op.drop_index(batch_op.f('ix_receptions_lodging_jurisdiction_id'))
        batch_op.drop_index(batch_op.f('ix_receptions_lodging_hotel_id'))

    op.drop_table('receptions_lodging')
    with op.batch_alter_table('receptions_guest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receptions_guest_reception_id'))
        batch_op.drop_index(batch_op.f('ix_receptions_guest_organization_id'))
        batch_op.drop_index(batch_op.f('ix_receptions_guest_jurisdiction_id'))

    op.drop_table('receptions_guest')
    with op.batch_alter_table('receptions_companion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receptions_companion_reception_id'))
        batch_op.drop_index(batch_op.f('ix_receptions_companion_organization_id'))
        batch_op.drop_index(batch_op.f('ix_receptions_companion_jurisdiction_id'))

    op.drop_table('receptions_companion')
    with op.batch_alter_table('receptions_reception', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receptions_reception_state'))
        batch_op.drop_index(batch_op.f('ix_receptions_reception_organization_id'))
        batch_op.drop_index(batch_op.f('ix_receptions_reception_jurisdiction_id'))

    op.drop_table('receptions_reception')
    with op.batch_alter_table('receptions_hotel', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receptions_hotel_jurisdiction_id'))

    op.drop_table('receptions_hotel')
