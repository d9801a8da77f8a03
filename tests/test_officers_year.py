"""The officer's year, walked through the real window (issue 11 "Must show").

A new document → 预算 typed → 绩效指标 typed and pasted → two projects imported from a
real form → saved → the program killed → the work recovered → PDF, Excel and Word
exported → 新建下一年度 saved beside last year's file. Everything is typed through key
events, and Chinese through input-method commits, as an officer does. Screenshots of
each stage are written to the test's folder, and to docs/screenshots/ when
PERFDESK_UPDATE_SCREENSHOTS=1 (how the user guide's pictures are regenerated).
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtGui import QGuiApplication, QInputMethodEvent
from PySide6.QtWidgets import QLineEdit

from perfdesk.model.amounts import wan_to_fen
from perfdesk.ui import dialogs
from perfdesk.ui.indicator_model import COL_ACTUAL, COL_NAME, COL_TARGET

ROOT = Path(__file__).resolve().parents[1]
SEED_001 = next((ROOT / "tests" / "fixtures" / "seeds").glob("001_*.txt"))


@pytest.fixture
def world(monkeypatch, tmp_path, qapp):
    """A clean per-user world (settings, recovery folder) and recorded message boxes."""
    from perfdesk.ui.app import ensure_cjk_font, install_qt_translations

    ensure_cjk_font()  # as the program does at start: the screenshots show Chinese, not boxes
    install_qt_translations(qapp)
    monkeypatch.setenv("PERFDESK_DATA_DIR", str(tmp_path / "data"))
    QCoreApplication.setOrganizationName("perfdesk-year")
    QCoreApplication.setApplicationName("perfdesk-year")
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "settings"))
    QSettings().clear()
    said: list[tuple[str, str]] = []
    for kind in ("error", "warning", "information"):
        monkeypatch.setattr(dialogs, kind, lambda parent, message, title=None, k=kind: said.append((k, message)))
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda parent, message, title=None: said.append(("?", message)) or True)
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: "discard")  # closing at the end
    return said


def shoot(window, name: str, folder: Path) -> None:
    window.resize(1440, 900)
    for _ in range(3):
        QGuiApplication.processEvents()
    folder.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(folder / name))
    if os.environ.get("PERFDESK_UPDATE_SCREENSHOTS"):
        window.grab().save(str(ROOT / "docs" / "screenshots" / name))


def chinese(widget, text: str) -> None:
    """What an input method sends when the officer picks the characters."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QCoreApplication.sendEvent(widget, event)


def type_cell(qtbot, view, index, text: str, key=Qt.Key_Return) -> None:
    """Select a cell and type into it as in Excel: the first key starts editing."""
    view.setCurrentIndex(index)
    view.setFocus()
    if text.isascii():
        qtbot.keyClick(view, text[0])
        editor = view.indexWidget(view.currentIndex())
        assert isinstance(editor, QLineEdit), "typing did not start editing the cell"
        qtbot.keyClicks(editor, text[1:])
    else:
        chinese(view, text)
        editor = view.indexWidget(view.currentIndex())
        assert isinstance(editor, QLineEdit), "the input method did not start editing the cell"
    qtbot.keyClick(editor, key)
    qtbot.waitUntil(lambda: view.indexWidget(index) is None, timeout=3000)  # committed, editor closed


