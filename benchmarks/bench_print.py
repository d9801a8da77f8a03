"""PDF export of the 50-project synthetic document, against LibreOffice converting
the program's own xlsx export of the same document to PDF (issue 12: at most 0.3×).

    python benchmarks/bench_print.py [--repeat N] [--no-libreoffice]

Measured in one run, best of N each:
- export_pdf in a running program (fonts already loaded, as in the window);
- ``perfdesk export-pdf`` as a fresh process (start-up, fonts read once, file opened);
- ``soffice --headless --convert-to pdf`` of the xlsx export (when LibreOffice is installed:
  ``apt-get install -y libreoffice-calc --no-install-recommends``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from perfdesk.printing import export_pdf, plan  # noqa: E402
from perfdesk.printing.fonts import register_fonts, summary  # noqa: E402
from perfdesk.samples import synthetic_document  # noqa: E402

LIMIT = 5.0          # seconds, in-process
RATIO = 0.3          # of LibreOffice's time


def best(times: list[float]) -> float:
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-libreoffice", action="store_true")
    args = parser.parse_args()
    t0 = time.perf_counter()
    register_fonts()
    print(f"fonts loaded in {time.perf_counter() - t0:.2f} s: {summary()}")
    doc = synthetic_document()
    leaves = sum(1 for ev in doc.evaluations() for _ in ev.leaves())
    items = plan(doc)
    forms = sum(1 for i in items if i.kind == "evaluation")
    print(f"document: {len(doc.projects)} projects + unit, {leaves} level-3 indicators; "
          f"{forms} forms and {len(items) - forms} documents")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        pdf = tmp / "all.pdf"
        inproc = []
        for _ in range(max(1, args.repeat)):
            start = time.perf_counter()
            pages = export_pdf(doc, pdf)
            inproc.append(time.perf_counter() - start)
        results["in-process"] = best(inproc)
        print(f"export_pdf (running program): {pages} pages, {pdf.stat().st_size / 1024:.0f} KiB; "
              f"best {best(inproc):.2f} s, worst {max(inproc):.2f} s")

        from perfdesk.exchange.xlsx_export import export_xlsx
        from perfdesk.store import save_document

        src = tmp / "doc.pdesk"
        save_document(doc, src)
        cli = []
        for _ in range(max(1, args.repeat)):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "perfdesk", "export-pdf", str(src), "-o", str(tmp / "cli.pdf")],
                           check=True, cwd=ROOT, capture_output=True)
            cli.append(time.perf_counter() - start)
        results["cli"] = best(cli)
        print(f"perfdesk export-pdf (new process): best {best(cli):.2f} s, worst {max(cli):.2f} s")

        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice and not args.no_libreoffice:
            xlsx = tmp / "doc.xlsx"
            export_xlsx(doc, xlsx)
            lo = []
            for _ in range(max(1, args.repeat)):
                start = time.perf_counter()
                subprocess.run([soffice, "--headless", "--convert-to",
                                "pdf", "--outdir", str(tmp / "lo"), str(xlsx)], check=True, capture_output=True,
                               timeout=600)
                lo.append(time.perf_counter() - start)
            out = subprocess.run(["pdfinfo", str(tmp / "lo" / "doc.pdf")], capture_output=True, text=True).stdout
            lo_pages = next((line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")), "?")
            results["libreoffice"] = best(lo)
            print(f"LibreOffice xlsx → PDF: {lo_pages} pages; best {best(lo):.2f} s, worst {max(lo):.2f} s")
            for key in ("in-process", "cli"):
                print(f"ratio {key} / LibreOffice: {results[key] / results['libreoffice']:.2f} (aim ≤ {RATIO})")
        else:
            print("LibreOffice not installed: no ratio")
    ok = results["in-process"] < LIMIT
    if "libreoffice" in results:
        ok = ok and results["cli"] / results["libreoffice"] <= RATIO
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
