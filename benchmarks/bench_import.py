"""Importing real-size files (aim: < 2 s each, issue 13).

    python benchmarks/bench_import.py [--repeat N]

- a 50-project .docx: 50 财政部 project forms with merged cells, 20 indicators each (1,000
  level-3 indicators, about the synthetic document's size), written by python-docx;
- a 40-page PDF: 40 such forms (5 indicators each, one per landscape A4 page) drawn by
  ReportLab as ruled tables with a text layer, read with pdfplumber;
- the corpus of real published forms (tests/fixtures/real/*.txt, copied text in every shape):
  all of them imported one after the other, as text.
The files are built once (not timed); each import is timed ``--repeat`` times, in wall-clock
and in CPU time of this process (the machine is shared: CPU time is the figure to compare).
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
    times, cpu = [], []
    result = None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        result = import_file(path)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return times, cpu, result


def _time_corpus(repeat: int):
    from perfdesk.exchange.text_import import TextImportError, import_text

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "fixtures" / "real").glob("*.txt"))]
    times, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        for text in texts:
            try:
                import_text(text)
            except TextImportError:   # a corpus form no reader reads yet (a known failure): timed all the same
                pass
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return len(texts), sum(map(len, texts)), times, cpu


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
            times, cpu, result = _time(path, args.repeat)
            doc = result.document
            leaves = sum(1 for ev in doc.projects for _ in ev.leaves())
            ok = ok and min(cpu) < LIMIT
            print(f"{label}: {path.stat().st_size // 1024} KB, {len(doc.projects)} projects, {leaves} indicators; "
                  f"import {min(cpu):.2f} s CPU, {min(times):.2f} s wall "
                  f"(CPU runs: {', '.join(f'{t:.2f}' for t in cpu)}; limit {LIMIT} s)")
    n, chars, times, cpu = _time_corpus(args.repeat)
    ok = ok and min(cpu) < LIMIT
    print(f"corpus of real forms: {n} texts, {chars // 1000}k characters; all imported in {min(cpu):.2f} s CPU, "
          f"{min(times):.2f} s wall (CPU runs: {', '.join(f'{t:.2f}' for t in cpu)}; limit {LIMIT} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
