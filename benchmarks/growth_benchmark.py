"""Growth: list, API, search and export time at 10,000 / 100,000 / 1,000,000 / 5,000,000 cards.

    .venv/bin/python benchmarks/growth_benchmark.py                     # database test_growth_bench
    .venv/bin/python benchmarks/growth_benchmark.py --sizes 10000,100000 --requests 10
    .venv/bin/python benchmarks/growth_benchmark.py --db postgresql+psycopg2://postgres@127.0.0.1/x

One database grows from the smallest size to the largest (``benchmarks/list_data.py`` tops it up
with ``INSERT … SELECT generate_series``, then ``VACUUM ANALYZE``); a run first deletes the cards an
earlier run generated, so every size is measured on a table of exactly that size. At each size,
every variant once per round, round after round (a busy machine weighs on all alike):

* list page: ``/assetview/list/`` as ``xj_bureau`` (scope: all of Xinjiang), first page;
* list page, deep: the same list's last page, reached as its pager reaches it;
* API: ``GET /api/v1/asset/`` with a bearer token;
* search: ``GET /api/v1/search/?text=…`` (every searchable type, trigram indexes on the cards);
* export: ``GET /api/v1/asset/export.xlsx`` as the benchmark's clerk, whose scope is one
  organisation of 3,000: its rows grow with the table (3 → 1,667), so the figure to read is the
  time per 1,000 rows exported, beside the whole request's.

It prints the median of each at each size and the ratio of the largest size to the smallest:
what stays flat is what a table's growth does not reach. The machine's load average is printed
beside the figures. There is no pass/fail: the targets of each path are in its own benchmark.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/test_growth_bench"
SIZES = (10_000, 100_000, 1_000_000, 5_000_000)
SEARCH_TERM = "基准资产1234"


def reset_generated(app) -> None:
    """Delete the cards an earlier run generated: each size is then measured at exactly its size."""
    import sqlalchemy as sa

    from core.extensions import db

    with app.app_context(), db.engine.begin() as conn:
        gone = conn.execute(sa.text("DELETE FROM assets_asset WHERE number LIKE 'BENCH-%'")).rowcount
    if gone:
        print(f"deleted {gone:,} cards of an earlier run", flush=True)
        with app.app_context(), db.engine.connect().execution_options(
                isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE assets_asset"))


def grow(app, size: int) -> float:
    import sqlalchemy as sa

    from benchmarks import list_data
    from core.extensions import db

    t0 = time.perf_counter()
    with app.app_context():
        with db.engine.begin() as conn:
            list_data.generate(conn, size, log=lambda _line: None)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE assets_asset"))
    return time.perf_counter() - t0


def fetches(app) -> dict:
    from benchmarks.list_benchmark import CLERK, PASSWORD, USER
    from core.fab import counting as core_counting

    page = app.test_client()
    assert page.post("/login/", data={"username": USER, "password": PASSWORD}).status_code == 302

    def token(username):
        response = app.test_client().post("/api/v1/security/login", json={
            "username": username, "password": PASSWORD, "provider": "db"})
        assert response.status_code == 200, f"API login failed: {username}"
        return {"Authorization": f"Bearer {response.get_json()['access_token']}"}

    bureau, clerk, api = token(USER), token(CLERK), app.test_client()
    core_counting._estimates.clear()  # the table just grew: estimates of the last size are stale
    exported = {"rows": 0}

    def get(client, url, headers=None):
        response = client.get(url, headers=headers or {})
        assert response.status_code == 200, (url, response.status_code)
        return response

    def last_page():
        # as the pager's "last" link reaches it: the link the first page renders
        first = get(page, "/assetview/list/").get_data(as_text=True)
        link = _last_link(first)
        get(page, link)

    def export():
        import io

        from openpyxl import load_workbook

        data = get(api, "/api/v1/asset/export.xlsx", clerk).get_data()
        if not exported["rows"]:
            sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
            exported["rows"] = sum(1 for _row in sheet.iter_rows()) - 1  # the header

    return exported, {
        "list": lambda: get(page, "/assetview/list/"),
        "list_last": last_page,
        "api": lambda: get(api, "/api/v1/asset/", bureau),
        "search": lambda: get(api, f"/api/v1/search/?text={SEARCH_TERM}", bureau),
        "export": export,
    }


def _last_link(html: str) -> str:
    """The list's own link to its last page (keyset cursor or page number, whichever it renders)."""
    import html as html_lib
    import re

    link = re.search(r'<a href="([^"#][^"]*)" rel="last"', html)  # the keyset pager's 末页
    if link:
        return html_lib.unescape(link.group(1))
    pages = [int(n) for n in re.findall(r"page_AssetView=(\d+)", html)]
    return f"/assetview/list/?page_AssetView={max(pages)}" if pages else "/assetview/list/"


LABELS = {
    "list": "list page, first page",
    "list_last": "list page, last page (first + last)",
    "api": "API, first page",
    "search": f"search '{SEARCH_TERM}'",
    "export": "export, clerk's organisation",
}


def measure(app, requests: int) -> dict[str, float]:
    exported, calls = fetches(app)
    samples = {key: [] for key in calls}
    for round_ in range(requests + 2):
        for key, call in calls.items():
            t0 = time.perf_counter()
            call()
            if round_ >= 2:  # warm-up: templates, caches, the estimate of this size
                samples[key].append((time.perf_counter() - t0) * 1000)
    medians = {key: statistics.median(times) for key, times in samples.items()}
    medians["export_rows"] = exported["rows"]
    return medians


def report(results: dict[int, dict]) -> None:
    sizes = sorted(results)
    print(f"\nmedian ms per request; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}\n")
    print(f"{'':<38}" + "".join(f"{size:>12,}" for size in sizes) + f"{'largest/smallest':>18}")
    for key, label in LABELS.items():
        row = [results[size][key] for size in sizes]
        print(f"{label:<38}" + "".join(f"{x:12.1f}" for x in row) + f"{row[-1] / row[0]:17.1f}×")
    rows = [results[size]["export_rows"] for size in sizes]
    print(f"{'  rows exported':<38}" + "".join(f"{n:12,}" for n in rows))
    # per 1,000 rows only where there are 1,000: below that the request's fixed cost is all one sees
    per = [results[size]["export"] / n * 1000 if n >= 1000 else None
           for size, n in zip(sizes, rows, strict=True)]
    shown = [x for x in per if x is not None]
    cells = "".join(f"{'–':>12}" if x is None else f"{x:12.1f}" for x in per)
    print(f"{'  export, ms per 1,000 rows':<38}" + cells
          + (f"{shown[-1] / shown[0]:17.1f}×" if len(shown) > 1 else ""))

def main(argv=None) -> int:
    from benchmarks.list_benchmark import prepare

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("JIGUAN_BENCH_URL", DEFAULT_URL))
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    # the demo, the 3,000 organisations, the 60 classes and the clerk; no generated cards yet
    app = prepare(args.db, 0)
    reset_generated(app)
    results = {}
    for size in sizes:
        took = grow(app, size)
        print(f"{size:>10,} cards (grown in {took:.0f} s), measuring …", flush=True)
        results[size] = measure(app, args.requests)
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
