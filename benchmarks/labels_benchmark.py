"""资产标签 benchmark: the label sheet's template and WeasyPrint for 1, 24 and 200 labels.

    .venv/bin/python benchmarks/labels_benchmark.py [--rounds 3] [--size a4_3x8]

The labels are synthetic (a receipt's card numbers, a long organisation name, the QR code of a
card URL), rendered through ``plugins/assets/cards/labels.html`` and the report engine's
``html_to_pdf`` inside an app on an in-memory SQLite database: what one 资产标签 PDF costs
beyond finding its cards (one indexed query). The baseline is one label, the fixed cost of a
document; 200 labels is the biggest receipt (``MAX_CARDS``). Printed per count: the median
wall and CPU time (user + system of this process) and the load average beside them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--size", default="a4_3x8")
    args = parser.parse_args()

    from flask import render_template

    from core.app import create_app
    from plugins.assets.cards.labels import SIZES, qr_image
    from reports.engine import html_to_pdf

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "SECRET_KEY": "labels-benchmark-" + "x" * 32})
    size = SIZES[args.size]

    def labels(n):
        return [{"number": f"ZC-650102-RK000012-{i:03d}", "name": "台式计算机（测试）",
                 "organization": "乌鲁木齐市天山区机关事务服务中心",
                 "url": (url := f"https://zcgl.example.gov.cn/assetview/show/{100000 + i}"),
                 "qr": qr_image(url)} for i in range(n)]

    with app.test_request_context():
        html_to_pdf("<p>warm-up</p>")  # WeasyPrint's first import and fonts: not the labels' cost
        print(f"label stock {args.size}; load average {os.getloadavg()[0]:.2f} at start")
        for n in (1, 24, 200):
            walls, cpus = [], []
            for _round in range(args.rounds):
                wall, cpu = time.perf_counter(), time.process_time()
                items = labels(n)
                sheets = [items[i:i + size.per_page] for i in range(0, n, size.per_page)]
                pdf = html_to_pdf(render_template("assets/labels.html", size=size, sheets=sheets,
                                                  title="资产标签", lang="zh-CN"))
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            print(f"{n:>4} labels ({len(sheets)} pages, {len(pdf) // 1024} KB): "
                  f"wall {statistics.median(walls):.2f} s, CPU {statistics.median(cpus):.2f} s"
                  f"{'  (baseline: one label)' if n == 1 else ''}; load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
