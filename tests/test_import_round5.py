"""Rules added in the fifth round of reader work (issue 13): each a small synthetic text of the shape."""

from __future__ import annotations

from decimal import Decimal

from perfdesk.exchange.text_import import import_text
from perfdesk.model.amounts import wan_to_fen as wan

# the tail of a 四川 form copied from its second page: the first rows' 一级/二级 labels were printed
# in merged cells on the page before; the first label seen (成本指标) is a level-2 one
_TAIL = """某某项目经费发放及时率 | = | 100 | % | 5 | ||||||
成本指标 | 宣传成本 | ≤ | 5000 | 元 | 5 | |||||
人均发放成本 | = | 1 | 元/人 | 5 | ||||||
效益指标 | 社会效益指标 | 群众知晓率 | = | 100 | % | 15 | ||||
应发尽发率 | = | 100 | % | 5 | ||||||
满意度指标 | 服务对象满意度指标 | 参保人员满意度 | ≥ | 90 | % | 10 | ||||
合计 | 100 | |||||||||
"""


def _hints(result) -> list[str]:
    return [line for form in result.summary.forms for line in form.uncertain]


def _tree(ev):
    return [(n.level, n.name, n.weight) for n in ev.walk()]


def test_rows_whose_groups_are_on_the_page_before_stand_at_level_three_under_unnamed_groups():
    result = import_text(_TAIL)
    ev = result.document.projects[0]
    assert _tree(ev) == [
        (1, "", None), (2, "", None), (3, "某某项目经费发放及时率", Decimal(5)),
        (2, "成本指标", None), (3, "宣传成本", Decimal(5)), (3, "人均发放成本", Decimal(5)),
        (1, "效益指标", None), (2, "社会效益指标", None),
        (3, "群众知晓率", Decimal(15)), (3, "应发尽发率", Decimal(5)),
        (1, "满意度指标", None), (2, "服务对象满意度指标", None), (3, "参保人员满意度", Decimal(10)),
    ]
    hints = _hints(result)
    assert any("前 3 项指标的一级/二级指标名称不在本段文字中" in h for h in hints)


def test_a_form_that_starts_with_its_level_one_group_is_left_as_it_is():
    text = "产出指标 | 数量指标 | 培训人数 | ≥ | 100 | 人 | 10 | ||||\n" + _TAIL
    result = import_text(text)
    ev = result.document.projects[0]
    assert ev.indicators[0].name == "产出指标"
    assert [n.name for n in ev.indicators[0].children] == ["数量指标", "成本指标"]
    assert not any("不在本段文字中" in h for h in _hints(result))


def test_a_two_level_form_keeps_its_leading_indicators_where_they_are():
    # no row has a third level: leading bare rows are not pushed under invented groups
    text = """一级指标 | 指标名称 | 指标值 | 分值 | 得分
| 培训人数 | 100人 | 10 | 10
产出指标 | 合格率 | 95% | 10 | 9
满意度指标 | 满意度 | 90% | 10 | 10
"""
    result = import_text(text)
    ev = result.document.projects[0]
    assert max(n.level for n in ev.walk()) <= 2
    assert not any("不在本段文字中" in h for h in _hints(result))


# --- text shapes of the same table (tests/test_import_real_text_shapes.py) -----------------------

_FUNDS_CELLS = """部门预算项目支出绩效自评表(2023年度)
项目名称
某某补助资金项目
主管部门
某某县司法局
实施单位
某某县司法局
预算执行情况(10分)
年度预算数(万元)
年初预算
调整后预算数
预算执行数
预算执行率
权重
得分
原因
总额
0.00
3.36
3.20
95.24%
10
9.5
资金管理情况
情况说明
存在问题和改进措施
分配科学性
资金分配科学
暂无
绩效指标
一级指标
二级指标
三级指标
指标值
全年实际完成值
产出指标
数量指标
购买设备数量
≥13台
13台
"""


def test_a_short_funds_row_label_standing_alone_one_cell_per_line_is_the_total_row():
    result = import_text(_FUNDS_CELLS)
    ev = result.document.projects[0]
    assert ev.name == "某某补助资金项目"
    total = ev.budget.total
    assert (total.initial_budget, total.annual_budget, total.spent) == (0, wan(Decimal("3.36")), wan(Decimal("3.20")))
    assert ev.execution.stated_score == Decimal("9.5")


def test_a_bare_column_name_ending_in_qingkuang_shuoming_does_not_cut_the_form():
    result = import_text(_FUNDS_CELLS)
    assert len(result.document.projects) == 1
    ev = result.document.projects[0]
    assert [n.name for n in ev.walk() if not n.children] == ["购买设备数量"]
    assert not any("情况说明" in line and "→" in line for line in result.report)


