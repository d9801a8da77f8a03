"""One edit in the window: the operation, its undo step, rescoring and the Qt models' signals.

On the synthetic large document (60 unit indicators + 50 projects × 20), with the
window's models open, measures the median of N runs of:
  cell edit            an actual value typed into a unit indicator (session.apply → notify →
                       rescore → dataChanged for the changed cells → list and findings)
  cell edit + undo     the same edit undone through the QUndoStack
  insert + remove      an indicator inserted into the unit tree, then removed (two steps)
  paste 20 cells       a pasted block of 20 actual values as one operation
Aim: a cell edit within one frame at 60 Hz (16.7 ms).

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_edit.py [--runs 21] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from perfdesk import ops  # noqa: E402
from perfdesk.model import Indicator  # noqa: E402
from perfdesk.samples import synthetic_document  # noqa: E402
from perfdesk.ui.indicator_model import COL_ACTUAL  # noqa: E402
from perfdesk.ui.session import DocumentSession  # noqa: E402
from perfdesk.ui.qt_workarounds import pin_singletons  # noqa: E402
from perfdesk.ui.spreadsheet import apply_cells  # noqa: E402

FRAME_MS = 1000 / 60


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    pin_singletons()  # PySide6 6.12 on Python < 3.12 (see perfdesk/ui/qt_workarounds.py)
    app = QApplication.instance() or QApplication([])
    session = DocumentSession(synthetic_document())
    doc = session.doc
    for ev in doc.evaluations():
        session.indicator_model(ev)
        session.budget_model(ev)
    session.evaluation_list_model()
    unit = doc.unit_evaluation
    leaves = list(unit.leaves())
    model = session.indicator_model(unit)
    counter = iter(range(10**9))

    def edit():
        session.set_indicator_field(unit, leaves[0], "actual", f"{next(counter) % 97 + 1}%")
        app.processEvents()

    def edit_undo():
        edit()
        session.undo_stack.undo()
        app.processEvents()

    def insert_remove():
        node = Indicator("新指标")
        session.apply(ops.InsertIndicator(unit.uid, leaves[0].parent.uid, 0, node))
        session.apply(ops.RemoveIndicator(unit.uid, node.uid))
        app.processEvents()

    def paste():
        n = next(counter)
        apply_cells(model, [(model.index_of(leaf, COL_ACTUAL), f"{(n + i) % 97 + 1}%")
                            for i, leaf in enumerate(leaves[:20])])
        app.processEvents()

    results = {
        "cell edit": median_ms(edit, args.runs),
        "cell edit + undo": median_ms(edit_undo, args.runs),
        "insert + remove": median_ms(insert_remove, args.runs),
        "paste 20 cells": median_ms(paste, args.runs),
    }
    if args.json:
        print(json.dumps({k: round(v, 2) for k, v in results.items()}))
    else:
        for name, value in results.items():
            print(f"{name:18s} {value:7.2f} ms")
        print(f"aim: a cell edit within one frame ({FRAME_MS:.1f} ms): "
              f"{'met' if results['cell edit'] < FRAME_MS else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
