"""审核 findings (SPEC §5): each rule fires when it must and only then."""

from decimal import Decimal as D

from perfdesk.checks import check_document, check_evaluation, summarise
from perfdesk.model import (
    Amounts,
    BudgetLine,
    Document,
    Evaluation,
    EvaluationKind,
    ExecutionLine,
    Indicator,
    Method,
    TargetRow,
    Tier,
    parse_wan,
)


def leaf(name, weight, target="100%", actual="100%", method=Method.HIGHER, **kw):
    return Indicator(name=name, weight=D(str(weight)), target=target, actual=actual, method=method, **kw)


def group(name, weight, *children):
    g = Indicator(name=name, weight=None if weight is None else D(str(weight)))
    for c in children:
        g.add(c)
    return g


def clean_project():
    """A correct 财政部 project form: weights 90 + 10, budget consistent."""
    ev = Evaluation(name="禁捕、退捕渔民社保经费", layout="project-mof", execution=ExecutionLine())
    ev.budget.total = Amounts(parse_wan("2"), parse_wan("2"), parse_wan("2"))
    ev.budget.source("appropriation").__init__(parse_wan("2"), parse_wan("2"), parse_wan("2"))
    ev.add(group("产出指标", 50, group("数量指标", None, leaf("参保人数", 50, "232人", "236人"))))
    ev.add(group("效益指标", 30, group("社会效益指标", None, leaf("待遇发放完成率", 30))))
    ev.add(group("满意度指标", 10, group("服务对象满意度指标", None, leaf("满意度", 10, "≥95%", "99%"))))
    ev.stated_total = D(100)
    ev.stated_grade = "优"
    return ev


def codes(ev):
    return sorted({f.code for f in check_evaluation(ev)})


def test_a_correct_form_has_no_findings():
    assert codes(clean_project()) == []


def test_weight_sum_and_total_not_100():
    ev = clean_project()
    ev.indicators[1].children[0].children[0].weight = D(20)  # 效益 stated 30, assigned 20
    found = check_evaluation(ev)
    assert {"weight_sum_mismatch", "weight_total_not_100"} <= {f.code for f in found}
    mismatch = next(f for f in found if f.code == "weight_sum_mismatch")
    assert mismatch.indicator_uid == ev.indicators[1].uid and mismatch.field == "weight"
    assert "效益指标" in mismatch.where and "30" in mismatch.message and "20" in mismatch.message


def test_score_range():
    ev = clean_project()
    ev.indicators[0].children[0].children[0].score_override = D(85)
    ev.indicators[2].children[0].children[0].score_override = D(-1)
    assert {"score_over_weight", "score_negative"} <= set(codes(ev))


def test_execution_line_findings():
    ev = clean_project()
    ev.budget.total.spent = parse_wan("0.59")
    ev.budget.source("appropriation").spent = parse_wan("0.59")
    ev.execution.stated_rate = D("0.29")   # 0.59 ÷ 2 = 29.5%
    ev.execution.stated_score = D(85)
    found = {f.code: f for f in check_evaluation(ev)}
    assert "execution_rate_mismatch" in found and "29.50%" in found["execution_rate_mismatch"].message
    assert found["score_over_weight"].where.endswith("预算执行率")
    assert found["score_mismatch"].severity == "warning"
    assert "total_mismatch" in found


def test_rate_within_tolerance_is_accepted():
    ev = clean_project()
    ev.budget.total.spent = parse_wan("1.9999")
    ev.budget.source("appropriation").spent = parse_wan("1.9999")
    ev.execution.stated_rate = D("0.9999")
    ev.execution.stated_score = D("10")
    ev.stated_total = None
    assert "execution_rate_mismatch" not in codes(ev)


def test_total_and_grade_mismatch():
    ev = clean_project()
    ev.stated_total = D("97.5")
    ev.stated_grade = "良"
    assert {"total_mismatch", "grade_mismatch"} <= set(codes(ev))


def test_budget_identities():
    ev = Evaluation(kind=EvaluationKind.UNIT, layout="unit-jiangsu")
    b = ev.budget
    b.total = Amounts(None, parse_wan("93116.21"), parse_wan("90819.34"))
    b.basic = Amounts(None, parse_wan("471.72"), parse_wan("471.72"))
    b.project = Amounts(None, parse_wan("92644.49"), parse_wan("90347.62"))
    b.project_lines = [BudgetLine("项目 7", Amounts(None, parse_wan("92644.49"), parse_wan("90347.62")))]
    assert codes(ev) == []
    b.project_lines.append(BudgetLine("项目 8", Amounts(None, parse_wan("0.02"), None)))
    b.basic.spent = parse_wan("471.75")  # 0.03 万元 off; 0.01 is tolerated
    found = [f for f in check_evaluation(ev) if f.code == "budget_identity"]
    assert len(found) == 2
    assert any("各项目合计" in f.message and "0.02" in f.message for f in found)
    assert any("基本支出 + 项目支出" in f.message for f in found)