def test_the_officers_year(world, qtbot, tmp_path, monkeypatch):
    from perfdesk.store import list_recoveries, open_document
    from perfdesk.ui.app import create_main_window
    from perfdesk.ui.main_window import MainWindow

    shots = tmp_path / "shots"
    office = tmp_path / "单位文件"
    office.mkdir()

    # --- a new document for 2024 ------------------------------------------------------------------
    w = MainWindow(None)
    qtbot.addWidget(w)
    w.show()
    monkeypatch.setattr(dialogs, "ask_new_document", lambda parent: ("unit-mof", 2024, "某县社会保险服务中心"))
    w.controller.new_document()
    doc = w.session.doc
    assert doc.unit.name == "某县社会保险服务中心" and doc.year == 2024
    ev = doc.unit_evaluation
    # a fresh form is not graded 差 against 34 blank cells
    assert w.session.score(ev).total == 0

    # --- 预算: amounts, a project line typed by name and Tab, the totals computed -----------------
    editor = w.current_editor()
    editor.setCurrentIndex(1)
    budget = editor.budget
    table, bmodel = budget.table, budget.model
    basic = bmodel.row_of_prefix("budget.basic")
    type_cell(qtbot, table, bmodel.index(basic, 2), "300")
    type_cell(qtbot, table, bmodel.index(basic, 3), "290")
    budget.add_line()
    line = bmodel.row_of_prefix("budget.lines.0")
    type_cell(qtbot, table, bmodel.index(line, 0), "城乡居民养老保险", key=Qt.Key_Tab)
    qtbot.waitUntil(lambda: ev.budget.project_lines[0].name == "城乡居民养老保险", timeout=3000)
    for column, text in ((2, "100"), (3, "95")):
        type_cell(qtbot, table, bmodel.index(line, column), text)
    assert ev.budget.project_lines[0].amounts.spent == wan_to_fen("95")
    # 资金总额 left empty: shown (and scored) as the sum of 基本支出 and 项目支出
    total = bmodel.row_of_prefix("budget.total")
    assert bmodel.data(bmodel.index(total, 2)) == "400.00" and bmodel.data(bmodel.index(total, 3)) == "385.00"
    assert w.session.score(ev).execution_rate == Decimal(385) / Decimal(400)
    shoot(w, "year-1-budget.png", shots)

    # --- 绩效指标: a name typed in Chinese, target and actual, the score live -------------------------
    editor.setCurrentIndex(2)
    tab = editor.indicators
    leaf = next(n for n in ev.leaves() if n.name == "（数量指标）")
    tab.select(leaf, COL_NAME)
    type_cell(qtbot, tab.view, tab.model.index_of(leaf, COL_NAME), "参保人数")
    type_cell(qtbot, tab.view, tab.model.index_of(leaf, COL_TARGET), ">=30000")
    type_cell(qtbot, tab.view, tab.model.index_of(leaf, COL_ACTUAL), "27000")
    qtbot.waitUntil(lambda: leaf.actual == "27000", timeout=3000)
    assert leaf.name == "参保人数" and w.session.score(ev).of(leaf).score == Decimal(18)  # 27000/30000 × 20
    # a row copied from a paper form (指标值, 实际完成值, 分值, 得分) onto the next indicator
    quality = next(n for n in ev.leaves() if n.name == "（质量指标）")
    tab.select(quality, COL_TARGET)
    QGuiApplication.clipboard().setText("≥98%\t99.2%\t10\t10")
    qtbot.keyClick(tab.view, Qt.Key_V, Qt.ControlModifier)
    assert (quality.target, quality.actual, quality.weight) == ("≥98%", "99.2%", Decimal(10))
    # a decrease written as officers write it scores as what it is
    cost = next(n for n in ev.leaves() if n.name == "（成本指标）")
    type_cell(qtbot, tab.view, tab.model.index_of(cost, COL_TARGET), "<=0%")
    chinese_actual = tab.model.index_of(cost, COL_ACTUAL)
    tab.view.setCurrentIndex(chinese_actual)
    tab.view.setFocus()
    chinese(tab.view, "下降5%")
    qtbot.keyClick(tab.view.indexWidget(chinese_actual), Qt.Key_Return)
    qtbot.waitUntil(lambda: cost.actual == "下降5%", timeout=3000)
    assert w.session.score(ev).of(cost).score == cost.weight  # −5% against ≤0%: full marks
    shoot(w, "year-2-indicators.png", shots)

    # --- import two projects from a real published form (seed 001) --------------------------------
    monkeypatch.setattr(dialogs, "import_file_name", lambda parent, directory="": str(SEED_001))
    previews = []

    def accept_as_proposed(parent, plan, report, name, current_name, current_year):
        previews.append(plan)
        return plan

    monkeypatch.setattr(dialogs, "confirm_import", accept_as_proposed)
    w.controller.import_file()
    # its 情况说明 fills our empty section; its two project forms are added; nothing of ours is replaced
    assert [c.action for c in previews[0].choices] == ["prose", "add", "add"]
    assert len(doc.projects) == 2 and doc.unit.name == "某县社会保险服务中心" and doc.year == 2024
    assert ev is doc.unit_evaluation and leaf.actual == "27000"
    assert ev.narrative.get("explanation", "").strip()
    shoot(w, "year-3-imported.png", shots)

    # --- save; then the power goes after more typing ---------------------------------------------------
    path = office / "某县社会保险服务中心2024年度.pdesk"
    proposed = []
    monkeypatch.setattr(dialogs, "save_file_name", lambda parent, suggested, *a: proposed.append(suggested) or str(path))
    assert w.controller.save()
    assert Path(proposed[0]).name == "某县社会保险服务中心2024年度.pdesk"
    satisfaction = next(n for n in ev.leaves() if n.name == "服务对象满意度")
    type_cell(qtbot, tab.view, tab.model.index_of(satisfaction, COL_ACTUAL), "96%")
    assert w.controller.autosave() and len(list_recoveries()) == 1
    w.autosave_timer.stop()  # kill: no save, no close; the lock and the recovery copy stay behind
    w.controller.lock.release()
    w.controller.lock = None
    from perfdesk.ui import document_controller

    document_controller._OPEN_PATHS.clear()

    # --- the next start offers the work back -------------------------------------------------------
    restored = create_main_window(str(path))
    qtbot.addWidget(restored)
    try:
        rdoc = restored.session.doc
        rsat = next(n for n in rdoc.unit_evaluation.leaves() if n.name == "服务对象满意度")
        assert rsat.actual == "96%" and restored.isWindowModified()
        assert restored.controller.save() and open_document(path).unit_evaluation is not None
        assert list_recoveries() == []
        shoot(restored, "year-4-recovered.png", shots)

        # --- hand in: PDF, Excel, Word ------------------------------------------------------------------
        monkeypatch.setattr(dialogs, "save_file_name", lambda parent, suggested, *a: suggested)
        restored.controller.export_xlsx()
        from perfdesk.ui import export_word

        export_word.export_word(restored)
        assert path.with_suffix(".docx").stat().st_size > 0
        from perfdesk.printing import export_pdf

        pages = export_pdf(rdoc, office / "打印.pdf", form="all", draft=True)
        assert pages >= 3
        xlsx = path.with_suffix(".xlsx")
        assert xlsx.exists()
        from perfdesk.exchange.xlsx_import import import_xlsx

        back = import_xlsx(xlsx).document
        assert len(back.projects) == 2  # the export is a finished form that reads back whole

        # --- 新建下一年度: beside last year's file, with the year in its name ---------------------------
        restored.controller.new_next_year()
        ndoc = restored.session.doc
        assert ndoc.year == 2025 and ndoc.unit_evaluation.budget.total.is_empty()
        assert all(not n.actual for e in ndoc.evaluations() for n in e.walk())
        proposed.clear()
        monkeypatch.setattr(dialogs, "save_file_name",
                            lambda parent, suggested, *a: proposed.append(suggested) or suggested)
        assert restored.controller.save()
        assert proposed == [str(office / "某县社会保险服务中心2025年度.pdesk")]
        assert open_document(path).year == 2024  # last year's file untouched
        shoot(restored, "year-5-next-year.png", shots)
    finally:
        restored.shutdown()
        w.shutdown()
