"""The 文字说明 tab: the officer's text beside a draft from the figures, 采用 / 重新生成, where each
section prints; typing (keys and input-method commits), accepting and undoing as an officer does."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtGui import QInputMethodEvent, QTextCursor
from PySide6.QtWidgets import QApplication

from perfdesk.demo import demo_document
from perfdesk.drafts import draft
from perfdesk.model.document import PROJECT_NARRATIVE, UNIT_NARRATIVE
from perfdesk.model.places import Place
from perfdesk.scoring import format_score, score_evaluation
from perfdesk.ui import dialogs
from perfdesk.ui.evaluation_editor import TAB_NARRATIVE



@pytest.fixture
def window(qtbot, qapp, monkeypatch, tmp_path):
    from perfdesk.ui.main_window import MainWindow

    monkeypatch.setenv("PERFDESK_DATA_DIR", str(tmp_path / "data"))
    QCoreApplication.setOrganizationName("perfdesk-tests")
    QCoreApplication.setApplicationName("perfdesk-tests")
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "settings"))
    QSettings().clear()
    messages = []
    for kind in ("error", "warning", "information"):
        monkeypatch.setattr(dialogs, kind, lambda parent, message, title=None, k=kind: messages.append((k, message)))
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *a, **k: True)
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda *a, **k: "discard")
    w = MainWindow(demo_document(), None)
    w.messages = messages
    qtbot.addWidget(w)
    w.resize(1440, 900)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=3000)
    yield w
    w.shutdown()


def narrative_tab(w, ev):
    w.select_evaluation(ev)
    editor = w.current_editor()
    editor.setCurrentIndex(TAB_NARRATIVE)
    QApplication.processEvents()
    return editor.narrative


def type_chinese(qtbot, widget, text: str) -> None:
    """What an input method does when the officer picks the characters: one commit event."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def test_every_section_shows_the_officers_text_its_draft_and_where_it_prints(window):
    doc = window.session.doc
    tab = narrative_tab(window, doc.unit_evaluation)
    assert set(tab.sections) == set(UNIT_NARRATIVE)
    conclusion = tab.sections["report_conclusion"]
    total = format_score(score_evaluation(doc.unit_evaluation).total)
    assert f"评价得分为{total}分" in conclusion.draft_view.toPlainText()
    assert conclusion.uses_label.text() == "用于：整体绩效评价报告 二、评价工作情况（三）绩效评价结论"
    assert "未填写，不打印" in conclusion.status_label.text()
    assert tab.widgets["narrative.report_conclusion"] is conclusion.edit
    # the demo's unit form (财政部格式) has no 主要成效: typed there, it prints as 其他文字说明
    assert tab.sections["achievements"].uses_label.text().startswith("用于：其他文字说明")

    project = doc.projects[0]
    tab = narrative_tab(window, project)
    assert set(tab.sections) == set(PROJECT_NARRATIVE)
    assert "项目支出绩效自评报告 三、绩效目标实现情况" in tab.sections["self_report_results"].uses_label.text()
    assert "预算绩效情况说明" in tab.sections["summary"].uses_label.text()
    assert not tab.sections["report"].accept_button.isVisible()  # an imported report has no draft


def test_typing_keys_and_chinese_then_undo(window, qtbot):
    ev = window.session.doc.projects[0]
    tab = narrative_tab(window, ev)
    edit = tab.sections["other_issues"].edit
    edit.setFocus()
    qtbot.keyClicks(edit, "2022")
    type_chinese(qtbot, edit, "年度无其他需说明的问题。")
    assert edit.toPlainText() == "2022年度无其他需说明的问题。"
    assert ev.narrative.get("other_issues") is None  # applied when the officer leaves the field
    tab.sections["organisation"].edit.setFocus()
    qtbot.waitUntil(lambda: ev.narrative.get("other_issues") == "2022年度无其他需说明的问题。", timeout=2000)
    assert "已填写" in tab.sections["other_issues"].status_label.text()
    window.session.undo_stack.undo()
    assert "other_issues" not in ev.narrative
    assert edit.toPlainText() == ""


