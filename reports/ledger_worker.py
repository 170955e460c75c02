"""A ledger render worker: ``python -m reports.ledger_worker`` (started by reports/ledger.py).

It imports WeasyPrint and warms fontconfig/Pango up at once (while the parent lays the rows out),
then reads ONE line of JSON from stdin: a list of ``[html_path, pdf_path]`` jobs, renders them
in order and prints each finished ``pdf_path``. An empty list (or a closed stdin) ends it.

A plain child process rather than multiprocessing: nothing of the parent's ``__main__`` is
re-imported (spawn fails for ``python - < script`` and similar, and its pool then restarts dying
workers forever), no resource-tracker process, and it works inside daemonic processes
(multiprocessing and Celery prefork workers may not start multiprocessing children).
"""

from __future__ import annotations

import gc
import json
import sys
from pathlib import Path


def main() -> int:
    from reports.weasy import load

    HTML = load().HTML  # noqa: N806 (WeasyPrint's name)

    HTML(string='<pre style="font-family: \'Noto Sans Mono CJK SC\'">台账 0</pre>').write_pdf()
    line = sys.stdin.readline()
    for html_path, pdf_path in json.loads(line or "[]"):
        Path(pdf_path).write_bytes(HTML(string=Path(html_path).read_text(encoding="utf-8")).write_pdf())
        gc.collect()  # the next segment reuses this memory instead of growing the heap
        print(pdf_path, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
