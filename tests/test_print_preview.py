"""打印预览 dialog (offscreen, pytest-qt): pages, navigation, zoom, print, export."""

from __future__ import annotations

import re
import subprocess

import pytest

pytest.importorskip("PySide6.QtPdf")

from PySide6.QtPrintSupport import QPrinter  # noqa: E402
from PySide6.QtWidgets import QProgressDialog  # noqa: E402

from perfdesk.demo import demo_document  # noqa: E402
from perfdesk.printing import build_pdf  # noqa: E402
from perfdesk.ui import print_preview  # noqa: E402
from perfdesk.ui.print_preview import PrintPreviewDialog, export_pdf_with_progress  # noqa: E402


def pages_of(path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", out).group(1))


@pytest.fixture()
def doc():
    return demo_document()


@pytest.fixture(autouse=True)
def no_settings(monkeypatch):
    monkeypatch.setattr(print_preview, "signatories_from_settings", lambda: None)


def test_preview_shows_every_page_and_navigates(qtbot, doc):
    dialog = PrintPreviewDialog(doc)
    qtbot.addWidget(dialog)
    dialog.show()
    _, expected = build_pdf(doc)
    assert dialog.error is None
    assert dialog.page_count() == expected == dialog.pdf.pageCount()
    assert dialog.page_label.text() == f"第 1 / {expected} 页"
    assert not dialog.prev_button.isEnabled()
    dialog.next_button.click()
    assert dialog.current_page() == 1
    assert dialog.page_label.text() == f"第 2 / {expected} 页"
    dialog.go_to_page(expected + 5)
    assert dialog.current_page() == expected - 1
    assert not dialog.next_button.isEnabled()
    dialog.previous_page()
    assert dialog.current_page() == expected - 2
    before = dialog.view.zoomFactor()
    dialog.zoom_in_button.click()
    assert dialog.view.zoomFactor() == pytest.approx(before * 1.25)
    dialog.zoom_out_button.click()
    dialog.zoom_out_button.click()
    assert dialog.view.zoomFactor() == pytest.approx(before / 1.25)
    dialog.fit_width_button.click()
    assert dialog.view.zoomMode() == dialog.view.ZoomMode.FitToWidth


def test_preview_of_one_evaluation_and_scope_change(qtbot, doc):
    project = doc.projects[1]
    dialog = PrintPreviewDialog(doc, evaluation=project)
    qtbot.addWidget(dialog)
    assert dialog.page_count() == 1
    assert project.name in dialog.scope.currentText()
    dialog.scope.setCurrentIndex(dialog.scope.findData("projects"))
    assert dialog.page_count() == len(doc.projects)
    assert dialog.current_request() == ("projects", None)


def test_print_goes_to_the_printer(qtbot, doc, tmp_path, monkeypatch):
    out = tmp_path / "printed.pdf"

    def printer():
        p = QPrinter(QPrinter.ScreenResolution)
        p.setOutputFormat(QPrinter.PdfFormat)
        p.setOutputFileName(str(out))
        p.setFullPage(True)
        return p

    asked = []
    monkeypatch.setattr(print_preview, "make_printer", printer)
    monkeypatch.setattr(print_preview, "run_print_dialog", lambda p, parent: asked.append(p) or True)
    dialog = PrintPreviewDialog(doc, evaluation=doc.unit_evaluation)
    qtbot.addWidget(dialog)
    assert dialog.print_document() is True
    assert asked and out.exists()
    assert pages_of(out) == dialog.page_count()
    # the officer cancels the print dialog: nothing printed
    out.unlink()
    monkeypatch.setattr(print_preview, "run_print_dialog", lambda p, parent: False)
    assert dialog.print_document() is False
    assert not out.exists()


def test_export_buttons(qtbot, doc, tmp_path, monkeypatch):
    target = tmp_path / "out.pdf"
    monkeypatch.setattr(print_preview, "ask_pdf_path", lambda parent, name: str(target))
    monkeypatch.setattr(print_preview, "ask_directory", lambda parent: str(tmp_path))
    dialog = PrintPreviewDialog(doc)
    qtbot.addWidget(dialog)
    assert dialog.suggested_name().endswith("全部表格和文档.pdf")
    pages = dialog.export_document()
    assert pages == dialog.page_count() == pages_of(target)
    files = dialog.export_each()
    assert len(files) == 1 + len(doc.projects)  # the demo has forms only: no report, no 情况说明
    assert all(f.exists() for f in files)


def test_export_with_progress_can_be_cancelled(qtbot, doc, tmp_path, monkeypatch):
    class CancelAfterFirst(QProgressDialog):
        def wasCanceled(self):  # noqa: N802 - Qt's name
            return self.value() >= 1

    monkeypatch.setattr(print_preview, "QProgressDialog", CancelAfterFirst)
    path = tmp_path / "x.pdf"
    assert export_pdf_with_progress(doc, path, None) is None
    assert not path.exists() and list(tmp_path.iterdir()) == []
    monkeypatch.setattr(print_preview, "QProgressDialog", QProgressDialog)
    assert export_pdf_with_progress(doc, path, None, "unit") == 1
    assert path.exists()


def test_export_error_is_shown_not_raised(qtbot, doc, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(print_preview.dialogs, "error", lambda parent, msg, title=None: shown.append(msg))
    assert export_pdf_with_progress(doc, tmp_path / "missing" / "x.pdf", None) is None
    assert shown and "无法写入PDF文件" in shown[0]


def _seed_001():
    from pathlib import Path

    from perfdesk.exchange.text_import import import_text

    path = next((Path(__file__).parent / "fixtures" / "seeds").glob("001_*.txt"))
    return import_text(path.read_text(encoding="utf-8")).document


def test_errors_are_listed_before_printing_and_go_to_the_first(qtbot, tmp_path, monkeypatch):
    """Seed 001 has 审核 errors (a 得分 85 of 10, 总分 97.5 ≠ 175): the officer is asked first."""
    from perfdesk.ui import print_check

    doc = _seed_001()
    asked, shown = [], []
    monkeypatch.setattr(print_check, "run_check_dialog",
                        lambda checked, parent, final: asked.append(checked) or print_check.GO_TO)
    dialog = PrintPreviewDialog(doc, go_to=shown.append)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(print_preview, "ask_pdf_path", lambda parent, name: str(tmp_path / "x.pdf"))
    assert dialog.export_document() is None
    assert not (tmp_path / "x.pdf").exists()
    codes = {f.code for f in asked[0].errors}
    assert {"score_over_weight", "total_mismatch", "total_invalid"} <= codes
    assert shown == [asked[0].first_error.place]
    assert shown[0].evaluation == doc.projects[0].uid
    # “仍然打印（草稿）”: exported, with the watermark even for a final document
    doc.final = True
    monkeypatch.setattr(print_check, "run_check_dialog", lambda checked, parent, final: print_check.DRAFT)
    dialog = PrintPreviewDialog(doc)
    qtbot.addWidget(dialog)
    assert dialog.notice and "不能按定稿打印" in dialog.notice  # a final document with 85 of 10 …
    assert dialog.page_count() and "不能按定稿打印" in dialog.status.text()  # … is shown as a 草稿
    assert dialog.export_document()                        # … and exported only as one
    assert dialog.draft
    text = subprocess.run(["pdftotext", str(tmp_path / "x.pdf"), "-"], capture_output=True, text=True).stdout
    assert "草" in text and "稿" in text


def test_the_check_dialog_lists_the_errors(qtbot):
    from perfdesk.printing import preflight
    from perfdesk.ui.print_check import PrintCheckDialog

    checked = preflight(_seed_001())
    dialog = PrintCheckDialog(checked)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == len(checked.errors) > 0
    assert "不可能的得分" in dialog.message.text()
    dialog.goto_button.click()
    assert dialog.choice == "goto"
