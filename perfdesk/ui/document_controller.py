"""The document behind the window: open, save, lock, autosave, recovery, import, 新建下一年度, output.

The main window composes widgets and menus; this controller does what happens to the
document file: it asks the officer (through ``dialogs``), talks to the store, keeps the
lock and the recovery copy, and hands a new document to the window.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject

from perfdesk import ops
from perfdesk.ui import dialogs
from perfdesk.ui import settings as app_settings

# paths open in this process (the lock file guards against other processes)
_OPEN_PATHS: set[str] = set()


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def _norm(path: str) -> str:
    return str(Path(path).resolve())


def _safe_file_name(name: str) -> str:
    """A file name Windows and FAT sticks accept (no \\ / : * ? " < > |), not too long."""
    cleaned = "".join("_" if ch in '\\/:*?"<>|' or ord(ch) < 32 else ch for ch in name).strip(" .")
    return cleaned[:80] or "绩效自评"


class DocumentController(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.lock = None
        self._recovery_path = None

    @property
    def session(self):
        return self.window.session

    def release_lock(self) -> None:
        if self.lock is not None:
            try:
                self.lock.release()
            except Exception:  # noqa: BLE001 - releasing a lock must never stop the user
                pass
            self.lock = None

    def document_opened(self, path: str | None, lock) -> None:
        """A new document is in the window: forget the old one's lock and recovery copy."""
        if self.session is not None and self.session.path:
            _OPEN_PATHS.discard(_norm(self.session.path))
        self.release_lock()
        self._recovery_path = None
        self.lock = lock
        if path:
            _OPEN_PATHS.add(_norm(path))

    def document_closing(self) -> None:
        if self.session is not None and self.session.path:
            _OPEN_PATHS.discard(_norm(self.session.path))
        self.release_lock()

    # --- files ------------------------------------------------------------------------------------
    def maybe_save(self) -> bool:
        """True when the current document may be closed (saved or discarded)."""
        self.window.commit_editors()
        if not self.session.is_modified():
            return True
        name = Path(self.session.path).name if self.session.path else tr("未命名文档")
        answer = dialogs.ask_save_changes(self.window, name)
        if answer == "save":
            return self.save()
        if answer == "discard":
            self._discard_recovery()
            return True
        return False

    def new_document(self) -> None:
        choice = dialogs.ask_new_document(self.window)
        if choice is None or not self.maybe_save():
            return
        from perfdesk.templates import TemplateError, new_document

        template_id, year, name = choice
        try:
            doc = new_document(template_id, year, name)
        except TemplateError as exc:
            dialogs.error(self.window, str(exc))
            return
        defaults = app_settings.signatories()
        for key, value in defaults.items():
            if value and not getattr(doc.unit, key):
                setattr(doc.unit, key, value)
        self.window.set_document(doc, None)

    def open_dialog(self) -> None:
        path = dialogs.open_file_name(self.window, self.folder())
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        if self.session.path and _norm(path) == _norm(self.session.path):
            dialogs.information(self.window, tr("该文件已在本窗口中打开。"))
            return False
        if not self.maybe_save():
            return False
        result = open_locked(path, self.window)
        if result is None:
            return False
        doc, lock = result
        self.window.set_document(doc, path, lock)
        app_settings.add_recent_file(path)
        return True

    def save(self) -> bool:
        if not self.session.path:
            return self.save_as()
        return self._save_to(self.session.path)

    # --- where files go ---------------------------------------------------------------------------
    def folder(self) -> str:
        """The folder to propose: the document's, else the last one used, else 文档 (never the program's)."""
        if self.session.path:
            return str(Path(self.session.path).parent)
        last = app_settings.last_folder()
        if last and Path(last).is_dir():
            return last
        from PySide6.QtCore import QStandardPaths

        return QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation) or str(Path.home())

    def suggested_path(self, suffix: str) -> str:
        """The document's own file with ``suffix``, or a name that carries the unit and the year."""
        if self.session.path:
            return str(Path(self.session.path).with_suffix(suffix))
        doc = self.session.doc
        name = doc.unit.name or tr("绩效自评")
        if doc.year:
            name = f"{name}{doc.year}年度"
        return str(Path(self.folder()) / f"{_safe_file_name(name)}{suffix}")

    def _replaces_another_year(self, path: str) -> bool:
        """Ask before a save replaces a document of another year; True when the officer declines."""
        if not Path(path).exists():
            return False
        from perfdesk.store import DocumentFileError, open_document

        try:
            other = open_document(path)
        except (DocumentFileError, OSError):
            return False  # not a readable document: the store's own checks speak when saving
        year = self.session.doc.year
        if not other.year or not year or other.year == year:
            return False
        question = tr("“%1”是 %2 年度的文档（%3），当前文档是 %4 年度。\n\n"
                      "替换后 %2 年度的内容将不再保留在这个文件中。确定要用 %4 年度的文档替换它吗？"
                      ).replace("%1", Path(path).name).replace("%2", str(other.year)).replace(
            "%3", other.unit.name or tr("未填写单位")).replace("%4", str(year))
        return not dialogs.ask_yes_no(self.window, question, tr("替换其他年度的文档"))

    def save_as(self) -> bool:
        path = dialogs.save_file_name(self.window, self.suggested_path(".pdesk"))
        if not path:
            return False
        if not path.lower().endswith(".pdesk"):
            path += ".pdesk"
        if self.session.path and _norm(path) == _norm(self.session.path):
            return self._save_to(path)
        if self._replaces_another_year(path):
            return False
        if _norm(path) in _OPEN_PATHS:
            dialogs.error(self.window, tr("“%1”已在另一个窗口中打开，不能覆盖。").replace("%1", path))
            return False
        from perfdesk.store import DocumentLock, DocumentLockedError

        try:
            lock = DocumentLock.acquire(path)
        except DocumentLockedError as exc:
            dialogs.error(self.window, str(exc))
            return False
        if not self._save_to(path):
            lock.release()
            return False
        if self.session.path:
            _OPEN_PATHS.discard(_norm(self.session.path))
        self.release_lock()
        self.lock = lock
        _OPEN_PATHS.add(_norm(path))
        self.window._update_title()
        return True

    def _save_to(self, path: str) -> bool:
        from perfdesk.store import DocumentFileError, changed_on_disk, save_document
        from perfdesk.ui import recovery_dialog

        self.window.commit_editors()
        change = changed_on_disk(path)  # saved elsewhere since we opened it: never overwrite silently
        if change is not None:
            choice = recovery_dialog.confirm_save_over_change(self.window, change)
            if choice == recovery_dialog.SAVE_AS:
                return self.save_as()
            if choice != recovery_dialog.OVERWRITE:
                return False
        try:
            save_document(self.session.doc, path)
        except (DocumentFileError, OSError) as exc:
            dialogs.error(self.window, tr("保存失败：%1").replace("%1", str(exc)))
            return False
        self.session.mark_saved(path)
        self._discard_recovery()
        app_settings.add_recent_file(path)
        self.window._update_title()
        self.window.statusBar().showMessage(tr("已保存：%1").replace("%1", path), 5000)
        return True

    def open_recent(self, path: str) -> None:
        from perfdesk.ui.recovery_dialog import has_leftovers

        if not Path(path).exists() and not has_leftovers(path):
            dialogs.warning(self.window, tr("文件已不存在：%1").replace("%1", path))
            app_settings.remove_recent_file(path)
            return
        self.open_path(path)

    def new_next_year(self) -> None:
        if not self.maybe_save():
            return
        previous = self.session.path
        doc = ops.next_year(self.session.doc)
        if previous:
            app_settings.set_last_folder(str(Path(previous).parent))  # next year's file goes beside it
        self.window.set_document(doc, None, modified=True)
        dialogs.information(self.window, tr("已生成 %1 年度文档：保留了指标、目标值、分值、评分规则以及预算的项目和资金来源，"
                                     "清空了实际完成值、得分、偏差说明、文字说明和全部预算金额（请填写本年度的预算数）。"
                                     "保存时请另存为新文件。").replace("%1", str(doc.year)))

    def import_file(self, clipboard: bool = False) -> None:
        path = tr("剪贴板") if clipboard else dialogs.import_file_name(self.window, self.folder())
        if not path:
            return
        try:
            result = import_from_clipboard() if clipboard else import_any(path)
        except ImportFailed as exc:
            dialogs.error(self.window, str(exc))
            return
        imported = result.document
        name = Path(path).name
        # The officer sees what happens to each form first; nothing enters the document unless confirmed.
        doc = self.session.doc
        plan = dialogs.confirm_import(self.window, ops.plan_import(doc, imported),
                                      list(getattr(result, "report", []) or []), name, doc.unit.name, doc.year)
        if plan is None:
            return
        operation = ops.plan_operations(doc, plan, tr("导入“%1”").replace("%1", name))
        if not operation.operations:
            self.window.statusBar().showMessage(tr("没有导入任何表格（全部跳过）"), 5000)
            return
        if not self.session.try_apply(operation):
            return
        chosen = [c.target if c.action == "targets" else c.imported for c in plan.choices
                  if c.action in ("add", "replace", "targets")]
        shown = next((ev for ev in chosen if doc.find_evaluation(ev.uid) is not None), doc.unit_evaluation)
        self.window.select_evaluation(shown)

    # --- autosave and recovery ------------------------------------------------------------------------
    def autosave(self) -> str | None:
        """Write the working copy to the recovery folder when it has unsaved changes."""
        if self.session is None or not self.session.is_modified():
            return None
        from perfdesk.store import write_recovery

        self.window.commit_editors()
        try:
            path = write_recovery(self.session.doc, self.session.path)
        except Exception as exc:  # noqa: BLE001 - autosave must never interrupt the officer
            self.window.statusBar().showMessage(tr("自动备份失败：%1").replace("%1", str(exc)), 10000)
            return None
        if self._recovery_path and str(self._recovery_path) != str(path):
            self._discard_recovery()
        self._recovery_path = path
        return str(path)

    def _discard_recovery(self) -> None:
        if self._recovery_path is None:
            return
        try:
            from perfdesk.store import discard_recovery

            discard_recovery(self._recovery_path)
        except Exception:  # noqa: BLE001
            pass
        self._recovery_path = None

    def adopt_recovery(self, recovery_path) -> None:
        """The document was restored from ``recovery_path``; keep it until saved."""
        self._recovery_path = recovery_path

    # --- printing (imported when first used: ReportLab is not needed to start) --------------------------
    def _print_module(self):
        from perfdesk.ui import print_preview

        return print_preview

    def print_preview(self) -> None:
        module = self._print_module()
        self.window.commit_editors()
        dialog = module.PrintPreviewDialog(self.session.doc, self.window, evaluation=self.window.current_evaluation())
        dialog.exec()

    def print_document(self) -> None:
        """打印 the whole document straight away (the printer dialog comes from the print module)."""
        module = self._print_module()
        self.window.commit_editors()
        dialog = module.PrintPreviewDialog(self.session.doc, self.window, evaluation=None)
        try:
            if getattr(dialog, "error", None):
                dialogs.error(self.window, dialog.error)
                return
            dialog.print_document()
        finally:
            dialog.deleteLater()

    def export_pdf(self) -> None:
        module = self._print_module()
        self.window.commit_editors()
        path = dialogs.save_file_name(self.window, self.suggested_path(".pdf"), "PDF 文件 (*.pdf)", tr("导出 PDF"))
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        pages = module.export_pdf_with_progress(self.session.doc, path, self.window, "all", None)
        if pages:
            self.window.statusBar().showMessage(tr("已导出 %1 页：%2").replace("%1", str(pages)).replace("%2", path), 8000)

    def export_xlsx(self) -> None:
        from perfdesk.exchange.xlsx_export import export_xlsx

        self.window.commit_editors()
        path = dialogs.save_file_name(self.window, self.suggested_path(".xlsx"), "Excel 工作簿 (*.xlsx)",
                                      tr("导出 Excel"))
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        try:
            export_xlsx(self.session.doc, path)
        except OSError as exc:
            from perfdesk.store import os_reason

            dialogs.error(self.window, tr("无法写入“%1”：%2").replace("%1", path).replace("%2", os_reason(exc)))
            return
        self.window.statusBar().showMessage(tr("已导出：%1").replace("%1", path), 5000)


class ImportFailed(Exception):
    pass


def import_any(path: str):
    """Import any file an officer has; the reader is chosen by content (``exchange.importing``)."""
    from perfdesk.exchange import importing

    try:
        return importing.import_file(path)
    except importing.ImportFailed as exc:
        raise ImportFailed(tr("无法导入“%1”：%2").replace("%1", path).replace("%2", str(exc))) from exc


def import_from_clipboard():
    """The forms on the clipboard (its text/html flavour first), read without Qt (``exchange.importing``)."""
    from PySide6.QtGui import QGuiApplication

    from perfdesk.exchange import importing

    mime = QGuiApplication.clipboard().mimeData()
    text = mime.text() if mime is not None and mime.hasText() else None
    html = mime.html() if mime is not None and mime.hasHtml() else None
    try:
        return importing.import_clipboard(text, html)
    except importing.ImportFailed as exc:
        raise ImportFailed(tr("无法导入剪贴板中的内容：%1").replace("%1", str(exc))) from exc


def _lock_from_another_computer(exc) -> bool:
    """A lock whose holder cannot be checked (another computer, or not provably alive): ask the officer."""
    return bool(getattr(exc, "can_take_over", False))


def open_locked(path: str, parent=None, errors: list | None = None):
    """Lock and read a document: (doc, lock), or None after telling the user why not.

    ``errors`` receives the exception when the file could not be read (start-up uses it).
    """
    from perfdesk.store import DocumentFileError, DocumentLock, DocumentLockedError, open_document, os_reason
    from perfdesk.ui.recovery_dialog import settle_leftovers_of

    if _norm(path) in _OPEN_PATHS:
        message = tr("“%1”已在另一个窗口中打开，同一文件不能同时打开两次。").replace("%1", path)
        if errors is not None:
            errors.append(DocumentLockedError(message, path))
        dialogs.error(parent, message)
        return None
    try:
        lock = DocumentLock.acquire(path)
    except DocumentLockedError as exc:
        if not _lock_from_another_computer(exc):
            if errors is not None:
                errors.append(exc)
            dialogs.error(parent, str(exc))
            return None
        # A USB stick carried from a PC where perfdesk crashed or was not closed: the lock can
        # only be judged by the officer, so ask, and never take it over silently.
        question = "\n\n".join([str(exc), tr("如果确定那个 perfdesk 已经关闭（例如文件是从家里的电脑"
                                              "用 U 盘带来的，或电脑曾断电），可以强制打开。是否强制打开？")])
        if not dialogs.ask_yes_no(parent, question, tr("文档已被锁定")):
            return None
        try:
            lock = DocumentLock.acquire(path, force=True)
        except DocumentLockedError as again:
            dialogs.error(parent, str(again))
            return None
    if lock.held:
        settle_leftovers_of(path, parent)  # temporary files of interrupted saves (we hold the lock)
    try:
        doc = open_document(path)
    except (DocumentFileError, OSError) as exc:
        lock.release()
        if errors is not None:
            errors.append(exc)
        reason = os_reason(exc) if not isinstance(exc, DocumentFileError) else str(exc)
        dialogs.error(parent, tr("无法打开“%1”：%2").replace("%1", path).replace("%2", reason))
        return None
    return doc, lock
