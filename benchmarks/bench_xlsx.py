"""Excel export and import of the 50-project synthetic document (aim: < 2 s each).

    python benchmarks/bench_xlsx.py [--repeat N]

Export writes the finished forms (scores, totals, SUM formulas with their saved
values, comments where stated and computed figures differ); import reads them
back (formula values included); ``--like`` exports in the column order of a
目标表 workbook (one header per project sheet). Medians and the worst run are
reported: the machine is shared, single runs vary.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import openpyxl  # noqa: E402

from perfdesk.exchange.xlsx_export import export_xlsx  # noqa: E402
from perfdesk.exchange.xlsx_import import import_xlsx  # noqa: E402
from perfdesk.exchange.xlsx_like import export_like  # noqa: E402
from perfdesk.samples import synthetic_document  # noqa: E402

LIMIT = 2.0


def _targets_workbook(doc, path: Path) -> None:
    """A 目标表 workbook with one 一体化-style header per project sheet."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for i, ev in enumerate(doc.projects):
        ws = wb.create_sheet(f"项目{i + 1}")
        ws.append(["项目名称", ev.name])
        ws.append(["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "分值", "指标值说明"])
    wb.save(path)


def _line(what: str, times: list[float], cpu: list[float]) -> str:
    return (f"{what}: median {statistics.median(times):.2f} s, best {min(times):.2f} s, worst {max(times):.2f} s "
            f"(CPU median {statistics.median(cpu):.2f} s)")


def _timed(wall: list[float], cpu: list[float], fn, *args):
    t, c = time.perf_counter(), time.process_time()
    result = fn(*args)
    wall.append(time.perf_counter() - t)
    cpu.append(time.process_time() - c)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    doc = synthetic_document()
    leaves = sum(1 for ev in doc.evaluations() for _ in ev.leaves())
    print(f"document: {len(doc.projects)} projects + unit, {leaves} level-3 indicators")
    exports, imports, likes = [], [], []
    cpu: dict[str, list[float]] = {"export": [], "import": [], "like": []}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.xlsx"
        targets = Path(tmp) / "targets.xlsx"
        _targets_workbook(doc, targets)
        for _ in range(args.repeat):
            _timed(exports, cpu["export"], export_xlsx, doc, path)
            result = _timed(imports, cpu["import"], import_xlsx, path)
            _timed(likes, cpu["like"], export_like, doc, targets, Path(tmp) / "like.xlsx")
        size = path.stat().st_size
    assert len(result.document.projects) == len(doc.projects)
    print(f"workbook: {size / 1024:.0f} KB, {len(doc.evaluations())} sheets")
    print(_line("export", exports, cpu["export"]))
    print(_line("import", imports, cpu["import"]))
    print(_line("export --like", likes, cpu["like"]))
    ok = all(statistics.median(t) < LIMIT for t in (exports, imports, likes))
    print("OK" if ok else f"SLOW (median over the limit of {LIMIT} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
