"""core document numbers: one numbering scheme for every approval document (CZ-2026-00001)

core_document_counter holds the last sequence per document type and year; core_document_number
the number of each document, beside its record (docs/workflow.md, "Document numbers"). Existing
documents are numbered from their history: every record submitted at least once gets the next
number of its type in the year (Beijing time) of its first submission, in the order of those
submissions; drafts never submitted get none, as new ones. (Issue 10, part 8. If another core
revision lands beside this one, re-chain down_revision.)

Revision ID: a7c3d9e1f2b4
Revises: 7f0e1a2b3c4d
Create Date: 2026-12-03 18:30:00

"""
import datetime as dt

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3d9e1f2b4'
down_revision = '7f0e1a2b3c4d'
branch_labels = None
depends_on = None

#: The prefixes of the day this revision was written (core/workflow/numbering.py DEFAULT_PREFIXES):
#: a migration does not follow later changes of the code.
PREFIXES = {"disposal": "CZ", "asset_stocktake": "PD", "asset_plan": "PZ", "pool_request": "TJ"}
FALLBACK = "SP"
BEIJING = dt.timedelta(hours=8)


def upgrade():
    counter = op.create_table('core_document_counter',
    sa.Column('entity', sa.String(length=64), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('entity', 'year')
    )
    numbers = op.create_table('core_document_number',
    sa.Column('entity', sa.String(length=64), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('entity', 'entity_id')
    )
    with op.batch_alter_table('core_document_number', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_document_number_number'), ['number'], unique=False)

    events = sa.table('core_workflow_event', sa.column('id', sa.Integer), sa.column('entity', sa.String),
                      sa.column('entity_id', sa.String), sa.column('action', sa.String),
                      sa.column('at', sa.DateTime))
    first = (sa.select(events.c.entity, events.c.entity_id, sa.func.min(events.c.at).label('at'),
                       sa.func.min(events.c.id).label('id'))
             .where(events.c.action == 'submit').group_by(events.c.entity, events.c.entity_id)
             .order_by(sa.func.min(events.c.at), sa.func.min(events.c.id)))
    bind = op.get_bind()
    last, rows = {}, []
    for entity, entity_id, at, _id in bind.execute(first):
        if isinstance(at, str):  # SQLite hands an aggregate back as text
            at = dt.datetime.fromisoformat(at)
        year = (at + BEIJING).year
        last[(entity, year)] = last.get((entity, year), 0) + 1
        prefix = PREFIXES.get(entity, FALLBACK)
        rows.append({"entity": entity, "entity_id": entity_id,
                     "number": f"{prefix}-{year}-{last[(entity, year)]:05d}"})
    if rows:
        op.bulk_insert(numbers, rows)
        op.bulk_insert(counter, [{"entity": e, "year": y, "last": n} for (e, y), n in last.items()])


def downgrade():
    with op.batch_alter_table('core_document_number', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_document_number_number'))
    op.drop_table('core_document_number')
    op.drop_table('core_document_counter')