_SPACED = """部门整体支出绩效自评表
(2023年度)
部门 某某县美丽乡村建设服务中心
预算资金 (万元)
年初预算数 全年预算数 全年执行数 分值 执行率 得分
年度资金总额: 329.77 329.77 338.31 10 102.59% 10
其中:当年财政拨款 329.77 329.77 338.31 — 102.59% —
一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分
产出指标 数量指标 建设示范村数量 ≥4个 4个 30 30
效益指标 社会效益指标 村庄整治数量 ≥200个 202个 30 30
满意度指标 服务对象满意度指标等 群众满意度 ≥90% 95% 30 30
其他需要说明事项 无 总分 100 100 优
"""


def test_a_unit_form_copied_with_single_spaces_keeps_its_unit_figures_groups_and_total():
    result = import_text(_SPACED)
    doc = result.document
    ev = doc.unit_evaluation
    assert doc.unit.name == "某某县美丽乡村建设服务中心"       # “部门” standing as its line's first cell
    total = ev.budget.total
    assert (total.initial_budget, total.annual_budget, total.spent) == (
        wan(Decimal("329.77")), wan(Decimal("329.77")), wan(Decimal("338.31")))   # figures split at the spaces
    satisfaction = [n for n in ev.walk() if n.name == "群众满意度"][0]
    assert satisfaction.parent.name == "服务对象满意度指标等"   # “等” glued to its label, not a record
    assert satisfaction.target == "≥90%" and satisfaction.score_override == Decimal(30)
    assert ev.stated_total == Decimal(100)                       # “无” stays apart from “总分”


# --- cells run together, as document-sharing sites show an uploaded .docx -------------------------

_RUN_TOGETHER = ("《自评表.docx》由会员分享,可在线阅读\n"
                 "1、2022年度项目支出绩效自评表部门:某某县明朗中学公开14表项目名称学生资助专项资金主管部门某某县教育体育局"
                 "实施单位某某县明朗中学项目资金(万元)年初预算数全年预算数全年执行数分值执行率得分"
                 "年度资金总额3.36万3.20万1095.24%9.5其中:当年财政拨款3.36万3.20万——"
                 "绩效指标一级指标二级指标三级指标指标性质指标值度量单位实际完成值分值得分偏差原因分析及改进措施"
                 "产出指标数量指标★补助种植面积≧29.5亩29.5亩2020无其中桃树种植面积1.5亩1.5亩其中露天蔬菜20亩20亩"
                 "质量指标生活补助标准≧530元/人*月583元/人*月2020无时效指标资金到位及时率═100%100%2016"
                 "满意度指标服务对象满意度指标等学生满意度≧95%100%2020家长满意度≧95%100%2020"
                 "其他需要说明事项无总分10095.5优\n")


def test_a_form_run_together_by_a_document_site_reads_its_rows():
    result = import_text(_RUN_TOGETHER)
    doc = result.document
    ev = doc.projects[0]
    assert doc.year == 2022                                   # the title run together with “部门:”
    assert ev.name == "学生资助专项资金"
    total = ev.budget.total
    assert (total.annual_budget, total.spent) == (wan(Decimal("3.36")), wan(Decimal("3.20")))   # each ends in 万
    rows = [(n.name, n.target, n.actual, n.weight, n.score_override) for n in ev.walk() if not n.children]
    assert rows == [
        ("补助种植面积", "≥29.5亩", "29.5亩", Decimal(20), Decimal(20)),
        ("生活补助标准", "≥530元/人*月", "583元/人*月", Decimal(20), Decimal(20)),   # a compound unit
        ("资金到位及时率", "=100%", "100%", Decimal(20), Decimal(16)),             # ═ is =
        ("学生满意度", "≥95%", "100%", Decimal(20), Decimal(20)),
        ("家长满意度", "≥95%", "100%", Decimal(20), Decimal(20)),                  # not a unit “家”
    ]
    # the 其中 rows are cut apart as breakdowns (target and actual, no 分值), reported and not indicators
    assert any("“其中桃树种植面积”一行：分项说明" in line for line in result.report)
    assert any("“其中露天蔬菜”一行：分项说明" in line for line in result.report)
    satisfaction = [n for n in ev.walk() if n.name == "学生满意度"][0]
    assert satisfaction.parent.name == "服务对象满意度指标等"
    assert ev.stated_total == Decimal("95.5")                  # “无总分10095.5优”: 总分 after the reason


def test_a_funds_row_label_glued_to_its_figures_and_a_note_numbered_after_them():
    text = ("部门预算项目支出绩效自评表(2023年度)项目名称某某补助资金项目主管部门某某县司法局\n"
            "预算执行情况(10分)年度预算数(万元)年初预算调整后预算数预算执行数预算执行率权重得分原因"
            "总额0.003.363.36100.00%10101.预算执行率=预算执行数/调整后预算数\n")
    ev = import_text(text).document.projects[0]
    total = ev.budget.total
    assert (total.initial_budget, total.annual_budget, total.spent) == (0, wan(Decimal("3.36")), wan(Decimal("3.36")))
    assert ev.execution.stated_score == Decimal(10)


