"""导入预算执行数 (ops/budget_figures.py): which project each 决算 row reaches, and what the preview says.

The preview is what the officer reads before anything changes, so its sentences are asserted
word for word; the matching rules decide whose money is overwritten, so every edge is named.
"""

from __future__ import annotations

from decimal import Decimal

from perfdesk.exchange.budget_figures import BudgetFigure, BudgetTable
from perfdesk.model import Evaluation, EvaluationKind
from perfdesk.model.amounts import wan_to_fen
from perfdesk.model.document import Amounts, Budget, BudgetLine, Document, ProjectInfo, UnitProfile
from perfdesk.model.dump import dump
from perfdesk.ops.budget_figures import plan_budget_figures


def _project(name: str, code: str = "", spent: int | None = None) -> Evaluation:
    ev = Evaluation(kind=EvaluationKind.PROJECT, name=name, layout="project-mof")
    ev.project = ProjectInfo(code=code)
    ev.budget = Budget(total=Amounts(None, None, spent))
    return ev


def _doc(*projects: Evaluation, lines: tuple[str, ...] = ()) -> Document:
    unit = Evaluation(kind=EvaluationKind.UNIT, name="测试单位", layout="unit-mof")
    unit.budget = Budget(project_lines=[BudgetLine(name, Amounts()) for name in lines])
    return Document(unit=UnitProfile(name="测试单位"), year=2024, unit_evaluation=unit, projects=list(projects))


def _table(*rows: tuple[str, str, int]) -> BudgetTable:
    """Rows of (name, code, spent in 万元)."""
    return BudgetTable(figures=[BudgetFigure(name=n, code=c, amounts={"spent": wan_to_fen(Decimal(s))})
                                for n, c, s in rows], columns=("spent",))


def test_the_preview_says_in_words_what_will_be_filled_and_what_is_left():
    doc = _doc(_project("农村公路养护"), _project("义务教育薄弱学校改造项目"), _project("已填项目", spent=wan_to_fen(Decimal(5))),
               _project(""), _project("表中没有的项目"))
    plan = plan_budget_figures(doc, _table(("农村公路养护", "", 10), ("义务教育薄弱学校改造", "", 20),
                                           ("已填项目", "", 5), ("不在文档中", "", 1), ("另一个不在", "", 2)))
    assert plan.report() == [
        "将填写 2 个项目的预算数与执行数（另有 1 个项目的数字与表中相同）",
        "按名称近似匹配：表中“义务教育薄弱学校改造” → 项目“义务教育薄弱学校改造项目”，请核对",
        "表中 2 个名称在本文档中没有对应的项目（未填写）：不在文档中、另一个不在",
        "本文档中 2 个项目在表中没有找到（未改动）：（未命名）、表中没有的项目",
    ]
    assert plan.operation().label(doc) == "导入预算执行数"


def test_nothing_left_over_is_one_sentence_without_an_aside():
    doc = _doc(_project("甲项目"), _project("乙项目"))
    plan = plan_budget_figures(doc, _table(("甲项目", "", 1), ("乙项目", "", 2)))
    assert plan.report() == ["将填写 2 个项目的预算数与执行数"]


def test_every_project_already_holding_the_figures_is_counted_and_nothing_is_changed():
    doc = _doc(_project("甲项目", spent=wan_to_fen(Decimal(1))), _project("乙项目", spent=wan_to_fen(Decimal(2))))
    plan = plan_budget_figures(doc, _table(("甲项目", "", 1), ("乙项目", "", 2)))
    assert plan.unchanged == 2 and plan.operations == [] and plan.filled == []
    assert plan.report() == ["将填写 0 个项目的预算数与执行数（另有 2 个项目的数字与表中相同）"]


def test_the_unit_forms_lines_are_listed_up_to_five_then_etc():
    names = ("一", "二", "三", "四", "五", "六")
    five = plan_budget_figures(_doc(lines=names[:5]), _table(*[(n, "", 1) for n in names[:5]]))
    assert five.report()[1] == "部门整体表的项目支出明细：5 行（一、二、三、四、五）"
    six = plan_budget_figures(_doc(lines=names), _table(*[(n, "", 1) for n in names]))
    assert six.report()[1] == "部门整体表的项目支出明细：6 行（一、二、三、四、五等）"


def test_a_row_that_matches_nothing_does_not_stop_the_rows_after_it():
    doc = _doc(_project("甲项目"))
    plan = plan_budget_figures(doc, _table(("无此项目", "", 3), ("甲项目", "", 4)))
    plan.operation().apply(doc)
    assert doc.projects[0].budget.total.spent == wan_to_fen(Decimal(4))


def test_a_code_written_in_the_project_information_matches_whatever_the_spacing_and_case():
    doc = _doc(_project("工资性支出（调整后名称）", code=" 51000021r 000000019951 "), _project("工资性支出"))
    plan = plan_budget_figures(doc, _table(("工资性支出", "51000021R000000019951", 7)))
    plan.operation().apply(doc)
    assert doc.projects[0].budget.total.spent == wan_to_fen(Decimal(7))
    assert doc.projects[1].budget.total.spent is None
    assert plan.near == []


def test_a_code_in_front_of_the_project_name_is_the_projects_code():
    doc = _doc(_project("51000021R000000019951-工资性支出"), _project("工资性支出"))
    plan = plan_budget_figures(doc, _table(("另一个名称", "51000021R000000019951", 7)))
    assert plan.filled == [("另一个名称", "51000021R000000019951-工资性支出")]


def test_near_names_need_four_characters_and_exactly_one_candidate():
    # four characters contained in a project's name: taken, and said to be near
    plan = plan_budget_figures(_doc(_project("乡村道路建设项目")), _table(("道路建设", "", 1)))
    assert plan.near == [("道路建设", "乡村道路建设项目")]
    # three characters are too few to guess by
    plan = plan_budget_figures(_doc(_project("乡村道路建设项目")), _table(("路建设", "", 1)))
    assert plan.filled == [] and plan.not_found == ["路建设"]
    # the project's name (four characters) inside the table's longer name
    plan = plan_budget_figures(_doc(_project("道路建设")), _table(("乡村道路建设项目", "", 1)))
    assert plan.near == [("乡村道路建设项目", "道路建设")]
    # a three-character project name inside the table's name is no match
    plan = plan_budget_figures(_doc(_project("路建设")), _table(("乡村道路建设项目", "", 1)))
    assert plan.filled == [] and plan.not_in_table == ["路建设"]
    # two candidates: neither is guessed
    plan = plan_budget_figures(_doc(_project("乡村道路建设一期"), _project("乡村道路建设二期")),
                               _table(("道路建设", "", 1)))
    assert plan.filled == [] and plan.not_found == ["道路建设"]


def test_a_project_is_filled_by_one_row_only_and_undo_restores_every_figure():
    doc = _doc(_project("甲项目"), _project("甲项目"))
    before = dump(doc)
    plan = plan_budget_figures(doc, _table(("甲项目", "", 1), ("甲项目", "", 2)))
    _, inverse = plan.operation().apply(doc)
    assert [p.budget.total.spent for p in doc.projects] == [wan_to_fen(Decimal(1)), wan_to_fen(Decimal(2))]
    inverse.apply(doc)
    assert dump(doc) == before
