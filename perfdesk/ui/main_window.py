"""The officer's workbench: evaluations on the left, four tabs in the centre, 审核 below."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from perfdesk import editing
from perfdesk.model.document import Document, Evaluation, EvaluationKind
from perfdesk.scoring import format_score
from perfdesk.ui import dialogs
from perfdesk.ui import session as sess
from perfdesk.ui import settings as app_settings
from perfdesk.ui.editors import EvaluationEditor
from perfdesk.ui.findings_model import FindingsModel
from perfdesk.ui.session import DocumentSession

APP_TITLE = "预算绩效自评"
AUTOSAVE_MS = 60_000

# paths open in this process (the lock file guards against other processes)
_OPEN_PATHS: set[str] = set()


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def _norm(path: str) -> str:
    return str(Path(path).resolve())


class MainWindow(QMainWindow):
    def __init__(self, doc: Document | None = None, path: str | None = None, lock=None,
                 modified: bool = False):
        super().__init__()
        self.session: DocumentSession | None = None
        self._lock = None
        self._recovery_path = None
        self._editors: dict[int, EvaluationEditor] = {}
        self.undo_group = QUndoGroup(self)
        self.resize(1440, 900)
        self._build_widgets()
        self._build_actions()
        self._build_menus()
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()
        geometry = app_settings.settings().value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if doc is None:
            from perfdesk.templates import default_unit_template, new_document

            doc = new_document(default_unit_template(), 2024)
        self.set_document(doc, path, lock, modified)

    # --- construction -------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(4, 4, 0, 4)
        title = QLabel(tr("评价对象"))
        title.setStyleSheet("font-weight:bold;")
        left_layout.addWidget(title)
        self.list_view = QTreeView()
        self.list_view.setRootIsDecorated(False)
        self.list_view.setUniformRowHeights(True)
        self.list_view.setAlternatingRowColors(True)
        self.list_view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.list_view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.list_view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.list_view.doubleClicked.connect(lambda _i: self.rename_project())
        left_layout.addWidget(self.list_view, 1)
        buttons = QHBoxLayout()
        self.project_buttons = {}
        for key, text in (("add", "添加"), ("rename", "重命名"), ("duplicate", "复制"),
                          ("delete", "删除"), ("up", "上移"), ("down", "下移")):
            button = QToolButton(text=tr(text))
            buttons.addWidget(button)
            self.project_buttons[key] = button
        buttons.addStretch(1)
        left_layout.addLayout(buttons)
        self.project_buttons["add"].clicked.connect(self.add_project)
        self.project_buttons["rename"].clicked.connect(self.rename_project)
        self.project_buttons["duplicate"].clicked.connect(self.duplicate_project)
        self.project_buttons["delete"].clicked.connect(self.delete_project)
        self.project_buttons["up"].clicked.connect(lambda: self.move_project(-1))
        self.project_buttons["down"].clicked.connect(lambda: self.move_project(1))

        self.stack = QStackedWidget()
        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([400, 1040])
        self.setCentralWidget(splitter)

        # 审核 dock
        self.findings_dock = QDockWidget(tr("审核"), self)
        self.findings_dock.setObjectName("findingsDock")
        dock_body = QWidget()
        dock_layout = QVBoxLayout(dock_body)
        dock_layout.setContentsMargins(4, 2, 4, 4)
        scope_row = QHBoxLayout()
        scope_row.addWidget(QLabel(tr("范围：")))
        self.scope_combo = QComboBox()
        self.scope_combo.addItems([tr("整个文档"), tr("当前评价对象")])
        self.scope_combo.currentIndexChanged.connect(self._scope_changed)
        scope_row.addWidget(self.scope_combo)
        self.findings_summary = QLabel()
        scope_row.addWidget(self.findings_summary)
        scope_row.addStretch(1)
        scope_row.addWidget(QLabel(tr("双击一行即可定位到出问题的单元格")))
        dock_layout.addLayout(scope_row)
        self.findings_view = QTableView()
        self.findings_view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.findings_view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.findings_view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.findings_view.verticalHeader().setVisible(False)
        self.findings_view.verticalHeader().setDefaultSectionSize(24)
        self.findings_view.setWordWrap(False)
        self.findings_view.doubleClicked.connect(self._finding_activated)
        self.findings_view.activated.connect(self._finding_activated)
        dock_layout.addWidget(self.findings_view)
        self.findings_dock.setWidget(dock_body)
        self.addDockWidget(Qt.BottomDockWidgetArea, self.findings_dock)
        self.findings_model = FindingsModel(None, self)
        self.findings_view.setModel(self.findings_model)
        header = self.findings_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Interactive)  # not ResizeToContents: it reads every row
        header.setSectionResizeMode(1, QHeaderView.Interactive)
        self.findings_view.setColumnWidth(0, 56)
        header.setStretchLastSection(True)
        self.findings_view.setColumnWidth(1, 420)

        # status bar
        self.status_current = QLabel()
        self.status_document = QLabel()
        self.statusBar().addPermanentWidget(self.status_current)
        separator = QLabel("｜")
        separator.setStyleSheet("color:#9ca3af;")
        self.statusBar().addPermanentWidget(separator)
        self.statusBar().addPermanentWidget(self.status_document)
        self.resizeDocks([self.findings_dock], [190], Qt.Vertical)

    def _action(self, text, slot, shortcut=None, tip=None) -> QAction:
        action = QAction(tr(text), self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tr(tip))
        action.triggered.connect(lambda checked=False: slot())
        return action

    def _build_actions(self) -> None:
        a = self.actions_by_name = {}
        a["new"] = self._action("新建(&N)…", self.new_document, QKeySequence.New)
        a["open"] = self._action("打开(&O)…", self.open_dialog, QKeySequence.Open)
        a["save"] = self._action("保存(&S)", self.save, QKeySequence.Save)
        a["save_as"] = self._action("另存为(&A)…", self.save_as, QKeySequence("Ctrl+Shift+S"))
        a["next_year"] = self._action("新建下一年度(&Y)…", self.new_next_year,
                                      tip="复制本文档的指标、目标值、分值和规则到下一年度，清空实际值、得分和文字说明")
        a["import"] = self._action("导入(&I)…", self.import_file,
                                   tip="从 Word/WPS/Excel 复制出的表格文本（.txt）或 Excel 工作簿（.xlsx）导入，可撤销")
        a["print_preview"] = self._action("打印预览(&V)…", self.print_preview)
        a["print"] = self._action("打印(&P)…", self.print_document, QKeySequence.Print)
        a["export_pdf"] = self._action("导出 PDF(&E)…", self.export_pdf)
        a["export_xlsx"] = self._action("导出 Excel(&X)…", self.export_xlsx)
        a["quit"] = self._action("退出(&X)", self.close, QKeySequence("Ctrl+Q"))
        a["undo"] = self.undo_group.createUndoAction(self, tr("撤销"))
        a["undo"].setShortcut(QKeySequence.Undo)
        a["redo"] = self.undo_group.createRedoAction(self, tr("重做"))
        a["redo"].setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence.Redo])
        a["insert"] = self._action("插入指标", lambda: self._indicators("insert_sibling"), QKeySequence("Ctrl+I"))
        a["insert_child"] = self._action("插入下级指标", lambda: self._indicators("insert_child"),
                                         QKeySequence("Ctrl+Shift+I"))
        a["delete_indicator"] = self._action("删除指标", lambda: self._indicators("delete_current"),
                                             QKeySequence("Ctrl+Shift+Delete"))
        a["paste_indicators"] = self._action("粘贴为指标", lambda: self._indicators("paste_indicators"),
                                             QKeySequence("Ctrl+Shift+V"),
                                             tip="把从 Excel、WPS 或 Word 复制的指标表行粘贴为指标（可撤销）")
        a["up"] = self._action("上移指标", lambda: self._indicators("move_current", -1), QKeySequence("Alt+Up"))
        a["down"] = self._action("下移指标", lambda: self._indicators("move_current", 1), QKeySequence("Alt+Down"))
        a["indent"] = self._action("降级（成为上一项的下级）", lambda: self._indicators("indent_current"),
                                   QKeySequence("Alt+Right"))
        a["outdent"] = self._action("升级（成为上级的同级）", lambda: self._indicators("outdent_current"),
                                    QKeySequence("Alt+Left"))
        a["indent"].setIconText(tr("降级"))
        a["outdent"].setIconText(tr("升级"))
        a["add_project"] = self._action("添加项目(&A)…", self.add_project)
        a["rename_project"] = self._action("重命名项目(&R)…", self.rename_project)
        a["duplicate_project"] = self._action("复制项目(&C)", self.duplicate_project)
        a["delete_project"] = self._action("删除项目(&D)…", self.delete_project)
        a["project_up"] = self._action("上移项目", lambda: self.move_project(-1))
        a["project_down"] = self._action("下移项目", lambda: self.move_project(1))
        a["signatories"] = self._action("默认签署人(&S)…", self.edit_signatories)
        a["guide"] = self._action("用户指南(&G)", lambda: dialogs.show_user_guide(self), QKeySequence.HelpContents)
        a["about"] = self._action("关于(&A)", self.about)
        for action in a.values():
            self.addAction(action)

    def _build_menus(self) -> None:
        a = self.actions_by_name
        menu = self.menuBar().addMenu(tr("文件(&F)"))
        for key in ("new", "open"):
            menu.addAction(a[key])
        self.recent_menu = menu.addMenu(tr("最近打开的文件(&R)"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        for key in ("save", "save_as", None, "import", "next_year", None, "print_preview", "print", "export_pdf",
                    "export_xlsx", None, "quit"):
            menu.addSeparator() if key is None else menu.addAction(a[key])
        menu = self.menuBar().addMenu(tr("编辑(&E)"))
        for key in ("undo", "redo", None, "insert", "insert_child", "delete_indicator", "paste_indicators", None,
                    "up", "down", "indent", "outdent"):
            menu.addSeparator() if key is None else menu.addAction(a[key])
        menu = self.menuBar().addMenu(tr("项目(&P)"))
        for key in ("add_project", "rename_project", "duplicate_project", "delete_project", None,
                    "project_up", "project_down"):
            menu.addSeparator() if key is None else menu.addAction(a[key])
        menu = self.menuBar().addMenu(tr("视图(&V)"))
        menu.addAction(self.findings_dock.toggleViewAction())
        menu = self.menuBar().addMenu(tr("设置(&S)"))
        menu.addAction(a["signatories"])
        menu = self.menuBar().addMenu(tr("帮助(&H)"))
        menu.addAction(a["guide"])
        menu.addAction(a["about"])
        toolbar = self.addToolBar(tr("常用"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        for key in ("new", "open", "save", None, "undo", "redo", None, "insert", "insert_child",
                    "delete_indicator", "up", "down", "indent", "outdent", None, "print_preview", "export_pdf"):
            toolbar.addSeparator() if key is None else toolbar.addAction(a[key])

    # --- document -------------------------------------------------------------------------------
    def set_document(self, doc: Document, path: str | None, lock=None, modified: bool = False) -> None:
        old = self.session
        if old is not None:
            self.undo_group.removeStack(old.undo_stack)
            if self.session.path:
                _OPEN_PATHS.discard(_norm(self.session.path))
        self._release_lock()
        for editor in self._editors.values():
            self.stack.removeWidget(editor)
            editor.deleteLater()
        self._editors.clear()
        self._recovery_path = None
        session = DocumentSession(doc, path, self)
        session.forced_dirty = modified
        self.session = session
        self._lock = lock
        if path:
            _OPEN_PATHS.add(_norm(path))
        self.undo_group.addStack(session.undo_stack)
        self.undo_group.setActiveStack(session.undo_stack)
        session.undo_stack.cleanChanged.connect(self._update_title)
        session.undo_stack.indexChanged.connect(self._update_title)
        session.evaluationChanged.connect(self._update_status)
        session.projectsChanged.connect(self._projects_changed)
        session.errorReported.connect(self._show_error, Qt.QueuedConnection)
        list_model = session.evaluation_list_model()
        self.list_view.setModel(list_model)
        header = self.list_view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeToContents)
        self.list_view.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.findings_model.set_session(session)
        if old is not None:
            old.deleteLater()
        self.select_evaluation(doc.unit_evaluation)
        self._update_title()
        self._update_status()

    def _release_lock(self) -> None:
        if self._lock is not None:
            try:
                self._lock.release()
            except Exception:  # noqa: BLE001 - releasing a lock must never stop the user
                pass
            self._lock = None

    def current_evaluation(self) -> Evaluation | None:
        row = self.list_view.currentIndex().row()
        return self.session.evaluation_list_model().evaluation(row) if row >= 0 else None

    def editor_for(self, ev: Evaluation) -> EvaluationEditor:
        editor = self._editors.get(ev.uid)
        if editor is None:
            editor = self._editors[ev.uid] = EvaluationEditor(self.session, ev)
            self.stack.addWidget(editor)
        return editor

    def current_editor(self) -> EvaluationEditor | None:
        ev = self.current_evaluation()
        return self.editor_for(ev) if ev is not None else None

    def select_evaluation(self, ev: Evaluation) -> None:
        model = self.session.evaluation_list_model()
        row = model.row_of(ev)
        if row < 0:
            return
        index = model.index(row, 0)
        self.list_view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
        self._show(ev)

    def _current_row_changed(self, current, _previous) -> None:
        ev = self.session.evaluation_list_model().evaluation(current.row())
        if ev is not None:
            self._show(ev)

    def _show(self, ev: Evaluation) -> None:
        previous = self.stack.currentWidget()
        if isinstance(previous, EvaluationEditor) and previous.ev is not ev:
            previous.commit()
        self.stack.setCurrentWidget(self.editor_for(ev))
        is_project = ev.kind is EvaluationKind.PROJECT
        for key in ("rename", "duplicate", "delete", "up", "down"):
            self.project_buttons[key].setEnabled(is_project)
        if self.scope_combo.currentIndex() == 1:
            self.findings_model.set_scope(ev.uid)
        self._update_status()

    def _projects_changed(self) -> None:
        alive = {ev.uid for ev in self.session.doc.evaluations()}
        for uid in [uid for uid in self._editors if uid not in alive]:
            editor = self._editors.pop(uid)
            self.stack.removeWidget(editor)
            editor.deleteLater()
        if self.current_evaluation() is None or not self.list_view.currentIndex().isValid():
            self.select_evaluation(self.session.doc.unit_evaluation)
        else:
            self._show(self.current_evaluation())

    def _indicators(self, method: str, *args) -> None:
        editor = self.current_editor()
        if editor is None:
            return
        editor.setCurrentIndex(2)
        getattr(editor.indicators, method)(*args)

    def commit_editors(self) -> None:
        for editor in self._editors.values():
            editor.commit()

    def _show_error(self, message: str) -> None:
        dialogs.warning(self, message)

    # --- status ---------------------------------------------------------------------------------
    def _update_title(self, *_args) -> None:
        session = self.session
        name = Path(session.path).name if session.path else tr("未命名")
        unit = session.doc.unit.name
        year = f"{session.doc.year}年度" if session.doc.year else ""
        parts = [f"{name}[*]"]
        if unit or year:
            parts.append(f"{unit} {year}".strip())
        parts.append(tr(APP_TITLE))
        self.setWindowTitle(" — ".join(parts))
        self.setWindowModified(session.is_modified())

    def _update_status(self, *_args) -> None:
        session = self.session
        if session is None:
            return
        ev = self.current_evaluation()
        if ev is not None and session.is_checked(ev):
            score = session.score(ev)
            findings = session.findings(ev)
            errors = sum(1 for f in findings if f.severity == "error")
            label = tr("部门整体") if ev.kind is EvaluationKind.UNIT else (ev.name or tr("项目"))
            self.status_current.setText(
                tr("%1：总分 %2　等级 %3　错误 %4　提示 %5").replace("%1", label)
                .replace("%2", format_score(score.total)).replace("%3", score.grade)
                .replace("%4", str(errors)).replace("%5", str(len(findings) - errors)))
            self.status_current.setStyleSheet("color:#b00020;" if errors else "")
        else:
            self.status_current.setText(tr("（无评分表）"))
        findings = session.all_findings()
        errors = sum(1 for f in findings if f.severity == "error")
        self.status_document.setText(
            tr("全文档：错误 %1　提示 %2").replace("%1", str(errors)).replace("%2", str(len(findings) - errors)))
        self.status_document.setStyleSheet("color:#b00020;" if errors else "")
        self.findings_model.refresh()
        scoped = self.findings_model.rowCount()
        self.findings_summary.setText(tr("共 %1 条").replace("%1", str(scoped)))
        self.findings_dock.setWindowTitle(tr("审核（错误 %1，提示 %2）").replace("%1", str(errors))
                                          .replace("%2", str(len(findings) - errors)))

    def _scope_changed(self, index: int) -> None:
        ev = self.current_evaluation()
        self.findings_model.set_scope(ev.uid if index == 1 and ev is not None else None)
        self._update_status()

    def _finding_activated(self, index) -> None:
        finding = self.findings_model.finding(index.row())
        if finding is not None:
            self.show_finding(finding)

    def show_finding(self, finding) -> None:
        self.show_place(finding.place)

    def show_place(self, place) -> None:
        """Select the evaluation of ``place`` and bring its cell or field into view."""
        if place.evaluation is None:  # 单位信息 of the document: shown with the unit form
            ev = self.session.doc.unit_evaluation
        else:
            ev = self.session.doc.find_evaluation(place.evaluation)
        if ev is None:
            return
        self.select_evaluation(ev)
        self.editor_for(ev).show_place(place)

    # --- files ------------------------------------------------------------------------------------
    def maybe_save(self) -> bool:
        """True when the current document may be closed (saved or discarded)."""
        self.commit_editors()
        if not self.session.is_modified():
            return True
        name = Path(self.session.path).name if self.session.path else tr("未命名文档")
        answer = dialogs.ask_save_changes(self, name)
        if answer == "save":
            return self.save()
        if answer == "discard":
            self._discard_recovery()
            return True
        return False

    def new_document(self) -> None:
        choice = dialogs.ask_new_document(self)
        if choice is None or not self.maybe_save():
            return
        from perfdesk.templates import TemplateError, new_document

        template_id, year, name = choice
        try:
            doc = new_document(template_id, year, name)
        except TemplateError as exc:
            dialogs.error(self, str(exc))
            return
        defaults = app_settings.signatories()
        for key, value in defaults.items():
            if value and not getattr(doc.unit, key):
                setattr(doc.unit, key, value)
        self.set_document(doc, None)

    def open_dialog(self) -> None:
        directory = str(Path(self.session.path).parent) if self.session.path else ""
        path = dialogs.open_file_name(self, directory)
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        if self.session.path and _norm(path) == _norm(self.session.path):
            dialogs.information(self, tr("该文件已在本窗口中打开。"))
            return False
        if not self.maybe_save():
            return False
        result = open_locked(path, self)
        if result is None:
            return False
        doc, lock = result
        self.set_document(doc, path, lock)
        app_settings.add_recent_file(path)
        return True

    def save(self) -> bool:
        if not self.session.path:
            return self.save_as()
        return self._save_to(self.session.path)

    def save_as(self) -> bool:
        directory = self.session.path or f"{self.session.doc.unit.name or tr('绩效自评')}.pdesk"
        path = dialogs.save_file_name(self, directory)
        if not path:
            return False
        if not path.lower().endswith(".pdesk"):
            path += ".pdesk"
        if self.session.path and _norm(path) == _norm(self.session.path):
            return self._save_to(path)
        if _norm(path) in _OPEN_PATHS:
            dialogs.error(self, tr("“%1”已在另一个窗口中打开，不能覆盖。").replace("%1", path))
            return False
        from perfdesk.store import DocumentLock, DocumentLockedError

        try:
            lock = DocumentLock.acquire(path)
        except DocumentLockedError as exc:
            dialogs.error(self, str(exc))
            return False
        if not self._save_to(path):
            lock.release()
            return False
        if self.session.path:
            _OPEN_PATHS.discard(_norm(self.session.path))
        self._release_lock()
        self._lock = lock
        _OPEN_PATHS.add(_norm(path))
        self._update_title()
        return True

    def _save_to(self, path: str) -> bool:
        from perfdesk.store import DocumentFileError, changed_on_disk, save_document
        from perfdesk.ui import recovery_dialog

        self.commit_editors()
        change = changed_on_disk(path)  # saved elsewhere since we opened it: never overwrite silently
        if change is not None:
            choice = recovery_dialog.confirm_save_over_change(self, change)
            if choice == recovery_dialog.SAVE_AS:
                return self.save_as()
            if choice != recovery_dialog.OVERWRITE:
                return False
        try:
            save_document(self.session.doc, path)
        except (DocumentFileError, OSError) as exc:
            dialogs.error(self, tr("保存失败：%1").replace("%1", str(exc)))
            return False
        self.session.mark_saved(path)
        self._discard_recovery()
        app_settings.add_recent_file(path)
        self._update_title()
        self.statusBar().showMessage(tr("已保存：%1").replace("%1", path), 5000)
        return True

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = app_settings.recent_files()
        if not files:
            action = self.recent_menu.addAction(tr("（无）"))
            action.setEnabled(False)
            return
        for i, path in enumerate(files, 1):
            action = self.recent_menu.addAction(f"&{i} {path}")
            action.triggered.connect(lambda checked=False, p=path: self._open_recent(p))

    def _open_recent(self, path: str) -> None:
        from perfdesk.ui.recovery_dialog import has_leftovers

        if not Path(path).exists() and not has_leftovers(path):
            dialogs.warning(self, tr("文件已不存在：%1").replace("%1", path))
            app_settings.remove_recent_file(path)
            return
        self.open_path(path)

    def new_next_year(self) -> None:
        if not self.maybe_save():
            return
        doc = editing.next_year(self.session.doc)
        self.set_document(doc, None, modified=True)
        dialogs.information(self, tr("已生成 %1 年度文档：保留了指标、目标值、分值和评分规则，"
                                     "清空了实际完成值、得分、偏差说明和文字说明。请另存为新文件。")
                            .replace("%1", str(doc.year)))

    def import_file(self) -> None:
        path = dialogs.import_file_name(self)
        if not path:
            return
        try:
            result = import_any(path)
        except ImportUnavailable as exc:
            dialogs.warning(self, str(exc))
            return
        except ImportFailed as exc:
            dialogs.error(self, str(exc))
            return
        imported = result.document
        name = Path(path).name
        # The officer reads the import report first; nothing enters the document unless confirmed.
        report = list(getattr(result, "report", []) or [])
        summary = tr("“%1”中读到：部门整体表 %2，项目表 %3 张。").replace("%1", name).replace(
            "%2", tr("1 张（将替换当前的部门整体表）") if sess._has_content(imported.unit_evaluation)
            else tr("无")).replace("%3", str(len(imported.projects)))
        shown = report[:30] + ([tr("……（另有 %1 行）").replace("%1", str(len(report) - 30))]
                               if len(report) > 30 else [])
        question = "\n".join([summary, *shown, "", tr("是否导入？导入后可用 Ctrl+Z 撤销。")])
        if not dialogs.ask_yes_no(self, question, tr("导入报告")):
            return
        self.session.push(sess.ImportDocument(self.session, imported, tr("导入“%1”").replace("%1", name)))
        self.select_evaluation(self.session.doc.unit_evaluation if sess._has_content(imported.unit_evaluation)
                               or not imported.projects else imported.projects[0])

    # --- autosave and recovery ------------------------------------------------------------------------
    def autosave(self) -> str | None:
        """Write the working copy to the recovery folder when it has unsaved changes."""
        if self.session is None or not self.session.is_modified():
            return None
        from perfdesk.store import write_recovery

        self.commit_editors()
        try:
            path = write_recovery(self.session.doc, self.session.path)
        except Exception as exc:  # noqa: BLE001 - autosave must never interrupt the officer
            self.statusBar().showMessage(tr("自动备份失败：%1").replace("%1", str(exc)), 10000)
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

    # --- projects -----------------------------------------------------------------------------------
    def _current_project(self) -> Evaluation | None:
        ev = self.current_evaluation()
        return ev if ev is not None and ev.kind is EvaluationKind.PROJECT else None

    def add_project(self) -> None:
        from perfdesk.templates import TemplateError, default_project_template, new_evaluation

        default = default_project_template(self.session.doc.unit_evaluation.template or "")
        choice = dialogs.ask_new_project(self, default)
        if choice is None:
            return
        template_id, name = choice
        try:
            ev = new_evaluation(template_id, name)
        except TemplateError as exc:
            dialogs.error(self, str(exc))
            return
        current = self._current_project()
        index = self.session.doc.projects.index(current) + 1 if current else len(self.session.doc.projects)
        self.session.push(sess.AddProject(self.session, ev, index, tr("添加项目“%1”").replace("%1", name)))
        self.select_evaluation(ev)

    def rename_project(self) -> None:
        ev = self._current_project()
        if ev is None:
            return
        name = dialogs.get_text(self, tr("重命名项目"), tr("项目名称："), ev.name)
        if name is None:
            return
        try:
            self.session.rename_project(ev, name)
        except ValueError as exc:
            dialogs.warning(self, str(exc))

    def duplicate_project(self) -> None:
        ev = self._current_project()
        if ev is None:
            return
        copied = editing.clone_evaluation(ev)
        copied.name = tr("%1（副本）").replace("%1", ev.name)
        index = self.session.doc.projects.index(ev) + 1
        self.session.push(sess.AddProject(self.session, copied, index,
                                          tr("复制项目“%1”").replace("%1", ev.name)))
        self.select_evaluation(copied)

    def delete_project(self) -> None:
        ev = self._current_project()
        if ev is None:
            return
        if not dialogs.ask_yes_no(self, tr("删除项目“%1”及其全部指标和说明？（可撤销）").replace("%1", ev.name)):
            return
        self.session.push(sess.DeleteProject(self.session, ev))

    def move_project(self, delta: int) -> None:
        ev = self._current_project()
        if ev is None:
            return
        index = self.session.doc.projects.index(ev) + delta
        if not 0 <= index < len(self.session.doc.projects):
            return
        self.session.push(sess.MoveProject(self.session, ev, index))
        self.select_evaluation(ev)

    # --- printing (another module; imported when first used) -------------------------------------------
    def _print_module(self):
        try:
            from perfdesk.ui import print_preview
        except ImportError:
            dialogs.warning(self, tr("此版本尚未提供打印功能。"))
            return None
        return print_preview

    def print_preview(self) -> None:
        module = self._print_module()
        if module is None:
            return
        self.commit_editors()
        dialog = module.PrintPreviewDialog(self.session.doc, self, evaluation=self.current_evaluation())
        dialog.exec()

    def print_document(self) -> None:
        """打印 the whole document straight away (the printer dialog comes from the print module)."""
        module = self._print_module()
        if module is None:
            return
        self.commit_editors()
        dialog = module.PrintPreviewDialog(self.session.doc, self, evaluation=None)
        try:
            if getattr(dialog, "error", None):
                dialogs.error(self, dialog.error)
                return
            dialog.print_document()
        finally:
            dialog.deleteLater()

    def export_pdf(self) -> None:
        module = self._print_module()
        if module is None:
            return
        self.commit_editors()
        base = Path(self.session.path).with_suffix(".pdf") if self.session.path else Path(
            f"{self.session.doc.unit.name or tr('绩效自评')}.pdf")
        path = dialogs.save_file_name(self, str(base), "PDF 文件 (*.pdf)", tr("导出 PDF"))
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        pages = module.export_pdf_with_progress(self.session.doc, path, self, "all", None)
        if pages:
            self.statusBar().showMessage(tr("已导出 %1 页：%2").replace("%1", str(pages)).replace("%2", path), 8000)

    def export_xlsx(self) -> None:
        try:
            from perfdesk.exchange.xlsx_export import export_xlsx
        except ImportError:
            dialogs.warning(self, tr("此版本尚未提供 Excel 导出。"))
            return
        self.commit_editors()
        base = Path(self.session.path).with_suffix(".xlsx") if self.session.path else Path(
            f"{self.session.doc.unit.name or tr('绩效自评')}.xlsx")
        path = dialogs.save_file_name(self, str(base), "Excel 工作簿 (*.xlsx)", tr("导出 Excel"))
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        try:
            export_xlsx(self.session.doc, path)
        except OSError as exc:
            dialogs.error(self, tr("无法写入“%1”：%2").replace("%1", path).replace("%2", exc.strerror or str(exc)))
            return
        self.statusBar().showMessage(tr("已导出：%1").replace("%1", path), 5000)

    # --- settings / help --------------------------------------------------------------------------------
    def edit_signatories(self) -> None:
        values = dialogs.edit_signatories(self, app_settings.signatories())
        if values is not None:
            app_settings.set_signatories(values)

    def about(self) -> None:
        dialogs.information(self, tr("预算绩效自评（perfdesk）\n部门整体及项目支出绩效自评表的填报、审核与打印。"
                                     "\n所有数据只保存在本机，不联网。"), tr("关于"))

    # --- closing ----------------------------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Release the lock and stop autosaving (the window is going away)."""
        self.autosave_timer.stop()
        app_settings.settings().setValue("window/geometry", self.saveGeometry())
        if self.session is not None and self.session.path:
            _OPEN_PATHS.discard(_norm(self.session.path))
        self._release_lock()


