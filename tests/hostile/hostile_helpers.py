"""Helpers of the hostile-input suite (issue 10): build each case from scratch, run it bounded, measure it.

Every case runs in a child process (the real ``perfdesk`` command, or a short Python
script for the window and the store), under a hard address-space limit so that a
regression cannot take the test machine down, and is measured: wall time from
spawn to exit and the child's peak resident memory (``ru_maxrss`` from
``os.wait4``, the ``resource`` usage of that one child).
"""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TIME_LIMIT_S = 5.0
MEMORY_LIMIT_MB = 500.0
GUARD_ADDRESS_SPACE = 4 * 1024 ** 3   # a runaway child is stopped long before the machine is hurt
CJK = re.compile(r"[\u4e00-\u9fff]")

@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float
    killed: bool

    def json(self):
        return json.loads(self.stdout.strip().splitlines()[-1])


CPU_GUARD_S = 3 * 5  # a runaway child is stopped by its CPU time (SIGXCPU), not by the clock


def _limits(fsize: int | None):
    def apply():
        resource.setrlimit(resource.RLIMIT_AS, (GUARD_ADDRESS_SPACE, GUARD_ADDRESS_SPACE))
        resource.setrlimit(resource.RLIMIT_CPU, (CPU_GUARD_S, CPU_GUARD_S + 5))
        if fsize is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    return apply


def run_child(argv: list[str], env: dict, *, timeout: float = 30.0, fsize: int | None = None,
              stdin: bytes | None = None, cwd: Path = ROOT) -> Run:
    if not hasattr(os, "wait4"):
        pytest.skip("needs os.wait4 (POSIX) to measure the child's peak memory")
    # The wall clock only guards against a child that waits forever (a modal dialog, a lock):
    # on a loaded machine a bounded child may take many times its CPU time to finish.
    timeout = max(timeout * 6, 120.0)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_limits(fsize))
    out: dict[str, bytes] = {}

    def drain(name, stream):
        out[name] = stream.read()

    readers = [threading.Thread(target=drain, args=(n, s), daemon=True)
               for n, s in (("stdout", proc.stdout), ("stderr", proc.stderr))]
    for reader in readers:
        reader.start()
    if stdin is not None:
        try:
            proc.stdin.write(stdin)
            proc.stdin.close()
        except BrokenPipeError:
            pass
    killed = False
    timer = threading.Timer(timeout, lambda: proc.kill())
    timer.start()
    try:
        _pid, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    wall = time.perf_counter() - start
    # the bound is the child's CPU time: a machine loaded by other work must not fail a case
    # that is bounded, while a case that is not (a hang, a blow-up) exceeds it whatever the load
    seconds = usage.ru_utime + usage.ru_stime
    proc.returncode = os.waitstatus_to_exitcode(status)
    if (proc.returncode == -signal.SIGKILL and wall >= timeout) or proc.returncode in (
            -signal.SIGXCPU, -signal.SIGKILL) and seconds >= CPU_GUARD_S:
        killed = True
    for reader in readers:
        reader.join(10)
    peak_mb = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 1024 / 1024
    return Run(proc.returncode, out.get("stdout", b"").decode("utf-8", "replace"),
               out.get("stderr", b"").decode("utf-8", "replace"), seconds, peak_mb, killed)


