"""Rules added in the fifth round of reader work (issue 13): each a small synthetic text of the shape."""

from __future__ import annotations

from decimal import Decimal

from perfdesk.exchange.text_import import import_text

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
