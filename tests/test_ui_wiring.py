"""The issue-14/17 fields in the window: 指标性质 and 计量单位 columns, adjusted targets,
the 评价规则 combo of 单位信息, the funding rows of the layout, and 为什么 in the 审核 dock.

Edits go through key events and input-method commits, as an officer types them.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QComboBox, QLineEdit

from factories import small_document
from perfdesk import templates
from perfdesk.model import Evaluation, EvaluationKind, Indicator, Method, Tier
from perfdesk.model.amounts import parse_wan
from perfdesk.model.document import Amounts
from perfdesk.scoring import rules
from perfdesk.ui.evaluation_editor import TAB_BUDGET, TAB_INFO
from perfdesk.ui.indicator_model import (
    COL_ACTUAL,
    COL_COMPARISON,
    COL_INITIAL,
    COL_METHOD,
    COL_REASON,
    COL_SCORE,
    COL_TARGET,
    COL_TIER,
    COL_UNIT,
)
from test_ui_main_window import leaf, log, make_window  # noqa: F401 - fixtures

pytest.importorskip("pytestqt")


def auto_document():
    """The small document with one indicator scored 按指标性质, its target a bare number."""
    doc = small_document()
    qty = doc.unit_evaluation.indicators[0].children[0]
    qty.add(Indicator("覆盖率", weight=Decimal(20), target="98", actual="95", method=Method.AUTO))
    qty.weight = Decimal(80)
    doc.unit_evaluation.indicators[0].weight = Decimal(80)
    return doc


def type_into(qtbot, view, text: str) -> None:
    """Start editing the current cell by typing (as in Excel), type the rest, press Enter (ASCII only)."""
    assert text.isascii()
    qtbot.keyClick(view, text[0])
    editor = view.indexWidget(view.currentIndex())
    assert editor is not None, "typing did not start editing"
    line = editor.lineEdit() if isinstance(editor, QComboBox) else editor
    assert isinstance(line, QLineEdit)
    qtbot.keyClicks(line, text[1:])
    qtbot.keyClick(line, Qt.Key_Return)


def commit_chinese(qtbot, view, text: str) -> None:
    """Chinese from an input method: a commit string, then Enter."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QCoreApplication.sendEvent(view, event)
    editor = view.indexWidget(view.currentIndex())
    assert editor is not None
    line = editor.lineEdit() if isinstance(editor, QComboBox) else editor
    assert line.text() == text
    qtbot.keyClick(line, Qt.Key_Return)


def test_comparison_and_unit_are_typed_and_the_method_follows_them(make_window, qtbot):
    w = make_window(auto_document())
    ev = w.session.doc.unit_evaluation
    tab = w.current_editor().indicators
    model, view = tab.model, tab.view
    node = leaf(ev, "覆盖率")
    assert [model.headerData(c, Qt.Horizontal) for c in (COL_COMPARISON, COL_TARGET, COL_UNIT)] == [
        "指标性质", "指标值", "计量单位"]
    score = model.index_of(node, COL_SCORE)
    assert score.data() == "19.39"  # no 指标性质 yet: a number reads as 正向, 95 ÷ 98 × 20
    assert "正向" in model.index_of(node, COL_METHOD).data()

    tab.select(node, COL_UNIT)
    type_into(qtbot, view, "%")
    qtbot.waitUntil(lambda: node.unit == "%", timeout=2000)
    tab.select(node, COL_COMPARISON)
    type_into(qtbot, view, "<=")          # typed as on a keyboard; stored as the form writes it
    qtbot.waitUntil(lambda: node.comparison == "≤", timeout=2000)
    assert model.index_of(node, COL_COMPARISON).data() == "≤"
    assert score.data() == "20"          # 反向: 95% is within ≤ 98%
    assert "反向" in model.index_of(node, COL_METHOD).data()
    assert w.session.undo_stack.count() == 2

    tab.select(node, COL_COMPARISON)
    commit_chinese(qtbot, view, "大于等于")
    qtbot.waitUntil(lambda: node.comparison == "≥", timeout=2000)
    assert score.data() == "19.39"

    tab.select(node, COL_UNIT)
    commit_chinese(qtbot, view, "万人次")
    qtbot.waitUntil(lambda: node.unit == "万人次", timeout=2000)
    w.actions_by_name["undo"].trigger()
    assert node.unit == "%" and model.index_of(node, COL_UNIT).data() == "%"

    # a 指标性质 the forms do not know is refused with a Chinese message, nothing changed
    count = w.session.undo_stack.count()
    tab.select(node, COL_COMPARISON)
    type_into(qtbot, view, "~~")
    qtbot.waitUntil(lambda: any("未知的指标性质" in m for _k, m in w_log(w)), timeout=2000)
    assert node.comparison == "≥" and w.session.undo_stack.count() == count


