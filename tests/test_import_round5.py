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
