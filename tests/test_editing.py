from decimal import Decimal

import pytest

from perfdesk import editing
from perfdesk.model import (
    Amounts,
    Budget,
    BudgetLine,
    Document,
    Evaluation,
    EvaluationKind,
    ExecutionLine,
    Indicator,
    Method,
    Tier,
    UnitProfile,
)
from perfdesk.scoring import score_evaluation


def small_document() -> Document:
    """A unit form (execution line + 产出/满意度) and one project."""
    unit = Evaluation(kind=EvaluationKind.UNIT, name="测试单位", layout="unit-mof",
                      execution=ExecutionLine(weight=Decimal(10), stated_rate=Decimal("0.9"),
                                              stated_score=Decimal(9)))
    unit.budget = Budget(total=Amounts(1_000_000_00, 1_000_000_00, 900_000_00),
                         basic=Amounts(600_000_00, 600_000_00, 550_000_00),
                         project=Amounts(400_000_00, 400_000_00, 350_000_00),
                         project_lines=[BudgetLine("甲", Amounts(400_000_00, 400_000_00, 350_000_00))])
    output = unit.add(Indicator("产出指标", weight=Decimal(60)))
    qty = output.add(Indicator("数量指标", weight=Decimal(60)))
    qty.add(Indicator("参保人数", weight=Decimal(40), target="≥10万人", actual="9万人",
                      method=Method.HIGHER, deviation_note="人口外流"))
    qty.add(Indicator("发放及时率", weight=Decimal(20), target="100%", actual="100%", method=Method.HIGHER))
    sat = unit.add(Indicator("满意度指标", weight=Decimal(30)))
    sat.add(Indicator("服务对象满意度", weight=Decimal(30), target="健全", actual="达成",
                      method=Method.TIERS, tier=Tier.PARTIAL, score_override=Decimal(22)))
    unit.goals.expected = "目标1"
    unit.goals.achieved = "完成1"
    unit.narrative["achievements"] = "成效"
    unit.stated_total = Decimal(90)
    unit.stated_grade = "优"
    project = Evaluation(kind=EvaluationKind.PROJECT, name="项目甲", layout="project-mof",
                         execution=ExecutionLine())
    project.add(Indicator("产出指标", weight=Decimal(90))).add(
        Indicator("数量", weight=Decimal(90))).add(
        Indicator("人数", weight=Decimal(90), target="100人", actual="50人", method=Method.HIGHER))
    return Document(unit=UnitProfile(name="测试单位", leader="张三"), year=2023,
                    unit_evaluation=unit, projects=[project])


def test_set_indicator_fields_parse_and_return_old():
    doc = small_document()
    leaf = next(doc.unit_evaluation.leaves())
    assert editing.set_indicator_field(leaf, "actual", "10万人") == "9万人"
    assert leaf.actual == "10万人"
    assert editing.set_indicator_field(leaf, "weight", " 3. 5 ") == Decimal(40)
    assert leaf.weight == Decimal("3.5")
    editing.set_indicator_field(leaf, "method", "反向指标")
    assert leaf.method is Method.LOWER
    editing.set_indicator_field(leaf, "tier", "部分达成")
    assert leaf.tier is Tier.PARTIAL
    editing.set_indicator_field(leaf, "score", "3")
    assert leaf.score_override == Decimal(3)
    editing.set_indicator_field(leaf, "score", "")
    assert leaf.score_override is None


@pytest.mark.parametrize("field,text", [("weight", "十分"), ("weight", "-2"), ("score", "abc"),
                                        ("method", "随便"), ("tier", "很好")])
def test_malformed_values_are_refused_in_chinese(field, text):
    leaf = next(small_document().unit_evaluation.leaves())
    before = editing.get_indicator_field(leaf, field)
    with pytest.raises(ValueError) as info:
        editing.set_indicator_field(leaf, field, text)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(info.value))
    assert editing.get_indicator_field(leaf, field) == before


def test_evaluation_fields_and_budget_amounts():
    doc = small_document()
    ev = doc.unit_evaluation
    assert editing.set_evaluation_field(ev, "budget.total.spent", "950") == 900_000_00
    assert ev.budget.total.spent == 950_000_000
    with pytest.raises(ValueError):
        editing.set_evaluation_field(ev, "budget.total.spent", "九百")
    assert ev.budget.total.spent == 950_000_000
    editing.set_evaluation_field(ev, "budget.sources.general_budget.annual_budget", "1000")
    assert ev.budget.sources["general_budget"].annual_budget == 1_000_000_000
    editing.set_evaluation_field(ev, "budget.lines.0.name", "乙")
    assert ev.budget.project_lines[0].name == "乙"
    editing.set_evaluation_field(ev, "execution.stated_rate", "85.8%")
    assert ev.execution.stated_rate == Decimal("0.858")
    editing.set_evaluation_field(ev, "narrative.problems", "问题")
    assert ev.narrative["problems"] == "问题"
    assert editing.set_evaluation_field(ev, "narrative.problems", "") == "问题"
    assert "problems" not in ev.narrative
    with pytest.raises(ValueError):
        editing.set_evaluation_field(ev, "stated_grade", "甲")
    editing.set_evaluation_field(doc.projects[0], "project.implementer", "某中心")
    assert doc.projects[0].project.implementer == "某中心"