def w_log(w):
    return w.log_messages


@pytest.fixture(autouse=True)
def _log_on_window(monkeypatch, log):  # noqa: F811 - the fixture imported above
    from perfdesk.ui.main_window import MainWindow

    monkeypatch.setattr(MainWindow, "log_messages", property(lambda self: log.messages), raising=False)


def test_qualitative_by_comparison_makes_the_tier_editable(make_window, qtbot):
    w = make_window(auto_document())
    ev = w.session.doc.unit_evaluation
    tab = w.current_editor().indicators
    node = leaf(ev, "覆盖率")
    tier = tab.model.index_of(node, COL_TIER)
    assert not (tier.flags() & Qt.ItemIsEditable)
    tab.select(node, COL_COMPARISON)
    commit_chinese(qtbot, tab.view, "定性")
    qtbot.waitUntil(lambda: node.comparison == "定性", timeout=2000)
    assert tier.flags() & Qt.ItemIsEditable
    assert tab.model.setData(tier, "部分达成")
    assert node.tier is Tier.PARTIAL
    # 部分达成 under 财政部: the top of [60 %, 80 %) of 20, just under 16
    assert tab.model.index_of(node, COL_SCORE).data() == "15.8"


def test_adjusted_targets_show_the_initial_value_and_reason(make_window, qtbot):
    w = make_window(auto_document())
    ev = w.session.doc.unit_evaluation
    tab = w.current_editor().indicators
    model, view = tab.model, tab.view
    node = leaf(ev, "参保人数")
    assert view.isColumnHidden(COL_INITIAL) and view.isColumnHidden(COL_REASON)
    assert not tab.show_initial_action.isChecked()
    # the header's menu shows the columns on demand; then 年初指标值 is typed in the view
    tab.show_initial_action.trigger()
    assert not view.isColumnHidden(COL_INITIAL) and not view.isColumnHidden(COL_REASON)
    assert model.headerData(COL_TARGET, Qt.Horizontal) == "调整后指标值"
    tab.select(node, COL_INITIAL)
    type_into(qtbot, view, ">=12")  # QTest types ASCII only; Chinese comes through the input method
    qtbot.waitUntil(lambda: node.initial_target == ">=12", timeout=2000)
    tab.select(node, COL_REASON)
    commit_chinese(qtbot, view, "年中政策调整")
    qtbot.waitUntil(lambda: node.adjust_reason == "年中政策调整", timeout=2000)
    assert node.target == "≥10万人"  # the adjusted target scores, as before
    tip = model.index_of(node, COL_TARGET).data(Qt.ToolTipRole)
    assert "年初指标值：>=12" in tip and "调整原因：年中政策调整" in tip
    # asked to hide them while a target is adjusted: hidden; shown again when asked
    tab.show_initial_action.trigger()
    assert view.isColumnHidden(COL_INITIAL)
    tab.show_initial_action.trigger()
    assert not view.isColumnHidden(COL_INITIAL)


def test_columns_appear_by_themselves_once_a_target_is_adjusted(make_window, qtbot):
    from perfdesk import ops

    w = make_window(auto_document())
    ev = w.session.doc.unit_evaluation
    tab = w.current_editor().indicators
    node = leaf(ev, "参保人数")
    assert tab.view.isColumnHidden(COL_INITIAL)
    w.session.apply(ops.SetIndicatorField(ev.uid, node.uid, "initial_target", "≥12万人"))
    assert not tab.view.isColumnHidden(COL_INITIAL)
    assert tab.model.index_of(node, COL_INITIAL).data() == "≥12万人"
    w.actions_by_name["undo"].trigger()
    assert tab.view.isColumnHidden(COL_INITIAL)
    assert tab.model.headerData(COL_TARGET, Qt.Horizontal) == "指标值"


