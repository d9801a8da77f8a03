"""绩效目标表 read into evaluations ready for the year end (issue 17): workbooks of many projects (one
sheet each, or one long sheet of 项目名称 blocks), Word and web tables, pasted text, the unit's own
目标表, adjusted targets, and tables told apart from 自评表."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from perfdesk.checks import ERROR, check_evaluation
from perfdesk.checks.draft import draft_state
from perfdesk.exchange.importing import import_clipboard, import_file
from perfdesk.exchange.targets.cells import read_cell
from perfdesk.exchange.text_import import import_text
from perfdesk.model import EvaluationKind, Method
from perfdesk.model.amounts import wan_to_fen
from perfdesk.scoring import score_evaluation
from targets_workbook import ADJUST_REASON, INDICATORS, write_targets_workbook


def tab(*rows) -> str:
    return "\n".join("\t".join(r) for r in rows) + "\n"


# --- the synthetic 50-project workbook ------------------------------------------------------------------

@pytest.mark.parametrize("layout", ["sheets", "block"])
def test_fifty_projects_of_a_workbook_each_read_whole(tmp_path, layout):
    path = tmp_path / "目标表.xlsx"
    specs = write_targets_workbook(path, projects=50, layout=layout)
    start = time.process_time()
    result = import_file(path)
    cpu = time.process_time() - start
    assert cpu < 30, f"{cpu:.1f} s of CPU for 50 projects"   # measured ≈ 0.3 s; the bound only catches blow-ups
    doc = result.document
    assert doc.year == 2024
    assert [p.name for p in doc.projects] == [s.name for s in specs]
    assert sum("（绩效目标表）" in line for line in result.report) == 50
    for ev, spec in zip(doc.projects, specs):
        assert ev.kind is EvaluationKind.PROJECT and ev.layout == "project-mof"
        assert ev.project.code == spec.code                       # “51000024R…-name”: code and name apart
        assert (ev.project.supervisor, ev.project.implementer) == (spec.supervisor, spec.implementer)
        assert ev.project.supervisor_code == spec.supervisor[1:4]
        assert ev.budget.total.annual_budget == wan_to_fen(spec.total_wan)
        assert {k: a.annual_budget for k, a in ev.budget.sources.items()} == {
            k: wan_to_fen(v) for k, v in spec.sources_wan.items()}
        assert ev.goals.expected == spec.goal and ev.goals.achieved == ""
        leaves = list(ev.leaves())
        assert [(n.parent.parent.name, n.parent.name, n.name) for n in leaves] == [r[:3] for r in INDICATORS]
        for leaf, row in zip(leaves, INDICATORS):
            _l1, _l2, name, nature, value, unit, weight, note, _actual = row
            assert (leaf.comparison, leaf.unit, leaf.weight, leaf.rule_text) == (nature, unit, weight, note), name
            assert not leaf.actual and leaf.score_override is None and leaf.tier is None
            assert leaf.method is (Method.TIERS if nature == "定性" else Method.AUTO)
        first = leaves[0]
        if spec.adjusted:
            assert (first.target, first.initial_target, first.adjust_reason) == ("≥100人", "≥120人", ADJUST_REASON)
        else:
            assert (first.target, first.initial_target, first.adjust_reason) == ("≥120人", "", "")
        assert ev.execution is not None and ev.execution.weight == 10
        score = score_evaluation(ev)
        assert score.weight_total == 100
        state = draft_state(ev)
        assert state is not None and state.actuals == 10 and not state.weights and state.spent
        findings = check_evaluation(ev, score)
        assert [f.code for f in findings] == ["draft_pending"]


def test_the_adjusted_target_is_the_one_scored(tmp_path):
    path = tmp_path / "目标表.xlsx"
    write_targets_workbook(path, projects=5)
    ev = import_file(path).document.projects[4]
    first = next(ev.leaves())
    first.actual = "110人"          # meets the adjusted ≥100, not the initial ≥120
    assert score_evaluation(ev).of(first).score == 10
    first.actual = "90人"
    assert score_evaluation(ev).of(first).score == 9  # 90 ÷ 100 × 10, against the adjusted target


# --- the shapes a 目标表 comes in ----------------------------------------------------------------------

TARGET_ROWS = (
    ["项目支出绩效目标表"], ["（2023年度）"],
    ["项目名称", "社区养老服务补助"], ["主管部门", "某某区民政局", "实施单位", "某某区养老服务中心"],
    ["项目资金（万元）", "年度资金总额", "80"], ["", "其中：财政拨款", "80"], ["", "其他资金", "0"],
    ["年度总体目标", "为辖区老年人提供助餐、助浴服务，服务满意度不低于90%。"],
    ["一级指标", "二级指标", "三级指标", "指标值", "分值", "评分标准"],
    ["产出指标", "数量指标", "助餐服务人次", "≥5000人次", "30", "完成得满分，未完成按比例"],
    ["", "质量指标", "服务达标率", "≥95%", "20", "按比例"],
    ["", "成本指标", "人均补助标准", "≤160元", "10", "超出不得分"],
    ["效益指标", "社会效益指标", "老年人生活质量", "明显改善", "20", "定性评价"],
    ["满意度指标", "服务对象满意度指标", "老年人满意度", "≥90%", "10", "问卷"],
)


def _check_target_form(result):
    [ev] = result.document.projects
    assert ev.name == "社区养老服务补助" and result.document.year == 2023
    assert ev.budget.total.annual_budget == wan_to_fen(Decimal(80))
    assert [(n.name, n.target, n.comparison, n.unit, n.weight) for n in ev.leaves()] == [
        ("助餐服务人次", "≥5000人次", "≥", "人次", 30), ("服务达标率", "≥95%", "≥", "%", 20),
        ("人均补助标准", "≤160元", "≤", "元", 10), ("老年人生活质量", "明显改善", "定性", "", 20),
        ("老年人满意度", "≥90%", "≥", "%", 10)]
    assert [n.rule_text for n in ev.leaves()][0] == "完成得满分，未完成按比例"
    assert ev.goals.expected.startswith("为辖区老年人")
    assert draft_state(ev) is not None
    assert not [f for f in check_evaluation(ev) if f.severity == ERROR]
    return ev


def test_target_table_as_tab_text():
    _check_target_form(import_text(tab(*TARGET_ROWS)))


def test_target_table_pasted_from_a_web_page_or_word():
    html = "<table>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in TARGET_ROWS) \
        + "</table>"
    _check_target_form(import_clipboard(None, html))


def test_target_table_in_a_word_document(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    width = max(len(r) for r in TARGET_ROWS)
    table = document.add_table(rows=len(TARGET_ROWS), cols=width)
    for r, row in enumerate(TARGET_ROWS):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(0, 0).merge(table.cell(0, width - 1))     # the title across the table, as printed
    path = tmp_path / "目标表.docx"
    document.save(path)
    _check_target_form(import_file(path))


def test_a_target_table_is_never_read_as_a_self_evaluation_and_back():
    self_eval = tab(["项目支出绩效自评表"], ["项目名称", "社区养老服务补助"],
                    ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
                    ["产出指标", "数量指标", "助餐服务人次", "≥5000人次", "5200人次", "30", "30", ""])
    result = import_text(self_eval)
    assert result.summary.forms[0].family != "绩效目标表"
    assert next(result.document.projects[0].leaves()).actual == "5200人次"
    result = import_text(tab(*TARGET_ROWS))
    assert result.summary.forms[0].family == "绩效目标表"


def test_the_units_own_target_table_goes_to_the_unit_form():
    text = tab(["部门整体支出绩效目标表"], ["（2024年度）"], ["部门（单位）名称", "某某县农业农村局"],
               ["年度总体目标", "完成全年农业农村重点任务。"],
               ["一级指标", "二级指标", "三级指标", "指标值", "分值"],
               ["产出指标", "数量指标", "培训农民人次", "≥2000人次", "40"],
               ["效益指标", "社会效益指标", "农民增收", "≥5%", "30"],
               ["满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "20"])
    result = import_text(text)
    doc = result.document
    assert doc.projects == [] and doc.unit.name == "某某县农业农村局" and doc.year == 2024
    ev = doc.unit_evaluation
    assert [n.name for n in ev.leaves()] == ["培训农民人次", "农民增收", "群众满意度"]
    assert ev.goals.expected == "完成全年农业农村重点任务。"
    assert draft_state(ev) is not None


def test_three_columns_of_target_and_the_directions_of_some_systems():
    text = tab(["项目支出绩效目标表"], ["项目名称", "示范项目"],
               ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "分值", "指标值说明"],
               ["产出指标", "数量指标", "改造户数", "≥", "120", "户", "40", "按台账"],
               ["", "成本指标", "户均补助", "≤", "0.5", "万元", "20", ""],
               ["效益指标", "社会效益指标", "居住条件", "定性", "明显改善", "", "20", ""],
               ["满意度指标", "服务对象满意度指标", "满意度", "正向", "90", "%", "10", ""])
    ev = import_text(text).document.projects[0]
    assert [(n.target, n.comparison, n.unit, n.method) for n in ev.leaves()] == [
        ("≥120户", "≥", "户", Method.AUTO), ("≤0.5万元", "≤", "万元", Method.AUTO),
        ("明显改善", "定性", "", Method.TIERS), ("90%", "", "%", Method.HIGHER)]
    assert next(ev.leaves()).rule_text == "按台账"


def test_long_term_and_annual_blocks_the_annual_one_is_read():
    text = tab(["项目绩效目标表"], ["项目名称", "镇域基础设施"],
               ["长期绩效指标"], ["一级指标", "二级指标", "指标内容", "指标值"],
               ["产出指标", "数量指标", "道路里程(五年)", "≥50公里"],
               ["年度绩效指标"], ["一级指标", "二级指标", "指标内容", "指标值"],
               ["产出指标", "数量指标", "道路里程", "≥10公里"], ["", "质量指标", "验收合格率", "100%"])
    result = import_text(text)
    ev = result.document.projects[0]
    assert [(n.name, n.target) for n in ev.leaves()] == [("道路里程", "≥10公里"), ("验收合格率", "100%")]
    assert any("长期绩效指标" in line for line in result.report)


def test_an_empty_template_cell_stays_empty_and_keeps_its_unit():
    assert read_cell("公里") == read_cell("公里")
    cell = read_cell("公里")
    assert (cell.target, cell.comparison, cell.unit) == ("", "", "公里")
    cell = read_cell("≧ %")
    assert (cell.target, cell.comparison, cell.unit) == ("≥%", "≥", "%")


@pytest.mark.parametrize("text,expected", [
    ("≥70村", ("≥70村", "≥", "村")), (">=95%", ("≥95%", "≥", "%")), ("<=475元/亩", ("≤475元/亩", "≤", "元/亩")),
    ("2025年12月", ("2025年12月", "", "")), ("2023.07-2024.01", ("2023.07-2024.01", "", "")),
    ("否", ("否", "定性", "")), ("优良", ("优良", "定性", "")), ("250万", ("250万", "", "万")),
    ("95%以上", ("95%以上", "≥", "%")), ("每年12月底前", ("每年12月底前", "", "")),
    ("第一年返本20%,分红8%", ("第一年返本20%,分红8%", "定性", "")), ("", ("", "", "")),
])
def test_what_a_target_cell_says(text, expected):
    cell = read_cell(text)
    assert (cell.target, cell.comparison, cell.unit) == expected


def test_multiple_target_tables_in_one_pasted_text_each_a_project():
    one = [list(r) for r in TARGET_ROWS]
    two = [list(r) for r in TARGET_ROWS]
    two[2] = ["项目名称", "居家养老上门服务"]
    doc = import_text(tab(*one) + "\n" + tab(*two)).document
    assert [p.name for p in doc.projects] == ["社区养老服务补助", "居家养老上门服务"]
    assert all(len(list(p.leaves())) == 5 for p in doc.projects)


def _target_form_cells():
    """The 一体化 export's 项目支出绩效目标表 with its merged cells (import_forms' cell format)."""
    c = lambda text, rs=1, cs=1: (text, rs, cs)  # noqa: E731
    records = [
        [c("产出指标", 3), c("数量指标"), c("助餐服务人次"), c("≥"), c("5000"), c("人次"), c("30"), c("按台账")],
        [None, c("质量指标"), c("服务达标率"), c("≥"), c("95"), c("%"), c("20"), c("")],
        [None, c("成本指标"), c("人均补助标准"), c("≤"), c("160"), c("元"), c("10"), c("")],
        [c("效益指标"), c("社会效益指标"), c("老年人生活质量"), c("定性"), c("明显改善"), c(""), c("20"), c("")],
        [c("满意度指标"), c("服务对象满意度指标"), c("老年人满意度"), c("≥"), c("90"), c("%"), c("10"), c("")],
    ]
    rows = [
        [c("项目名称"), c("社区养老服务补助", 1, 8)] + [None] * 7,
        [c("主管部门"), c("某某区民政局", 1, 4)] + [None] * 3 + [c("实施单位"), c("某某区养老服务中心", 1, 3)] + [None] * 2,
        [c("项目资金（万元）", 3), c("年度资金总额", 1, 2), None, c("80", 1, 6)] + [None] * 5,
        [None, c("其中：财政拨款", 1, 2), None, c("80", 1, 6)] + [None] * 5,
        [None, c("其他资金", 1, 2), None, c("0", 1, 6)] + [None] * 5,
        [c("年度总体目标"), c("为辖区老年人提供助餐、助浴服务，服务满意度不低于90%。", 1, 8)] + [None] * 7,
        [c("绩效指标", len(records) + 1), c("一级指标"), c("二级指标"), c("三级指标"), c("指标性质"), c("指标值"),
         c("度量单位"), c("分值"), c("指标值说明")],
    ]
    rows += [[None] + r for r in records]
    return ["项目支出绩效目标表", "（2023年度）"], rows


@pytest.mark.parametrize("kind", ["pdf", "docx", "html"])
def test_the_merged_cells_of_a_target_table_in_pdf_word_and_html(tmp_path, kind):
    from import_forms import write_docx, write_html, write_pdf

    forms = [_target_form_cells()]
    if kind == "pdf":
        pytest.importorskip("pdfplumber")
        result = import_file(write_pdf(tmp_path / "目标表.pdf", forms))
    elif kind == "docx":
        pytest.importorskip("docx")
        result = import_file(write_docx(tmp_path / "目标表.docx", forms))
    else:
        result = import_clipboard(None, write_html(forms))
    [ev] = result.document.projects
    assert ev.name == "社区养老服务补助" and result.document.year == 2023
    assert (ev.project.supervisor, ev.project.implementer) == ("某某区民政局", "某某区养老服务中心")
    assert ev.budget.total.annual_budget == wan_to_fen(Decimal(80))
    assert [(n.parent.parent.name, n.name, n.target, n.comparison, n.unit, n.weight) for n in ev.leaves()] == [
        ("产出指标", "助餐服务人次", "≥5000人次", "≥", "人次", 30), ("产出指标", "服务达标率", "≥95%", "≥", "%", 20),
        ("产出指标", "人均补助标准", "≤160元", "≤", "元", 10), ("效益指标", "老年人生活质量", "明显改善", "定性", "", 20),
        ("满意度指标", "老年人满意度", "≥90%", "≥", "%", 10)]
    assert score_evaluation(ev).weight_total == 100 and draft_state(ev) is not None


def test_the_labels_of_target_tables_are_data_with_their_sources():
    import json

    from perfdesk.resources import resource

    data = json.loads(resource("synonyms", "targets.json").read_text(encoding="utf-8"))
    groups = [k for k in data if k != "about"]
    assert groups and all(data[g]["source"].strip() for g in groups)


@pytest.mark.parametrize("shape", ["cell-per-line", "space-separated", "pipe-rows"])
def test_target_table_copied_from_a_web_page_in_its_text_shapes(shape):
    if shape == "cell-per-line":
        text = "\n\n".join("\n".join(c for c in row if c) for row in TARGET_ROWS)
    elif shape == "space-separated":
        text = "\n".join(" ".join(c for c in row if c) for row in TARGET_ROWS)
    else:
        text = "\n".join("| " + " | ".join(row) + " |" for row in TARGET_ROWS)
    ev = _check_target_form(import_text(text))
    assert [n.rule_text for n in ev.leaves()][2] == "超出不得分"   # “得分” in a text is no 得分 column
