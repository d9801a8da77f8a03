"""Start-up time: process start → main window shown (aim: under 1.5 s on 2 cores).

Runs ``python -m perfdesk --demo`` (offscreen unless a display is set) a few times with
PERFDESK_STARTUP_PROBE=1; the window prints a line when it has been shown and closes.
The time is measured from spawning the process, so it includes the interpreter's start.

    python benchmarks/bench_startup.py [--runs 5] [--file FILE.pdesk]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--file", help="open this document instead of the demo")
    opts = parser.parse_args()
    env = dict(os.environ, PERFDESK_STARTUP_PROBE="1")
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        env["PERFDESK_DATA_DIR"] = str(Path(tmp) / "data")
        env["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")  # fresh QSettings: no last file
        args = [opts.file] if opts.file else ["--demo"]
        one_run(args, env)  # warm the file cache
        times, info = [], ""
        for _ in range(opts.runs):
            t, info = one_run(args, env)
            times.append(t)
    median = statistics.median(times)
    print(f"start-up (process start → window shown), {opts.runs} runs: "
          f"median {median:.3f} s, min {min(times):.3f} s, max {max(times):.3f} s")
    print(f"probe: {info}  (heavy = heavy modules already imported at that point)")
    print("OK" if median < TARGET_SECONDS else f"SLOWER than the {TARGET_SECONDS} s target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
