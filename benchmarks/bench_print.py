"""PDF export of the whole 50-project synthetic document (aim: < 5 s on 2 cores).

    python benchmarks/bench_print.py [--repeat N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from perfdesk.printing import export_pdf  # noqa: E402
from perfdesk.printing.fonts import register_fonts  # noqa: E402
from perfdesk.samples import synthetic_document  # noqa: E402

LIMIT = 5.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    t0 = time.perf_counter()
    fonts = register_fonts()
    print(f"fonts registered in {time.perf_counter() - t0:.2f} s: {fonts}")
    doc = synthetic_document()
    leaves = sum(1 for ev in doc.evaluations() for _ in ev.leaves())
    print(f"document: {len(doc.projects)} projects + unit, {leaves} level-3 indicators")
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "all.pdf"
        for _ in range(max(1, args.repeat)):
            start = time.perf_counter()
            pages = export_pdf(doc, path)
            times.append(time.perf_counter() - start)
        size = path.stat().st_size
    best, worst = min(times), max(times)
    print(f"export_pdf(form='all'): {pages} pages, {size / 1024:.0f} KiB; "
          f"best {best:.2f} s, worst {worst:.2f} s over {len(times)} runs (limit {LIMIT:.0f} s)")
    return 0 if worst < LIMIT else 1


if __name__ == "__main__":
    raise SystemExit(main())
