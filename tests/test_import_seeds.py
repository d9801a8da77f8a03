"""Importing the five seed forms (SPEC §6 acceptance figures).

For every imported evaluation: the recomputed total, the weight total, the
grade and the set of error findings, plus the budget figures, names, counts,
deviation notes, goals and narratives the importer must carry over.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from perfdesk.checks import ERROR, check_document, check_evaluation
from perfdesk.exchange.text_import import (
    ImportResult,
    TextImportError,
    import_text,
    indicators_from_rows,
    table_rows,
)
from perfdesk.model.amounts import wan_to_fen
from perfdesk.model.document import EvaluationKind, Method, Tier
from perfdesk.scoring import score_evaluation

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "seeds"
SEEDS = FIXTURES


def seed_text(prefix: str) -> str:
    files = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    assert files, f"seed {prefix} missing in {SEEDS}"
    return files[0].read_text(encoding="utf-8")


_cache: dict[str, ImportResult] = {}


def imported(prefix: str) -> ImportResult:
    if prefix not in _cache:
        _cache[prefix] = import_text(seed_text(prefix))
    return _cache[prefix]


def D(x) -> Decimal:
    return Decimal(str(x))


def W(x) -> int:
    return wan_to_fen(D(x))


def summary(ev):
    s = score_evaluation(ev)
    findings = check_evaluation(ev, s)
    errors = {f.code for f in findings if f.severity == ERROR}
    warnings = {f.code for f in findings if f.severity != ERROR}
    return s, errors, warnings


def project(doc, name):
    matches = [p for p in doc.projects if p.name == name]
    assert len(matches) == 1, [p.name for p in doc.projects]
    return matches[0]


def leaves(ev):
    return [n for n in ev.walk() if n.level == 3]


# --- 000 ---------------------------------------------------------------------------

def test_000_jiangsu_unit_form():
    result = imported("000")
    doc = result.document
    assert doc.unit.name == "如皋市被征地农民基本生活保障资金管理中心"
    assert doc.year == 2023
    assert doc.projects == []
    ev = doc.unit_evaluation
    assert ev.kind is EvaluationKind.UNIT and ev.template == "unit-jiangsu" and ev.layout == "unit-jiangsu"
    s, errors, warnings = summary(ev)
    assert s.total == D("96.8") and ev.stated_total == D("96.8")
    assert s.weight_total == 100
    assert s.grade == "优" and ev.stated_grade == "优"
    assert errors == set()
    assert warnings <= {"score_mismatch"}  # 预算执行率 1.5 vs 1.95, 满意度 2.7 vs 3
    # groups and weights as stated
    assert [(g.name, g.weight) for g in ev.indicators] == [
        ("决策", 6), ("过程", 26), ("履职", 56), ("效益", 9), ("满意度", 3)]
    duty = ev.indicators[2]
    assert [(g.name, g.weight) for g in duty.children] == [("职能", 24), ("职能", 32)]
    assert [g.name for g in ev.indicators[4].children] == ["服务对象满意度"]
    assert len(leaves(ev)) == 42
    by_name = {n.name: n for n in leaves(ev)}
    assert by_name["预算调整率"].method is Method.LOWER and by_name["预算调整率"].actual == "2. 47%"
    assert by_name["预算执行率"].method is Method.EXECUTION_RATE
    assert by_name["预算执行率"].score_override == D("1.5")
    assert by_name["百姓对政策的理解程度"].tier is Tier.PARTIAL
    # budget: 471.72 + 92644.49 = 93116.21, eight project lines
    b = ev.budget
    assert b.total.annual_budget == W("93116.21") and b.total.spent == W("90819.34")
    assert b.basic.annual_budget == W("471.72") and b.basic.spent == W("471.72")
    assert b.project.annual_budget == W("92644.49") and b.project.spent == W("90347.62")
    assert b.basic.annual_budget + b.project.annual_budget == b.total.annual_budget
    assert len(b.project_lines) == 8
    assert b.project_lines[0].name == "稽查费"
    assert b.project_lines[6].name == "财政对居民养老保险的补助"
    assert sum(line.amounts.annual_budget for line in b.project_lines) == b.project.annual_budget
    assert sum(line.amounts.spent for line in b.project_lines) == b.project.spent
    assert "精准扶贫" in ev.narrative["achievements"]
    assert ev.narrative["problems"].startswith("居（失）保待遇享受对象")
    assert ev.narrative["remedies"].startswith("（一）持续加大")
    assert doc.unit.functions.startswith("（一）宣传和贯彻执行")
    assert "主任室 1 人" in doc.unit.organisation


# --- 001 ---------------------------------------------------------------------------

def test_001_two_project_forms_and_prose():
    result = imported("001")
    doc = result.document
    assert doc.year == 2023
    assert doc.unit.name == "烈山区人社局"
    assert [p.name for p in doc.projects] == ["老字号", "城乡居民基本养老保险"]
    ue = doc.unit_evaluation
    assert ue.indicators == [] and ue.execution is None
    s, errors, warnings = summary(ue)
    assert (s.total, s.weight_total, s.grade) == (0, 0, "差")
    assert errors == set() and warnings == set()  # an empty unit evaluation is not “weights ≠ 100”
    assert ue.narrative["explanation"].startswith("关于2023年度预算绩效情况说明")
    assert "部门评价结果" in ue.narrative["explanation"]


def test_001_laozihao():
    doc = imported("001").document
    ev = project(doc, "老字号")
    assert ev.template == "project-mof" and ev.layout == "project-mof"
    assert ev.project.supervisor == "烈山区人社局" and ev.project.implementer == "烈山区人社局"
    t = ev.budget.total
    assert (t.initial_budget, t.annual_budget, t.spent) == (W(680), W(680), W("661.7252"))
    assert ev.budget.sources["appropriation"].spent == W("661.7252")
    assert ev.execution.weight == 10
    assert ev.execution.stated_rate == 1 and ev.execution.stated_score == 10
    s, errors, warnings = summary(ev)
    assert s.total == 90 and s.weight_total == 90 and s.grade == "优"
    assert ev.stated_total == 100
    assert errors == {"execution_rate_mismatch", "weight_sum_mismatch", "weight_total_not_100",
                      "total_mismatch"}
    assert "score_mismatch" in warnings
    assert s.execution_rate.quantize(D("0.0001")) == D("0.9731")
    assert [(g.name, g.weight) for g in ev.indicators] == [("产出指标", 50), ("效益指标", 30), ("满意度指标", 10)]
    assert len(leaves(ev)) == 7
    by_name = {n.name: n for n in leaves(ev)}
    assert by_name["运转保障率"].method is Method.TIERS and by_name["运转保障率"].tier is Tier.ACHIEVED
    assert by_name["项目单项成本"].method is Method.LOWER
    assert by_name["经费支出合规律"].method is Method.HIGHER
    assert ev.goals.expected == "2023年城乡医疗救助区级配套资金680万元"
    assert ev.goals.achieved == "达成预期指标"
    assert ev.narrative["summary"].startswith("老字号项目绩效自评综述")


def test_001_pension():
    doc = imported("001").document
    ev = project(doc, "城乡居民基本养老保险")
    t = ev.budget.total
    assert (t.initial_budget, t.annual_budget, t.spent) == (W(900), W(900), W("760.2160"))
    assert ev.execution.stated_rate == D("0.75") and ev.execution.stated_score == 85
    s, errors, warnings = summary(ev)
    assert s.indicator_total == 90 and s.indicator_weight == 90
    assert s.weight_total == 100
    assert s.total == 175  # stated scores count as stated: 90 + 85
    assert s.grade == "优" and ev.stated_grade is None
    assert ev.stated_total == D("97.5")
    assert errors == {"execution_rate_mismatch", "score_over_weight", "total_mismatch"}
    assert s.execution_rate.quantize(D("0.0001")) == D("0.8447")
    assert len(leaves(ev)) == 7
    assert ev.goals.expected.startswith("城乡居民基本养老保险缴费范围")
    assert ev.narrative["summary"].startswith("城乡居民基本养老保险项目绩效自评综述")
    report = ev.narrative["report"]
    assert report.startswith("城乡居民养老保险项目支出绩效评价报告")
    assert "99.84" in report and "八、其他需要说明的问题" in report
    assert any("城乡居民基本养老保险" in line and "评价报告" in line for line in imported("001").report)


# --- 002 ---------------------------------------------------------------------------

def test_002_unit_form():
    result = imported("002")
    doc = result.document
    assert doc.year == 2022
    assert doc.unit.name == "永州市零陵区社会保险服务中心"
    assert doc.unit.supervisor == "永州市零陵区人力资源和社会保障局"
    ev = doc.unit_evaluation
    assert ev.template == "unit-mof" and ev.layout == "unit-mof"
    t = ev.budget.total
    assert (t.initial_budget, t.annual_budget, t.spent) == (W("531.19"), W("456.09"), W("456.09"))
    assert ev.budget.basic.initial_budget == W("470.19") and ev.budget.project.initial_budget == W(61)
    assert ev.budget.sources["general_budget"].initial_budget == W("531.19")
    assert ev.execution.weight == 10
    assert ev.execution.stated_rate == D("0.858") and ev.execution.stated_score == 8
    s, errors, warnings = summary(ev)
    assert s.indicator_total == 86 and s.total == 94 and ev.stated_total == 94
    assert s.weight_total == 100 and s.grade == "优"
    assert s.execution_computed == 10
    assert errors == {"execution_rate_mismatch"}
    assert "score_mismatch" in warnings
    assert "budget_identity" not in errors
    assert len(leaves(ev)) == 8
    by_name = {n.name: n for n in leaves(ev)}
    assert by_name["城乡居民参保人数"].method is Method.HIGHER
    assert by_name["确保基金正常运转"].method is Method.TIERS
    assert by_name["待遇拨付覆盖率"].deviation_note.startswith("偏差原因：部分退休人员")
    assert "改进措施" in by_name["服务对象满意度"].deviation_note
    assert ev.goals.expected.startswith("目标1：确保机关事业保险")
    assert "目标2" in ev.goals.achieved


# name -> (budget A/B, indicator total, total, stated total, weight total, required errors)
PROJECTS_002 = {
    "城乡居保参保乡镇考核": ((38, 38, 0), 75, 75, 85, 90, "中",
                       {"total_mismatch", "weight_sum_mismatch", "weight_total_not_100"}),
    "禁捕、退捕渔民社保经费": ((2, 2, "0.59"), 90, 93, 93, 100, "优", {"execution_rate_mismatch"}),
    "社保基金冒领稽核经费": ((3, 3, "0.63"), 83, 85, 90, 95, "良",
                     {"total_mismatch", "weight_sum_mismatch", "weight_total_not_100"}),
    "生存资格、新农保转保、代发、被征地农民专项经费": ((18, 18, "5.25"), 90, 93, 93, 100, "优",
                                     {"execution_rate_mismatch"}),
}


@pytest.mark.parametrize("name", list(PROJECTS_002))
def test_002_projects(name):
    doc = imported("002").document
    (a0, a, b), ind_total, total, stated, weights, grade, required = PROJECTS_002[name]
    ev = project(doc, name)
    assert ev.template == "project-mof"
    assert ev.project.supervisor == "永州市零陵区人力资源和社会保障局"
    assert ev.project.implementer == "永州市零陵区社会保险服务中心"
    t = ev.budget.total
    assert (t.initial_budget, t.annual_budget, t.spent) == (W(a0), W(a), W(b))
    s, errors, warnings = summary(ev)
    assert s.indicator_total == ind_total
    assert s.total == total
    assert ev.stated_total == stated
    assert s.weight_total == weights
    assert s.grade == grade
    # the 当年财政拨款 row holds one figure in the 年初预算数 column: imported as placed,
    # so the sources do not add up to 资金总额 (a real inconsistency of the original)
    assert errors == required | {"budget_identity"}
    assert len(leaves(ev)) == 7
    assert "……" not in {n.name for n in ev.walk()}
    assert ev.goals.expected and ev.goals.achieved


def test_002_execution_scores_rounded_on_the_form_are_warnings():
    doc = imported("002").document
    ev = project(doc, "禁捕、退捕渔民社保经费")
    s, errors, warnings = summary(ev)
    assert s.execution_computed == D("2.95") and ev.execution.stated_score == 3
    assert "score_mismatch" in warnings and "score_mismatch" not in errors
    ev = project(doc, "社保基金冒领稽核经费")
    s, errors, _ = summary(ev)
    assert s.execution_rate == D("0.21") and "execution_rate_mismatch" not in errors


def test_002_empty_subgroups_kept_and_placeholders_dropped():
    doc = imported("002").document
    ev = project(doc, "城乡居保参保乡镇考核")
    benefit = ev.indicators[1]
    assert benefit.name == "效益指标" and benefit.weight == 30
    assert [g.name for g in benefit.children] == ["经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"]
    assert benefit.children[0].children == []


# --- 003 ---------------------------------------------------------------------------

def test_003_report_and_incomplete_form():
    result = imported("003")
    doc = result.document
    assert doc.unit.name == "如皋市社会养老保险管理处"
    assert doc.year == 2023
    ev = doc.unit_evaluation
    assert ev.template == "unit-jiangsu"
    assert ev.stated_total == D("97.20") and ev.stated_grade == "优"
    s, errors, _ = summary(ev)
    assert s.weight_total == 29 and s.total == 29 and s.grade == "差"
    assert errors == {"weight_sum_mismatch", "weight_total_not_100", "total_mismatch", "grade_mismatch"}
    process = ev.indicators[1]
    assert process.name == "过程" and process.weight == 26
    assert score_evaluation(ev).of(process).weight == 23
    assert len(leaves(ev)) == 26
    b = ev.budget
    assert b.total.annual_budget == W("1083.48") == b.total.spent
    assert b.basic.annual_budget + b.project.annual_budget == b.total.annual_budget
    assert len(b.project_lines) == 8
    assert sum(line.amounts.annual_budget for line in b.project_lines) == b.project.annual_budget
    n = ev.narrative
    assert n["report_overview"].startswith("如皋市社会养老保险管理处于2003年11月")
    assert n["report_duties"].startswith("负责宣传和贯彻执行")
    assert "代发老临工待遇" in n["report_duties"]  # mended across the page break
    assert n["report_goals"].startswith("如皋市社会养老保险管理处整体绩效目标")
    assert n["report_method"].startswith("评价采用定量与定性")
    assert "1083.48" in n["report_process"]
    assert "97.20" in n["report_conclusion"]
    assert n["report_performance"].startswith("一是确保企业退休人员养老金精准发放")
    assert n["report_problems"].startswith("一是绩效管理专业知识培训不够")
    assert n["report_suggestions"].startswith("一是强化宣传引导")
    assert doc.unit.functions.startswith("(1) 宣传和贯彻执行") and "<p>" not in doc.unit.functions
    assert any("不完整" in line for line in result.report)


# --- 004 ---------------------------------------------------------------------------

def test_004_jinzhong_project():
    result = imported("004")
    doc = result.document
    assert doc.year == 2020
    assert doc.unit.name == "晋中市养老保险中心"
    assert len(doc.projects) == 1
    ue = doc.unit_evaluation
    assert ue.indicators == [] and ue.execution is None
    assert check_evaluation(ue) == []
    assert score_evaluation(ue).total == 0 and score_evaluation(ue).weight_total == 0
    ev = doc.projects[0]
    assert ev.name == "城乡居民养老金缴费补助（入口补）"
    assert ev.template == "project-jinzhong" and ev.layout == "project-jinzhong"
    assert ev.project.supervisor_code == "077"
    assert ev.project.implementer == "晋中市养老保险中心"
    assert ev.project.attribute == "经常性项目"
    assert ev.project.period == "2020-01-01至2020-12-31"
    t = ev.budget.total
    assert (t.initial_budget, t.annual_budget, t.spent) == (W("2536.08"), W("2364.01"), W("2364.01"))
    assert ev.budget.sources["appropriation"].initial_budget == W("2536.08")
    assert ev.budget.sources["appropriation"].spent == W("2364.01")
    s, errors, warnings = summary(ev)
    assert s.total == D("99.80") and ev.stated_total == D("99.80")
    assert s.weight_total == 100
    assert s.grade == "优" and ev.stated_grade == "优"
    assert errors == set() and warnings == set()
    groups = [(g.name, g.weight, g.score_override) for g in ev.indicators]
    assert groups == [("投入", 20, D("19.80")), ("过程", 20, D("20.00")), ("产出", 30, D("30.00")),
                      ("效果", 30, D("30.00"))]
    assert [g.name for g in ev.indicators[0].children] == ["项目目标", "资金落实"]
    effect = ev.indicators[3]
    assert [g.name for g in effect.children] == ["项目效果"]
    assert [n.name for n in effect.children[0].children] == [
        "经济效益", "社会效益", "生态效益", "可持续影响", "社会公众或服务对象满意度"]
    by_name = {n.name: n for n in leaves(ev)}
    arrival, execution = by_name["资金到位率"], by_name["预算执行率"]
    assert arrival.method is Method.ARRIVAL_RATE and execution.method is Method.EXECUTION_RATE
    assert s.of(arrival).computed == D("2.80") and arrival.score_override == D("2.80")
    assert s.of(execution).computed == D("3.00")
    assert len(leaves(ev)) == 21
    # 绩效目标实现情况
    rows = ev.target_rows
    assert len(rows) == 6
    assert not any(r.name.startswith("指标") for r in rows)
    progress = {r.level2: r.stated_progress for r in rows}
    assert progress["数量指标"] == D("0.9313") and progress["成本指标"] == D("0.9322")
    quantity = next(r for r in rows if r.level2 == "数量指标")
    assert quantity.level1 == "产出指标" and quantity.name == "补助城乡居民养老保险"
    assert quantity.target == "入口补每年116.11万人"
    assert "progress_mismatch" not in errors
    # narrative without <p> tags
    n = ev.narrative
    assert n["overview"].startswith("基本情况") and "<p>" not in n["overview"]
    assert n["fund_usage"].startswith("一、项目资金申报与批复情况")
    assert n["organisation"].startswith("“一、项目组织情况")
    assert n["performance"].startswith("一、目标完成情况") and n["performance"].endswith("448.16万元。")
    assert n["other_issues"] == "无"
    assert [(e.name, e.title, e.phone) for e in ev.evaluators] == [
        ("杨宝金", "主任", "3075652"), ("胡建华", "副主任", "3075652"), ("闫小全", "副主任", "3075652")]
    assert doc.unit.preparer == "于蕾" and doc.unit.phone == "3075652"


# --- every seed ------------------------------------------------------------------------

@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_seed_reports_in_chinese_and_checks_run(prefix):
    result = imported(prefix)
    assert result.report and all(any("\u4e00" <= ch <= "\u9fff" for ch in line) for line in result.report)
    check_document(result.document)  # no exception
    for ev in result.document.evaluations():
        for node in ev.walk():
            assert node.name != "……"
            if node.level == 3:
                assert node.weight is None or node.weight >= 0


def test_import_is_repeatable_with_fresh_uids():
    a = import_text(seed_text("002")).document
    b = import_text(seed_text("002")).document
    uids_a = {n.uid for ev in a.evaluations() for n in ev.walk()}
    uids_b = {n.uid for ev in b.evaluations() for n in ev.walk()}
    assert not uids_a & uids_b


# --- refusing ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "   \n\n", "今天天气很好。\n没有任何表格。\n", "a\tb\nc\td\n"])
def test_nothing_recognisable_raises_chinese_error(text):
    with pytest.raises(TextImportError) as info:
        import_text(text)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(info.value))


def test_unreadable_amount_is_reported_never_zero():
    text = seed_text("002").replace("→531.19".replace("→", "\t"), "\t约五百万", 1)
    result = import_text(text)
    assert result.document.unit_evaluation.budget.total.initial_budget is None
    assert any("约五百万" in line for line in result.report)


# --- table_rows / indicators_from_rows ----------------------------------------------------

def test_table_rows_both_formats():
    tabbed = "一级指标\t二级指标\t三级指标\t指标值\t分值\t实际完成值\t得分\n产出(10)\t数量\t人数\t≥5人\t10\t6人\t10\n"
    assert table_rows(tabbed) == [
        ["一级指标", "二级指标", "三级指标", "指标值", "分值", "实际完成值", "得分"],
        ["产出(10)", "数量", "人数", "≥5人", "10", "6人", "10"],
    ]
    flat = "\t产\n出\n指\n标\n(50分)\n\t数量\n指标\n\t\u3000\n\t人数\n\n\t\t\t\t……\n\t\t\t\n"
    assert table_rows(flat) == [["产出指标(50分)", "数量指标", "", "人数"]]


def test_indicators_from_rows_finds_columns_by_label():
    rows = [
        ["偏差原因分析及改进措施", "得分", "分值", "实际完成值", "年度指标值", "三级指标", "二级指标", "一级指标"],
        ["", "10", "10", "100%", "100%", "合规率", "质量指标", "产出指标(20分)"],
        ["人手不足", "6", "10", "80%", "≥90%", "及时率", "时效指标", ""],
        ["", "", "", "", "", "", "", ""],
        ["", "100", "", "", "", "", "", "合计"],
    ]
    roots = indicators_from_rows(rows)
    assert len(roots) == 1 and roots[0].name == "产出指标" and roots[0].weight == 20
    quality, timely = roots[0].children
    assert quality.name == "质量指标" and quality.children[0].name == "合规率"
    leaf = timely.children[0]
    assert (leaf.name, leaf.target, leaf.actual, leaf.weight, leaf.score_override, leaf.deviation_note) == (
        "及时率", "≥90%", "80%", D(10), D(6), "人手不足")
    assert leaf.method is Method.HIGHER


def test_indicators_from_rows_without_header_uses_mof_order():
    rows = table_rows("产出指标\t数量指标\t参保人数\t31万人\t31.48万人\t10\t10\t\n\t\t预算调整率\t≤5%\t2%\t5\t5\n")
    roots = indicators_from_rows(rows)
    leaves_ = [n for n in roots[0].walk() if not n.children]
    assert [(n.name, n.weight, n.method) for n in leaves_] == [
        ("参保人数", 10, Method.HIGHER), ("预算调整率", 5, Method.LOWER)]


# --- mixed and altered texts ---------------------------------------------------------------

def test_windows_line_endings_import_the_same():
    text = seed_text("001").replace("\n", "\r\n")
    doc = import_text(text).document
    assert [p.name for p in doc.projects] == ["老字号", "城乡居民基本养老保险"]
    assert [score_evaluation(p).total for p in doc.projects] == [90, 175]


def test_unit_form_and_project_forms_in_one_text():
    result = import_text(seed_text("000") + "\n\n" + seed_text("001"))
    doc = result.document
    assert doc.unit.name == "如皋市被征地农民基本生活保障资金管理中心"
    assert score_evaluation(doc.unit_evaluation).total == D("96.8")
    assert [p.name for p in doc.projects] == ["老字号", "城乡居民基本养老保险"]
    assert doc.unit_evaluation.narrative["explanation"].startswith("关于2023年度预算绩效情况说明")


def test_second_unit_form_is_skipped_and_reported():
    result = import_text(seed_text("000") + "\n\n" + seed_text("002"))
    doc = result.document
    assert doc.unit_evaluation.template == "unit-jiangsu"
    assert len(doc.projects) == 4
    assert any("第二份部门整体自评表" in line for line in result.report)
    assert any("多个年度" in line for line in result.report)


def test_a_failure_inside_a_parser_gives_no_document(monkeypatch):
    from perfdesk.exchange.families import jinzhong

    def broken(rows, reader):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(jinzhong, "read", broken)
    with pytest.raises(TextImportError) as info:
        import_text(seed_text("004"))
    assert "未导入任何内容" in str(info.value)


def test_excel_style_repeated_group_labels_make_one_group():
    rows = table_rows(
        "一级指标\t二级指标\t三级指标\t指标值\t实际完成值\t分值\t得分\n"
        "产出指标(30分)\t数量指标\t人数\t10人\t10人\t10\t10\n"
        "产出指标(30分)\t数量指标\t户数\t5户\t4户\t10\t8\n"
        "产出指标(30分)\t质量指标\t合格率\t100%\t100%\t10\t10\n"
    )
    roots = indicators_from_rows(rows)
    assert len(roots) == 1
    assert [(g.name, len(g.children)) for g in roots[0].children] == [("数量指标", 2), ("质量指标", 1)]


@pytest.mark.parametrize("bad", ["1e999", "NaN", "Infinity", "1.2.3"])
def test_absurd_numbers_are_reported_not_read(bad):
    text = seed_text("002")
    text = text.replace("\t531.19\n", f"\t{bad}\n", 1).replace("\t94\n", f"\t{bad}\n", 1)
    result = import_text(text)
    ev = result.document.unit_evaluation
    assert ev.budget.total.initial_budget is None
    assert ev.stated_total is None
    assert any(bad in line for line in result.report)
    check_document(result.document)


def test_table_rows_reads_excel_quoted_cells_with_line_breaks():
    text = ('产出指标\t数量指标\t人数\t10人\t8人\t10\t8\t"偏差原因：人少\n改进措施：多招"\n'
            '\t\t"三公经费"变动率\t≤0%\t0%\t1\t1\t\n')
    assert table_rows(text) == [
        ["产出指标", "数量指标", "人数", "10人", "8人", "10", "8", "偏差原因：人少\n改进措施：多招"],
        ["", "", '"三公经费"变动率', "≤0%", "0%", "1", "1"],
    ]


def test_a_form_named_in_prose_does_not_swallow_the_prose():
    text = seed_text("001").replace(
        "（3）部门评价结果。",
        "附件：2023年度项目支出绩效自评表\n（3）部门评价结果。这一段是很长的说明文字，用来确认前面那一行只是提到了表格的名称，而不是表格本身。", 1)
    doc = import_text(text).document
    assert "这一段是很长的说明文字" in doc.unit_evaluation.narrative["explanation"]
    assert len(doc.projects) == 2
