"""Importing real-size files (aim: < 2 s each, issue 13).

    python benchmarks/bench_import.py [--repeat N]

- a 50-project .docx: 50 财政部 project forms with merged cells, 20 indicators each (1,000
  level-3 indicators, about the synthetic document's size), written by python-docx;
- a 40-page PDF: 40 such forms (5 indicators each, one per landscape A4 page) drawn by
  ReportLab as ruled tables with a text layer, read with pdfplumber.
The files are built once (not timed); each import is timed ``--repeat`` times.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from import_forms import project_form, write_docx, write_pdf  # noqa: E402

from perfdesk.exchange.importing import import_file  # noqa: E402

LIMIT = 2.0


def _time(path: Path, repeat: int):
    times = []
    result = None
    for _ in range(repeat):
        t = time.perf_counter()
        result = import_file(path)
        times.append(time.perf_counter() - t)
    return times, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        docx = write_docx(Path(tmp) / "50-projects.docx",
                          [project_form(f"项目{k + 1:02d}", n_extra=15) for k in range(50)])
        pdf = write_pdf(Path(tmp) / "40-pages.pdf", [project_form(f"项目{k + 1:02d}") for k in range(40)])
        import pdfplumber

        with pdfplumber.open(str(pdf)) as opened:
            pages = len(opened.pages)
        for label, path in (("50-project .docx", docx), (f"{pages}-page .pdf", pdf)):
            times, result = _time(path, args.repeat)
            doc = result.document
            leaves = sum(1 for ev in doc.projects for _ in ev.leaves())
            best = min(times)
            ok = ok and best < LIMIT
            print(f"{label}: {path.stat().st_size // 1024} KB, {len(doc.projects)} projects, {leaves} indicators; "
                  f"import {best:.2f} s (runs: {', '.join(f'{t:.2f}' for t in times)}; limit {LIMIT} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
