"""assets search trigram: pg_trgm GIN indexes for the global and quick search (PostgreSQL only)

The search (docs/search.md) looks for a term anywhere in a card's number, name and
specification (ILIKE '%计算机%'): a B-tree cannot serve that, a scan of 1,000,000 cards can
take a second. pg_trgm's GIN indexes serve ILIKE of three characters or more (Chinese too:
the database's C.UTF-8 ctype counts CJK characters as letters). SQLite has no such index and
scans (its databases are small). The indexes end in ``_trgm``: the models do not declare them
(core/migrations/env.py leaves them out of the model comparison).

Revision ID: a3f9c1d27e58
Revises: 8e4b2f6c1d07
Create Date: 2026-12-03 18:25:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a3f9c1d27e58'
down_revision = '8e4b2f6c1d07'
branch_labels = None
depends_on = None

COLUMNS = ("number", "name", "specification")


def _trgm_schema(bind):
    """The schema pg_trgm lives in (created here if missing), or None if it cannot be had."""
    import sqlalchemy as sa

    find = sa.text("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                   "ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'")
    schema = bind.execute(find).scalar()
    if schema is None:
        try:
            with bind.begin_nested():  # a role that may not create it: the search scans instead
                bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        except sa.exc.DBAPIError:
            return None
        schema = bind.execute(find).scalar()
    return schema


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = _trgm_schema(bind)
    if schema is None:
        return
    for column in COLUMNS:  # the operator class by its schema: it need not be on the search path
        op.execute(f'CREATE INDEX IF NOT EXISTS ix_assets_asset_{column}_trgm '
                   f'ON assets_asset USING gin ({column} "{schema}".gin_trgm_ops)')


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in COLUMNS:
        op.execute(f"DROP INDEX IF EXISTS ix_assets_asset_{column}_trgm")
