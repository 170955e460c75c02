"""core job result: job results in their own table (core_job_result), readable by every node

A job's result file was a file under JOBS_DIR (or core_job.result_data): a second web node
without that folder answered 404. Results now live in core_job_result by default (bytes,
size, media type, created, expiry); results kept in core_job.result_data move there and the
column goes. (Issue 9, item 11. If another core revision lands beside this one, re-chain
down_revision.)

Revision ID: 40c274f45e6a
Revises: 0e2afc5ef48f
Create Date: 2026-12-03 12:30:00

"""
import datetime as dt

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '40c274f45e6a'
down_revision = '0e2afc5ef48f'
branch_labels = None
depends_on = None

#: SQLite rebuilds core_job to drop the column: keep AUTOINCREMENT, so a job id is never reused
KEEP_IDS = {"sqlite_autoincrement": True}


def upgrade():
    op.create_table('core_job_result',
    sa.Column('job_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('mimetype', sa.String(length=128), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['core_job.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('job_id')
    )
    op.create_index(op.f('ix_core_job_result_expires_at'), 'core_job_result', ['expires_at'], unique=False)
    # results stored in the job row move over, downloadable for a week from the upgrade
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    op.execute(sa.text(
        "INSERT INTO core_job_result (job_id, data, size, mimetype, created_at, expires_at) "
        "SELECT id, result_data, COALESCE(result_size, 0), "
        "COALESCE(result_mimetype, 'application/octet-stream'), :now, :later "
        "FROM core_job WHERE result_data IS NOT NULL"
    ).bindparams(now=now, later=now + dt.timedelta(days=7)))
    with op.batch_alter_table('core_job', table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_column('result_data')


def downgrade():
    with op.batch_alter_table('core_job', table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('result_data', sa.LargeBinary(), nullable=True))
    op.execute("UPDATE core_job SET result_data = (SELECT data FROM core_job_result "
               "WHERE core_job_result.job_id = core_job.id)")
    op.drop_index(op.f('ix_core_job_result_expires_at'), table_name='core_job_result')
    op.drop_table('core_job_result')
