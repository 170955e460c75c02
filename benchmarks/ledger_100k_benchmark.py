"""Ledgers of 100,000 rows: the direct PDF writer beside today's WeasyPrint path, at 10,000 and 100,000 rows.

    .venv/bin/python benchmarks/ledger_100k_benchmark.py                   # 10k x 2 rounds, 100k x 1
    .venv/bin/python benchmarks/ledger_100k_benchmark.py --rounds 3 --skip-baseline-100k

Each render runs in a fresh child process (benchmarks/ledger_benchmark.py's ``run_child``: RSS of
the child and all its descendants sampled from /proc every 20 ms, "peak MB" is the peak of their
SUM; "cpu s" the CPU time of all of them). Per round the variants run one after the other, so the
machine's load weighs on both alike; the load average is printed beside every figure. Every PDF
is read back with ``check_ledger_pdf`` (every row once and in order, the header and 第 k 页 共 N 页
on every page, exact totals). Exits non-zero when a target fails or a PDF reads back wrong.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.ledger_benchmark import run_child, verify  # noqa: E402
from benchmarks.ledger_data import make_rows  # noqa: E402

TARGETS = {10_000: (10.0, 400.0), 100_000: (90.0, 500.0)}  # rows -> (wall s, peak MB of all processes)
VARIANTS = (("direct (ours)", "direct"), ("WeasyPrint (today)", "weasyprint"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=2, help="rounds at 10,000 rows (both variants each)")
    ap.add_argument("--skip-baseline-100k", action="store_true",
                    help="no WeasyPrint render of 100,000 rows (it takes minutes)")
    ap.add_argument("--skip-100k", action="store_true")
    ap.add_argument("--out", type=Path, default=Path("/tmp/jiguan-ledger-100k"))
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    print(f"ledger 100k benchmark, {os.cpu_count()} CPUs, load average at start {os.getloadavg()}")
    plan = [(10_000, r) for r in range(args.rounds)] + ([] if args.skip_100k else [(100_000, 0)])
    results: list[tuple[int, str, dict, bool]] = []
    print(f"{'rows':>7} {'variant':<20} {'render s':>9} {'process s':>10} {'cpu s':>7} {'peak MB':>8} "
          f"{'pages':>6} {'load':>5}  correct", flush=True)
    for n, _round in plan:
        rows = make_rows(n)
        for label, engine in VARIANTS:
            if n == 100_000 and engine == "weasyprint" and args.skip_baseline_100k:
                continue
            path = args.out / f"ledger-{n}-{engine}.pdf"
            res = run_child("ours", n, path, engine=engine)
            ok, problems, pages = verify(path, rows)
            results.append((n, engine, res, ok))
            print(f"{n:7d} {label:<20} {res['render_s']:9.1f} {res['process_s']:10.1f} {res['cpu_s']:7.1f} "
                  f"{res['peak_mb']:8.0f} {pages:6d} {res['load']:5.1f}  {'yes' if ok else 'no'}", flush=True)
            for problem in problems[:5]:
                print(f"    {problem}")
        del rows

    print(f"\n{'target':<44} {'ours (worst)':>22} {'today (best)':>22}  result")
    failed = not all(ok for *_x, ok in results)
    for n, (max_s, max_mb) in TARGETS.items():
        ours = [r for m, e, r, _ok in results if m == n and e == "direct"]
        base = [r for m, e, r, _ok in results if m == n and e == "weasyprint"]
        if not ours:
            continue
        wall = max(r["process_s"] for r in ours)
        peak = max(r["peak_mb"] for r in ours)
        cpu = max(r["cpu_s"] for r in ours)
        met = wall <= max_s and peak <= max_mb
        failed |= not met
        today = (f"{min(r['process_s'] for r in base):.1f} s / {min(r['peak_mb'] for r in base):.0f} MB"
                 if base else "not run")
        print(f"{n:,} rows <= {max_s:.0f} s and <= {max_mb:.0f} MB{'':<14} "
              f"{wall:6.1f} s / {peak:4.0f} MB {'':>3} {today:>22}  {'PASS' if met else 'FAIL'}"
              f"   (ours cpu {cpu:.1f} s, load {max(r['load'] for r in ours):.1f})")
    print(f"load average at end {os.getloadavg()}; PDFs in {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
