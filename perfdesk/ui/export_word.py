"""文件 → 导出 Word: the document's forms and narrative documents as one .docx.

Only what the document holds is exported (perfdesk.exchange.docx_export); a
document with nothing to export gets a Chinese message, never an empty file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from perfdesk.ui import dialogs


def tr(text: str) -> str:
    return QCoreApplication.translate("export_word", text)


def export_word(window) -> str | None:
    """Ask for a file name and write the .docx; returns the path written, or None."""
    from perfdesk.exchange.docx_export import DocxError, export_docx

    session = window.session
    window.commit_editors()
    base = Path(session.path).with_suffix(".docx") if session.path else Path(
        f"{session.doc.unit.name or tr('绩效自评')}.docx")
    path = dialogs.save_file_name(window, str(base), tr("Word 文档 (*.docx)"), tr("导出 Word"))
    if not path:
        return None
    if not path.lower().endswith(".docx"):
        path += ".docx"
    try:
        count = export_docx(session.doc, path)
    except DocxError as exc:
        dialogs.error(window, str(exc))
        return None
    window.statusBar().showMessage(
        tr("已导出 %1 份表格和文字材料：%2").replace("%1", str(count)).replace("%2", path), 8000)
    return path


__all__ = ["export_word"]
