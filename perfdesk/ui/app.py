"""Starting the window: ``run_gui(path, screenshot, demo)``.

Start-up stays quick: only Qt widgets and the domain model are imported here;
ReportLab and openpyxl are imported by the print and Excel actions when first used.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import NamedTuple

_T0 = time.perf_counter()


def ensure_cjk_font(force: bool = False) -> str | None:
    """Register the shipped CJK font when the system has none; return the family registered.

    A bare Linux machine has no font for Chinese and would show boxes.
    """
    from PySide6.QtGui import QFont, QFontDatabase
    from PySide6.QtWidgets import QApplication

    families = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    if families and not force:
        return None
    from perfdesk.resources import cjk_font_path

    font_id = QFontDatabase.addApplicationFont(str(cjk_font_path()))
    if font_id < 0:
        return None
    loaded = QFontDatabase.applicationFontFamilies(font_id)
    if not loaded:
        return None
    family = loaded[0]
    app = QApplication.instance()
    if app is not None:
        font = QFont(family)
        font.setPointSize(QApplication.font().pointSize())
        app.setFont(font)
    return family


def create_application(argv: list[str] | None = None):
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from perfdesk.ui import settings as app_settings
    from perfdesk.ui.qt_workarounds import pin_singletons

    pin_singletons()
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName(app_settings.ORGANISATION)
        QCoreApplication.setApplicationName(app_settings.APPLICATION)
        app = QApplication(argv if argv is not None else [sys.argv[0]])
        app.setApplicationDisplayName("预算绩效自评")
    ensure_cjk_font()
    install_qt_translations(app)
    return app


def install_qt_translations(app) -> bool:
    """Qt's own texts (Yes/No buttons, context menus of text fields) in Simplified Chinese."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    if getattr(app, "_perfdesk_translator", None) is not None:
        return True
    chinese = QLocale(QLocale.Chinese, QLocale.China)
    QLocale.setDefault(chinese)  # dates and numbers in Qt's own widgets (the file dialog's list)
    filler = _MissingQtTexts(app)  # installed first: asked last, only for what qtbase_zh_CN lacks
    app.installTranslator(filler)
    app._perfdesk_filler = filler
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(chinese, "qtbase", "_", folder):
        app.installTranslator(translator)
        app._perfdesk_translator = translator
        return True
    return False


# Texts of Qt's own dialogs that qtbase_zh_CN leaves in English (seen in the file dialog).
MISSING_QT_TEXTS = {
    ("QFileDialog", "Look in:"): "查找范围：",
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QFileDialog", "Files of type:"): "文件类型：",
    ("QFileDialog", "File &name:"): "文件名称(&N)：",
    ("QFileDialog", "Directory:"): "文件夹：",
    ("QFileDialog", "Folder"): "文件夹",
    ("QFileSystemModel", "Folder"): "文件夹",
    ("QAbstractFileIconProvider", "Folder"): "文件夹",
    ("QFileIconProvider", "Folder"): "文件夹",
    ("QFileDialog", "File"): "文件",
    ("QAbstractFileIconProvider", "File"): "文件",
    ("QFileSystemModel", "Drive"): "驱动器",
    ("QAbstractFileIconProvider", "Drive"): "驱动器",
}


def _missing_qt_texts_class():
    from PySide6.QtCore import QTranslator

    class MissingQtTexts(QTranslator):
        def translate(self, context, source, disambiguation=None, n=-1):
            return MISSING_QT_TEXTS.get((context, source))  # None: a null string, "not translated here"

        def isEmpty(self):
            return False

    return MissingQtTexts


def _MissingQtTexts(parent):
    return _missing_qt_texts_class()(parent)


def default_document():
    """The built-in demo document."""
    from perfdesk.demo import demo_document

    return demo_document()


def _in_use_elsewhere(info) -> bool:
    """Whether a recovery file belongs to another perfdesk process that is still running."""
    from perfdesk.store.lock import is_stale, lock_path_for, pid_alive, read_lock

    if info.original_path:
        lock_path = lock_path_for(info.original_path)
        if not lock_path.exists():
            return False
        holder = read_lock(lock_path)
        return not is_stale(holder, lock_path) and (holder or {}).get("pid") != os.getpid()
    parts = Path(info.path).stem.split("-")  # new-<pid>-<token>
    if len(parts) >= 3 and parts[0] == "new" and parts[1].isdigit():
        pid = int(parts[1])
        return pid != os.getpid() and pid_alive(pid)
    return False


