"""Core timings on the synthetic large document (50 projects, 1 060 indicators by default).

Measures the median of N runs (time.perf_counter) of:
  recompute            score_evaluation on every evaluation
  validation           check_document (which scores each evaluation itself)
  recompute+validation score every evaluation, then check_evaluation with those scores
                       (what the editor does after an edit)
  …(cold)              the same with the parsed-value caches cleared first
  …(many findings)     the same on a copy with hundreds of mistakes (messages are formatted)
  …(<rule set>)        the same with every form scored by another rule set (评价规则: 湖北,
                       江西 steps, 四川 text limits, 广西 over-achievement, 山西 cost check)
  …(split targets)     the same on a copy whose targets are bare numbers with 指标性质 and
                       计量单位 fields, scored 按指标性质, every tenth target adjusted (年初指标值)
  save                 save_document to a temporary folder (atomic write, fsync)
  open                 open_document of that file
  open (version 1)     open_document of the same document written as schema version 1: the
                       migration rebuilds three tables and splits every target text
Aims: recompute+validation < 20 ms, open < 200 ms, save < 200 ms. When
recompute+validation misses its aim (or with --profile) a cProfile summary follows.

    python benchmarks/bench_core.py [--runs 21] [--projects 50] [--json] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from perfdesk.checks import check_document, check_evaluation  # noqa: E402
from perfdesk.model.values import parse_value  # noqa: E402
from perfdesk.samples import synthetic_document  # noqa: E402
from perfdesk.scoring import score_evaluation  # noqa: E402
from perfdesk.store import open_document, save_document  # noqa: E402

AIMS_MS = {"recompute+validation": 20.0, "open": 200.0, "save": 200.0}
RULE_SETS = ("hubei", "jiangxi", "sichuan", "guangxi", "shanxi")


def median_ms(fn, runs: int, setup=None) -> tuple[float, float, float]:
    """(median, min, median CPU time of this process) in milliseconds.

    The CPU time does not count the time the process waits for a busy machine's
    cores, so it is the steadier figure when other work is running."""
    times, cpu = [], []
    for _ in range(runs):
        if setup is not None:
            setup()
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(times), min(times), statistics.median(cpu)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--projects", type=int, default=50)
    parser.add_argument("--unit-indicators", type=int, default=60)
    parser.add_argument("--project-indicators", type=int, default=20)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--profile", action="store_true", help="always profile recompute+validation")
    opts = parser.parse_args(argv)

    doc = synthetic_document(opts.projects, opts.unit_indicators, opts.project_indicators)
    evaluations = doc.evaluations()
    indicators = sum(1 for ev in evaluations for _ in ev.walk())

    def recompute():
        return [score_evaluation(ev) for ev in evaluations]

    def validation():
        return check_document(doc)

    def both():
        return [check_evaluation(ev, score_evaluation(ev)) for ev in evaluations]

    messy = _with_mistakes(synthetic_document(opts.projects, opts.unit_indicators, opts.project_indicators))
    messy_evaluations = messy.evaluations()

    def both_messy():
        return [check_evaluation(ev, score_evaluation(ev)) for ev in messy_evaluations]

    results: dict[str, tuple[float, float]] = {}
    both()  # warm the parsed-value cache and the code paths
    results["recompute"] = median_ms(recompute, opts.runs)
    results["validation"] = median_ms(validation, opts.runs)
    results["recompute+validation"] = median_ms(both, opts.runs)
    results["recompute+validation (cold)"] = median_ms(both, max(3, opts.runs // 4), setup=_clear_value_caches)
    both()
    both_messy()
    results["recompute+validation (many findings)"] = median_ms(both_messy, opts.runs)
    for rule_set in RULE_SETS:
        for ev in evaluations:
            ev.rule_set = rule_set
        both()
        results[f"recompute+validation ({rule_set})"] = median_ms(both, opts.runs)
    for ev in evaluations:
        ev.rule_set = ""
    split = _split_targets(synthetic_document(opts.projects, opts.unit_indicators, opts.project_indicators))
    split_evaluations = split.evaluations()

    def both_split():
        return [check_evaluation(ev, score_evaluation(ev)) for ev in split_evaluations]

    both_split()
    results["recompute+validation (split targets)"] = median_ms(both_split, opts.runs)
    messy_findings = len(check_document(messy))

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.pdesk"
        start = time.perf_counter()
        save_document(doc, path)  # the first save of a run (the file format comes from its cache)
        first_save = (time.perf_counter() - start) * 1000
        results["save"] = median_ms(lambda: save_document(doc, path), opts.runs)
        results["open"] = median_ms(lambda: open_document(path), opts.runs)
        size = path.stat().st_size
        old = Path(tmp) / "v1.pdesk"
        _write_version_1(doc, old)
        results["open (version 1)"] = median_ms(lambda: open_document(old), max(3, opts.runs // 4),
                                                setup=_clear_value_caches)
    findings = len(check_document(doc))

    report = {
        "document": {"evaluations": len(evaluations), "indicators": indicators, "file_bytes": size,
                     "findings": findings, "findings_in_messy_copy": messy_findings},
        "runs": opts.runs,
        "median_ms": {k: round(v[0], 2) for k, v in results.items()},
        "min_ms": {k: round(v[1], 2) for k, v in results.items()},
        "cpu_median_ms": {k: round(v[2], 2) for k, v in results.items()},
        "first_save_ms": round(first_save, 1),
        "aims_ms": AIMS_MS,
        "met": {k: results[k][0] < aim for k, aim in AIMS_MS.items()},
        "python": sys.version.split()[0],
    }
    profile_text = ""
    if opts.profile or not report["met"]["recompute+validation"]:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(10):
            both()
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
        profile_text = out.getvalue()
        report["profile_top"] = _top_functions(profiler, 10)

    if opts.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"synthetic document: {len(evaluations)} evaluations, {indicators} indicators, "
          f"{size / 1024:.0f} KiB file, {findings} findings ({messy_findings} in the copy with mistakes); "
          f"{opts.runs} runs, Python {report['python']}")
    print(f"{'':38} {'median ms':>10} {'min ms':>9} {'cpu ms':>8} {'aim ms':>8}")
    for name, (med, low, cpu) in results.items():
        aim = AIMS_MS.get(name)
        mark = "" if aim is None else ("  ok" if med < aim else "  MISSED")
        print(f"{name:38} {med:10.2f} {low:9.2f} {cpu:8.2f} {'' if aim is None else f'{aim:8.0f}'}{mark}")
    print(f"{'first save of a run':38} {first_save:10.1f}")
    if profile_text:
        print("\nprofile of recompute+validation (10 runs, by own time):")
        print(profile_text)
    return 0


def _clear_value_caches() -> None:
    """Forget every parsed value (as after opening a file)."""
    from perfdesk.model.values import read_value
    from perfdesk.scoring.methods import read_pair

    parse_value.cache_clear()
    read_value.cache_clear()
    read_pair.cache_clear()


def _with_mistakes(doc):
    """Officers' typical mistakes on every few indicators, and wrong stated totals."""
    from decimal import Decimal

    for ev in doc.evaluations():
        for i, leaf in enumerate(ev.leaves()):
            if i % 3 == 0 and leaf.weight is not None:
                leaf.score_override = leaf.weight + 1   # score_over_weight
            elif i % 5 == 1:
                leaf.actual = ""                        # actual_missing
            elif i % 7 == 2:
                leaf.actual = "见附件"                  # value_unreadable
        if ev.stated_total is not None:
            ev.stated_total += Decimal(1)               # total_mismatch, grade
    return doc


