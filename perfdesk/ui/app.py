"""Starting the window: ``run_gui(path, screenshot, demo)``.

Start-up stays quick: only Qt widgets and the domain model are imported here;
ReportLab and openpyxl are imported by the print and Excel actions when first used.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

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
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QLocale.Chinese, QLocale.China), "qtbase", "_", folder):
        app.installTranslator(translator)
        app._perfdesk_translator = translator
        return True
    return False


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


def offer_recoveries(parent=None):
    """After a crash: offer each recovery file; return (doc, original_path, recovery_path) or None."""
    from perfdesk.ui import dialogs

    from perfdesk.store import DocumentFileError, discard_recovery, list_recoveries, open_document

    try:
        infos = list_recoveries()
    except Exception:  # noqa: BLE001 - a broken recovery folder must not stop start-up
        return None
    for info in infos:
        if _in_use_elsewhere(info):
            continue  # the working copy of a perfdesk that is still running
        original = str(info.original_path) if info.original_path else ""
        when = info.saved_at.strftime("%Y-%m-%d %H:%M") if hasattr(info.saved_at, "strftime") else str(info.saved_at)
        name = info.unit_name or "未命名单位"
        message = (f"上次程序意外退出，发现未保存的工作副本：\n\n单位：{name}\n"
                   f"文件：{original or '（尚未保存过的新文档）'}\n自动备份时间：{when}\n\n是否恢复？"
                   "（选择“否”将删除这份备份）")
        if dialogs.ask_yes_no(parent, message, "恢复未保存的工作"):
            try:
                doc = open_document(info.path)
            except DocumentFileError as exc:
                dialogs.error(parent, f"备份文件无法读取：{exc}")
                continue
            return doc, original or None, info.path
        try:
            discard_recovery(info.path)
        except Exception:  # noqa: BLE001
            pass
    return None


def create_main_window(path: str | None = None, demo: bool = False, check_recovery: bool = True):
    """The main window on ``path``, a restored working copy, the last file or the demo."""
    from perfdesk.ui import dialogs
    from perfdesk.ui import settings as app_settings
    from perfdesk.ui.document_controller import open_locked
    from perfdesk.ui.main_window import MainWindow

    if check_recovery and not demo:
        restored = offer_recoveries()
        if restored is not None:
            doc, original, recovery_path = restored
            lock = None
            if original and Path(original).exists():
                try:
                    from perfdesk.store import DocumentLock, DocumentLockedError

                    lock = DocumentLock.acquire(original)
                except DocumentLockedError as exc:
                    dialogs.warning(None, f"{exc}\n恢复的内容将作为未命名文档打开。")
                    original = None
            window = MainWindow(doc, original, lock, modified=True)
            window.controller.adopt_recovery(recovery_path)
            return window
    if demo:
        return MainWindow(default_document(), None)
    if path is None:
        last = app_settings.last_file()
        if last and Path(last).exists():
            path = last
    if path is not None:
        result = open_locked(path)
        if result is not None:
            doc, lock = result
            app_settings.add_recent_file(path)
            return MainWindow(doc, path, lock)
    return MainWindow(default_document(), None)


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


def run_gui(path: str | None, screenshot: str | None = None, demo: bool = False) -> int:
    if screenshot and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        _quiet_offscreen_messages()
    app = create_application()
    if screenshot:
        window = create_main_window(path, demo=demo or path is None, check_recovery=False)
        window.resize(1440, 900)
        try:
            take_screenshot(window, screenshot)
        finally:
            window.shutdown()
            window.session.forced_dirty = False
            window.session.undo_stack.setClean()
            window.close()
        return 0
    window = create_main_window(path, demo=demo)
    window.show()
    if os.environ.get("PERFDESK_STARTUP_PROBE"):
        from PySide6.QtCore import QTimer

        def report():
            heavy = sorted(m for m in ("reportlab", "openpyxl", "sqlalchemy") if m in sys.modules)
            print(f"PERFDESK_SHOWN {time.perf_counter() - _T0:.3f} heavy={','.join(heavy) or '-'}", flush=True)
            window.session.forced_dirty = False
            window.close()

        QTimer.singleShot(0, report)
    else:
        _warm_up_saving_later()
    return app.exec()


def _warm_up_saving_later() -> None:
    """Import the save path (SQLAlchemy, ~0.7 s) in the background once the window is up.

    Opening reads with plain sqlite3 to keep start-up quick; without this the
    officer's first Ctrl+S (or the first autosave) would pause for that import.
    """
    import threading

    from PySide6.QtCore import QTimer

    def warm():
        try:
            import perfdesk.store.schema  # noqa: F401
        except Exception:  # noqa: BLE001 - a failed warm-up only costs time at the first save
            pass

    QTimer.singleShot(2000, lambda: threading.Thread(target=warm, name="perfdesk-warmup", daemon=True).start())


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