def test_sources_must_sum_to_the_total():
    ev = clean_project()
    ev.budget.source("appropriation").initial_budget = parse_wan("0.59")
    found = [f for f in check_evaluation(ev) if f.code == "budget_identity"]
    assert len(found) == 1 and "年初预算数" in found[0].message


def test_deviation_note_actual_missing_value_unreadable():
    ev = clean_project()
    ind = ev.indicators[2].children[0].children[0]
    ind.actual = "95%"
    ind.target = "99%"
    assert "deviation_note_missing" in codes(ev)
    ind.deviation_note = "偏差原因：业务量较大。改进措施：优化服务。"
    assert "deviation_note_missing" not in codes(ev)
    ind.actual = ""
    assert "actual_missing" in codes(ev)
    ind.actual = "大部分满意"
    assert "value_unreadable" in codes(ev)


def test_deviation_note_only_where_the_form_has_the_column():
    ev = clean_project()
    ev.layout = "project-jinzhong"  # a project form without a 偏差原因 column
    ev.indicators[2].children[0].children[0].actual = "90%"
    assert "deviation_note_missing" not in codes(ev)


def test_tier_band():
    ind = leaf("百姓对政策的理解程度", 4, "基本理解", "基本理解", Method.TIERS, tier=Tier.PARTIAL,
               score_override=D(3))
    ev = Evaluation(kind=EvaluationKind.UNIT, layout="unit-jiangsu")
    ev.add(group("履职", None, group("职能", None, ind)))
    assert "tier_out_of_band" not in codes(ev)
    ind.score_override = D("3.5")  # 87.5% is not 部分达成 (60%–80%)
    found = [f for f in check_evaluation(ev) if f.code == "tier_out_of_band"]
    assert found and found[0].severity == "error" and "[2.4, 3.2)" in found[0].message
    # A tier score inside its band is the officer's judgement, not a mismatch.
    ind.score_override = D("2.6")
    assert "score_mismatch" not in codes(ev)


def test_stated_score_differs_from_method():
    ev = clean_project()
    ind = ev.indicators[1].children[0].children[0]
    ind.actual = "98%"
    ind.score_override = D(20)  # method gives 29.4
    ind.deviation_note = "略"
    found = [f for f in check_evaluation(ev) if f.code == "score_mismatch"]
    assert found and "29.4" in found[0].message and found[0].severity == "warning"


def test_subtotal_and_progress_mismatch():
    ev = Evaluation(layout="project-jinzhong")
    g = group("投入", 3, leaf("资金到位率", 3, score_override=D("2.8"), method=Method.MANUAL, target="", actual=""))
    g.score_override = D("3")
    ev.add(g)
    ev.target_rows = [TargetRow(name="补助城乡居民养老保险", target="入口补每年116.11万人",
                                actual="入口补每年108.13万人", stated_progress=D("0.9313")),
                      TargetRow(name="成本", target="入口补共2536万元", actual="入口补共2364.01万元",
                                stated_progress=D("0.95"))]
    found = check_evaluation(ev)
    assert [f.code for f in found if f.code == "subtotal_mismatch"] == ["subtotal_mismatch"]
    progress = [f for f in found if f.code == "progress_mismatch"]
    assert len(progress) == 1 and "93.22%" in progress[0].message


def test_document_collects_every_evaluation():
    doc = Document()
    bad = clean_project()
    bad.stated_total = D(1)
    doc.projects = [clean_project(), bad]
    found = check_document(doc)
    assert [f.evaluation_uid for f in found] == [bad.uid]
    assert summarise(found) == (1, 0)


def test_a_project_line_of_the_unit_form_disagreeing_with_the_projects_form_is_found():
    """Issue 11 item 6: 442.15 on the unit form against 480.00 on the project's own form."""
    from perfdesk.checks import check_document
    from perfdesk.model.amounts import wan_to_fen

    doc = Document(year=2024)
    unit = doc.unit_evaluation
    unit.budget.project_lines = [BudgetLine("老字号（2023）", Amounts(None, wan_to_fen("442.15"), None)),
                                 BudgetLine("其他", Amounts(None, wan_to_fen("1"), None))]
    project = Evaluation(kind=EvaluationKind.PROJECT, name="老字号 (2023)")
    project.budget.total = Amounts(None, wan_to_fen("480"), wan_to_fen("470"))
    doc.projects.append(project)
    found = [f for f in check_document(doc) if f.code == "project_line_mismatch"]
    assert len(found) == 1
    assert "442.15" in found[0].message and "480.00" in found[0].message and "37.85" in found[0].message
    assert found[0].place.field == "budget.lines.0.annual_budget" and found[0].place.evaluation == unit.uid
    project.budget.total.annual_budget = wan_to_fen("442.15")
    assert not [f for f in check_document(doc) if f.code == "project_line_mismatch"]
