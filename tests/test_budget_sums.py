"""Issue 11 item 4: a parent row left empty (其中) is the sum of its children — shown, scored, printed."""

from __future__ import annotations

from decimal import Decimal

from perfdesk.model import Amounts, Document, Evaluation, EvaluationKind, ExecutionLine, UnitProfile
from perfdesk.model.amounts import wan_to_fen
from perfdesk.model.budget_sums import shown_amounts
from perfdesk.scoring import score_evaluation


def project_with_money_on_a_sub_row() -> Evaluation:
    ev = Evaluation(kind=EvaluationKind.PROJECT, name="城乡居民医保补助", layout="project-mof",
                    execution=ExecutionLine(weight=Decimal(10)))
    ev.budget.source("general_budget").annual_budget = wan_to_fen("480")
    ev.budget.source("general_budget").spent = wan_to_fen("442.15")
    return ev


def test_parents_left_empty_are_the_sums_of_their_children():
    ev = project_with_money_on_a_sub_row()
    appropriation, computed = shown_amounts(ev.budget, "sources", "appropriation")
    assert (appropriation.annual_budget, appropriation.spent) == (wan_to_fen("480"), wan_to_fen("442.15"))
    assert computed == {"annual_budget", "spent"} and appropriation.initial_budget is None
    total, computed = shown_amounts(ev.budget, "total")
    assert total.annual_budget == wan_to_fen("480") and "spent" in computed
    # the execution rate follows: 442.15 ÷ 480
    assert score_evaluation(ev).execution_rate == Decimal("44215") / Decimal("48000")


def test_a_stated_parent_is_never_replaced():
    ev = project_with_money_on_a_sub_row()
    ev.budget.total = Amounts(None, wan_to_fen("500"), None)
    total, computed = shown_amounts(ev.budget, "total")
    assert total.annual_budget == wan_to_fen("500") and "annual_budget" not in computed
    assert total.spent == wan_to_fen("442.15") and computed == {"spent"}


def test_the_unit_total_sums_basic_and_project_and_the_project_sums_its_lines():
    from perfdesk.model import BudgetLine

    unit = Evaluation(kind=EvaluationKind.UNIT)
    unit.budget.basic = Amounts(None, wan_to_fen("100"), wan_to_fen("90"))
    unit.budget.project_lines = [BudgetLine("甲", Amounts(None, wan_to_fen("30"), wan_to_fen("20"))),
                                 BudgetLine("乙", Amounts(None, wan_to_fen("20"), None))]
    project, computed = shown_amounts(unit.budget, "project")
    assert (project.annual_budget, project.spent) == (wan_to_fen("50"), wan_to_fen("20"))
    total, _ = shown_amounts(unit.budget, "total")
    assert (total.annual_budget, total.spent) == (wan_to_fen("150"), wan_to_fen("110"))


def test_the_printed_project_form_shows_the_computed_parent(tmp_path):
    import pdfplumber

    from perfdesk.printing import export_pdf

    doc = Document(unit=UnitProfile(name="某县医保中心"), year=2024)
    doc.projects.append(project_with_money_on_a_sub_row())
    path = tmp_path / "p.pdf"
    export_pdf(doc, path, form="projects")
    with pdfplumber.open(path) as pdf:
        text = pdf.pages[0].extract_text()
    line = next(row for row in text.splitlines() if "本年财政拨款" in row)
    assert "480.00" in line and "442.15" in line
    assert "92.11%" in text  # 442.15 ÷ 480
