"""The headless CLI: exact forms used by acceptance checks (issue 2 §8)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from perfdesk.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "tests" / "fixtures" / "seeds"


def run(*args):
    """Run the real command in a subprocess (as an officer or a script would)."""
    return subprocess.run([sys.executable, "-m", "perfdesk", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_demo_then_check_json(tmp_path):
    doc = tmp_path / "演示.pdesk"
    r = run("demo", "-o", str(doc))
    assert r.returncode == 0, r.stderr
    assert doc.stat().st_size > 0
    r = run("check", str(doc), "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert set(report) == {"unit", "year", "evaluations"}
    assert report["unit"] == "永州市零陵区社会保险服务中心" and report["year"] == 2022
    kinds = [ev["kind"] for ev in report["evaluations"]]
    assert kinds == ["unit", "project", "project", "project", "project"]
    for ev in report["evaluations"]:
        assert set(ev) == {"kind", "name", "total", "stated_total", "grade", "weight_total", "findings"}
        assert ev["grade"] in ("优", "良", "中", "差")
        assert isinstance(ev["total"], (int, float)) and isinstance(ev["weight_total"], (int, float))
        for f in ev["findings"]:
            assert set(f) == {"severity", "code", "message", "where"}
            assert f["severity"] in ("error", "warning")
    unit = report["evaluations"][0]
    assert unit["total"] == 94 and unit["stated_total"] == 94 and unit["grade"] == "优"
    codes = {f["code"] for f in unit["findings"]}
    assert "execution_rate_mismatch" in codes  # the form divides by 年初预算数
    totals = {ev["name"]: ev["total"] for ev in report["evaluations"][1:]}
    assert totals["城乡居保参保乡镇考核"] == 75


def test_check_text_is_readable_chinese(tmp_path):
    doc = tmp_path / "d.pdesk"
    assert main(["demo", "-o", str(doc)]) == 0
    r = run("check", str(doc))
    assert r.returncode == 0
    assert "总分" in r.stdout and "等级" in r.stdout and "永州市零陵区社会保险服务中心" in r.stdout
    assert "Traceback" not in r.stdout + r.stderr
    # as in the window: the unit form (分值合计 100) is graded, 城乡居保参保乡镇考核 (分值合计 90) is not
    lines = r.stdout.splitlines()
    after = {lines[i - 1].strip(): line for i, line in enumerate(lines) if line.strip().startswith("总分")}
    assert "等级 优" in after["【部门整体】永州市零陵区社会保险服务中心"]
    assert "等级 —（分值合计不是 100）" in after["【项目】城乡居保参保乡镇考核"]


def test_import_text_every_seed(tmp_path):
    expected_projects = {"000": 0, "001": 2, "002": 4, "003": 0, "004": 1}
    for seed in sorted(SEEDS.glob("*.txt")):
        out = tmp_path / (seed.stem + ".pdesk")
        r = run("import-text", str(seed), "-o", str(out))
        assert r.returncode == 0, (seed.name, r.stderr)
        report = json.loads(run("check", str(out), "--json").stdout)
        projects = [ev for ev in report["evaluations"] if ev["kind"] == "project"]
        assert len(projects) == expected_projects[seed.name[:3]], seed.name


@pytest.mark.parametrize("content", [b"", b"not a database at all", b"SQLite format 3\x00" + b"\x00" * 50])
def test_unreadable_file_exit_2_with_chinese_message(tmp_path, content):
    bad = tmp_path / "坏文件.pdesk"
    bad.write_bytes(content)
    before = bad.read_bytes()
    r = run("check", str(bad), "--json")
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and r.stdout == ""
    assert any("\u4e00" <= ch <= "\u9fff" for ch in r.stderr)
    assert bad.read_bytes() == before


def test_missing_file_and_bad_arguments(tmp_path):
    r = run("check", str(tmp_path / "无此文件.pdesk"))
    assert r.returncode == 2 and "找不到文件" in r.stderr
    r = run("import-text", str(tmp_path / "无.txt"), "-o", str(tmp_path / "o.pdesk"))
    assert r.returncode == 2 and not (tmp_path / "o.pdesk").exists()
    r = run("export-pdf")
    assert r.returncode == 2 and "参数错误" in r.stderr


def test_import_text_refuses_a_file_with_no_form(tmp_path):
    src = tmp_path / "随笔.txt"
    src.write_text("今天天气很好。\n没有任何表格。\n", encoding="utf-8")
    out = tmp_path / "o.pdesk"
    r = run("import-text", str(src), "-o", str(out))
    assert r.returncode == 2 and not out.exists()
    assert "Traceback" not in r.stderr


def test_import_text_reads_gb18030_and_refuses_binary(tmp_path):
    seed = next(SEEDS.glob("000_*.txt"))
    gbk = tmp_path / "旧表格.txt"
    gbk.write_bytes(seed.read_text(encoding="utf-8").encode("gb18030"))
    out = tmp_path / "o.pdesk"
    assert main(["import-text", str(gbk), "-o", str(out)]) == 0
    assert json.loads(run("check", str(out), "--json").stdout)["unit"] == "如皋市被征地农民基本生活保障资金管理中心"
    binary = tmp_path / "图片.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    r = run("import-text", str(binary), "-o", str(tmp_path / "b.pdesk"))
    assert r.returncode == 2 and "不是文本文件" in r.stderr
