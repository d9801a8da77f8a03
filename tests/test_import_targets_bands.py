"""The 项目绩效目标表 of a 财政支出绩效评价报告 (财预〔2011〕285号) read as a 绩效目标表 (issue 17):
grading-band columns (指标类型 | 绩效指标 | 绩效目标 | 绩效标准 with 优 / 良 / 中 / 差 under it) and the
项目基本情况 rows that may follow the table (计划投资额 / 实际到位资金 / 实际使用情况 as label | figure
pairs, 项目实施单位 | … | 主管部门 | …). Small synthetic texts of each shape; the same grid as .docx and
as an HTML clipboard table imports to the same document as its TAB text."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest

from perfdesk.exchange.text_import import import_text
from perfdesk.model.amounts import wan_to_fen

sys.path.insert(0, str(Path(__file__).parent))

_TITLE = ["项目绩效目标表", "项目名称\t某某苗圃建设项目"]
_HEADER = ["指标类型\t绩效指标\t绩效目标\t绩效标准\t\t\t", "\t\t\t优\t良\t中\t差"]
_ROWS = [
    "产出指标\t年育苗数量\t600万株\t600万\t500万\t300万\t200万",
    "效益指标\t群众满意度\t群众满意度较好\t较好\t好\t一般\t差",
    "效率指标\t资金按时到位\t资金按时到位率为100%\t100%\t80%-100%\t60%-80%\t<50%",
]
_PAIRS = "计划投资额(万元)\t110.00\t实际到位资金(万元)\t84.74\t实际使用情况(万元)\t84.74"
_LABELS = "项目实施单位\t某某市林业局\t主管部门\t某某市人民政府"

_STANDARDS = {
    "年育苗数量": "优：600万；良：500万；中：300万；差：200万",
    "群众满意度": "优：较好；良：好；中：一般；差：差",
    "资金按时到位": "优：100%；良：80%-100%；中：60%-80%；差：<50%",
}
_TARGETS = {"年育苗数量": "600万株", "群众满意度": "群众满意度较好", "资金按时到位": "资金按时到位率为100%"}


def _read(lines: list[str]):
    result = import_text("\n".join(lines) + "\n")
    assert len(result.document.projects) == 1
    form = result.summary.forms[-1]
    assert form.family == "绩效目标表"    # read as a target table, not as a self-evaluation
    return result, result.document.projects[0]


def _leaves(ev):
    return [n for n in ev.walk() if not n.children]


# --- grading bands ------------------------------------------------------------------------------

def test_each_rows_bands_are_its_scoring_standard_and_the_target_column_its_target():
    _, ev = _read(_TITLE + _HEADER + _ROWS)
    leaves = _leaves(ev)
    assert [n.name for n in leaves] == list(_TARGETS)
    assert {n.name: n.target for n in leaves} == _TARGETS
    assert {n.name: n.rule_text for n in leaves} == _STANDARDS
    assert [n.name for n in ev.indicators] == ["产出指标", "效益指标", "效率指标"]
    # no band is ever a weight, an actual or a score: a draft for the year end
    assert all(n.weight is None and not n.actual and n.score_override is None for n in ev.walk())


def test_a_band_is_never_taken_for_an_empty_target():
    rows = [_ROWS[0], "产出指标\t苗木成活率\t\t95%\t90%\t85%\t80%"]
    _, ev = _read(_TITLE + _HEADER + rows)
    survival = next(n for n in _leaves(ev) if n.name == "苗木成活率")
    assert survival.target == ""
    assert survival.rule_text == "优：95%；良：90%；中：85%；差：80%"


def test_a_standard_column_with_text_and_no_bands_under_it_stays_its_explanation():
    text = ["项目支出绩效目标申报表", "项目名称\t某某苗圃建设项目",
            "一级指标\t二级指标\t三级指标\t指标值\t绩效标准",
            "产出指标\t数量指标\t年育苗数量\t600万株\t以林业局验收数为准"]
    _, ev = _read(text)
    (leaf,) = _leaves(ev)
    assert (leaf.target, leaf.rule_text) == ("600万株", "以林业局验收数为准")


def test_a_row_of_band_like_words_inside_the_table_is_no_band_row():
    # the bands are named only by the row right under the header: a later row stays a record
    _, ev = _read(_TITLE + ["指标类型\t绩效指标\t绩效目标\t绩效标准"] + [
        "产出指标\t年育苗数量\t600万株\t以验收数为准", "效益指标\t群众满意度\t好\t优"])
    assert {n.name: (n.target, n.rule_text) for n in _leaves(ev)} == {
        "年育苗数量": ("600万株", "以验收数为准"), "群众满意度": ("好", "优")}


# --- 计划投资额 pairs and label rows after the table ------------------------------------------------

def test_a_pairs_row_after_the_table_is_the_annual_budget_never_an_indicator():
    result, ev = _read(_TITLE + _HEADER + _ROWS + [_PAIRS])
    assert [n.name for n in _leaves(ev)] == list(_TARGETS)
    assert [n.name for n in ev.indicators] == ["产出指标", "效益指标", "效率指标"]
    assert ev.budget.total.annual_budget == wan_to_fen(Decimal("110.00"))
    # 到位 and 使用 are the year end's figures: not a target table's, skipped and said so
    assert ev.budget.total.spent is None and ev.budget.total.initial_budget is None
    skipped = result.summary.forms[-1].skipped
    assert any("实际到位资金" in line and "实际使用情况" in line for line in skipped)
    assert any("实际使用情况" in line for line in result.report)


def test_a_pairs_row_before_the_table_is_the_annual_budget_too():
    _, ev = _read(_TITLE + [_PAIRS] + _HEADER + _ROWS)
    assert ev.budget.total.annual_budget == wan_to_fen(Decimal("110.00"))
    assert [n.name for n in _leaves(ev)] == list(_TARGETS)


def test_a_pairs_row_never_replaces_the_annual_total_the_form_states():
    result, ev = _read(_TITLE + ["年度资金总额\t120.00"] + _HEADER + _ROWS + [_PAIRS])
    assert ev.budget.total.annual_budget == wan_to_fen(Decimal("120.00"))
    assert any("计划投资额" in line and "不一致" in line for line in result.summary.forms[-1].uncertain)


def test_label_rows_after_the_table_fill_the_project_never_an_indicator():
    result, ev = _read(_TITLE + _HEADER + _ROWS + ["项目基本情况", _LABELS,
                                                   "项目负责人\t张三\t联系电话\t12345678",
                                                   "计划投资额(万元)\t110.00\t联系电话\t12345678", _PAIRS])
    assert [n.name for n in _leaves(ev)] == list(_TARGETS)
    assert [n.name for n in ev.indicators] == ["产出指标", "效益指标", "效率指标"]
    assert (ev.project.implementer, ev.project.supervisor) == ("某某市林业局", "某某市人民政府")
    assert ev.budget.total.annual_budget == wan_to_fen(Decimal("110.00"))
    skipped = result.summary.forms[-1].skipped
    assert any("项目实施单位" in line for line in skipped) and any("项目负责人" in line for line in skipped)


def test_a_row_of_figures_whose_label_is_no_amount_stays_an_indicator():
    # “计划完成率 | 95 | …” names no amount: the rule takes amount labels only
    _, ev = _read(_TITLE + _HEADER + _ROWS + ["效率指标\t计划完成率\t95\t95\t90\t85\t80"])
    assert "计划完成率" in [n.name for n in _leaves(ev)]


# --- the same grid as .docx and as an HTML clipboard table ------------------------------------------

def _full(doc) -> dict:
    from test_import_files import dump

    data = dump(doc)
    data["standards"] = [[(n.name, n.rule_text) for n in ev.walk()] for ev in doc.evaluations()]
    data["info"] = [(ev.project.implementer, ev.project.supervisor) for ev in doc.evaluations()]
    return data


@pytest.mark.parametrize("kind", ["docx", "html"])
def test_the_same_grid_as_docx_and_html_clipboard_imports_as_its_text(tmp_path, kind):
    from import_forms import write_docx, write_html

    from perfdesk.exchange.importing import import_clipboard, import_file

    c = lambda text, rs=1, cs=1: (text, rs, cs)  # noqa: E731
    rows = [[c("项目名称"), c("某某苗圃建设项目", 1, 8)] + [None] * 7,
            [c("指标类型", 2), c("绩效指标", 2), c("绩效目标", 2, 3), None, None, c("绩效标准", 1, 4), None, None, None],
            [None, None, None, None, None, c("优"), c("良"), c("中"), c("差")]]
    for line in _ROWS:
        cells = line.split("\t")
        rows.append([c(cells[0]), c(cells[1]), c(cells[2], 1, 3), None, None] + [c(v) for v in cells[3:]])
    rows.append([c("项目实施单位"), c("某某市林业局", 1, 3), None, None, c("主管部门"), c("某某市人民政府", 1, 4),
                 None, None, None])
    rows.append([c("计划投资额(万元)"), c("110.00"), c("实际到位资金(万元)", 1, 2), None, c("84.74"),
                 c("实际使用情况(万元)", 1, 2), None, c("84.74", 1, 2), None])
    form = (["项目绩效目标表"], rows)
    text_result, ev = _read(_TITLE + _HEADER + _ROWS + [_LABELS, _PAIRS])
    assert {n.name: n.rule_text for n in _leaves(ev)} == _STANDARDS
    assert ev.budget.total.annual_budget == wan_to_fen(Decimal("110.00"))
    if kind == "docx":
        result = import_file(write_docx(tmp_path / "targets.docx", [form]))
    else:
        result = import_clipboard("ignored plain text", write_html([form]))
    assert result.summary.forms[-1].family == "绩效目标表"
    assert _full(result.document) == _full(text_result.document)


def test_a_web_table_saved_as_text_with_covered_cells_absent_reads_its_bands_under_the_standard():
    # “指标类型 | 绩效指标 | 绩效目标 | 绩效标准” / “优 | 良 | 中 | 差”: the cells the tall header cells cover
    # are absent, so the bands stand left of 绩效标准 in the row; they are the columns under it
    # (a row ends where its line ends; a last line without a bar would be a row the text ends inside)
    lines = _TITLE + _HEADER + _ROWS + ["项目基本情况", _LABELS, _PAIRS, "二、评价结论"]
    piped = "\n".join(" | ".join(c for c in line.split("\t") if c) for line in lines) + "\n"
    assert "\n优 | 良 | 中 | 差\n" in piped
    result = import_text(piped)
    (ev,) = result.document.projects
    assert {n.name: (n.target, n.rule_text) for n in _leaves(ev)} == {
        name: (_TARGETS[name], _STANDARDS[name]) for name in _TARGETS}
    assert ev.budget.total.annual_budget == wan_to_fen(Decimal("110.00"))
    assert _full(result.document) == _full(_read(lines)[0].document)


def test_bands_under_a_评分标准_column_are_its_scoring_standard_too():
    text = ["项目支出绩效目标申报表", "项目名称\t某某苗圃建设项目",
            "一级指标\t二级指标\t三级指标\t指标值\t分值\t评分标准\t\t",
            "\t\t\t\t\t优\t良\t差",
            "产出指标\t数量指标\t年育苗数量\t≥600万株\t20\t600万\t500万\t300万"]
    _, ev = _read(text)
    (leaf,) = _leaves(ev)
    assert (leaf.name, leaf.weight, leaf.rule_text) == ("年育苗数量", Decimal(20), "优：600万；良：500万；差：300万")
    assert "600" in leaf.target and "万株" in (leaf.target + leaf.unit)
