"""kill -9 during save: a document must never be damaged, and no temporary file may stay behind.

Each iteration starts a process that locks the document (as the window does) and saves it
over and over (the synthetic 50-project document, a different unit name each time); after a
random delay the process is killed with SIGKILL — often in the middle of a save (writes are
slowed to a USB stick's ~10 MB/s and a 50 ms flush, unless --native). Then the
document is reopened the way the window does it: the stale lock is taken over, the temporary
files of interrupted saves are settled (a complete one newer than the document is offered;
here it is accepted at random) and the document is opened. Counted: damaged documents (must
be 0), temporary files left after reopening (must be 0), and how the kills landed.

    python benchmarks/bench_kill_save.py [--iterations 100] [--max-delay 0.6] [--seed 1] [--json]

The test suite runs a short version (tests/hostile/test_hostile_8_leftovers.py).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SAVER = """
import os, sys, time
from perfdesk.samples import synthetic_document
from perfdesk.store import DocumentLock, atomic, save_document
path, projects, usb = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "usb"
if usb:  # a USB stick: ~10 MB/s in 64 KB writes, a slow flush
    def slow_write(f, data):
        view = memoryview(data)
        for start in range(0, len(view), 65536):
            f.write(view[start:start + 65536])
            time.sleep(0.0065)
    real_fsync = os.fsync
    def slow_fsync(fd):
        time.sleep(0.05)
        real_fsync(fd)
    atomic._write_data = slow_write
    os.fsync = slow_fsync
lock = DocumentLock.acquire(path)
doc = synthetic_document(projects=projects)
print("READY", flush=True)
n = 0
while True:
    n += 1
    doc.unit.name = f"第{n}次保存"
    save_document(doc, path)
"""


def run(iterations: int, max_delay: float, seed: int, projects: int, usb: bool = True) -> dict:
    from perfdesk.samples import synthetic_document
    from perfdesk.store import DocumentFileError, DocumentLock, find_leftovers, open_document, save_document
    from perfdesk.store.atomic import has_leftovers

    rng = random.Random(seed)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        env.setdefault("PERFDESK_DATA_DIR", str(Path(tmp) / "data"))
        path = Path(tmp) / "被打断的文档.pdesk"
        doc = synthetic_document(projects=projects)
        doc.unit.name = "第0次保存"
        save_document(doc, path)
        counts = {"iterations": iterations, "damaged": 0, "leftovers_after_reopen": 0, "lock_not_taken_over": 0,
                  "kills_leaving_temp_files": 0, "complete_newer_offered": 0, "interrupted_save_completed": 0,
                  "unexpected_content": 0}
        started = time.perf_counter()
        for _ in range(iterations):
            saver = subprocess.Popen([sys.executable, "-c", SAVER, str(path), str(projects), "usb" if usb else "-"],
                                     cwd=ROOT, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            if saver.stdout.readline().strip() != "READY":
                raise SystemExit("the saving process did not start")
            time.sleep(rng.uniform(0.0, max_delay))
            os.kill(saver.pid, signal.SIGKILL)
            saver.wait()
            # reopen as the window does
            reopen_started = time.perf_counter()
            lock = DocumentLock.acquire(path)
            if not lock.held:
                counts["lock_not_taken_over"] += 1
            leftovers = find_leftovers(path)
            if leftovers:
                counts["kills_leaving_temp_files"] += 1
            if any(lo.complete for lo in leftovers):
                counts["complete_newer_offered"] += 1

            def use(_leftover) -> bool:
                accept = rng.random() < 0.5
                counts["interrupted_save_completed"] += accept
                return accept

            from perfdesk.store import settle_leftovers

            settle_leftovers(path, use)
            if has_leftovers(path):
                counts["leftovers_after_reopen"] += 1
            try:
                name = open_document(path).unit.name
                if not (name.startswith("第") and name.endswith("次保存")):
                    counts["unexpected_content"] += 1
            except DocumentFileError:
                counts["damaged"] += 1
            lock.release()
            counts["max_reopen_seconds"] = round(max(counts.get("max_reopen_seconds", 0.0),
                                                     time.perf_counter() - reopen_started), 3)
        counts["seconds"] = round(time.perf_counter() - started, 1)
        counts["files_in_folder"] = sorted(p.name for p in Path(tmp).iterdir() if p.name != "data")
    counts["ok"] = (counts["damaged"] == 0 and counts["leftovers_after_reopen"] == 0
                    and counts["lock_not_taken_over"] == 0 and counts["unexpected_content"] == 0
                    and counts["files_in_folder"] == ["被打断的文档.pdesk"])
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--max-delay", type=float, default=0.6, help="longest wait before the kill (s)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--projects", type=int, default=50, help="size of the synthetic document")
    parser.add_argument("--native", action="store_true",
                        help="write at the speed of this disk (default: as slowly as a USB stick)")
    parser.add_argument("--json", action="store_true")
    opts = parser.parse_args(argv)
    result = run(opts.iterations, opts.max_delay, opts.seed, opts.projects, usb=not opts.native)
    result["disk"] = "native" if opts.native else "usb-speed"
    if opts.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key:28} {value}")
        print("OK" if result["ok"] else "FAILED")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
