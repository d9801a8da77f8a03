"""The year that starts from a 目标表 (issue 17): the 草稿 rule of the 审核, 更新指标值 onto a filled
form through the import preview, and 导入预算执行数 from a 决算 table (reader, plan, command line)."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from perfdesk import ops
from perfdesk.checks import check_evaluation
from perfdesk.checks.draft import draft_state
from perfdesk.exchange.budget_figures import BudgetTableError, read_file, read_text
from perfdesk.exchange.importing import import_file
from perfdesk.model import Evaluation, EvaluationKind, Indicator, Method, Tier
from perfdesk.model.amounts import wan_to_fen
from perfdesk.model.dump import dump
from perfdesk.ops.budget_figures import plan_budget_figures
from targets_workbook import write_targets_workbook

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    path = tmp_path_factory.mktemp("targets") / "目标表.xlsx"
    specs = write_targets_workbook(path, projects=6)
    return path, specs


def imported(workbook):
    from perfdesk.cli import imported_document

    return imported_document(import_file(workbook[0]).document)


# --- 草稿 ---------------------------------------------------------------------------------------------

def codes(ev):
    return [f.code for f in check_evaluation(ev)]


def test_a_fresh_target_table_is_a_draft_and_the_first_result_ends_it(workbook):
    ev = imported(workbook).projects[0]
    assert codes(ev) == ["draft_pending"]
    [pending] = check_evaluation(ev)
    assert "待填写 10 项实际完成值、全年执行数" in pending.message
    first = next(ev.leaves())
    assert pending.place.indicator == first.uid and pending.place.field == "actual"   # the jump lands on the cell
    assert "依据" in pending.why
    first.actual = "125人"                # the officer starts: every check applies again
    assert draft_state(ev) is None
    assert codes(ev).count("actual_missing") == 9
    first.actual = ""
    first.score_override = Decimal(10)   # a score typed by hand is a result too
    assert draft_state(ev) is None
    first.score_override = None
    ev.stated_total = Decimal(90)
    assert draft_state(ev) is None


def test_budget_figures_do_not_end_a_draft_and_the_draft_stops_asking_for_them(workbook):
    ev = imported(workbook).projects[0]
    ev.budget.total.spent = ev.budget.total.annual_budget
    state = draft_state(ev)
    assert state is not None and not state.spent and state.summary() == "待填写 10 项实际完成值"


def test_a_draft_without_weights_asks_for_them_and_only_then_forgives_the_weight_total():
    ev = Evaluation(kind=EvaluationKind.PROJECT, name="甲", layout="project-mof")
    group = ev.add(Indicator("产出指标")).add(Indicator("数量指标"))
    group.add(Indicator("人数", target="≥10人", comparison="≥", unit="人", method=Method.AUTO))
    group.add(Indicator("次数", target="≥2次", comparison="≥", unit="次", method=Method.AUTO))
    assert draft_state(ev).summary() == "待填写 2 项实际完成值、2 项分值"
    assert "weight_total_not_100" not in codes(ev)
    group.children[0].weight = Decimal(40)                 # weights being set: their total is checked
    assert "weight_total_not_100" in codes(ev)


def test_a_filled_form_is_no_draft_and_keeps_every_warning():
    from factories import small_document

    doc = small_document()
    assert draft_state(doc.unit_evaluation) is None and draft_state(doc.projects[0]) is None
    assert "draft_pending" not in codes(doc.projects[0])


# --- 更新指标值 through the import preview -------------------------------------------------------------------

def test_a_new_target_table_over_filled_projects_updates_their_targets_and_keeps_results(workbook, tmp_path):
    doc = imported(workbook)
    for ev in doc.projects[:2]:
        for node in ev.leaves():
            node.actual = "1"
    doc.projects[1].leaves().__next__().deviation_note = "原因"
    # next version of the table: a changed target, an indicator dropped, one added, one project more
    path = tmp_path / "调整后目标表.xlsx"
    write_targets_workbook(path, projects=7)
    new = import_file(path).document
    changed = next(new.projects[0].leaves())
    changed.target, changed.initial_target, changed.adjust_reason = "≥150人", "≥120人", "追加任务"
    dropped = list(new.projects[0].leaves())[1]
    dropped.parent.children.remove(dropped)
    new.projects[0].indicators[0].children[0].add(
        Indicator("新增指标", weight=Decimal(0), target="≥1个", comparison="≥", unit="个", method=Method.AUTO))
    plan = ops.plan_import(doc, new)
    actions = [c.action for c in plan.choices]
    assert actions[:2] == ["targets", "targets"]   # filled: 更新指标值, never a replace that loses them
    assert actions[-1] == "add"
    assert "targets" in plan.choices[0].actions() and "replace" in plan.choices[0].actions()
    reason = plan.choices[0].reason
    assert "更新 9 项" in reason and "新增 1 项（新增指标）" in reason and "保留本文档独有的 1 项（开展活动次数）" in reason
    before = dump(doc)
    operation = ops.plan_operations(doc, plan)
    changes, inverse = operation.apply(doc)
    ev = doc.projects[0]
    first = next(ev.leaves())
    assert (first.target, first.initial_target, first.adjust_reason, first.actual) == ("≥150人", "≥120人", "追加任务", "1")
    assert [n.name for n in ev.indicators[0].children[0].children] == ["服务对象人数", "开展活动次数", "新增指标"]
    assert all(n.actual == "1" for n in ev.leaves() if n.name != "新增指标")
    assert list(doc.projects[1].leaves())[0].deviation_note == "原因"
    assert len(doc.projects) == 7
    inverse.apply(doc)
    assert dump(doc) == before


def test_projects_are_matched_by_their_code_when_the_name_changed(workbook):
    doc = imported(workbook)
    ev = doc.projects[2]
    assert ev.project.code
    for node in ev.leaves():
        node.actual = "1"
    new = import_file(workbook[0]).document
    new.projects[2].name = "改了名字的项目"
    plan = ops.plan_import(doc, new)
    assert plan.choices[2].target is ev and plan.choices[2].action == "targets"


def test_an_unfilled_project_is_replaced_as_before(workbook):
    doc = imported(workbook)
    doc.projects[0].budget.total.annual_budget = None
    doc.projects[0].budget.sources.clear()
    doc.projects[0].goals.expected = ""
    plan = ops.plan_import(doc, import_file(workbook[0]).document)
    assert plan.choices[0].action == "replace"


def test_the_tier_and_an_explicit_method_survive_new_targets():
    ours = Evaluation(kind=EvaluationKind.PROJECT, name="甲")
    node = ours.add(Indicator("产出")).add(Indicator("数量")).add(
        Indicator("制度", weight=Decimal(10), target="健全", actual="健全", method=Method.TIERS, tier=Tier.ACHIEVED))
    theirs = Evaluation(kind=EvaluationKind.PROJECT, name="甲")
    theirs.add(Indicator("产出")).add(Indicator("数量")).add(
        Indicator("制度", weight=Decimal(20), target="完善", comparison="定性", method=Method.TIERS))
    from perfdesk.model import Document

    doc = Document(projects=[ours])
    ops.update_targets_operation(doc, ours, theirs).apply(doc)
    assert (node.target, node.weight, node.tier, node.actual, node.method) == (
        "完善", 20, Tier.ACHIEVED, "健全", Method.TIERS)


def test_a_target_field_operation_refuses_nonsense_and_changes_nothing():
    from factories import small_document

    doc = small_document()
    ev = doc.unit_evaluation
    node = next(ev.leaves())
    before = dump(doc)
    for values in ((("comparison", "大约"),), (("weight", Decimal(-1)),), (("actual", "1"),), (("method", "x"),)):
        with pytest.raises(ops.OpError):
            ops.SetTargetFields(ev.uid, node.uid, values).apply(doc)
        assert dump(doc) == before


# --- 导入预算执行数 --------------------------------------------------------------------------------------

DECISION = ("2024年度项目支出决算表\n金额单位：元\n项目编码\t项目名称\t年初预算数\t调整预算数\t决算数\n"
            "\t农村饮水安全巩固提升项目01\t1,075,000.00\t1,075,000.00\t1,000,000.00\n"
            "51000024R000000000003\t高标准农田建设（三期）\t1215000\t1215000\t1200000\n"
            "\t义务教育薄弱学校改造\t1285000\t1285000\t1285000\n"
            "\t合计\t3575000\t3575000\t3485000\n"
            "\t不在文档中的项目\t10\t10\t10\n")


def test_a_decision_table_in_yuan_fills_every_project_in_one_step(workbook):
    doc = imported(workbook)
    table = read_text(DECISION)
    assert table.yuan and table.columns == ("initial_budget", "annual_budget", "spent")
    assert any("合计" in s for s in table.skipped)
    plan = plan_budget_figures(doc, table)
    assert [ours for _, ours in plan.filled] == [doc.projects[0].name, doc.projects[2].name, doc.projects[3].name]
    assert plan.near == [("义务教育薄弱学校改造", doc.projects[3].name)]   # “…改造” ⊂ “…改造项目04”: said so
    assert plan.not_found == ["不在文档中的项目"]
    assert plan.not_in_table == [doc.projects[i].name for i in (1, 4, 5)]
    report = "\n".join(plan.report())
    assert "不在文档中的项目" in report and doc.projects[1].name in report and "请核对" in report
    before = dump(doc)
    changes, inverse = plan.operation().apply(doc)
    assert doc.projects[0].budget.total.spent == wan_to_fen(Decimal(100))
    assert doc.projects[2].budget.total.spent == wan_to_fen(Decimal(120))   # by its code: the name differs
    assert doc.projects[1].budget.total.spent is None
    inverse.apply(doc)
    assert dump(doc) == before


def test_the_unit_forms_project_lines_are_filled_too():
    from factories import small_document

    doc = small_document()
    plan = plan_budget_figures(doc, read_text("项目名称\t全年执行数\n甲\t36\n项目甲\t80\n"))
    plan.operation().apply(doc)
    assert doc.unit_evaluation.budget.project_lines[0].amounts.spent == wan_to_fen(Decimal(36))
    assert doc.projects[0].budget.total.spent == wan_to_fen(Decimal(80))
    assert plan.lines == ["甲"]


def test_a_decision_workbook_and_a_csv_are_read(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "说明"
    ws.append(["本工作簿为决算导出"])
    ws2 = wb.create_sheet("项目支出")
    ws2.append(["项目名称", "全年预算数（万元）", "全年执行数（万元）"])
    ws2.append(["甲项目", 10.5, 9.25])
    path = tmp_path / "决算.xlsx"
    wb.save(path)
    table = read_file(path)
    assert [(f.name, f.amounts) for f in table.figures] == [
        ("甲项目", {"annual_budget": wan_to_fen(Decimal("10.5")), "spent": wan_to_fen(Decimal("9.25"))})]
    csv = tmp_path / "决算.csv"
    csv.write_text("项目名称,年初预算数,全年执行数\n乙项目,\"1,200\",900\n", encoding="gb18030")
    assert [(f.name, f.amounts["spent"]) for f in read_file(csv).figures] == [("乙项目", wan_to_fen(Decimal(900)))]


@pytest.mark.parametrize("text,message", [
    ("", "没有内容"), ("随便写点什么\n没有表头", "项目名称"), ("项目名称\t全年执行数\n甲\t一百\n", "没有读到"),
])
def test_a_table_that_cannot_be_read_says_why_in_chinese(text, message):
    with pytest.raises(BudgetTableError, match=message):
        read_text(text)


def test_a_bad_amount_is_reported_not_guessed():
    table = read_text("项目名称\t全年预算数\t全年执行数\n甲\t10\t约9\n")
    assert table.figures[0].amounts == {"annual_budget": wan_to_fen(Decimal(10))}
    assert any("约9" in s for s in table.skipped)


def test_import_budget_from_the_command_line(workbook, tmp_path):
    from perfdesk.store import open_document, save_document

    doc = imported(workbook)
    source = tmp_path / "文档.pdesk"
    save_document(doc, source)
    table = tmp_path / "决算.txt"
    table.write_text(DECISION, encoding="utf-8")   # the 项目编码 of 高标准农田建设 was saved with the document
    out = tmp_path / "已填写.pdesk"
    run = subprocess.run([sys.executable, "-m", "perfdesk", "import-budget", str(source), str(table), "-o", str(out),
                          "--json"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["not_found"] == ["不在文档中的项目"] and len(report["filled"]) == 3
    assert open_document(out, remember=False).projects[0].budget.total.spent == wan_to_fen(Decimal(100))
    again = subprocess.run([sys.executable, "-m", "perfdesk", "import-budget", str(source), str(table), "-o",
                            str(source)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert again.returncode == 2 and "输入文件本身" in again.stderr
