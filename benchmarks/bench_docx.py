"""Word export of the whole 50-project synthetic document (aim: < 3 s), and the drafts of
every section of every evaluation (what the 文字说明 tab computes, one evaluation at a time).

    python benchmarks/bench_docx.py [--repeat N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from perfdesk.drafts import drafts  # noqa: E402
from perfdesk.exchange.docx_export import export_docx  # noqa: E402
from perfdesk.samples import synthetic_document  # noqa: E402

LIMIT = 3.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    doc = synthetic_document()
    leaves = sum(1 for ev in doc.evaluations() for _ in ev.leaves())
    print(f"document: {len(doc.projects)} projects + unit, {leaves} level-3 indicators")
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "all.docx"
        for _ in range(max(1, args.repeat)):
            start = time.perf_counter()
            count = export_docx(doc, path)
            times.append(time.perf_counter() - start)
        size = path.stat().st_size
    best, worst = min(times), max(times)
    print(f"export_docx(form='all'): {count} forms and documents, {size / 1024:.0f} KiB; "
          f"best {best:.2f} s, worst {worst:.2f} s over {len(times)} runs (limit {LIMIT:.0f} s)")
    start = time.perf_counter()
    sections = sum(len(drafts(doc, ev)) for ev in doc.evaluations())
    whole = time.perf_counter() - start
    start = time.perf_counter()
    drafts(doc, doc.unit_evaluation)
    unit = time.perf_counter() - start
    print(f"drafts: {sections} sections of {len(doc.evaluations())} evaluations in {whole:.2f} s; "
          f"the unit's {len(drafts(doc, doc.unit_evaluation))} sections (情况说明 over all projects) in {unit * 1000:.0f} ms")
    return 0 if worst < LIMIT else 1


if __name__ == "__main__":
    raise SystemExit(main())