def test_new_indicators_are_scored_by_their_comparison(make_window, qtbot):
    w = make_window()
    ev = w.session.doc.unit_evaluation
    tab = w.current_editor().indicators
    tab.select(leaf(ev, "参保人数"))
    tab.insert_sibling()
    new = tab.current_node()
    assert new.method is Method.AUTO and new.level == 3
    assert "按性质" in tab.model.index_of(new, COL_METHOD).data()
    assert tab.model.index_of(new, COL_METHOD).data(Qt.EditRole) == "按指标性质"


def unit_window(make_window, name="某单位"):
    doc = templates.new_document("unit-mof", 2024, name)
    ev = doc.unit_evaluation
    ev.budget.total = Amounts(parse_wan("100"), parse_wan("100"), parse_wan("90"))
    social = next(n for n in ev.leaves() if n.name == "（社会效益指标）")
    social.tier, social.actual = Tier.NOT_ACHIEVED, "未达成"
    return make_window(doc), social


def test_rule_set_combo_rescores_live_as_one_undo_step(make_window, qtbot, tmp_path):
    folder = tmp_path / "data" / "评价规则"
    folder.mkdir(parents=True)
    (folder / "某县.json").write_text(json.dumps({
        "schema": 1, "id": "mouxian", "extends": "mof", "name": "某县（2024 年自评通知）",
        "source": "某县财政局关于开展 2024 年度绩效自评工作的通知",
        "execution": {"weight": 15, "source": "同上：预算执行率 15 分"}}, ensure_ascii=False), encoding="utf-8")
    (folder / "坏的.json").write_text("{ 不是 JSON", encoding="utf-8")
    w, social = unit_window(make_window)
    assert rules.user_folder() == folder  # the window made the settings folder's rule sets known
    editor = w.current_editor()
    editor.setCurrentIndex(TAB_INFO)
    combo = editor.info.widgets["rule_set"]
    ids = [combo.itemData(i) for i in range(combo.count())]
    assert ids[:2] == ["", "mof"] and {"hubei", "jiangxi", "sichuan", "mouxian"} <= set(ids)
    assert combo.itemText(ids.index("mouxian")) == "某县（2024 年自评通知）（自定）"
    assert combo.currentData() == ""
    problems = editor.info.rule_set_problems
    assert not problems.isHidden() and "坏的.json" in problems.text()

    cell = editor.indicators.model.index_of(social, COL_SCORE)
    assert cell.data() == "8.85"
    combo.setCurrentIndex(ids.index("hubei"))
    combo.activated.emit(ids.index("hubei"))  # what choosing it with the mouse or keys emits
    assert w.session.doc.rule_set == "hubei"
    assert all(ev.rule_set == "hubei" for ev in w.session.doc.evaluations())
    assert cell.data() == "7.35"  # 湖北: 未达成 below 50 %
    assert w.session.undo_stack.count() == 1 and "湖北" in w.session.undo_stack.undoText()
    w.actions_by_name["undo"].trigger()
    assert cell.data() == "8.85" and combo.currentData() == ""
    w.actions_by_name["redo"].trigger()
    assert combo.currentData() == "hubei"

    # a project added now is scored by the document's choice (the operation adopts it)
    from perfdesk import ops

    project = templates.new_evaluation("project-mof", "新项目")
    w.session.apply(ops.InsertProject(0, project))
    assert project.rule_set == "hubei"
    w.select_evaluation(project)
    note = w.current_editor().info.rule_set_note
    assert note.text().startswith("湖北省")


def test_a_rule_set_chosen_on_another_computer_is_shown_and_kept(make_window, qtbot):
    doc = small_document()
    doc.rule_set = "别处的规则"
    for ev in doc.evaluations():
        ev.rule_set = "别处的规则"
    w = make_window(doc)
    combo = w.current_editor().info.widgets["rule_set"]
    assert combo.currentData() == "别处的规则" and "本机没有" in combo.currentText()
    assert any(f.code == "rule_set_unknown" for f in w.session.all_findings())


