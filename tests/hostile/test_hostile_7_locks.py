"""Issue 10, case 7: locks.

A stale lock whose process id was reused (Windows after a power cut: no boot id) locked the
officer out with no way on, and taking over a stale lock was not atomic. Now a lock names the
program and its process's start time; a reused id, a lock from before the last boot, a
vanished process are stale; what cannot be checked can be taken over after the officer
confirms; and of many processes taking over one stale lock, exactly one wins.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from hostile_helpers import ROOT, assert_bounded, assert_refused, write_document


def _host():
    from perfdesk.store.lock import _host

    return _host()


def _live_unrelated_process():
    """A running process that is not perfdesk (its id is what a reused id looks like)."""
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


def _write_lock(doc, **holder):
    lock = doc.with_name(doc.name + ".lock")
    lock.write_text(json.dumps({"app": "perfdesk", "host": _host(), "user": "昨天的我", "token": "old", **holder}),
                    encoding="utf-8")
    return lock


def test_a_reused_process_id_does_not_lock_the_officer_out(perfdesk, script, tmp_path):
    from perfdesk.store.lock import boot_time

    doc = write_document(tmp_path / "a.pdesk")
    other = _live_unrelated_process()
    try:
        time.sleep(0.2)
        # yesterday's perfdesk had this id and started long before the process that has it now
        lock = _write_lock(doc, pid=other.pid, started=time.time() - 86400, time="2026-01-01T09:00:00+08:00")
        run = perfdesk("demo", "-o", doc)  # the command line respects live locks only
        assert run.code == 0, run.stderr
        assert not lock.exists()
        # Windows after a power cut: no boot id, no start time, the id taken by another program —
        # but the lock is older than the boot
        booted = boot_time()
        assert booted is not None
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(booted - 3600))
        _write_lock(doc, pid=other.pid, time=stamp)
        run = script("""
            from perfdesk.ui.app import create_application
            from perfdesk.ui import dialogs
            from perfdesk.ui.document_controller import open_locked
            app = create_application()
            asked = []
            dialogs.ask_yes_no = lambda parent, message, title=None: asked.append(message) or False
            dialogs.error = lambda parent, message, title=None: asked.append(message)
            result = open_locked(sys.argv[1])
            print(json.dumps({"opened": result is not None, "asked": asked}, ensure_ascii=False))
            result[1].release()
        """, doc)
        assert_bounded(run)
        verdict = run.json()
        assert verdict["opened"] and verdict["asked"] == []  # stale: taken over without a question
    finally:
        other.kill()
        other.wait()


def test_a_lock_that_cannot_be_checked_is_taken_over_only_after_confirming(perfdesk, script, tmp_path):
    doc = write_document(tmp_path / "b.pdesk")
    other = _live_unrelated_process()
    try:
        # same computer, the process runs, but the lock (an older perfdesk's) has no start time
        _write_lock(doc, pid=other.pid, time=time.strftime("%Y-%m-%dT%H:%M:%S%z"))
        run = perfdesk("demo", "-o", doc)
        assert_refused(run, "无法确认", "命令行不会改动正被打开的文档")
        run = script("""
            from perfdesk.ui.app import create_application
            from perfdesk.ui import dialogs
            from perfdesk.ui.document_controller import open_locked
            app = create_application()
            asked = []
            answers = iter([False, True])
            dialogs.ask_yes_no = lambda parent, message, title=None: asked.append(message) or next(answers)
            first = open_locked(sys.argv[1])
            second = open_locked(sys.argv[1])
            holder = json.load(open(sys.argv[1] + ".lock", encoding="utf-8"))
            print(json.dumps({"first": first is None, "second": second is not None, "asked": asked,
                              "holder_pid": holder["pid"], "me": os.getpid(), "app": holder["app"],
                              "started": holder["started"]}, ensure_ascii=False))
        """, doc)
        assert_bounded(run)
        verdict = run.json()
        assert verdict["first"] and verdict["second"] and len(verdict["asked"]) == 2
        assert "强制打开" in verdict["asked"][0]
        assert verdict["holder_pid"] == verdict["me"] and verdict["app"] == "perfdesk"
        assert isinstance(verdict["started"], float)  # the lock names its process's start time
    finally:
        other.kill()
        other.wait()


TAKER = """
import json, os, sys, time
from perfdesk.store import DocumentLock, DocumentLockedError
start_at = float(sys.argv[2])
while time.time() < start_at:
    pass
try:
    lock = DocumentLock.acquire(sys.argv[1])
    print("HELD" if lock.held else "UNHELD", flush=True)
    time.sleep(1.5)
    lock.release()
except DocumentLockedError:
    print("LOCKED", flush=True)
"""


def test_taking_over_a_stale_lock_is_atomic(tmp_path, hostile_env):
    """Eight processes take over the same stale lock at the same instant, five times: exactly one wins."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    started = time.perf_counter()
    for round_ in range(5):
        doc = write_document(tmp_path / f"race{round_}.pdesk")
        _write_lock(doc, pid=dead.pid, started=time.time() - 10, time=time.strftime("%Y-%m-%dT%H:%M:%S%z"))
        start_at = time.time() + 1.0
        takers = [subprocess.Popen([sys.executable, "-c", TAKER, str(doc), str(start_at)], cwd=ROOT,
                                   env=hostile_env, stdout=subprocess.PIPE, text=True) for _ in range(8)]
        results = sorted(t.communicate(timeout=60)[0].strip() for t in takers)
        assert results.count("HELD") == 1 and results.count("LOCKED") == 7, results
        assert not list(tmp_path.glob("*.takeover")) and not list(tmp_path.glob("*.lock.*.tmp"))
    assert time.perf_counter() - started < 30


def test_takeover_interleavings_leave_exactly_one_holder(tmp_path):
    """The interleavings a race can produce, step by step: a second taker who judged the same stale lock
    finds it replaced and judges again; a taker who finds another one mid-takeover waits."""
    from perfdesk.store import DocumentLock, DocumentLockedError
    from perfdesk.store.lock import _read_raw, _take_over, lock_path_for

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    doc = write_document(tmp_path / "步骤.pdesk")
    lock_file = _write_lock(doc, pid=dead.pid, started=time.time() - 10, time=time.strftime("%Y-%m-%dT%H:%M:%S%z"))
    judged_by_a = _read_raw(lock_file)
    judged_by_b = _read_raw(lock_file)  # both saw the same stale lock
    assert _take_over(lock_file, judged_by_a, b'{"token": "a"}') == "taken"
    assert _take_over(lock_file, judged_by_b, b'{"token": "b"}') == "busy"  # not the lock B judged any more
    assert json.loads(lock_file.read_text(encoding="utf-8"))["token"] == "a"
    # a taker that died between its marker and the replacement blocks others only for a while
    marker = lock_path_for(doc).with_name(lock_file.name + ".takeover")
    marker.write_bytes(b"")
    assert _take_over(lock_file, _read_raw(lock_file), b'{"token": "c"}') == "busy"
    old = time.time() - 60
    import os

    os.utime(marker, (old, old))
    assert _take_over(lock_file, _read_raw(lock_file), b'{"token": "c"}') == "busy"  # removes the old marker
    assert not marker.exists()
    assert _take_over(lock_file, _read_raw(lock_file), b'{"token": "c"}') == "taken"
    with pytest.raises(DocumentLockedError) as refused:
        DocumentLock.acquire(doc)  # a lock naming no computer cannot be checked: refused without force
    assert refused.value.can_take_over
