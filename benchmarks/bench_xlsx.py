"""Excel export and import of the 50-project synthetic document (aim: < 2 s each).

    python benchmarks/bench_xlsx.py [--repeat N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from perfdesk.exchange.xlsx_export import export_xlsx  # noqa: E402
from perfdesk.exchange.xlsx_import import import_xlsx  # noqa: E402
from perfdesk.samples import synthetic_document  # noqa: E402

LIMIT = 2.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    doc = synthetic_document()
    leaves = sum(1 for ev in doc.evaluations() for _ in ev.leaves())
    print(f"document: {len(doc.projects)} projects + unit, {leaves} level-3 indicators")
    exports, imports = [], []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.xlsx"
        for _ in range(args.repeat):
            t = time.perf_counter()
            export_xlsx(doc, path)
            exports.append(time.perf_counter() - t)
            t = time.perf_counter()
            result = import_xlsx(path)
            imports.append(time.perf_counter() - t)
        size = path.stat().st_size
    assert len(result.document.projects) == len(doc.projects)
    print(f"workbook: {size / 1024:.0f} KB, {len(doc.evaluations())} sheets")
    print(f"export: best {min(exports):.2f} s, worst {max(exports):.2f} s")
    print(f"import: best {min(imports):.2f} s, worst {max(imports):.2f} s")
    ok = max(exports) < LIMIT and max(imports) < LIMIT
    print("OK" if ok else f"SLOW (limit {LIMIT} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