def _split_targets(doc):
    """Targets as the new editors keep them: a number, its 指标性质 and 计量单位; 按指标性质."""
    from perfdesk.model.document import Method
    from perfdesk.model.values import migrate_target

    for ev in doc.evaluations():
        for i, leaf in enumerate(ev.leaves()):
            if migrate_target(leaf, keep_text=False) and leaf.method in (Method.HIGHER, Method.LOWER):
                leaf.method = Method.AUTO
            if i % 10 == 0 and leaf.target:
                leaf.initial_target, leaf.adjust_reason = leaf.target, "年中调整"
    return doc


def _write_version_1(doc, path: Path) -> None:
    """``doc`` as a schema-version-1 file (the columns version 2 added left out)."""
    import sqlite3

    from perfdesk.store import APPLICATION_ID, SCHEMA_DIR
    from perfdesk.store.document_file import document_rows

    added = {"document": {"rule_set"}, "evaluation": {"rule_set", "project_code"},
             "indicator": {"comparison", "unit", "initial_target", "adjust_reason"}}
    conn = sqlite3.connect(path)
    conn.executescript((SCHEMA_DIR / "v1.sql").read_text(encoding="utf-8"))
    for table, rows in document_rows(doc).items():
        for row in rows:
            row = {k: v for k, v in row.items() if k not in added.get(table, ())}
            conn.execute(f'INSERT INTO "{table}" ({", ".join(row)}) VALUES ({", ".join("?" * len(row))})',
                         list(row.values()))
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def _top_functions(profiler: cProfile.Profile, n: int) -> list[dict]:
    stats = pstats.Stats(profiler).stats
    rows = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)[:n]
    return [{"function": f"{Path(file).name}:{line}({name})", "calls": nc, "tottime_ms": round(tt * 1000, 2),
             "cumtime_ms": round(ct * 1000, 2)}
            for (file, line, name), (cc, nc, tt, ct, _callers) in rows]


if __name__ == "__main__":
    sys.exit(main())
