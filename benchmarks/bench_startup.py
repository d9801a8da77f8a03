"""Start-up time: process start → main window shown (aim: under 1.5 s on 2 cores).

Runs ``python -m perfdesk`` (offscreen unless a display is set) a few times with
PERFDESK_STARTUP_PROBE=1; the window prints a line when it has been shown and closes.
The time is measured from spawning the process, so it includes the interpreter's start.

Cases (each the median of --runs):

* ``demo``        the built-in demo document (first start);
* ``file``        opening a document at start-up (the synthetic 50-project document,
                  or --file), the file format read from its cache (every start but the first);
* ``file, cold``  the same with an empty cache folder: the first start after installing or
                  upgrading, which compiles the SQLAlchemy Core tables (imports SQLAlchemy);
* ``import sqlalchemy`` — what that compile costs on top, alone (python -c "import sqlalchemy"
                  minus python -c "pass").

    python benchmarks/bench_startup.py [--runs 5] [--file FILE.pdesk] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
TARGET_SECONDS = 1.5


def one_run(args: list[str], env: dict) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "perfdesk", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    shown, line = None, ""
    for line in proc.stdout:
        if line.startswith("PERFDESK_SHOWN"):
            shown = time.perf_counter() - start
            break
    proc.wait(timeout=60)
    if shown is None:
        raise SystemExit(f"window was not shown: {proc.stderr.read()}")
    return shown, line.strip()


def python_seconds(code: str, env: dict) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--file", help="open this document instead of the synthetic one")
    parser.add_argument("--json", action="store_true")
    opts = parser.parse_args()
    env = dict(os.environ, PERFDESK_STARTUP_PROBE="1")
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    results: dict[str, list[float]] = {}
    info = ""
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        env["PERFDESK_DATA_DIR"] = str(data)
        env["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")  # fresh QSettings: no last file
        document = opts.file
        if document is None:
            from perfdesk.samples import synthetic_document
            from perfdesk.store.document_file import save_database

            document = str(Path(tmp) / "大文档.pdesk")
            save_database(synthetic_document(projects=50), document, remember=False)
        cases = {"demo": ["--demo"], "file": [document]}
        one_run(["--demo"], env)  # warm the file cache (and the format cache)
        for name, args in cases.items():
            results[name] = []
            for _ in range(opts.runs):
                t, info = one_run(args, env)
                results[name].append(t)
        results["file, cold format cache"] = []
        for _ in range(opts.runs):
            shutil.rmtree(data / "cache", ignore_errors=True)
            results["file, cold format cache"].append(one_run([document], env)[0])
        bare = [python_seconds("pass", env) for _ in range(opts.runs)]
        alchemy = [python_seconds("import sqlalchemy", env) for _ in range(opts.runs)]
        results["import sqlalchemy (alone)"] = [a - b for a, b in zip(sorted(alchemy), sorted(bare))]
    summary = {name: {"median": round(statistics.median(v), 3), "min": round(min(v), 3), "max": round(max(v), 3)}
               for name, v in results.items()}
    ok = all(summary[name]["median"] < TARGET_SECONDS for name in ("demo", "file"))
    if opts.json:
        print(json.dumps({"runs": opts.runs, "seconds": summary, "target": TARGET_SECONDS, "ok": ok},
                         ensure_ascii=False))
        return 0
    print(f"start-up (process start → window shown), {opts.runs} runs each:")
    for name, s in summary.items():
        print(f"  {name:28} median {s['median']:.3f} s   min {s['min']:.3f} s   max {s['max']:.3f} s")
    print(f"probe: {info}  (heavy = heavy modules already imported at that point)")
    print("OK" if ok else f"SLOWER than the {TARGET_SECONDS} s target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
