"""The shapes and the small things of real forms (issue 13 parts 2–6), on short synthetic texts
written the way the published forms are laid out (the real ones are in tests/fixtures/real)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfdesk.checks import ERROR, check_evaluation
from perfdesk.exchange.importing import import_clipboard
from perfdesk.exchange.text_import import import_text
from perfdesk.model.amounts import wan_to_fen
from perfdesk.model.document import Method
from perfdesk.scoring import score_evaluation

T = "\t"


def tab(*rows: list[str]) -> str:
    return "\n".join(T.join(r) for r in rows)


def only_project(text):
    result = import_text(text)
    (ev,) = result.document.projects
    return result, ev


def errors(ev):
    return {f.code for f in check_evaluation(ev) if f.severity == ERROR}


SICHUAN = tab(
    ["部门预算项目支出绩效自评表(2023年度)"],
    ["项目名称", "农村道路养护补助"], ["主管部门", "某县交通运输局", "实施单位", "某县公路养护中心"],
    ["预算执行情况(10分)", "年度预算数(万元)", "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分", "原因"],
    ["", "总额", "50", "60", "57", "95.00%", "10", "9.5", ""],
    ["", "其中:财政资金", "50", "60", "57", "95.00%", "/", "/", ""],
    ["", "单位资金", "0", "0", "0", "0.00%", "/", "/", ""],
    ["绩效指标(90分)", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分", "未完成原因分析"],
    ["", "产出指标", "数量指标", "养护里程", "≥", "120", "公里", "118", "30", "29", "雨季延误"],
    ["", "", "质量指标", "路况优良率", "≥", "90", "百分比", "92", "30", "30", ""],
    ["", "效益指标", "社会效益指标", "群众出行便利度", "定性", "提高", "", "提高", "20", "20", ""],
    ["", "满意度指标", "服务对象满意度指标", "群众满意度", "≥", "90", "%", "95", "10", "10", ""],
    ["合计", "", "", "", "", "", "", "", "100", "98.5", ""],
    ["评价结论", "项目按计划完成。"], ["存在问题", "雨季影响进度。"], ["改进措施", "提前安排工期。"],
)


def test_sichuan_form_reads_sign_value_and_unit_as_one_target():
    result, ev = only_project(SICHUAN)
    assert result.document.year == 2023 and ev.name == "农村道路养护补助"
    assert result.summary.forms[0].family == "四川格式"
    leaves = {n.name: n for n in ev.leaves()}
    assert leaves["养护里程"].target == "≥120公里" and leaves["养护里程"].actual == "118公里"
    assert leaves["路况优良率"].target == "≥90%" and leaves["路况优良率"].actual == "92%"   # 百分比 is %
    assert leaves["群众出行便利度"].target == "提高" and leaves["群众出行便利度"].method is Method.TIERS
    assert leaves["养护里程"].deviation_note == "雨季延误"
    t = ev.budget.total
    assert (t.initial_budget, t.annual_budget, t.spent) == (wan_to_fen(50), wan_to_fen(60), wan_to_fen(57))
    assert ev.execution.weight == 10 and ev.execution.stated_score == Decimal("9.5")
    assert ev.stated_total == Decimal("98.5")
    assert score_evaluation(ev).weight_total == 100
    assert "项目按计划完成" in ev.narrative["deviation"] and "提前安排工期" in ev.narrative["deviation"]
    assert errors(ev) == set()


def test_greater_or_equal_100_percent_against_100_is_met():
    text = SICHUAN.replace("\t≥\t90\t百分比\t92\t30\t30", "\t≥\t100\t百分比\t100\t30\t30")
    _, ev = only_project(text)
    leaf = next(n for n in ev.leaves() if n.name == "路况优良率")
    assert (leaf.target, leaf.actual, leaf.method) == ("≥100%", "100%", Method.HIGHER)
    assert score_evaluation(ev).of(leaf).computed == 30


def test_a_total_row_of_weights_is_no_stated_total_and_an_unscored_form_is_a_draft():
    text = tab(
        ["项目支出绩效自评表"], ["项目名称", "目标阶段项目"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        ["产出指标", "数量指标", "培训人数", "≥100人", "", "50", "", ""],
        ["效益指标", "社会效益指标", "就业率", "提高", "", "40", "", ""],
        ["满意度指标", "服务对象满意度指标", "满意度", "≥90%", "", "10", "", ""],
        ["合计", "", "", "", "", "100", "", ""],
    )
    result, ev = only_project(text)
    assert ev.stated_total is None and ev.stated_grade is None
    assert result.summary.forms[0].unscored
    assert "total_mismatch" not in errors(ev) and "grade_mismatch" not in errors(ev)
    assert any("草稿" in line for line in result.report)


def test_placeholders_are_no_indicators_and_prefixes_are_dropped():
    text = tab(
        ["项目支出绩效自评表（2022年度）"], ["项目名称", "占位项目"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "数量指标", "指标1:培训人数", "≥100人", "120人", "50", "50"],
        ["", "", "指标2:", "", "", "", ""],
        ["", "质量指标", "……", "", "", "", ""],
        ["", "", "/", "/", "/", "", ""],
        ["效益指标", "社会效益指标", "指标1:就业率", "提高", "提高", "50", "45"],
    )
    result, ev = only_project(text)
    assert [n.name for n in ev.leaves() if n.level == 3] == ["培训人数", "就业率"]
    assert result.document.year == 2022
    assert any("占位" in line for line in result.report)


def test_amounts_in_yuan_are_converted_and_the_unit_label_is_read():
    text = tab(
        ["2021年度项目支出绩效自评表"], ["部门(单位)名称", "某某中学(盖章)"], ["项目名称", "营养改善计划"],
        ["项目资金(元)", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["年度资金总额", "387664.62", "387664.62", "387664.62", "10", "100%", "10"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "数量指标", "受助人数", "≥735人", "735人", "90", "90"],
    )
    result, ev = only_project(text)
    assert ev.budget.total.annual_budget == wan_to_fen(Decimal("38.766462"))
    assert any("元" in line and "换算" in line for line in result.report)
    assert result.document.year == 2021


def test_the_year_from_a_stray_line_and_the_unit_name_from_its_label():
    text = tab(
        ["部门整体支出绩效自评表"], ["2019年度)"], ["部门（单位）名称", "某某区农业农村局"],
        ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["年度资金总额", "100", "100", "90", "10", "90%", "9"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "数量指标", "服务户数", "≥100户", "100户", "90", "90"],
    )
    result = import_text(text)
    assert result.document.year == 2019
    assert result.document.unit.name == "某某区农业农村局"


def test_full_width_signs_and_brackets():
    text = tab(
        ["项目支出绩效自评表（2023年度）"], ["项目名称：", "全角项目"],
        ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分"],
        ["产出指标（50分）", "数量指标", "户数", "＝", "10", "户", "10", "50", "50"],
        ["效益指标（50分）", "社会效益指标", "比例", "﹦", "100", "％", "100", "50", "50"],
    )
    _, ev = only_project(text)
    assert [(g.name, g.weight) for g in ev.indicators] == [("产出指标", 50), ("效益指标", 50)]
    assert [n.target for n in ev.leaves()] == ["=10户", "=100%"]


def test_two_header_rows():
    text = tab(
        ["项目支出绩效自评表（2022年度）"], ["项目名称", "两行表头项目"],
        ["绩效指标", "", "", "年度指标值", "", "", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "", "", "", ""],
        ["产出指标", "数量指标", "受助人数", "≥", "735", "人次", "735", "50", "50", ""],
        ["", "质量指标", "覆盖率", "≥", "100", "%", "100%", "40", "35", "部分未覆盖"],
        ["满意度指标", "服务对象满意度指标", "满意度", "≥", "95", "%", "100%", "10", "10", ""],
        ["总分", "", "", "", "", "", "", "100", "95", "优"],
    )
    result, ev = only_project(text)
    assert [(n.name, n.target, n.actual, n.weight, n.score_override) for n in ev.leaves()] == [
        ("受助人数", "≥735人次", "735人次", 50, 50), ("覆盖率", "≥100%", "100%", 40, 35),
        ("满意度", "≥95%", "100%", 10, 10)]
    assert ev.stated_total == 95 and ev.stated_grade == "优"
    assert any("两行表头" in line for line in result.report)


def test_scoresheet_unit_form_with_weights_in_labels():
    text = tab(
        ["部门整体支出绩效评价评分表"], ["单位名称", "某某市农业农村局"],
        ["序号", "一级指标", "二级指标", "三级指标", "指标分值", "指标解释", "评分标准", "自评得分"],
        ["1", "部门决策(10分)", "目标任务(10分)", "相关性", "5", "目标与职能相符", "相符得满分", "5"],
        ["2", "", "", "明确性", "5", "目标明确", "明确得满分", "4"],
        ["3", "部门绩效(90分)", "履职成效(90分)", "重点工作完成率", "90", "完成情况", "按比例", "88"],
    )
    result = import_text(text)
    ev = result.document.unit_evaluation
    assert result.summary.forms[0].family == "评分表格式"
    assert [(g.name, g.weight) for g in ev.indicators] == [("部门决策", 10), ("部门绩效", 90)]
    leaves = list(ev.leaves())
    assert [n.name for n in leaves] == ["相关性", "明确性", "重点工作完成率"]
    assert leaves[0].rule_text == "目标与职能相符\n相符得满分" and leaves[1].score_override == 4
    assert score_evaluation(ev).weight_total == 100 and errors(ev) == set()


def test_unit_form_with_fund_sources_whose_row_label_is_not_repeated():
    text = tab(
        ["部门整体支出绩效自评表（2023年度）"], ["部门", "某某县茶叶服务中心"],
        ["预算资金(万元)", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["年度资金总额", "300", "320", "310", "10", "96.88%", "9.7"],
        ["其中:当年财政拨款", "300", "320", "310", "—", "96.88%", "—"],
        ["上年结转资金", "—", "—", "—", "—", "—", "—"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "数量指标", "改造户数", "≥2000户", "3061户", "90", "90"],
    )
    result = import_text(text)
    ev = result.document.unit_evaluation
    assert result.document.unit.name == "某某县茶叶服务中心"
    assert ev.budget.total.annual_budget == wan_to_fen(320)
    assert ev.budget.sources["appropriation"].spent == wan_to_fen(310)
    assert ev.execution.stated_score == Decimal("9.7") and errors(ev) == set()


PIPE_WEB_COPY = "\n".join([
    "项目支出绩效自评表 | ||||||||",
    "(2023年度) | ||||||||",
    "项目名称 | 网页复制项目 | |||||||",
    "绩 效 指 标 |",
    "一级指标 | 二级指标 | 三级指标 | 年度 指标值 | 实际 完成值 | 分值 | 得分 | 偏差原因分析及改进措施 | |",
    "产出指标 | 数量指标 | 培训人数 | ≥100人 | 120人 | 40 | 40 | ||",
    "培训场次 | ≥5次 | 5次 | 20 | 20 | ||",
    "质量指标 | 合格率 | ≥95% | 96% | 20 | 20 | ||",
    "满意度指标 | 服务对象满意度指标 | 学员满意度 | ≥90% | 95% | 20 | 19 | ||",
    "总分 | 100 | 99 | ||||||",
])


def test_pipe_rows_whose_merged_cells_were_dropped_are_put_back_under_their_columns():
    _, ev = only_project(PIPE_WEB_COPY)
    assert [(g.name, [c.name for c in g.children]) for g in ev.indicators] == [
        ("产出指标", ["数量指标", "质量指标"]), ("满意度指标", ["服务对象满意度指标"])]
    assert [(n.name, n.target, n.actual, n.weight, n.score_override) for n in ev.leaves()] == [
        ("培训人数", "≥100人", "120人", 40, 40), ("培训场次", "≥5次", "5次", 20, 20),
        ("合格率", "≥95%", "96%", 20, 20), ("学员满意度", "≥90%", "95%", 20, 19)]
    assert ev.stated_total == 99


def test_weights_inferred_from_scores_are_import_notes_pointing_at_the_cell():
    text = tab(
        ["项目支出绩效自评表"], ["项目名称", "无分值项目"],
        ["预算执行情况(万元)(20分)", "预算数(A)", "执行数(B)", "执行率(B/A)", "得分(20分*执行率)"],
        ["年度财政资金总额", "100", "100", "100%", "20"],
        ["年度绩效目标(80分)", "一级指标", "二级指标", "三级指标", "年初目标值(A)", "实际完成值(B)", "得分"],
        ["", "产出指标", "数量指标", "人数", "100", "50", "20"],
        ["", "", "", "户数", "10", "10", "40"],
        ["总分", "80"],
    )
    result, ev = only_project(text)
    leaves = list(ev.leaves())
    assert [n.weight for n in leaves] == [40, 40]
    notes = [f for f in check_evaluation(ev) if f.code == "import_uncertain"]
    assert len(notes) == 2 and all(f.severity == "warning" for f in notes)
    assert {(f.place.evaluation, f.place.indicator, f.place.field) for f in notes} == {
        (ev.uid, leaves[0].uid, "weight"), (ev.uid, leaves[1].uid, "weight")}
    assert "推算" in notes[0].message and "导入提示" in notes[0].where
    assert result.summary.forms[0].uncertain and result.summary.as_json()["forms"][0]["uncertain"]


def test_clipboard_html_with_rowspans_reads_like_the_file():
    html = ("<table><tr><td>项目名称</td><td colspan=6>剪贴板项目</td></tr>"
            "<tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>年度指标值</td><td>实际完成值</td>"
            "<td>分值</td><td>得分</td></tr>"
            "<tr><td rowspan=2>产出指标</td><td rowspan=2>数量指标</td><td>人数</td><td>≥10人</td><td>10人</td>"
            "<td>50</td><td>50</td></tr>"
            "<tr><td>户数</td><td>≥5户</td><td>5户</td><td>50</td><td>50</td></tr></table>")
    result = import_clipboard("人数\t≥10人", html)
    (ev,) = result.document.projects
    assert [(n.name, n.parent.name, n.parent.parent.name) for n in ev.leaves()] == [
        ("人数", "数量指标", "产出指标"), ("户数", "数量指标", "产出指标")]


@pytest.mark.parametrize("shape", ["blank-line cells", "one cell per line"])
def test_cells_as_a_stream(shape):
    cells = ["项目支出绩效自评表（2023年度）", "项目名称", "逐格项目", "主管部门", "某局", "实施单位", "某中心",
             "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
             "产出指标", "数量指标", "培训人数", "≥100人", "120人", "50", "50",
             "效益指标", "社会效益指标", "就业率", "提高", "提高", "50", "45", "总分", "100", "95"]
    text = ("\n\n" if shape == "blank-line cells" else "\n").join(cells)
    _, ev = only_project(text)
    assert ev.name == "逐格项目"
    assert [(n.name, n.target, n.actual, n.weight, n.score_override) for n in ev.leaves()] == [
        ("培训人数", "≥100人", "120人", 50, 50), ("就业率", "提高", "提高", 50, 45)]
    assert ev.stated_total == 95