class ImportUnavailable(Exception):
    pass


class ImportFailed(Exception):
    pass


def import_any(path: str):
    """Import a text (.txt) or Excel (.xlsx) file with the exchange modules (loaded on first use)."""
    suffix = Path(path).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            from perfdesk.exchange.xlsx_import import XlsxImportError, import_xlsx
        except ImportError:
            raise ImportUnavailable(tr("此版本尚未提供 Excel 导入")) from None
        try:
            return import_xlsx(path)
        except (XlsxImportError, OSError) as exc:
            raise ImportFailed(tr("无法导入“%1”：%2").replace("%1", path).replace("%2", str(exc))) from exc
    try:
        from perfdesk.exchange.text_import import TextImportError, import_text_file
    except ImportError:
        raise ImportUnavailable(tr("此版本尚未提供表格文本导入")) from None
    try:
        return import_text_file(path)
    except TextImportError as exc:
        raise ImportFailed(tr("无法导入“%1”：%2").replace("%1", path).replace("%2", str(exc))) from exc


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
        dialogs.error(parent, tr("“%1”已在另一个窗口中打开，同一文件不能同时打开两次。").replace("%1", path))
        return None
    try:
        lock = DocumentLock.acquire(path)
    except DocumentLockedError as exc:
        if not _lock_from_another_computer(exc):
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