def test_run_together_funds_figures_are_cut_where_the_printed_rate_fits():
    # 692.98 / 808.1 = 85.75%, printed as 86%: the only cut whose rate fits within its printed precision
    text = ("就业补助资金绩效自评表(2024年度)转移支付(项目)名称就业补助资金资金使用单位某某区人社局"
            "资金投入情况(万元)全年预算数(A)全年执行数(B)预算执行率(B/A×100%)年度资金总额:808.1692.9886%\n")
    total = import_text(text).document.projects[0].budget.total
    assert (total.annual_budget, total.spent) == (wan(Decimal("808.1")), wan(Decimal("692.98")))


def test_a_ratio_scored_form_without_weights_is_cut_where_the_implied_weight_is_usual():
    # 得分 = 实际/目标 × 分值 with no 分值 column: 7.3 = 4164 / 11442 × 20 (not 47.3 = 2416 / 1144 × 22.4)
    text = ("项目支出绩效自评表项目名称2019年新型农业经营主体扶持项目主管部门某某县人民政府"
            "一级指标二级指标三级指标年初目标值(A)实际完成值(B)得分产出指标数量指标带动贫困户(人)1144241647.3"
            "效益指标经济效益指标助农增收(元)1980207410.5总分17.8\n")
    ev = import_text(text).document.projects[0]
    rows = [(n.target, n.actual, n.score_override) for n in ev.walk() if not n.children]
    assert rows == [("11442", "4164", Decimal("7.3")), ("1980", "2074", Decimal("10.5"))]


def test_an_amount_with_a_space_after_its_point_one_cell_per_line_keeps_the_next_amount():
    # a 江苏 部门整体 form copied from a PDF: “93116. 21 万元”, one cell per line
    text = ("2023年市级部门整体支出绩效自我评价表\n单位名称\n某某中心\n预算安排及\n全年预算数\n实际支出数\n支出情况\n"
            "资金总额\n93116. 21 万元\n90819. 34 万元\n一级指标\n二级指标\n三级指标\n全年指标值\n分值\n实际完成值\n得分\n"
            "产出指标\n数量指标\n参保人数\n≥1000人\n50\n1200人\n50\n满意度指标\n服务对象满意度指标\n满意度\n≥90%\n50\n95%\n50\n")
    total = import_text(text).document.unit_evaluation.budget.total
    assert (total.annual_budget, total.spent) == (wan(Decimal("93116.21")), wan(Decimal("90819.34")))


def test_goals_shifted_left_by_a_dropped_merged_label_cell_keep_expected_and_achieved_apart():
    # corpus yunnan-linxiang-project-2023-a: “年度总体目标” spans two rows; the copy drops it from the second
    text = ("项目支出绩效自评表\n项目名称 | 某某建设项目 |\n年度总体目标 | 预期目标 | 实际完成情况 |\n"
            "新建收容所1间200平方米。 | 完成收容所1间,面积204平方米。 |\n"
            "绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |\n"
            "产出指标 | 数量指标 | 收容所面积 | ≥200平方米 | 204平方米 | 90 | 90 |\n")
    goals = import_text(text).document.projects[0].goals
    assert (goals.expected, goals.achieved) == ("新建收容所1间200平方米。", "完成收容所1间,面积204平方米。")


def test_characters_spaced_out_join_when_they_stand_apart_or_make_a_label():
    from perfdesk.exchange.readers.stream import _clean

    assert _clean("产 出 指 标 (50分)") == "产出指标 (50分)"
    assert "效益指标生态" in _clean("动用库存绩效 指标效 益 指 标生态 效益 指标")   # glued, but a label
    assert _clean("其他需要说明事项 无 总分 100") == "其他需要说明事项 无 总分 100"   # three cells' edges


def test_the_breakdown_of_a_unit_budget_written_label_and_amount_in_one_cell_is_read_in_a_stream_copy():
    text = ("部门整体支出绩效自评表\n(2023年度)\n部门(单位)名称\n某某局\n预算资金(万元)\n年初预算数\n全年预算数\n全年执行数\n"
            "分值\n执行率\n得分\n年度资金总额\n100\n100\n95\n10\n95.00%\n9.5\n按收入性质分：\n按支出性质分：\n"
            "其中：一般公共预算：100\n其中：基本支出：80\n政府性基金拨款：\n项目支出：20\n"
            "绩效指标\n一级指标\n二级指标\n三级指标\n年度指标值\n实际完成值\n分值\n得分\n"
            "产出指标\n数量指标\n办理业务量\n≥1000件\n1200件\n90\n90\n")
    budget = import_text(text).document.unit_evaluation.budget
    assert (budget.basic.initial_budget, budget.project.initial_budget) == (wan(Decimal(80)), wan(Decimal(20)))
    run_together = "《x.docx》由会员分享\n1、" + text.replace("\n", "") + "\n"
    budget = import_text(run_together).document.unit_evaluation.budget
    assert (budget.basic.initial_budget, budget.project.initial_budget) == (wan(Decimal(80)), wan(Decimal(20)))
