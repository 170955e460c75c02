"""Deep-page benchmark on 1,000,000 asset cards (PostgreSQL): page 20,000 and the last page vs the first.

    .venv/bin/python benchmarks/deep_pages_benchmark.py                      # database test_bench
    .venv/bin/python benchmarks/deep_pages_benchmark.py --db postgresql+psycopg2://postgres@127.0.0.1/x
    .venv/bin/python benchmarks/deep_pages_benchmark.py --requests 10

The data and the app are ``benchmarks/list_benchmark.py``'s (its first run generates them). As
``xj_bureau`` (scope: all of Xinjiang, every row), for the list page and ``GET /api/v1/asset/``,
in the default order (id, newest first), sorted by the unique 资产编号 (``number``) and by
资产状态 (``status``: a handful of values, so the cursor holds the id too, index ``(status, id)``):

* keyset: the first page, page 20,000 reached by its cursor (the "next" of page 19,999, as a
  user who paged there clicks it) and the last page by its cursor (the pager's »);
* OFFSET baseline: the same two pages by page number (``page_AssetView=19999`` / ``q=(page:19999)``),
  which old links still get.

Every variant once per round, round after round, so a busy machine slows all alike. It prints the
medians, each deep page's ratio to its first page, PASS/FAIL against the target of issue 15
(item 1: any page within 2× the first page's time) and exits non-zero on a FAIL.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.list_benchmark import DEFAULT_URL, PASSWORD, USER, prepare  # noqa: E402

DEEP = 20_000  # the page number (1-based) of the deep page
TARGET = 2.0
#: the default order, a unique column, and a column of few values (every page ties on it)
ORDERS = {"id desc": ("", ""), "number asc": ("number", "asc"), "status desc": ("status", "desc")}


def urls(app, client, api_headers) -> dict[tuple[str, str], dict[str, tuple[str, dict]]]:
    """Per (door, order): the URLs of the first page, page 20,000 and the last, by cursor and OFFSET."""
    import sqlalchemy as sa

    from core.extensions import db

    with app.app_context():  # the true last page for OFFSET (the pager's count is an estimate)
        rows = db.session.execute(sa.text("SELECT count(*) FROM assets_asset")).scalar_one()
        db.session.remove()
    pages = -(-rows // 25)
    found = {}
    for order, (column, direction) in ORDERS.items():
        sort = f"_oc_AssetView={column}&_od_AssetView={direction}&" if column else ""
        base = f"/assetview/list/?{sort}"
        text = client.get(f"{base}page_AssetView=0").get_data(as_text=True)
        last_link = unescape(re.search(r'href="([^"#]+)" rel="last"', text).group(1))
        text = client.get(f"{base}page_AssetView={DEEP - 2}").get_data(as_text=True)
        deep_link = unescape(re.search(r'href="([^"#]+)" rel="next"', text).group(1))
        found[("list", order)] = {
            "first": (base.rstrip("?&"), {}), "deep": (deep_link, {}), "last": (last_link, {}),
            "deep_offset": (f"{base}page_AssetView={DEEP - 1}", {}),
            "last_offset": (f"{base}page_AssetView={pages - 1}", {})}
        rison = f"order_column:{column},order_direction:{direction}," if column else ""
        api = f"/api/v1/asset/?q=({rison}page_size:25"
        first = client.get(api + ")", headers=api_headers).get_json()
        deep = client.get(api + f",page:{DEEP - 2})", headers=api_headers).get_json()
        found[("api", order)] = {
            "first": (api + ")", api_headers),
            "deep": (api + f")&cursor={deep['next_cursor']}", api_headers),
            "last": (api + f")&cursor={first['last_cursor']}", api_headers),
            "deep_offset": (api + f",page:{DEEP - 1})", api_headers),
            "last_offset": (api + f",page:{pages - 1})", api_headers)}
    return found


def run(app, requests: int):
    client = app.test_client()
    assert client.post("/login/", data={"username": USER, "password": PASSWORD}).status_code == 302
    token = app.test_client().post("/api/v1/security/login", json={
        "username": USER, "password": PASSWORD, "provider": "db"}).get_json()["access_token"]
    api_client = app.test_client(use_cookies=False)
    targets = urls(app, client, {"Authorization": f"Bearer {token}"})
    samples = {(door, order, kind): [] for (door, order), kinds in targets.items() for kind in kinds}
    for round_ in range(requests + 2):
        for (door, order), kinds in targets.items():
            for kind, (url, headers) in kinds.items():
                c = api_client if headers else client
                t0 = time.perf_counter()
                response = c.get(url, headers=headers)
                elapsed = time.perf_counter() - t0
                assert response.status_code == 200, (url, response.status_code)
                if round_ >= 2:  # warm-up: templates, the planner estimate's cache
                    samples[(door, order, kind)].append(elapsed * 1000)
    return {key: statistics.median(times) for key, times in samples.items()}


def report(medians, requests: int) -> bool:
    load = os.getloadavg()
    print(f"\n{requests} requests each, as {USER} (all 1,000,000+ cards); median ms; "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n")
    print(f"{'door, order':<19} {'first':>7} {'p.20000':>8} {'last':>7} {'OFFSET p.20000':>15} "
          f"{'OFFSET last':>12}   {'keyset ratio (deep, last)':<26} {'OFFSET ratio':<14} result")
    ok_all = True
    for door in ("list", "api"):
        for order in ORDERS:
            m = {kind: medians[(door, order, kind)] for kind in
                 ("first", "deep", "last", "deep_offset", "last_offset")}
            ratios = (m["deep"] / m["first"], m["last"] / m["first"])
            offset = (m["deep_offset"] / m["first"], m["last_offset"] / m["first"])
            ok = max(ratios) <= TARGET
            ok_all &= ok
            print(f"{door + ', ' + order:<19} {m['first']:7.1f} {m['deep']:8.1f} {m['last']:7.1f} "
                  f"{m['deep_offset']:15.1f} {m['last_offset']:12.1f}   "
                  f"{ratios[0]:5.2f}× {ratios[1]:5.2f}×{'':<13} {offset[0]:5.1f}× {offset[1]:5.1f}×"
                  f"  {'PASS' if ok else 'FAIL'}")
    print(f"\ntarget: page {DEEP:,} and the last page within {TARGET:.0f}× the first page's time "
          "(keyset, by cursor); OFFSET is the page-number baseline")
    return ok_all


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("JIGUAN_BENCH_URL", DEFAULT_URL))
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args(argv)
    app = prepare(args.db, 1_000_000)
    return 0 if report(run(app, args.requests), args.requests) else 1


if __name__ == "__main__":
    sys.exit(main())
