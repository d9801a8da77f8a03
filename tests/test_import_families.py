"""Form families behind the layout registry, and run-together values split by the form's arithmetic."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from perfdesk.exchange.readers.stream import split_fund_values, split_values
from perfdesk.exchange.text_import import import_text
from perfdesk.model import layouts
from perfdesk.model.layouts import LayoutError

ROOT = Path(__file__).resolve().parents[1]


def test_every_family_is_named_by_a_layout_file_with_its_source():
    families = layouts.import_families()
    labels = {f.label for f in families}
    assert {"财政部格式", "江苏格式", "晋中格式", "四川格式", "评分表格式", "两行表头格式"} <= labels
    for family in families:
        assert callable(family.recognise()) and callable(family.read())
        assert len(family.source) > 10
        assert layouts.get_layout(family.layout).kind in ("unit", "project")


def test_a_bad_also_reads_entry_is_a_chinese_error(tmp_path, monkeypatch):
    import shutil

    from perfdesk import templates
    from perfdesk.resources import resources_dir

    folder = tmp_path / "resources"
    for part in ("layouts", "templates"):
        shutil.copytree(resources_dir() / part, folder / part)
    path = folder / "layouts" / "project-mof.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["also_reads"] = [{"label": "坏的", "source": "无", "recogniser": "no-colon", "reader": "a:b"}]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("PERFDESK_RESOURCES", str(folder))
    layouts._registry.cache_clear()
    templates._load_all.cache_clear()
    try:
        with pytest.raises(LayoutError, match="also_reads.*模块:函数"):
            layouts.layouts()
    finally:
        monkeypatch.delenv("PERFDESK_RESOURCES")
        layouts._registry.cache_clear()
        templates._load_all.cache_clear()


@pytest.mark.parametrize("text, roles, expected", [
    ("10≥266米≥266米10", ["weight", "target", "actual", "score"],
     {"weight": "10", "target": "≥266米", "actual": "≥266米", "score": "10"}),
    ("20100%100%20", ["weight", "target", "actual", "score"],
     {"weight": "20", "target": "100%", "actual": "100%", "score": "20"}),
    ("1020万元20万元10", ["weight", "target", "actual", "score"],
     {"weight": "10", "target": "20万元", "actual": "20万元", "score": "10"}),
    ("≥80%100%5%5", ["target", "actual", "weight", "score"],
     {"target": "≥80%", "actual": "100%", "weight": "5%", "score": "5"}),
    ("10显著提升显著提升10", ["weight", "target", "actual", "score"],
     {"weight": "10", "target": "显著提升", "actual": "显著提升", "score": "10"}),
])
def test_values_run_together_are_split_by_columns_and_arithmetic(text, roles, expected):
    found = split_values(text, roles)
    found.pop("_fit")
    assert found == expected


def test_fund_figures_run_together_are_split_by_the_execution_rate():
    roles = ["annual_budget", "spent", "weight", "rate", "score"]
    assert split_fund_values("202010100.00%10", roles, None) == {
        "annual_budget": "20", "spent": "20", "weight": "10", "rate": "100.00%", "score": "10"}
    assert split_fund_values("194.9194.9100%", ["annual_budget", "spent", "rate"], None) == {
        "annual_budget": "194.9", "spent": "194.9", "rate": "100%"}


RUN_TOGETHER = (
    "绩效目标自评表(2022年度)项目名称乡村水利设施维修项目主管部门某县水利局实施单位某县水利局"
    "资金情况(万元)全年预算数(A)全年执行数(B)分值执行率(B/A)得分年度资金总额:505010100.00%10"
    "绩效指标一级指标二级指标三级指标分值年度指标值全年实际值得分未完成原因及拟采取的改进措施"
    "产出指标(50分)数量指标维修渠道长度30≥12公里≥12公里30质量指标工程验收合格率20100%100%20"
    "效益指标(30分)社会效益指标受益群众人数30≥2000人≥2000人30"
    "满意度指标(10分)服务对象满意度指标受益群众满意度10≥95%≥96%10总分100100"
)


def test_a_form_copied_with_every_cell_run_together():
    result = import_text(RUN_TOGETHER)
    (ev,) = result.document.projects
    assert result.document.year == 2022 and ev.name == "乡村水利设施维修项目"
    assert ev.budget.total.annual_budget == 50_000_000 and ev.execution.stated_score == 10
    assert [(n.name, n.weight, n.target, n.actual, n.score_override) for n in ev.leaves()] == [
        ("维修渠道长度", 30, "≥12公里", "≥12公里", 30), ("工程验收合格率", 20, "100%", "100%", 20),
        ("受益群众人数", 30, "≥2000人", "≥2000人", 30), ("受益群众满意度", 10, "≥95%", "≥96%", 10)]
    assert ev.stated_total == Decimal(100)


def test_cli_import_json_report(tmp_path):
    source = tmp_path / "自评表.txt"
    source.write_text(RUN_TOGETHER, encoding="utf-8")
    out = tmp_path / "out.pdesk"
    done = subprocess.run([sys.executable, "-m", "perfdesk", "import", str(source), "-o", str(out), "--json"],
                          capture_output=True, text=True, cwd=str(ROOT), timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["reader"] == "文本" and report["output"] == str(out)
    (form,) = report["forms"]
    assert (form["kind"], form["name"], form["indicators"]) == ("project", "乡村水利设施维修项目", 4)
    assert out.is_file()
    bad = subprocess.run([sys.executable, "-m", "perfdesk", "import", str(tmp_path / "无.docx"), "-o", str(out)],
                         capture_output=True, text=True, cwd=str(ROOT), timeout=120)
    assert bad.returncode == 2 and "找不到文件" in bad.stderr and "Traceback" not in bad.stderr
