"""core attachments: the files of a record, described in core_attachment, their bytes apart

core_attachment describes each file (record, kind, name, type, size, SHA-256, store, scope);
core_attachment_content holds the bytes of those kept in the database (the default store), in
a table of their own so that listing a record's attachments never loads them.
(Issue 10, attachments.)

Revision ID: 7a1c4e2f9b30
Revises: 7c1d2e3f4a5b
Create Date: 2026-12-03 18:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7a1c4e2f9b30'
down_revision = '7c1d2e3f4a5b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('core_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=64), nullable=False),
    sa.Column('record_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=128), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage', sa.String(length=16), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('uploaded_by', sa.String(length=128), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('jurisdiction_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True
    )
    op.create_index('ix_core_attachment_record', 'core_attachment', ['entity', 'record_id'], unique=False)
    op.create_index(op.f('ix_core_attachment_organization_id'), 'core_attachment', ['organization_id'],
                    unique=False)
    op.create_index(op.f('ix_core_attachment_jurisdiction_id'), 'core_attachment', ['jurisdiction_id'],
                    unique=False)
    op.create_table('core_attachment_content',
    sa.Column('attachment_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['core_attachment.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('attachment_id')
    )


def downgrade():
    op.drop_table('core_attachment_content')
    op.drop_index(op.f('ix_core_attachment_jurisdiction_id'), table_name='core_attachment')
    op.drop_index(op.f('ix_core_attachment_organization_id'), table_name='core_attachment')
    op.drop_index('ix_core_attachment_record', table_name='core_attachment')
    op.drop_table('core_attachment')
