"""Hostile inputs for the import (issue 10 item 6, issue 13): every reader is bounded and linear.

Each case runs the import in a fresh Python process and measures its wall time and its peak
memory (``resource``): a pattern that backtracks, a quadratic loop or an unbounded copy shows
as seconds or hundreds of megabytes, not as a hang of the whole test run.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED_004 = next((ROOT / "tests" / "fixtures" / "seeds").glob("004_*.txt"), None)
MAX_SECONDS = 5.0
MAX_MB = 500

_RUNNER = r"""
import resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (2 * 1024 ** 3, 2 * 1024 ** 3))
from perfdesk.exchange.importing import ImportFailed, import_file
start = time.perf_counter()
try:
    result = import_file(sys.argv[1])
    outcome = "imported"
except ImportFailed as exc:
    outcome = "refused: " + str(exc)[:200]
print(repr((time.perf_counter() - start, outcome)))
"""


def run_import(path: Path) -> tuple[float, float, str]:
    """(seconds inside the import, peak MB of the process, outcome) of ``import_file(path)``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _RUNNER, str(path)], capture_output=True, text=True,
                          timeout=120, cwd=str(ROOT))
    wall = time.perf_counter() - started
    assert done.returncode == 0, done.stderr[-2000:]
    seconds, outcome = eval(done.stdout.strip().splitlines()[-1])  # noqa: S307 - our own repr
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert seconds <= wall
    return seconds, max(peak_kb, before) / 1024, outcome


def _check(path: Path) -> str:
    seconds, mb, outcome = run_import(path)
    assert seconds < MAX_SECONDS, f"{path.name}: {seconds:.1f} s"
    assert mb < MAX_MB, f"{path.name}: {mb:.0f} MB"
    return outcome


@pytest.mark.skipif(SEED_004 is None, reason="seed 004 missing")
def test_jinzhong_form_with_3000_spaces_in_one_cell(tmp_path):
    """10.8 KB: the 主管部门及代码 cell padded with 3,000 spaces (was 52 s, a cubic pattern)."""
    lines = SEED_004.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        if line.startswith("主管部门及代码"):
            cells = line.split("\t")
            cells[2] = "晋中市人力资源和社会保障局" + " " * 3000 + "(077"
            lines[i] = "\t".join(cells)
        if line.startswith("负责人"):
            lines[i] = line.replace("：", "：" + " \t" * 500, 1)
    text = "\n".join(lines)
    path = tmp_path / "jinzhong.txt"
    path.write_text(text, encoding="utf-8")
    assert 10_000 <= path.stat().st_size <= 14_000
    assert _check(path) == "imported"


def test_group_label_of_106_kb(tmp_path):
    """A level-1 cell of 106 KB: a name, a long run of spaces, brackets (was 47 s, quadratic)."""
    cell = "产出指标" + " " * 61_000 + "（" * 5_000 + " " * 30_000 + "(50"
    text = "一级指标\t二级指标\t三级指标\t指标值\t实际完成值\t分值\t得分\n" + cell + "\t数量指标\t人数\t10人\t10人\t10\t10\n"
    path = tmp_path / "group.txt"
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size >= 106_000
    assert _check(path) == "imported"


def test_one_long_line_without_separators(tmp_path):
    """1 MB of text run together (a PDF copy without any cell separator)."""
    text = ("项目名称测试项目主管部门测试局实施单位测试中心年度资金总额1001009510100%10" * 20_000)[:1_000_000]
    path = tmp_path / "run.txt"
    path.write_text(text, encoding="utf-8")
    _check(path)


def test_html_with_hostile_spans_and_nesting(tmp_path):
    rows = "".join(f"<tr><td rowspan=100000 colspan=1000>产出指标{i}</td><td>x</td></tr>" for i in range(2000))
    nested = "<table><tr><td>" * 300 + "深" + "</td></tr></table>" * 300
    path = tmp_path / "page.html"
    path.write_text(f"<html><body><table>{rows}</table>{nested}</body></html>", encoding="utf-8")
    _check(path)


def test_pipe_rows_of_many_cells(tmp_path):
    """A web table saved as text: 2,000 rows of 200 cells each, every row shorter than its header."""
    header = "一级指标 | 二级指标 | 三级指标 | 指标值 | 实际完成值 | 分值 | 得分 | " + " | ".join(["x"] * 40) + " |"
    body = "\n".join(" | ".join(["指标", "≥1", "1", "1", "1"] * 40) + " ||" for _ in range(2000))
    path = tmp_path / "pipes.txt"
    path.write_text(header + "\n" + body, encoding="utf-8")
    _check(path)
