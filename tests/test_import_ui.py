"""文件 → 导入 and 从剪贴板导入 in the window: any file, the report shown for confirmation first."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from import_forms import project_form, write_docx, write_html  # noqa: E402
from test_ui_main_window import log, make_window  # noqa: E402,F401 - fixtures

from perfdesk.ui import dialogs  # noqa: E402


def test_a_docx_is_imported_after_its_report_is_confirmed(make_window, log, monkeypatch, tmp_path):  # noqa: F811
    path = write_docx(tmp_path / "自评表.docx", [project_form("培训项目")])
    monkeypatch.setattr(dialogs, "import_file_name", lambda *a: str(path))
    w = make_window()
    before = [p.name for p in w.session.doc.projects]
    log.yes = False
    w.controller.import_file()
    question = [m for k, m in log.messages if k == "question"][-1]
    assert "Word 文档" in question and "“培训项目”" in question and "三级指标 5 项" in question
    assert [p.name for p in w.session.doc.projects] == before
    log.yes = True
    w.controller.import_file()
    assert [p.name for p in w.session.doc.projects] == before + ["培训项目"]
    w.session.undo_stack.undo()
    assert [p.name for p in w.session.doc.projects] == before


def test_a_bad_file_gives_a_chinese_error_and_changes_nothing(make_window, log, monkeypatch, tmp_path):  # noqa: F811
    path = tmp_path / "坏.docx"
    path.write_bytes(b"PK\x03\x04not a zip")
    monkeypatch.setattr(dialogs, "import_file_name", lambda *a: str(path))
    w = make_window()
    before = [p.name for p in w.session.doc.projects]
    w.controller.import_file()
    assert any("无法导入" in m and "损坏" in m for m in log.errors())
    assert [p.name for p in w.session.doc.projects] == before


def test_the_clipboard_html_table_is_imported(make_window, log, monkeypatch):  # noqa: F811
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
    question = [m for k, m in log.messages if k == "question"][-1]
    assert "剪贴板" in question and "“剪贴板项目”" in question
    assert w.session.doc.projects[-1].name == "剪贴板项目"
