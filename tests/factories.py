"""Small documents the tests build on (shared by the operation, session and window tests)."""

from decimal import Decimal

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
    TargetRow,
    Tier,
    UnitProfile,
)


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


def jinzhong_document() -> Document:
    """A 晋中 project with target rows (and no execution line), beside the small document's forms."""
    doc = small_document()
    project = Evaluation(kind=EvaluationKind.PROJECT, name="入口补", layout="project-jinzhong",
                         template="project-jinzhong")
    project.add(Indicator("投入", weight=Decimal(20))).add(Indicator("资金落实", weight=Decimal(20))).add(
        Indicator("资金到位率", weight=Decimal(20), target="100%", actual="93%", method=Method.HIGHER))
    project.target_rows = [TargetRow("产出", "数量", "参保人数", "116.11万人", "108.13万人", Decimal("0.9313")),
                           TargetRow("效益", "社会", "满意度", "≥90%", "95%", None)]
    project.budget.total = Amounts(25_360_800_00, 25_360_800_00, 23_640_100_00)
    doc.projects.append(project)
    return doc