def _hostile_env(tmp_path_factory) -> dict:
    """A clean per-user world for the children (data, settings, home), its file-format cache warmed once."""
    base = tmp_path_factory.mktemp("hostile-world")
    env = dict(os.environ)
    env.update({
        "PERFDESK_DATA_DIR": str(base / "data"), "XDG_CONFIG_HOME": str(base / "config"),
        "HOME": str(base / "home"), "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    (base / "home").mkdir()
    subprocess.run([sys.executable, "-c", "from perfdesk.store.spec import schema_spec; schema_spec()"],
                   cwd=ROOT, env=env, check=True, timeout=120)
    return env


def _perfdesk(hostile_env):
    """Run ``python -m perfdesk ARGS`` bounded and measured."""
    def run(*args, **kwargs) -> Run:
        return run_child([sys.executable, "-m", "perfdesk", *map(str, args)], hostile_env, **kwargs)
    return run


PRELUDE = """
import json, os, sys, time
sys.path.insert(0, {root!r})
"""


def _script(hostile_env):
    """Run a Python snippet bounded and measured; it prints one JSON line as its last line."""
    def run(code: str, *args, **kwargs) -> Run:
        source = PRELUDE.format(root=str(ROOT)) + textwrap.dedent(code)
        return run_child([sys.executable, "-c", source, *map(str, args)], hostile_env, **kwargs)
    return run


def assert_bounded(run: Run) -> None:
    assert not run.killed, f"did not finish: {run.stderr[-2000:]}"
    assert run.seconds < TIME_LIMIT_S, f"took {run.seconds:.1f} s"
    assert run.peak_mb < MEMORY_LIMIT_MB, f"peak memory {run.peak_mb:.0f} MB"


def assert_refused(run: Run, *words: str, forbidden: tuple[str, ...] = ()) -> None:
    """Exit 2, a short Chinese reason naming what is wrong, no traceback, in time and memory."""
    assert_bounded(run)
    assert run.code == 2, (run.code, run.stderr[-2000:])
    assert CJK.search(run.stderr), run.stderr
    assert "Traceback" not in run.stderr and "内部错误" not in run.stderr, run.stderr[-2000:]
    assert len(run.stderr) < 1000, f"message of {len(run.stderr)} characters"
    for word in words:
        assert word in run.stderr, (word, run.stderr)
    for word in forbidden:
        assert word not in run.stderr, (word, run.stderr)


# --- building files ----------------------------------------------------------------------------------

def small_document():
    from perfdesk.model.document import Document, Evaluation, EvaluationKind, Indicator, Method, UnitProfile

    unit = Evaluation(kind=EvaluationKind.UNIT, name="部门整体", template="unit-mof", layout="unit-mof")
    group = unit.add(Indicator(name="产出指标"))
    group.add(Indicator(name="参保人数", weight=__import__("decimal").Decimal("10"), target="≥10万人",
                        actual="11万人", method=Method.HIGHER))
    return Document(unit=UnitProfile(name="测试单位"), year=2024, unit_evaluation=unit,
                    projects=[Evaluation(name="项目甲", template="project-mof", layout="project-mof")])


def write_document(path: Path, doc=None) -> Path:
    from perfdesk.store.document_file import save_database

    save_database(doc or small_document(), path, remember=False)
    return path


def tamper(path: Path, *statements: str) -> Path:
    """Change a saved document with SQLite itself (as an attacker would), keeping its header."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA writable_schema = ON")
        for statement in statements:
            conn.executescript(statement)
        conn.commit()
    finally:
        conn.close()
    return path


def raw_xlsx(path: Path, sheet_xml: str, shared_strings_xml: str | None = None) -> Path:
    """A minimal .xlsx written byte by byte (no library between the test and the hostile content)."""
    import zipfile

    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
             'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
             'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
             '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
             'officedocument.spreadsheetml.worksheet+xml"/>'
             + ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                'officedocument.spreadsheetml.sharedStrings+xml"/>' if shared_strings_xml is not None else "")
             + '</Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    workbook = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
                'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
    workbook_rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                     'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                     'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                     + ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                        'relationships/sharedStrings" Target="sharedStrings.xml"/>'
                        if shared_strings_xml is not None else "")
                     + '</Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", types)
        zf.writestr("_rels/.rels", rels)
        zf.writestr("xl/workbook.xml", workbook)
        zf.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        zf.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if shared_strings_xml is not None:
            zf.writestr("xl/sharedStrings.xml", shared_strings_xml)
    return path


SHEET_OPEN = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
              'spreadsheetml/2006/main"><sheetData>')


def inline_row(r: int, *texts: str) -> str:
    cells = "".join(f'<c r="{chr(65 + i)}{r}" t="inlineStr"><is><t>{t}</t></is></c>' for i, t in enumerate(texts))
    return f'<row r="{r}">{cells}</row>'
