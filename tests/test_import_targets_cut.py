"""绩效目标表 whose copy ends before the indicator table, and the header shapes met in round 4 of the
real corpus (tests/fixtures/real/targets/ROUND4_LOG.md). Synthetic texts, one rule each: a table cut
before its indicators is imported for what it shows and says so; a 自评表 cut the same way is not
taken for a 目标表; a title at the end of a notice run together with its table; 本年度申请资金 beside
上年度安排资金; “填报单位:…” in one cell; a 长期绩效目标 label inside the goal text."""

from __future__ import annotations

from perfdesk.checks.draft import draft_state
from perfdesk.exchange.text_import import import_text
from perfdesk.model.amounts import wan_to_fen


def _only_project(text: str):
    result = import_text(text)
    doc = result.document
    assert len(doc.projects) == 1
    return result, doc, doc.projects[0]


def _notes(result) -> list[str]:
    return [n for form in result.summary.forms for n in form.notes]


PIPE_CUT = """某市市级预算部门(单位)项目支出绩效目标申报表 | |||||
2024年 | |||||
项目名称 | 城区道路养护经费 | ||||
主管部门及代码 | 市交通运输局 | 实施单位 | 市道路养护中心 | ||
项目预算资金(万元) | 中期预算资金总额 | 年度预算资金总额 | 88 | ||
项目概况 | 城区主次干道日常养护 | ||||
"""


def test_a_target_table_cut_before_its_indicators_is_imported_for_what_it_shows():
    result, doc, ev = _only_project(PIPE_CUT)
    assert [f.family for f in result.summary.forms] == ["绩效目标表"]
    assert ev.name == "城区道路养护经费" and doc.year == 2024
    assert ev.budget.total.annual_budget == wan_to_fen(88)      # 年度预算资金总额, not the empty 中期 one
    assert ev.project.implementer == "市道路养护中心"
    assert not list(ev.walk())                                   # no indicator invented
    assert draft_state(ev) is None                               # nothing to fill in yet
    assert any("绩效指标" in n and "截断" in n for n in _notes(result))


def test_a_self_evaluation_cut_as_early_is_not_taken_for_a_target_table():
    text = PIPE_CUT.replace("项目支出绩效目标申报表", "项目支出绩效自评表") + \
        "项目资金(万元) | 年初预算数 | 全年预算数 | 全年执行数 | 执行率 ||\n年度资金总额 | 88 | 88 | 80 | 90.9% ||\n"
    result = import_text(text)
    assert "绩效目标表" not in [f.family for f in result.summary.forms]


NOTICE = ("各乡镇:现将2025年某项补助资金10万元下达给你们,请按绩效目标(附件2)做好工作。附件1分配表甲镇4乙镇6合计10"
          "附件2某项补助资金绩效目标表(2025年度)项目名称某项疫病防控补助主管部门省农业农村厅资金情况(万元)资金总额:10其中:"
          "财政拨款10其他资金总体目标完成全县畜禽免疫工作")


def test_a_title_at_the_end_of_a_notice_run_together_with_its_table_starts_the_form():
    result, doc, ev = _only_project(NOTICE)
    assert [f.family for f in result.summary.forms] == ["绩效目标表"]
    assert ev.name == "某项疫病防控补助" and doc.year == 2025
    assert ev.budget.total.annual_budget == wan_to_fen(10)       # not a figure of the 分配表 before it
    assert ev.goals.expected == "完成全县畜禽免疫工作"
    assert not list(ev.walk())


SPACED = """项目支出预算绩效目标申报表
(2023年度)
 填报单位:某县教育局
项目基本情况 项目名称 学前教育生均公用经费
 主管部门  项目起止时间 2023.1—2023.12
项目资金情况 项目资金申请(万元) 项 目  上年度安排资金 本年度申请资金
合 计 150.5 180
县级资金 150.5 180
项目年度绩效目标情况 长期绩效目标 完善学前教育经费保障机制,足额落实生均补助经费。
本年度绩效目标 按每生每年500元标准足额拨付生均公用经费
"""


def test_this_years_amount_beside_last_years_is_the_budget_and_the_unit_is_read_from_one_cell():
    result, doc, ev = _only_project(SPACED)
    assert [f.family for f in result.summary.forms] == ["绩效目标表"]
    assert ev.name == "学前教育生均公用经费" and doc.year == 2023
    assert ev.budget.total.annual_budget == wan_to_fen(180)      # 本年度申请资金, not 上年度安排资金 150.5
    assert doc.unit.name == "某县教育局"                          # “填报单位:某县教育局” in one cell


def test_the_long_term_goal_named_inside_its_text_is_not_the_annual_goal():
    _result, _doc, ev = _only_project(SPACED)
    assert ev.goals.expected == "按每生每年500元标准足额拨付生均公用经费"


ROWS_BY_LINE = """项目支出绩效目标申报表
(2022年度)
项目名称 社区物业管理
主管部门 县财政局 实施单位 某街道办事处
项目资金    (万元) 年度资金总额: 300
年度目标
目标1:保障辖区小区环境卫生和安全
绩效指标 一级指标 二级指标 三级指标 指标值
产出指标 数量指标 指标1:管理小区数量 6个
质量指标 指标1:完成小区物业费清算任务,指导物业开展创建工作。 设施管理到位,环境卫生整洁
效益指标 社会效益指标 指标1:改善小区群众生活质量,提升生活水平。助力文明城市创建。 显著改善
满意度指标 服务对象满意度指标 指标1:小区居民满意度 ≥90%
"""


def test_a_row_per_line_with_its_cells_one_space_apart_is_split_into_name_and_value():
    result, _doc, ev = _only_project(ROWS_BY_LINE)
    assert [f.family for f in result.summary.forms] == ["绩效目标表"]
    leaves = {n.name.split(":", 1)[-1]: n for n in ev.leaves()}
    assert leaves["管理小区数量"].target == "6个"
    assert leaves["完成小区物业费清算任务,指导物业开展创建工作。"].target == "设施管理到位,环境卫生整洁"
    assert leaves["小区居民满意度"].comparison == "≥" and leaves["小区居民满意度"].unit == "%"


def test_a_row_led_by_its_group_label_and_holding_sentences_is_a_row_not_prose():
    _result, _doc, ev = _only_project(ROWS_BY_LINE)
    leaves = {n.name.split(":", 1)[-1]: n for n in ev.leaves()}
    assert len(leaves) == 4
    social = leaves["改善小区群众生活质量,提升生活水平。助力文明城市创建。"]
    assert (social.parent.name, social.target) == ("社会效益指标", "显著改善")
