"""Synthetic scale for the list benchmark: 3,000 organisations, 60 classes, 1,000,000 assets.

Generated with ``INSERT … SELECT … FROM generate_series`` in PostgreSQL itself (a few seconds
per hundred thousand rows; no Python loop, no per-row flush rules), on top of the demo data so
the demo logins and their scopes exist. Then ``ANALYZE`` so the planner's estimates are true
(the benchmark then runs ``VACUUM ANALYZE``, as autovacuum would).
"""

from __future__ import annotations

import sqlalchemy as sa

ORGANIZATIONS = 3000
CLASSES = 60
ASSETS = 1_000_000
STATUSES = ("in_use", "in_use", "in_use", "idle", "lent", "repair", "pending_disposal", "disposed")


def counts(conn) -> dict[str, int]:
    def one(sql):
        return conn.execute(sa.text(sql)).scalar_one()

    return {
        "assets": one("SELECT count(*) FROM assets_asset"),
        "organizations": one("SELECT count(*) FROM catalog_organization"),
        "classes": one("SELECT count(*) FROM assets_class"),
    }


def generated(conn) -> bool:
    if not sa.inspect(conn).has_table("assets_asset"):
        return False
    have = counts(conn)
    return (have["assets"] >= ASSETS and have["organizations"] >= ORGANIZATIONS
            and have["classes"] >= CLASSES)


def generate(conn, assets: int = ASSETS, log=print) -> None:
    """Top the demo database up to the benchmark's sizes (idempotent on the counts)."""
    have = counts(conn)
    more_orgs = max(0, ORGANIZATIONS - have["organizations"])
    if more_orgs:
        log(f"  + {more_orgs} organisations")
        # spread over every county-level (or lower) jurisdiction of the region
        conn.execute(sa.text("""
            INSERT INTO catalog_organization (name, uscc, org_type, is_bureau, jurisdiction_id, version)
            SELECT '基准测试单位' || i, 'BENCH' || lpad(i::text, 13, '0'), 'party_government', false,
                   j.ids[1 + (i % array_length(j.ids, 1))], 1
            FROM generate_series(1, :n) AS i,
                 (SELECT array_agg(id ORDER BY id) AS ids FROM catalog_jurisdiction) AS j
        """), {"n": more_orgs})
    more_classes = max(0, CLASSES - have["classes"])
    if more_classes:
        log(f"  + {more_classes} asset classes")
        conn.execute(sa.text("""
            INSERT INTO assets_class (code, name, level)
            SELECT 'B' || lpad(i::text, 6, '0'), '基准分类' || i, 1 FROM generate_series(1, :n) AS i
        """), {"n": more_classes})
    more_assets = max(0, assets - have["assets"])
    start = have["assets"]
    batch = 200_000
    for offset in range(0, more_assets, batch):
        n = min(batch, more_assets - offset)
        log(f"  + assets {start + offset + 1:,}–{start + offset + n:,}")
        conn.execute(sa.text("""
            INSERT INTO assets_asset (number, class_id, name, specification, quantity, unit,
                original_value, acquired_on, funding_source, location, organization_id,
                jurisdiction_id, status, version)
            SELECT 'BENCH-' || lpad(i::text, 8, '0'), c.ids[1 + (i % array_length(c.ids, 1))],
                   '基准资产' || i, '型号 ' || (i % 97), 1 + (i % 3), '台',
                   round(((i::bigint * 7919) % 200000) / 10.0, 2), date '2012-01-01' + (i % 5000),
                   'fiscal', '办公楼 ' || (i % 40) || ' 层',
                   o.ids[1 + (i % array_length(o.ids, 1))], o.jur[1 + (i % array_length(o.ids, 1))],
                   (:statuses)[1 + (i % :nstatus)], 1
            FROM generate_series(:lo, :hi) AS i,
                 (SELECT array_agg(id ORDER BY id) AS ids FROM assets_class) AS c,
                 (SELECT array_agg(id ORDER BY id) AS ids,
                         array_agg(jurisdiction_id ORDER BY id) AS jur FROM catalog_organization) AS o
        """), {"lo": start + offset + 1, "hi": start + offset + n,
               "statuses": list(STATUSES), "nstatus": len(STATUSES)})
    conn.execute(sa.text("ANALYZE"))