class Restored(NamedTuple):
    """What the officer chose for a recovery copy after a crash.

    ``doc`` None: open the file at ``original`` instead (it is newer than the copy's base;
    the copy stays for later). ``original`` None: the copy becomes an unsaved document.
    """

    doc: object
    original: str | None
    recovery_path: object


def offer_recoveries(parent=None):
    """After a crash: offer each recovery copy; return a ``Restored`` or None."""
    from perfdesk.ui import dialogs, recovery_dialog

    from perfdesk.store import DocumentFileError, discard_recovery, list_recoveries, open_document

    try:
        infos = list_recoveries()
    except Exception:  # noqa: BLE001 - a broken recovery folder must not stop start-up
        return None
    for info in infos:
        if _in_use_elsewhere(info):
            continue  # the working copy of a perfdesk that is still running
        original = str(info.original_path) if info.original_path else ""
        choice = recovery_dialog.offer_recovery(parent, info)
        if choice == recovery_dialog.OPEN_FILE:
            try:
                from perfdesk.store.recovery import keep_recovery

                keep_recovery(info.path)  # out of the way of the next autosave of that file
            except OSError:
                pass
            return Restored(None, original, None)
        if choice in (recovery_dialog.RECOVER, recovery_dialog.SEPARATE):
            try:
                doc = open_document(info.path, remember=False)
            except DocumentFileError as exc:
                dialogs.error(parent, f"备份文件无法读取：{exc}")
                continue
            if choice == recovery_dialog.SEPARATE:
                return Restored(doc, None, info.path)
            return Restored(doc, original or None, info.path)
        try:
            discard_recovery(info.path)
        except Exception:  # noqa: BLE001
            pass
    return None


def _open_at_start(path: str, window_class, open_locked, errors: list | None = None):
    """The window on ``path``; None when it cannot be opened (the officer was told why).

    A file that fails because of what is in it (damaged, foreign, too new, beyond the
    bounds) is taken off 最近文件 so that the next plain start does not fail again.
    """
    from perfdesk.ui import settings as app_settings

    errors = [] if errors is None else errors
    result = open_locked(path, errors=errors)
    if result is None:
        if any(isinstance(exc, _content_error_types()) for exc in errors):
            app_settings.remove_recent_file(str(Path(path).resolve()))
            app_settings.remove_recent_file(path)
        return None
    doc, lock = result
    app_settings.add_recent_file(path)
    return window_class(doc, path, lock)


def _content_error_types() -> tuple:
    from perfdesk.store import DocumentCorruptError, DocumentLimitError, DocumentTooNewError, NotAPerfdeskFileError

    return DocumentCorruptError, DocumentLimitError, DocumentTooNewError, NotAPerfdeskFileError


def create_main_window(path: str | None = None, demo: bool = False, check_recovery: bool = True):
    """The main window on ``path``, a restored working copy, the last file or the start document.

    A start-up file that cannot be opened falls back to the start document (the built-in
    demo) after the message; it never enters 最近文件.
    """
    from perfdesk.ui import dialogs
    from perfdesk.ui import settings as app_settings
    from perfdesk.ui.document_controller import open_locked
    from perfdesk.ui.main_window import MainWindow

    if check_recovery and not demo:
        restored = offer_recoveries()
        if restored is not None and restored.doc is None:
            path = restored.original  # the newer file on disk, as the officer chose
        elif restored is not None:
            doc, original, recovery_path = restored
            lock = None
            if original and Path(original).exists():
                try:
                    from perfdesk.store import DocumentLock, DocumentLockedError, disk

                    lock = DocumentLock.acquire(original)
                    disk.remember(original, disk.read_state(original))  # the base of the restored edits
                except DocumentLockedError as exc:
                    dialogs.warning(None, f"{exc}\n恢复的内容将作为未命名文档打开。")
                    original = None
            window = MainWindow(doc, original, lock, modified=True)
            window.controller.adopt_recovery(recovery_path)
            return window
    if demo:
        return MainWindow(default_document(), None, sample=True)
    if path is None:
        last = app_settings.last_file()
        if last and (Path(last).exists() or _has_leftovers(last)):
            path = last
    if path is not None:
        errors: list = []
        window = _open_at_start(path, MainWindow, open_locked, errors)
        if window is not None:
            return window
        if _open_in_another_window(errors):
            return None  # started again on a file a running perfdesk has open: the message said so
        window = MainWindow(default_document(), None, sample=True)
        window.startup_failed = path
        return window
    return MainWindow(default_document(), None, sample=True)


def _open_in_another_window(errors: list) -> bool:
    from perfdesk.store import DocumentLockedError

    return any(isinstance(exc, DocumentLockedError) for exc in errors)


