"""Imports never overwrite the officer's work unless chosen: the plan proposed for each form."""

from __future__ import annotations

from decimal import Decimal

from factories import small_document
from perfdesk import ops
from perfdesk.model import Document, Evaluation, EvaluationKind, Indicator, UnitProfile
from perfdesk.model.dump import dump
from perfdesk.ops.importing import ADD, PROSE, REPLACE, SKIP, plan_import, plan_operations, project_key


def project(name, actual=""):
    ev = Evaluation(kind=EvaluationKind.PROJECT, name=name, layout="project-mof")
    ev.add(Indicator("产出指标", weight=Decimal(90))).add(Indicator("数量", weight=Decimal(90))).add(
        Indicator("人数", weight=Decimal(90), target="100人", actual=actual))
    return ev


def test_reimporting_the_same_projects_matches_them_and_duplicates_nothing():
    doc = small_document()
    again = Document(unit=UnitProfile(name=doc.unit.name), year=doc.year)
    again.projects = [project("项目甲", "60人")]
    plan = plan_import(doc, again)
    assert [(c.action, c.target is doc.projects[0]) for c in plan.choices] == [(SKIP, True)]
    before = dump(doc)
    ops.apply(doc, plan_operations(doc, plan))
    assert dump(doc) == before and len(doc.projects) == 1


def test_a_file_of_projects_only_leaves_the_unit_name_year_and_unit_form_alone():
    doc = small_document()
    other = Document(unit=UnitProfile(name="别的单位"), year=2019)
    other.projects = [project("新项目")]
    plan = plan_import(doc, other)
    assert not plan.take_profile and not plan.take_year
    assert [c.action for c in plan.choices] == [ADD]
    ops.apply(doc, plan_operations(doc, plan))
    assert doc.unit.name == "测试单位" and doc.year == 2023
    assert [p.name for p in doc.projects] == ["项目甲", "新项目"]
    assert doc.unit_evaluation.stated_total == Decimal(90)


def test_an_explanation_alone_fills_empty_sections_and_keeps_the_filled_unit_form():
    doc = small_document()
    leaves = [n.name for n in doc.unit_evaluation.leaves()]
    prose = Document()
    prose.unit_evaluation.narrative = {"explanation": "2023年预算绩效情况说明……", "achievements": "别人的成效"}
    plan = plan_import(doc, prose)
    assert [c.action for c in plan.choices] == [PROSE]
    ops.apply(doc, plan_operations(doc, plan))
    ue = doc.unit_evaluation
    assert [n.name for n in ue.leaves()] == leaves           # the form is still there
    assert ue.narrative["explanation"].startswith("2023年")  # the empty section is filled
    assert ue.narrative["achievements"] == "成效"            # the officer's text is kept


def test_a_filled_unit_form_is_replaced_only_when_the_officer_chooses_it():
    doc = small_document()
    other = Document(unit=UnitProfile(name="测试单位"), year=2023)
    other.unit_evaluation = Evaluation(kind=EvaluationKind.UNIT, layout="unit-jiangsu")
    other.unit_evaluation.add(Indicator("决策", weight=Decimal(6)))
    plan = plan_import(doc, other)
    assert plan.choices[0].action == SKIP and REPLACE in plan.choices[0].actions()
    plan.choices[0].action = REPLACE
    ops.apply(doc, plan_operations(doc, plan))
    assert doc.unit_evaluation.layout == "unit-jiangsu"


def test_a_new_document_takes_everything_the_import_holds():
    from perfdesk.templates import new_document

    doc = new_document("unit-mof", 2024)
    other = Document(unit=UnitProfile(name="外来单位", leader="李四"), year=2019)
    other.unit_evaluation = Evaluation(kind=EvaluationKind.UNIT, layout="unit-jiangsu")
    other.unit_evaluation.add(Indicator("决策", weight=Decimal(6)))
    other.projects = [project("甲"), project("乙")]
    plan = plan_import(doc, other)
    assert plan.take_profile and not plan.take_year  # the new document has a year already
    assert [c.action for c in plan.choices] == [REPLACE, ADD, ADD]  # the template shell is not filled
    ops.apply(doc, plan_operations(doc, plan))
    assert doc.unit.name == "外来单位" and doc.unit.leader == "李四" and doc.year == 2024
    assert doc.unit_evaluation.layout == "unit-jiangsu" and len(doc.projects) == 2


