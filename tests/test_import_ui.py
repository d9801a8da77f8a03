"""文件 → 导入 and 从剪贴板导入 in the window: any file, its report shown in the import preview first."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from import_forms import project_form, write_docx, write_html  # noqa: E402
from test_ui_main_window import log, make_window  # noqa: E402,F401 - fixtures

from perfdesk.ui import dialogs  # noqa: E402


@pytest.fixture
def preview(monkeypatch):
    """Records what the import preview was shown; answers as told (the plan as proposed, or None)."""
    class Preview:
        accept = True
        shown: list = []

        def __call__(self, parent, plan, report, name, current_name, current_year):
            self.shown.append((name, list(report), plan))
            return plan if self.accept else None

    recorder = Preview()
    recorder.shown = []
    monkeypatch.setattr(dialogs, "confirm_import", recorder)
    return recorder


def test_a_docx_is_imported_after_its_report_is_confirmed(make_window, log, preview, monkeypatch, tmp_path):  # noqa: F811
    path = write_docx(tmp_path / "自评表.docx", [project_form("培训项目")])
    monkeypatch.setattr(dialogs, "import_file_name", lambda *a: str(path))
    w = make_window()
    before = [p.name for p in w.session.doc.projects]
    preview.accept = False
    w.controller.import_file()
    name, report, _ = preview.shown[-1]
    text = "\n".join(report)
    assert name == "自评表.docx" and "Word 文档" in text and "“培训项目”" in text and "三级指标 5 项" in text
    assert [p.name for p in w.session.doc.projects] == before
    preview.accept = True
    w.controller.import_file()
    assert [p.name for p in w.session.doc.projects] == before + ["培训项目"]
    w.session.undo_stack.undo()
    assert [p.name for p in w.session.doc.projects] == before


def test_a_bad_file_gives_a_chinese_error_and_changes_nothing(make_window, log, preview, monkeypatch, tmp_path):  # noqa: F811
    path = tmp_path / "坏.docx"
    path.write_bytes(b"PK\x03\x04not a zip")
    monkeypatch.setattr(dialogs, "import_file_name", lambda *a: str(path))
    w = make_window()
    before = [p.name for p in w.session.doc.projects]
    w.controller.import_file()
    assert any("无法导入" in m and "损坏" in m for m in log.errors())
    assert not preview.shown and [p.name for p in w.session.doc.projects] == before


def test_the_clipboard_html_table_is_imported(make_window, log, preview, monkeypatch):  # noqa: F811
    from PySide6.QtCore import QMimeData
    from PySide6.QtGui import QGuiApplication

    mime = QMimeData()  # owned by Python (see test_clipboard)
    mime.setText("纯文本里没有表格")
    mime.setHtml(write_html([project_form("剪贴板项目")]))

    class Clipboard:
        def mimeData(self):
            return mime

    monkeypatch.setattr(QGuiApplication, "clipboard", staticmethod(lambda: Clipboard()))
    w = make_window()
    w.actions_by_name["import_clipboard"].trigger()
    name, report, _ = preview.shown[-1]
    assert name == "剪贴板" and any("“剪贴板项目”" in line for line in report)
    assert w.session.doc.projects[-1].name == "剪贴板项目"