def _has_leftovers(path: str) -> bool:
    from perfdesk.ui.recovery_dialog import has_leftovers

    return has_leftovers(path)


def take_screenshot(window, out: str | os.PathLike) -> Path:
    """Render the window to a PNG (works offscreen)."""
    from PySide6.QtWidgets import QApplication

    window.show()
    for _ in range(3):
        QApplication.processEvents()
    pixmap = window.grab()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not pixmap.save(str(out), "PNG"):
        raise OSError(f"无法写入截图：{out}")
    return out


def _quiet_offscreen_messages() -> None:
    """The offscreen platform warns about window hints it cannot honour; nothing to tell the user."""
    from PySide6.QtCore import qInstallMessageHandler

    previous = None

    def handler(mode, context, message):
        if "propagateSizeHints" in message:
            return
        if previous is not None:
            previous(mode, context, message)
        else:
            sys.stderr.write(message + "\n")

    previous = qInstallMessageHandler(handler)


class _NonInteractive:
    """While rendering a screenshot nobody can answer a dialog: messages go to standard error,
    questions get their cautious answer, so a modal error never blocks the run."""

    def __init__(self):
        self.messages: list[str] = []
        self._saved: list = []

    def __enter__(self):
        from perfdesk.ui import dialogs, recovery_dialog

        def say(parent, message, title=None):
            self.messages.append(message)
            try:
                print(f"perfdesk：{message}", file=sys.stderr, flush=True)
            except (OSError, ValueError):
                pass

        replacements = [
            (dialogs, "error", say), (dialogs, "warning", say), (dialogs, "information", say),
            (dialogs, "ask_yes_no", lambda parent, message, title=None: say(parent, message) or False),
            (dialogs, "ask_save_changes", lambda parent, name: "cancel"),
            (recovery_dialog, "ask_choice",
             lambda parent, title, message, choices, default, escape: say(parent, message) or escape),
        ]
        for module, name, function in replacements:
            self._saved.append((module, name, getattr(module, name)))
            setattr(module, name, function)
        return self

    def __exit__(self, *exc):
        for module, name, function in reversed(self._saved):
            setattr(module, name, function)


def run_gui(path: str | None, screenshot: str | None = None, demo: bool = False) -> int:
    if screenshot and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        _quiet_offscreen_messages()
    app = create_application()
    if screenshot:
        with _NonInteractive():
            window = create_main_window(path, demo=demo or path is None, check_recovery=False)
            if window is None:
                return 2  # the file is open in another perfdesk window: the reason is on standard error
            try:
                if getattr(window, "startup_failed", None):
                    return 2  # the file could not be opened: the reason is on standard error
                window.resize(1440, 900)
                take_screenshot(window, screenshot)
            except OSError as exc:
                from perfdesk.store import os_reason

                print(f"perfdesk：无法写入截图“{screenshot}”：{os_reason(exc)}", file=sys.stderr)
                return 2
            finally:
                window.shutdown()
                window.session.forced_dirty = False
                window.session.undo_stack.setClean()
                window.close()
        return 0
    window = create_main_window(path, demo=demo)
    if window is None:
        return 0  # the document is open in another perfdesk window; nothing more to show
    window.show()
    if os.environ.get("PERFDESK_STARTUP_PROBE"):
        from PySide6.QtCore import QTimer

        def report():
            heavy = sorted(m for m in ("reportlab", "openpyxl", "sqlalchemy") if m in sys.modules)
            print(f"PERFDESK_SHOWN {time.perf_counter() - _T0:.3f} heavy={','.join(heavy) or '-'}", flush=True)
            window.session.forced_dirty = False
            window.close()

        QTimer.singleShot(0, report)
    return app.exec()


def save_tab_screenshots(window, folder: str | os.PathLike) -> list[Path]:
    """Screenshots of every tab of the unit and of the first project (for the user guide)."""
    from PySide6.QtWidgets import QApplication

    folder = Path(folder)
    out: list[Path] = []
    doc = window.session.doc
    targets = [("unit", doc.unit_evaluation)] + ([("project", doc.projects[0])] if doc.projects else [])
    names = ["info", "budget", "indicators", "narrative"]
    window.show()
    for prefix, ev in targets:
        window.select_evaluation(ev)
        editor = window.editor_for(ev)
        for i, name in enumerate(names):
            editor.setCurrentIndex(i)
            QApplication.processEvents()
            out.append(take_screenshot(window, folder / f"{prefix}-{name}.png"))
    window.select_evaluation(doc.unit_evaluation)
    window.editor_for(doc.unit_evaluation).setCurrentIndex(2)
    return out