def test_projects_match_by_code_when_both_have_one_else_by_name():
    assert project_key("51000021R000000019951-工资性支出") == ("51000021R000000019951", "工资性支出")
    assert project_key(" 工资性 支出（一） ") == ("", "工资性支出(一)")
    doc = Document(year=2023)
    doc.projects = [project("51000021R000000019951-工资性支出"), project("办公经费")]
    other = Document(year=2023)
    other.projects = [project("51000021R000000019951-工资性支出（调整）"), project("办公 经费"),
                      project("51000021R000000019999-工资性支出")]
    plan = plan_import(doc, other)
    assert [(c.action, c.target.name if c.target else None) for c in plan.choices] == [
        (REPLACE, "51000021R000000019951-工资性支出"), (REPLACE, "办公经费"), (ADD, None)]


def test_the_choices_offered_for_each_form_are_the_ones_that_make_sense():
    from perfdesk.ops.importing import TARGETS, ImportChoice

    doc = small_document()
    unit_form = Evaluation(kind=EvaluationKind.UNIT, layout="unit-mof")
    unit_form.add(Indicator("决策", weight=Decimal(6)))
    # a unit form without prose: replace or skip, nothing about text
    assert ImportChoice(unit_form, doc.unit_evaluation, SKIP, "").actions() == [REPLACE, SKIP]
    # with prose (a narrative section, or only one of the goals): 只取文字说明 before 跳过
    for fill in (lambda ev: ev.narrative.update(achievements="成效"),
                 lambda ev: setattr(ev.goals, "expected", "目标"),
                 lambda ev: setattr(ev.goals, "achieved", "完成")):
        with_prose = Evaluation(kind=EvaluationKind.UNIT, layout="unit-mof")
        fill(with_prose)
        assert ImportChoice(with_prose, doc.unit_evaluation, PROSE, "").actions() == [REPLACE, PROSE, SKIP]
    # a project matching one of ours may replace it; a new one can only be added or skipped
    assert ImportChoice(project("项目甲", "60人"), doc.projects[0], SKIP, "").actions() == [REPLACE, ADD, SKIP]
    assert ImportChoice(project("新项目", "60人"), None, ADD, "").actions() == [ADD, SKIP]
    # a 目标表 (targets, no results) matching a project offers 更新指标值 first
    assert ImportChoice(project("项目甲"), doc.projects[0], TARGETS, "").actions() == [TARGETS, REPLACE, ADD, SKIP]
    assert ImportChoice(project("新项目"), None, ADD, "").actions() == [ADD, SKIP]


def test_prose_fills_only_sections_that_are_empty_or_blank_and_the_goals_the_same_way():
    doc = small_document()
    ue = doc.unit_evaluation
    ue.narrative["problems"] = "   "          # blank: counts as empty
    ue.goals.achieved = ""
    prose = Document()
    theirs = prose.unit_evaluation
    theirs.narrative = {"problems": "别人的问题", "achievements": "别人的成效", "measures": "  "}
    theirs.goals.expected = "别人的目标"
    theirs.goals.achieved = "别人的完成情况"
    plan = plan_import(doc, prose)
    assert [c.action for c in plan.choices] == [PROSE]
    before = dump(doc)
    operation = plan_operations(doc, plan)
    assert operation.label(doc) == "导入"
    _, inverse = operation.apply(doc)
    assert ue.narrative["problems"] == "别人的问题"
    assert ue.narrative["achievements"] == "成效"              # the officer's own text stays
    assert ue.narrative.get("measures", "").strip() == ""        # a blank imported text fills nothing
    assert ue.goals.expected == "目标1" and ue.goals.achieved == "别人的完成情况"
    inverse.apply(doc)
    assert dump(doc) == before


def test_the_plan_counts_what_each_choice_will_do():
    doc = small_document()
    other = Document(unit=UnitProfile(name="测试单位"), year=2023)
    other.unit_evaluation.narrative = {"explanation": "情况说明"}
    other.projects = [project("项目甲", "60人"), project("新项目一"), project("新项目二")]
    plan = plan_import(doc, other)
    assert plan.summary() == {ADD: 2, REPLACE: 0, SKIP: 1, PROSE: 1, "targets": 0}
    plan.choices[1].action = REPLACE
    assert plan.summary() == {ADD: 2, REPLACE: 1, SKIP: 0, PROSE: 1, "targets": 0}
