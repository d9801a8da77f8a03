"""Frameworks as templates (issue 14 part 4): 四川 project and 部门整体, 湖北 20/40/40,
财预〔2020〕10号 决策/过程/产出/效益 — their weights, rule sets, layouts and printed forms."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal as D

import pytest

from perfdesk import templates
from perfdesk.checks import ERROR, check_evaluation
from perfdesk.model.amounts import parse_wan
from perfdesk.model.document import SOURCES, Amounts, Method, Tier
from perfdesk.model.layouts import get_layout, layout_of
from perfdesk.scoring import score_evaluation


def weights(ev):
    return [(g.name, score_evaluation(ev).of(g).weight) for g in ev.indicators]


@pytest.mark.parametrize("template_id", [t.id for t in templates.list_templates()])
def test_every_template_starts_without_errors(template_id):
    t = templates.load_template(template_id)
    ev = templates.new_evaluation(template_id, "新表")
    s = score_evaluation(ev)
    assert s.weight_total == 100, template_id
    assert {f.code for f in check_evaluation(ev, s) if f.severity == ERROR} == set(), template_id
    assert t.rule_set and s.rules.id == t.rule_set


def test_sichuan_project_form():
    ev = templates.new_evaluation("project-sichuan", "项目")
    assert ev.execution.weight == 10
    assert weights(ev) == [("产出指标", 50), ("效益指标", 30), ("满意度指标", 10)]
    layout = layout_of(ev.layout, "project")
    assert layout.funding_rows == ("fiscal_funds", "special_account_funds", "unit_funds", "other_funds")
    assert layout.has_execution_line and layout.has_deviation_column and "510000_0013zp" in layout.source


def test_hubei_20_40_40():
    for template_id in ("unit-hubei", "project-hubei"):
        ev = templates.new_evaluation(template_id, "表")
        assert ev.execution.weight == 20
        # as on 湖北's published forms: 产出指标(40分), 效益指标(30分), 满意度指标(10分) — 效益 + 满意度 = 40
        assert weights(ev) == [("产出指标", 40), ("效益指标", 30), ("满意度指标", 10)]
        assert score_evaluation(ev).rules.id == "hubei"


def test_sichuan_unit_25_30_45():
    """The 四川 部门整体 framework as published (达州市农业农村局's 评分表)."""
    ev = templates.new_document("unit-sichuan", 2024, "单位").unit_evaluation
    assert ev.execution is None
    assert weights(ev) == [("部门决策", 25), ("综合管理", 30), ("部门绩效情况", 45)]
    s = score_evaluation(ev)
    assert [(g.name, s.of(g).weight) for g in ev.indicators[0].children] == [("目标任务", 15), ("预算编制", 10)]
    assert [(g.name, s.of(g).weight) for g in ev.indicators[2].children] == [
        ("履职成效", 20), ("可持续发展能力", 15), ("满意度", 10)]
    satisfaction = ev.indicators[2].children[-1]
    assert [(n.name, n.weight) for n in satisfaction.children] == [
        ("协作部门满意度", 3), ("管理对象满意度", 3), ("社会公众满意度", 4)]
    assert len([n for n in ev.indicators[1].walk() if not n.children]) == 16  # 综合管理 as published


def test_unit_framework_common_indicators_are_deductions():
    ev = templates.new_document("unit-framework", 2024, "单位").unit_evaluation
    deductions = {n.name: n for n in ev.leaves() if n.method is Method.DEDUCTION}
    assert set(deductions) == {"“三公经费”变动率", "在职人员控制率"}
    three = deductions["“三公经费”变动率"]
    three.actual = "2%"
    assert score_evaluation(ev).of(three).computed == D("4")  # 5 − 2 × 0.5
    three.actual = "下降5%"
    assert score_evaluation(ev).of(three).computed == 5


def test_mof_2020_framework():
    ev = templates.new_evaluation("project-framework-2020", "项目")
    assert weights(ev) == [("决策", 20), ("过程", 20), ("产出", 30), ("效益", 30)]
    layout = get_layout(ev.layout)
    assert layout.has_rule_column and not layout.has_execution_line and "财预〔2020〕10号" in layout.source
    assert all(n.rule_text for n in ev.leaves())


def test_new_funding_rows_keep_the_old_keys():
    keys = [key for key, _, _ in SOURCES]
    assert keys[:7] == ["appropriation", "general_budget", "government_funds", "non_tax_revenue",
                        "superior_funds", "carried_over", "other_funds"]
    assert keys[7:] == ["fiscal_funds", "special_account_funds", "unit_funds"]
    assert get_layout("project-mof").funding_rows == tuple(keys[:7])


def test_sichuan_funding_rows_balance():
    from perfdesk.checks import check_evaluation

    ev = templates.new_evaluation("project-sichuan", "项目")
    ev.budget.total = Amounts(parse_wan("120"), parse_wan("120"), parse_wan("102"))
    ev.budget.source("fiscal_funds").__init__(parse_wan("100"), parse_wan("100"), parse_wan("90"))
    ev.budget.source("unit_funds").__init__(parse_wan("20"), parse_wan("20"), parse_wan("12"))
    assert not [f for f in check_evaluation(ev) if f.code == "budget_identity"]
    ev.budget.source("unit_funds").spent = parse_wan("10")
    [f] = [f for f in check_evaluation(ev) if f.code == "budget_identity"]
    assert "100.00" in f.message and "102.00" in f.message


def _pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True)
    return "".join(out.stdout.split())  # header cells wrap inside their column


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
def test_new_printed_forms(tmp_path):
    from perfdesk.printing import export_pdf

    doc = templates.new_document("unit-sichuan", 2024, "四川某县社会保险事业管理局")
    ev = templates.new_evaluation("project-sichuan", "城乡居民养老保险经办经费")
    ev.budget.total = Amounts(parse_wan("120"), parse_wan("120"), parse_wan("102"))
    ev.budget.source("special_account_funds").__init__(parse_wan("120"), parse_wan("120"), parse_wan("102"))
    quantity = next(n for n in ev.leaves() if n.name == "（数量指标）")
    quantity.name, quantity.target, quantity.actual = "经办业务笔数", "≥30000笔", "32000笔"
    ev.narrative.update(execution_reason="合同跨年支付。", conclusion="总体完成年度目标。")
    fw = templates.new_evaluation("project-framework-2020", "经办能力提升项目")
    for n in fw.leaves():
        if n.method is Method.TIERS:
            n.tier = Tier.ACHIEVED
    doc.projects += [ev, fw]
    path = tmp_path / "forms.pdf"
    export_pdf(doc, path, form="all")
    text = _pdf_text(path)
    for expected in ("财政专户管理资金", "单位资金", "指标性质", "度量单位", "未完成原因分析", "经办业务笔数",
                     "30000", "笔", "评价结论", "改进措施", "合同跨年支付", "评价规则：四川省",
                     "项目支出绩效评价表", "评分标准", "资金到位率", "评价规则：财政部", "部门决策"):
        assert expected in text, expected
    assert "120.00" in text and "85.00%" in text and "8.5" in text