def test_profile_fields():
    doc = small_document()
    assert editing.set_profile_field(doc, "year", "2024年") == 2023
    assert doc.year == 2024
    with pytest.raises(ValueError):
        editing.set_profile_field(doc, "year", "明年")
    editing.set_profile_field(doc, "name", "新单位")
    assert doc.unit.name == "新单位" and doc.unit_evaluation.name == "新单位"


def test_structure_operations_and_their_inverses():
    ev = small_document().unit_evaluation
    qty = ev.indicators[0].children[0]
    a, b = qty.children
    assert editing.move_indicator(ev, b, -1) == (qty, 1)
    assert qty.children == [b, a]
    editing.relocate_indicator(ev, b, qty, 1)
    assert qty.children == [a, b]
    with pytest.raises(ValueError):
        editing.move_indicator(ev, a, -1)
    # indent: a level-3 indicator cannot go deeper
    with pytest.raises(ValueError):
        editing.indent_indicator(ev, b)
    # outdent b to level 2, right after 数量指标; then indent it back
    old = editing.outdent_indicator(ev, b)
    assert b.parent is ev.indicators[0] and b.level == 2 and ev.indicators[0].children.index(b) == 1
    editing.relocate_indicator(ev, b, *old)
    assert b.parent is qty and qty.children == [a, b]
    # delete / insert
    parent, index = editing.delete_indicator(ev, a)
    assert qty.children == [b] and a.parent is None
    editing.insert_indicator(ev, parent, index, a)
    assert qty.children == [a, b] and a.parent is qty
    with pytest.raises(ValueError):
        editing.insert_indicator(ev, a, 0, Indicator("太深"))
    with pytest.raises(ValueError):
        editing.relocate_indicator(ev, ev.indicators[0], qty, 0)


def test_projects_add_duplicate_move_delete():
    doc = small_document()
    first = doc.projects[0]
    copy_, index = editing.duplicate_project(doc, first)
    assert index == 1 and copy_.name == "项目甲（副本）"
    assert copy_.uid != first.uid
    assert {n.uid for n in copy_.walk()}.isdisjoint({n.uid for n in first.walk()})
    copy_.indicators[0].children[0].children[0].actual = "改"
    assert first.indicators[0].children[0].children[0].actual == "50人"
    assert editing.move_project(doc, copy_, 0) == 1
    assert doc.projects == [copy_, first]
    assert editing.rename_project(first, "项目乙") == "项目甲"
    with pytest.raises(ValueError):
        editing.rename_project(first, "  ")
    assert editing.delete_project(doc, copy_) == 0
    assert doc.projects == [first]
    with pytest.raises(ValueError):
        editing.add_project(doc, Evaluation(kind=EvaluationKind.UNIT))


def test_next_year_clears_and_keeps():
    doc = small_document()
    new = editing.next_year(doc)
    assert new.year == 2024 and doc.year == 2023
    ev = new.unit_evaluation
    leaves = list(ev.leaves())
    assert [leaf.target for leaf in leaves] == ["≥10万人", "100%", "健全"]
    assert [leaf.weight for leaf in leaves] == [Decimal(40), Decimal(20), Decimal(30)]
    assert [leaf.method for leaf in leaves] == [Method.HIGHER, Method.HIGHER, Method.TIERS]
    assert all(leaf.actual == "" and leaf.score_override is None and leaf.tier is None
               and leaf.deviation_note == "" for leaf in leaves)
    assert [n.name for n in ev.walk()] == [n.name for n in doc.unit_evaluation.walk()]
    assert ev.indicators[0].weight == Decimal(60)
    assert ev.narrative == {} and ev.goals.achieved == "" and ev.goals.expected == "目标1"
    assert ev.stated_total is None and ev.stated_grade is None
    assert ev.execution.stated_rate is None and ev.execution.stated_score is None
    assert ev.execution.weight == Decimal(10)
    assert ev.budget.total.spent is None and ev.budget.total.annual_budget == 1_000_000_00
    assert ev.budget.project_lines[0].amounts.spent is None
    assert new.unit.leader == "张三" and len(new.projects) == 1
    assert new.projects[0].indicators[0].children[0].children[0].actual == ""
    # the original is untouched, and uids are fresh
    assert doc.unit_evaluation.stated_total == Decimal(90)
    assert next(doc.unit_evaluation.leaves()).actual == "9万人"
    assert {n.uid for n in ev.walk()}.isdisjoint({n.uid for n in doc.unit_evaluation.walk()})
    score = score_evaluation(ev)
    assert score.total == 0
