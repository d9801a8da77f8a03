"""Issue 17's “must show”: a 50-project 绩效目标表 workbook imported in the window (文件 → 导入), the
budget figures filled from a 决算 table (文件 → 导入预算执行数), actual values typed into the cells
(key presses and input-method commits, as an officer types), the tiers chosen; the scores, totals
and grades right at each step; the forms printed."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit

from perfdesk.model import Document, Evaluation, EvaluationKind
from perfdesk.ui import dialogs
from perfdesk.ui.indicator_model import COL_ACTUAL, COL_SCORE, COL_TIER
from targets_workbook import ADJUST_REASON, write_targets_workbook
from test_ui_main_window import log, make_window  # noqa: F401 - the window fixtures


def _ime(widget, text: str) -> None:
    event = QInputMethodEvent()
    event.setCommitString(text)
    QCoreApplication.sendEvent(widget, event)


def type_actual(qtbot, tab, node, text: str) -> None:
    """Select the 实际完成值 cell and type: digits as key presses, Chinese through the input method."""
    tab.select(node, COL_ACTUAL)
    head = text[0]
    if head.isascii():
        qtbot.keyClick(tab.view, head)             # typing starts editing
    else:
        _ime(tab.view, head)
    editor = tab.view.indexWidget(tab.view.currentIndex())
    assert isinstance(editor, QLineEdit)
    for ch in text[1:]:
        if ch.isascii():
            qtbot.keyClicks(editor, ch)
        else:
            _ime(editor, ch)
    assert editor.text() == text
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: node.actual == text, timeout=3000)


def choose_tier(qtbot, tab, node, label: str) -> None:
    tab.select(node, COL_TIER)
    tab.view.edit(tab.view.currentIndex())
    combo = tab.view.indexWidget(tab.view.currentIndex())
    assert isinstance(combo, QComboBox)
    combo.setCurrentText(label)
    qtbot.keyClick(combo, Qt.Key_Return)
    qtbot.waitUntil(lambda: node.tier is not None and node.tier.label == label, timeout=3000)


def test_targets_workbook_imported_filled_in_scored_and_printed(make_window, qtbot, monkeypatch, tmp_path, log):
    workbook = tmp_path / "2024年项目支出绩效目标表.xlsx"
    specs = write_targets_workbook(workbook, projects=50)
    doc = Document(unit_evaluation=Evaluation(kind=EvaluationKind.UNIT, layout="unit-mof", template="unit-mof"))
    w = make_window(doc)

    # 文件 → 导入: the 目标表 workbook, every project added as the preview proposes
    monkeypatch.setattr(dialogs, "import_file_name", lambda *a, **k: str(workbook))
    previews = []
    monkeypatch.setattr(dialogs, "confirm_import", lambda parent, plan, *a: previews.append(plan) or plan)
    w.actions_by_name["import"].trigger()
    assert not log.errors()
    assert [c.action for c in previews[0].choices] == ["add"] * 50
    doc = w.session.doc
    assert [p.name for p in doc.projects] == [s.name for s in specs]
    assert doc.year == 2024

    # every project a draft: 草稿, its 实际完成值 待填写, no grade 差 and no warning per empty cell
    rows = w.session.evaluation_list_model()
    for row in range(1, 51):
        cells = [rows.index(row, c).data() for c in range(4)]
        assert cells[2] == "草稿" and cells[3].startswith("待填写"), cells
    assert not any(f.code == "actual_missing" for f in w.session.all_findings())

    project = doc.projects[4]                 # an adjusted target: 年初 ≥120人, 调整后 ≥100人
    spec = specs[4]
    assert spec.adjusted
    first = next(project.leaves())
    assert (first.target, first.initial_target, first.adjust_reason) == ("≥100人", "≥120人", ADJUST_REASON)
    w.select_evaluation(project)
    assert "草稿" in w.status_current.text() and "待填写 10 项实际完成值" in w.status_current.text()

    # 文件 → 导入预算执行数: a 决算 table pasted (元, converted), every project's figures in one step
    lines = ["2024年项目支出决算表", "单位：元", "项目名称\t年初预算数\t全年预算数\t全年执行数"]
    lines += [f"{s.name}\t{s.total_wan * 10000}\t{s.total_wan * 10000}\t{s.total_wan * 10000}" for s in specs[:49]]
    lines += ["合计\t1\t1\t1", "没有这个项目\t1\t1\t1"]
    from perfdesk.ui import budget_import

    shown = []

    def fill_and_accept(dialog):
        dialog.paste.setPlainText("\n".join(lines))
        shown.append(dialog.preview.toPlainText())
        return QDialog.Accepted

    monkeypatch.setattr(budget_import.BudgetImportDialog, "exec", fill_and_accept)
    steps = w.session.undo_stack.count()
    w.actions_by_name["import_budget"].trigger()
    assert w.session.undo_stack.count() == steps + 1       # one undo step for 49 projects
    assert "将填写 49 个项目" in shown[0] and "没有这个项目" in shown[0] and specs[49].name in shown[0]
    assert project.budget.total.spent == project.budget.total.annual_budget == int(spec.total_wan * 1_000_000)
    assert doc.projects[49].budget.total.spent is None

    # the officer types the year's results into the cells
    tab = w.current_editor().indicators
    actuals = spec.meeting()
    actuals[first.name] = "110人"   # meets the adjusted target (≥100), not the initial one (≥120)
    for node in project.leaves():
        type_actual(qtbot, tab, node, actuals[node.name])
        if node.comparison == "定性":
            choose_tier(qtbot, tab, node, "达成")
    assert tab.model.index_of(first, COL_SCORE).data() == "10"
    score = w.session.score(project)
    assert score.execution_score == Decimal(10) and score.indicator_total == Decimal(90)
    assert score.total == Decimal(100) and score.grade == "优"
    assert "总分 100" in w.status_current.text() and "等级 优" in w.status_current.text()
    row = rows.row_of(project)
    assert [rows.index(row, c).data() for c in (1, 2)] == ["100", "优"]
    assert not [f for f in w.session.findings(project) if f.severity == "error"]

    # a shortfall scores as the formula says: 服务对象人数 90 of ≥100 → 9 of 10
    type_actual(qtbot, tab, first, "90人")
    assert w.session.score(project).total == Decimal(99)
    assert "总分 99" in w.status_current.text()
    w.actions_by_name["undo"].trigger()
    assert first.actual == "110人" and w.session.score(project).total == Decimal(100)

    # another project is still a draft; its 审核 says what is still to fill in
    other = doc.projects[0]
    assert any(f.code == "draft_pending" for f in w.session.findings(other))
    assert not any(f.code == "draft_pending" for f in w.session.findings(project))

    # print: the filled form, its adjusted target and the totals
    from perfdesk.printing import export_pdf

    pdf = tmp_path / "自评表.pdf"
    pages = export_pdf(doc, pdf, "projects", draft=True)
    assert pages >= 50 and pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils missing: the PDF's text is not read back")
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True).stdout
    page = next(p for p in text.split("\f") if spec.name in p)
    assert "110人" in page and "≥100人" in page and "100" in page