def test_accepting_a_draft_is_one_undoable_step_and_undo_restores_the_officers_text(window, qtbot):
    doc = window.session.doc
    ev = doc.projects[1]
    tab = narrative_tab(window, ev)
    section = tab.sections["self_report_deviation"]
    edit = section.edit
    edit.setFocus()
    type_chinese(qtbot, edit, "原有文字")  # typed, still in the field
    steps = window.session.undo_stack.count()
    qtbot.mouseClick(section.accept_button, Qt.LeftButton)
    expected = draft(doc, ev, "self_report_deviation").accept_text()
    assert ev.narrative["self_report_deviation"] == expected == edit.toPlainText()
    assert "（请" not in expected and "预算执行率为29.50%，得3分（分值10分）" in expected
    assert window.session.undo_stack.count() == steps + 2  # the typing, then 采用
    assert "已采用草稿" in section.status_label.text() and not section.accept_button.isEnabled()
    window.session.undo_stack.undo()
    assert ev.narrative["self_report_deviation"] == "原有文字" == edit.toPlainText()
    window.session.undo_stack.undo()
    assert "self_report_deviation" not in ev.narrative
    window.session.undo_stack.redo()
    window.session.undo_stack.redo()
    assert ev.narrative["self_report_deviation"] == expected
    # the officer edits one sentence of the accepted text: it is theirs now
    edit.setFocus()
    edit.moveCursor(QTextCursor.MoveOperation.End)
    type_chinese(qtbot, edit, "已督促加快支付进度。")
    tab.sections["self_report_use"].edit.setFocus()
    qtbot.waitUntil(lambda: ev.narrative["self_report_deviation"].endswith("已督促加快支付进度。"), timeout=2000)
    assert "已填写" in section.status_label.text()


def test_drafts_follow_the_figures_and_accept_never_takes_old_numbers(window, qtbot):
    doc = window.session.doc
    ev = doc.projects[1]  # 禁捕、退捕渔民社保经费: 2 / 0.59 spent
    tab = narrative_tab(window, ev)
    section = tab.sections["fund_usage"]
    assert "预算执行率为29.50%" in section.draft_view.toPlainText()
    window.session.set_evaluation_field(ev, "budget.total.spent", "1.5")
    qtbot.waitUntil(lambda: "预算执行率为75.00%" in section.draft_view.toPlainText(), timeout=2000)
    qtbot.mouseClick(section.regenerate_button, Qt.LeftButton)
    assert "0.50万元未支出" in section.draft_view.toPlainText()
    qtbot.mouseClick(section.accept_button, Qt.LeftButton)
    assert "全年执行数1.50万元，预算执行率为75.00%" in ev.narrative["fund_usage"]
    # the unit's 情况说明 reads every project: its draft follows a project's change too
    unit_tab = narrative_tab(window, doc.unit_evaluation)
    text = unit_tab.sections["explanation"].draft_view.toPlainText()
    assert "执行数1.50万元" in text


def test_the_audit_jump_reaches_a_narrative_section(window, qtbot):
    ev = window.session.doc.unit_evaluation
    window.select_evaluation(ev)
    editor = window.current_editor()
    editor.show_place(Place(ev.uid, None, "narrative.report_suggestions"))
    edit = editor.narrative.sections["report_suggestions"].edit
    qtbot.waitUntil(lambda: edit.hasFocus(), timeout=2000)
    assert editor.currentIndex() == TAB_NARRATIVE
    assert not edit.visibleRegion().isEmpty()  # scrolled into view


def test_file_menu_exports_word_with_what_the_document_holds(window, qtbot, monkeypatch, tmp_path):
    target = tmp_path / "零陵"
    monkeypatch.setattr(dialogs, "save_file_name", lambda *a, **k: str(target))
    ev = window.session.doc.projects[0]
    tab = narrative_tab(window, ev)
    qtbot.mouseClick(tab.sections["self_report_results"].accept_button, Qt.LeftButton)
    window.actions_by_name["export_docx"].trigger()
    path = tmp_path / "零陵.docx"
    assert path.exists() and not window.messages
    with zipfile.ZipFile(path) as z:
        body = z.read("word/document.xml").decode("utf-8")
    assert "支出绩效自评报告" in body and "绩效目标实现情况" in body
    assert "整体绩效评价报告" not in body  # the unit has no report text: none is exported
    assert "已导出 6 份" in window.statusBar().currentMessage()


def test_screenshot_shows_the_officers_text_beside_the_tinted_draft(window, qtbot, tmp_path):
    """The offscreen grab (docs/screenshots/narrative-accepted.png is made the same way by tests/ui_shots.py)."""
    ev = window.session.doc.projects[0]
    tab = narrative_tab(window, ev)
    section = tab.sections["self_report_deviation"]
    qtbot.mouseClick(section.accept_button, Qt.LeftButton)
    tab.verticalScrollBar().setValue(section.mapTo(tab.widget(), section.rect().topLeft()).y() - 10)
    QApplication.processEvents()
    image = window.grab().toImage()
    assert image.save(str(tmp_path / "narrative.png"))
    draft_view = section.draft_view.viewport()
    corner = draft_view.mapTo(window, draft_view.rect().bottomRight()) - type(draft_view.pos())(4, 4)
    assert image.pixelColor(corner).name() == "#fffbea"  # the draft is tinted as generated text
    edit = section.edit.viewport()
    corner = edit.mapTo(window, edit.rect().bottomRight()) - type(edit.pos())(4, 4)
    assert image.pixelColor(corner).name() != "#fffbea"  # the officer's text is not
