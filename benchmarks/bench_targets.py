"""The year that starts from the approved targets (issue 17), timed in CPU seconds (the machine is shared).

    python benchmarks/bench_targets.py [--repeat N] [--projects 50]

- import of a synthetic 绩效目标表 workbook (tests/targets_workbook.py): ``--projects`` projects with
  10 indicators each, one sheet per project, and the same in one long sheet of 项目名称 blocks;
- the 11 real published target tables of tests/fixtures/real/targets as text, all of them;
- 更新指标值: the plan of a new version of the workbook onto the imported document (every project
  filled), and applying it as one operation;
- 导入预算执行数: a 决算 table of every project read, planned and applied.
Aims: each import below 2 s, each plan and apply below 0.5 s. Prints the best of ``--repeat`` runs.
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

from targets_workbook import write_targets_workbook  # noqa: E402

from perfdesk import ops  # noqa: E402
from perfdesk.exchange.budget_figures import read_text  # noqa: E402
from perfdesk.exchange.importing import import_file  # noqa: E402
from perfdesk.exchange.text_import import import_text  # noqa: E402
from perfdesk.ops.budget_figures import plan_budget_figures  # noqa: E402

IMPORT_AIM, PLAN_AIM = 2.0, 0.5


def best(fn, repeat: int):
    times, value = [], None
    for _ in range(repeat):
        start = time.process_time()
        value = fn()
        times.append(time.process_time() - start)
    return min(times), value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--projects", type=int, default=50)
    args = parser.parse_args()
    ok = True
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        sheets = Path(tmp) / "sheets.xlsx"
        block = Path(tmp) / "block.xlsx"
        specs = write_targets_workbook(sheets, args.projects, "sheets")
        write_targets_workbook(block, args.projects, "block")
        for label, path in ((f"{args.projects} projects, one sheet each", sheets),
                            (f"{args.projects} projects in one sheet", block)):
            seconds, result = best(lambda p=path: import_file(p), args.repeat)
            leaves = sum(1 for ev in result.document.projects for _ in ev.leaves())
            ok = ok and seconds < IMPORT_AIM and len(result.document.projects) == args.projects
            rows.append((f"import {label} ({path.stat().st_size // 1024} KB, {leaves} indicators)", seconds,
                         IMPORT_AIM))
        texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/fixtures/real/targets").glob("*.txt"))]
        seconds, _ = best(lambda: [import_text(t) for t in texts], args.repeat)
        ok = ok and seconds < IMPORT_AIM
        rows.append((f"import the {len(texts)} real target tables as text", seconds, IMPORT_AIM))

        from perfdesk.cli import imported_document

        doc = imported_document(import_file(sheets).document)
        for ev in doc.projects:
            for node in ev.leaves():
                node.actual = "1"
        new = import_file(sheets).document
        for ev in new.projects:
            next(ev.leaves()).target = "≥150人"
        seconds, plan = best(lambda: ops.plan_import(doc, new), args.repeat)
        ok = ok and seconds < PLAN_AIM and all(c.action == "targets" for c in plan.choices)
        rows.append(("更新指标值: plan (every project filled)", seconds, PLAN_AIM))
        operation = ops.plan_operations(doc, plan)
        start = time.process_time()
        operation.apply(doc)
        seconds = time.process_time() - start
        ok = ok and seconds < PLAN_AIM
        rows.append(("更新指标值: apply as one operation", seconds, PLAN_AIM))

        table_text = "项目名称\t年初预算数\t全年预算数\t全年执行数\n" + "".join(
            f"{s.name}\t{s.total_wan}\t{s.total_wan}\t{s.total_wan}\n" for s in specs)
        seconds, plan = best(lambda: plan_budget_figures(doc, read_text(table_text)), args.repeat)
        ok = ok and seconds < PLAN_AIM and len(plan.filled) == args.projects
        rows.append(("导入预算执行数: read + plan", seconds, PLAN_AIM))
        start = time.process_time()
        plan.operation().apply(doc)
        seconds = time.process_time() - start
        rows.append(("导入预算执行数: apply as one operation", seconds, PLAN_AIM))
        ok = ok and seconds < PLAN_AIM
    for label, seconds, aim in rows:
        print(f"{label}: {seconds:.3f} s CPU (aim < {aim} s)")
    print("OK" if ok else "OVER AIM")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