def test_the_budget_editor_shows_the_funding_rows_of_the_layout(make_window, qtbot):
    doc = small_document()
    sichuan = templates.new_evaluation("project-sichuan", "四川项目")
    doc.projects.append(sichuan)
    w = make_window(doc)
    w.select_evaluation(sichuan)
    editor = w.current_editor()
    editor.setCurrentIndex(TAB_BUDGET)
    model = editor.budget.model
    labels = [model.data(model.index(r, 0)).strip() for r in range(model.rowCount())]
    assert labels == ["资金总额", "财政资金", "财政专户管理资金", "单位资金", "其他资金"]
    row = model.row_of_prefix("budget.sources.unit_funds")
    editor.budget.table.setCurrentIndex(model.index(row, 2))
    type_into(qtbot, editor.budget.table, "12.5")
    qtbot.waitUntil(lambda: "unit_funds" in sichuan.budget.sources, timeout=2000)
    assert sichuan.budget.sources["unit_funds"].annual_budget == parse_wan("12.5")
    # the 财政部 form keeps its rows
    w.select_evaluation(doc.projects[0])
    mof = w.current_editor().budget.model
    labels = [mof.data(mof.index(r, 0)).strip() for r in range(mof.rowCount())]
    assert labels[:3] == ["资金总额", "本年财政拨款", "一般公共预算"] and "财政资金" not in labels


def test_a_source_outside_the_layout_with_figures_is_still_shown(make_window, qtbot):
    from perfdesk import ops

    doc = small_document()
    w = make_window(doc)
    ev = doc.unit_evaluation
    model = w.current_editor().budget.model
    assert model.row_of_prefix("budget.sources.fiscal_funds") < 0
    w.session.apply(ops.SetEvaluationField(ev.uid, "budget.sources.fiscal_funds.spent", "5"))
    row = model.row_of_prefix("budget.sources.fiscal_funds")
    assert row > 0 and model.data(model.index(row, 3)) == "5.00"


def test_why_shows_the_rule_behind_the_selected_finding(make_window, qtbot, log):  # noqa: F811
    w, social = unit_window(make_window)
    w.session.apply(__import__("perfdesk.ops", fromlist=["SetRuleSet"]).rule_sets.SetRuleSet("hubei"))
    model = w.findings_model
    row = next(r for r in range(model.rowCount()) if model.finding(r).code == "execution_weight_mismatch")
    finding = model.finding(row)
    assert finding.why and "湖北" in finding.why
    assert model.index(row, 3).data() == finding.why.split("\n")[0]
    assert model.headerData(3, Qt.Horizontal) == "为什么"
    w.findings_view.setCurrentIndex(model.index(row, 0))
    log.messages.clear()
    w.why_action.trigger()
    [(kind, text)] = log.messages
    assert kind == "information" and finding.message in text and finding.why in text
    assert "依据" in text


def test_a_block_pasted_from_excel_fills_the_columns_as_shown(make_window, qtbot):
    """指标性质 | 指标值 | 计量单位 copied from a 目标表: the hidden 年初指标值 column takes nothing."""
    w = make_window(auto_document())
    ev = w.session.doc.unit_evaluation
    tab = w.current_editor().indicators
    node = leaf(ev, "覆盖率")
    assert tab.view.isColumnHidden(COL_INITIAL)
    tab.select(node, COL_COMPARISON)
    assert tab.view.paste(">=\t96\t%\n") == 3
    assert (node.comparison, node.target, node.unit, node.initial_target) == ("≥", "96", "%", "")
    assert w.session.undo_stack.count() == 1
    # with the 年初指标值 column shown, the same block's second cell is the 年初指标值
    tab.show_initial_action.trigger()
    tab.select(node, COL_COMPARISON)
    assert tab.view.paste("≤\t97\t98\n") == 3
    assert (node.comparison, node.initial_target, node.target) == ("≤", "97", "98")
