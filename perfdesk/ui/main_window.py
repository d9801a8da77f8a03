"""The officer's workbench: evaluations on the left, four tabs in the centre, 审核 below."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
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

from perfdesk import ops
from perfdesk.checks.draft import draft_state
from perfdesk.model.document import Document, Evaluation, EvaluationKind
from perfdesk.scoring import format_score, grade_shown
from perfdesk.ui import dialogs
from perfdesk.ui import settings as app_settings
from perfdesk.ui.budget_import import import_budget_figures
from perfdesk.ui.document_controller import DocumentController
from perfdesk.ui.evaluation_editor import EvaluationEditor
from perfdesk.ui.export_word import export_word
from perfdesk.ui.findings_model import FindingsModel, install_why
from perfdesk.ui.session import DocumentSession

APP_TITLE = "预算绩效自评"
AUTOSAVE_MS = 60_000


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class MainWindow(QMainWindow):
    def __init__(self, doc: Document | None = None, path: str | None = None, lock=None,
                 modified: bool = False, sample: bool = False):
        super().__init__()
        app_settings.use_user_rule_sets()  # 评价规则 of the officer's own (settings folder)
        self.session: DocumentSession | None = None
        self.controller = DocumentController(self)
        self._editors: dict[int, EvaluationEditor] = {}
        self.undo_group = QUndoGroup(self)
        self.resize(1440, 900)
        self._build_widgets()
        self._build_actions()
        self._build_menus()
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.controller.autosave)
        self.autosave_timer.start()
        geometry = app_settings.settings().value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if doc is None:
            from perfdesk.templates import default_unit_template, new_document

            doc = new_document(default_unit_template(), 2024)
        self.set_document(doc, path, lock, modified, sample=sample)

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
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        # shown over the built-in example document, so that nobody takes it for their own
        self.sample_banner = QLabel(tr(
            "这是内置的<b>示例文档</b>（永州市零陵区社会保险服务中心 2022 年度公开的自评表）。“审核”中列出的错误是原表中本来就有的，"
            "用来演示程序如何发现它们。开始填报本单位的材料，请选 文件 → 新建（Ctrl+N）或 文件 → 打开。"))
        self.sample_banner.setWordWrap(True)
        self.sample_banner.setStyleSheet("background:#fff4c2; color:#5c4400; padding:6px 10px;"
                                         " border-bottom:1px solid #e3c76b;")
        self.sample_banner.setVisible(False)
        central_layout.addWidget(self.sample_banner)
        central_layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

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
        self.why_action = install_why(self.findings_view, self.findings_model)  # 为什么: the rule of a finding

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
        a["new"] = self._action("新建(&N)…", self.controller.new_document, QKeySequence.New)
        a["open"] = self._action("打开(&O)…", self.controller.open_dialog, QKeySequence.Open)
        a["save"] = self._action("保存(&S)", self.controller.save, QKeySequence.Save)
        a["save_as"] = self._action("另存为(&A)…", self.controller.save_as, QKeySequence("Ctrl+Shift+S"))
        a["next_year"] = self._action("新建下一年度(&Y)…", self.controller.new_next_year,
                                      tip="复制本文档的指标、目标值、分值和规则到下一年度，清空实际值、得分和文字说明")
        a["import"] = self._action("导入(&I)…", self.controller.import_file,
                                   tip="导入 Word、PDF、Excel、网页、CSV 或文本文件中的自评表（按内容识别），可撤销")
        a["import_clipboard"] = self._action("从剪贴板导入(&B)", lambda: self.controller.import_file(clipboard=True),
                                             tip="导入从网页、Word、WPS 或 Excel 复制的整张自评表，可撤销")
        a["import_budget"] = self._action("导入预算执行数(&U)…", lambda: import_budget_figures(self),
                                          tip="从决算表或财务软件导出的项目支出表（粘贴或选择文件）一次填写各项目的预算数与执行数，可撤销")
        a["print_preview"] = self._action("打印预览(&V)…", self.controller.print_preview)
        a["print"] = self._action("打印(&P)…", self.controller.print_document, QKeySequence.Print)
        a["export_pdf"] = self._action("导出 PDF(&E)…", self.controller.export_pdf)
        a["export_xlsx"] = self._action("导出 Excel(&X)…", self.controller.export_xlsx)
        a["export_docx"] = self._action("导出 Word(&W)…", lambda: export_word(self),
                                        tip="表格和报告、情况说明等文字材料导出为一个 Word 文件（只导出文档中已有的）")
        a["quit"] = self._action("退出(&X)", self.close, QKeySequence("Ctrl+Q"))
        a["undo"] = self.undo_group.createUndoAction(self, tr("撤销"))
        a["undo"].setShortcut(QKeySequence.Undo)
        a["redo"] = self.undo_group.createRedoAction(self, tr("重做"))
        # Ctrl+Y (Windows, WPS) and Ctrl+Shift+Z (Linux desktops), each once: a key bound twice is dead
        a["redo"].setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
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
        a["find"] = self._action("查找(&F)…", self.focus_find, QKeySequence.Find,
                                 tip="在指标、目标值、完成值、评分规则、项目名称和文字说明中查找")
        a["find_next"] = self._action("查找下一处", lambda: self.find_next(1), QKeySequence.FindNext)
        a["find_previous"] = self._action("查找上一处", lambda: self.find_next(-1), QKeySequence.FindPrevious)
        for action in a.values():
            self.addAction(action)

    def _build_menus(self) -> None:
        a = self.actions_by_name
        menu = self.menuBar().addMenu(tr("文件(&F)"))
        for key in ("new", "open"):
            menu.addAction(a[key])
        self.recent_menu = menu.addMenu(tr("最近打开的文件(&R)"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        for key in ("save", "save_as", None, "import", "import_clipboard", "import_budget", "next_year", None,
                    "print_preview", "print", "export_pdf",
                    "export_xlsx", "export_docx", None, "quit"):
            menu.addSeparator() if key is None else menu.addAction(a[key])
        menu = self.menuBar().addMenu(tr("编辑(&E)"))
        for key in ("undo", "redo", None, "insert", "insert_child", "delete_indicator", "paste_indicators", None,
                    "up", "down", "indent", "outdent", None, "find", "find_next", "find_previous"):
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
        toolbar.addSeparator()
        self.find_edit = QLineEdit()
        self.find_edit.setObjectName("find")
        self.find_edit.setPlaceholderText(tr("查找（Ctrl+F，回车找下一处）"))
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.setMaximumWidth(240)
        self.find_edit.returnPressed.connect(lambda: self.find_next(1))
        self.find_edit.textChanged.connect(self._find_reset)
        toolbar.addWidget(self.find_edit)
        self._found: list = []
        self._found_at = -1

    # --- 查找 -------------------------------------------------------------------------------------
    def focus_find(self) -> None:
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def _find_reset(self, *_args) -> None:
        self._found, self._found_at = [], -1

    def find_next(self, step: int = 1) -> None:
        """The next (or previous) place holding the text in the 查找 box, brought into view."""
        from perfdesk.model.search import find_places

        text = self.find_edit.text()
        if not text.strip():
            self.focus_find()
            return
        if not self._found:
            self._found = find_places(self.session.doc, text)
            self._found_at = -1
        if not self._found:
            self.statusBar().showMessage(tr("没有找到“%1”").replace("%1", text), 5000)
            return
        self._found_at = (self._found_at + step) % len(self._found)
        self.show_place(self._found[self._found_at])
        self.statusBar().showMessage(tr("“%1”：第 %2 处，共 %3 处（F3 找下一处）").replace("%1", text).replace(
            "%2", str(self._found_at + 1)).replace("%3", str(len(self._found))), 8000)

    # --- document -------------------------------------------------------------------------------
    def set_document(self, doc: Document, path: str | None, lock=None, modified: bool = False,
                     sample: bool = False) -> None:
        """Show ``doc``; ``sample`` marks the built-in example document (a banner, 示例文档 in the title)."""
        self.sample = sample
        self.sample_banner.setVisible(sample)
        old = self.session
        if old is not None:
            self.undo_group.removeStack(old.undo_stack)
        self.controller.document_opened(path, lock)
        for editor in self._editors.values():
            self.stack.removeWidget(editor)
            editor.deleteLater()
        self._editors.clear()
        session = DocumentSession(doc, path, self)
        session.forced_dirty = modified
        self.session = session
        self.undo_group.addStack(session.undo_stack)
        self.undo_group.setActiveStack(session.undo_stack)
        session.undo_stack.cleanChanged.connect(self._update_title)
        session.undo_stack.indexChanged.connect(self._update_title)
        session.changesApplied.connect(self._update_status)
        session.changesApplied.connect(self._find_reset)  # places found before a change may have moved
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

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = app_settings.recent_files()
        if not files:
            action = self.recent_menu.addAction(tr("（无）"))
            action.setEnabled(False)
            return
        for i, path in enumerate(files, 1):
            action = self.recent_menu.addAction(f"&{i} {path}")
            action.triggered.connect(lambda checked=False, p=path: self.controller.open_recent(p))

    # --- status ---------------------------------------------------------------------------------
    def _update_title(self, *_args) -> None:
        session = self.session
        name = Path(session.path).name if session.path else (tr("示例文档") if self.sample else tr("未命名"))
        if session.doc.final:
            name += tr("（已定稿，只读）")
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
            draft = draft_state(ev)
            if draft is not None:  # 草稿: what is still to fill in, not a grade (issue 17)
                self.status_current.setText(tr("%1：草稿　%2　错误 %3").replace("%1", label)
                                            .replace("%2", tr(draft.summary())).replace("%3", str(errors)))
            else:
                self.status_current.setText(
                    tr("%1：总分 %2　等级 %3　错误 %4　提示 %5").replace("%1", label)
                    .replace("%2", format_score(score.total)).replace("%3", grade_shown(score))
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
        if self.session.try_apply(ops.InsertProject(index, ev, tr("添加项目“%1”").replace("%1", name))):
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
        except ops.OpError as exc:
            dialogs.warning(self, str(exc))

    def duplicate_project(self) -> None:
        ev = self._current_project()
        if ev is None:
            return
        operation = ops.duplicate_project(self.session.doc, ev.uid)
        if self.session.try_apply(operation):
            self.select_evaluation(operation.project)

    def delete_project(self) -> None:
        ev = self._current_project()
        if ev is None:
            return
        if not dialogs.ask_yes_no(self, tr("删除项目“%1”及其全部指标和说明？（可撤销）").replace("%1", ev.name)):
            return
        self.session.try_apply(ops.RemoveProject(ev.uid))

    def move_project(self, delta: int) -> None:
        ev = self._current_project()
        if ev is None:
            return
        index = self.session.doc.projects.index(ev) + delta
        if not 0 <= index < len(self.session.doc.projects):
            return
        if self.session.try_apply(ops.MoveProject(ev.uid, index)):
            self.select_evaluation(ev)

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
        if not self.controller.maybe_save():
            event.ignore()
            return
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Release the lock and stop autosaving (the window is going away)."""
        self.autosave_timer.stop()
        app_settings.settings().setValue("window/geometry", self.saveGeometry())
        self.controller.document_closing()
