"""The four tabs of one evaluation: information, budget, indicators, narrative."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QItemSelectionModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QScrollArea,
    QStyledItemDelegate,
    QTableView,
    QTabWidget,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from perfdesk import editing
from perfdesk.model.document import (
    PROJECT_NARRATIVE,
    UNIT_NARRATIVE,
    Evaluation,
    EvaluationKind,
    Indicator,
    Method,
    Tier,
)
from perfdesk.model.layouts import layout_of
from perfdesk.scoring import format_rate, format_score
from perfdesk.ui import session as sess
from perfdesk.ui.budget_model import BudgetModel
from perfdesk.ui.indicator_model import (
    COL_ACTUAL,
    COL_DEVIATION,
    COL_METHOD,
    COL_NAME,
    COL_RULE,
    COL_SCORE,
    COL_TARGET,
    COL_TIER,
    COL_WEIGHT,
    FIELD_COLUMNS,
)


def tr(text: str) -> str:
    return QCoreApplication.translate("editors", text)


# --- field binding ----------------------------------------------------------------------


def clipboard_lines(text: str) -> list[str]:
    """The rows of a block copied from Excel/WPS (any line ending, no trailing empty row)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def cell_data(index, role):
    """A cell's data read through the model's own Python ``data()``.

    PySide6 6.12 on Python < 3.12 loses a reference to ``None`` each time
    ``QModelIndex.data()`` returns an empty value to Python; enough of them
    abort the interpreter. Calling the model's method directly avoids the
    round trip through C++ (see perfdesk/ui/qt_workarounds.py).
    """
    return index.model().data(index, role)


class FieldBinder(QObject):
    """Binds a QLineEdit / QPlainTextEdit to a document field through undo commands.

    The edit is committed when editing finishes (Enter or leaving the field); a
    malformed value is refused with a message and the field shows the stored value again.
    """

    def __init__(self, widget, getter: Callable[[], str], setter: Callable[[str], object], session, parent=None):
        super().__init__(parent or widget)
        self.widget, self.getter, self.setter, self.session = widget, getter, setter, session
        if isinstance(widget, QLineEdit):
            widget.editingFinished.connect(self.commit)
        else:
            widget.installEventFilter(self)
        self.refresh()

    def text(self) -> str:
        if isinstance(self.widget, QLineEdit):
            return self.widget.text()
        return self.widget.toPlainText()

    def eventFilter(self, obj, event):
        if event.type() == QEvent.FocusOut:
            self.commit()
        return False

    def commit(self) -> None:
        text = self.text()
        if text == self.getter():
            return
        try:
            self.setter(text)
        except ValueError as exc:
            self.session.report_error(str(exc))
        self.refresh()

    def refresh(self) -> None:
        value = self.getter()
        if value != self.text():
            if isinstance(self.widget, QLineEdit):
                self.widget.setText(value)
                self.widget.setCursorPosition(0)
            else:
                self.widget.setPlainText(value)


def _plain(height: int = 80) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(height)
    return edit


def _input_method_starts_editing(view, event) -> bool:
    """Chinese typed through an input method starts editing like a key press (Qt drops it)."""
    if view.state() == QAbstractItemView.EditingState or not event.commitString():
        return False
    index = view.currentIndex()
    if not index.isValid() or not (index.flags() & Qt.ItemIsEditable):
        return False
    if not view.edit(index, QAbstractItemView.AnyKeyPressed, event):
        return False
    editor = view.indexWidget(index)
    if editor is None:
        return False
    if isinstance(editor, QLineEdit):
        editor.selectAll()
    QCoreApplication.sendEvent(editor, event)
    return True


# --- information tab ----------------------------------------------------------------------

class InfoTab(QScrollArea):
    def __init__(self, session, ev: Evaluation, parent=None):
        super().__init__(parent)
        self.session, self.ev = session, ev
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.NoFrame)
        body = QWidget()
        form = QFormLayout(body)
        form.setLabelAlignment(Qt.AlignRight)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.binders: list[FieldBinder] = []
        self.widgets: dict[str, QWidget] = {}
        doc = session.doc
        if ev.kind is EvaluationKind.UNIT:
            for field in ("name", "code", "supervisor", "year"):
                self._line(form, editing.PROFILE_FIELD_LABELS[field], field,
                           lambda f=field: "" if f == "year" and not doc.year else str(editing.get_profile_field(doc, f)),
                           lambda text, f=field: session.set_profile_field(f, text))
            for field in ("functions", "organisation"):
                self._text(form, editing.PROFILE_FIELD_LABELS[field], field,
                           lambda f=field: editing.get_profile_field(doc, f),
                           lambda text, f=field: session.set_profile_field(f, text))
            for field in ("leader", "finance_leader", "preparer", "phone"):
                self._line(form, editing.PROFILE_FIELD_LABELS[field], field,
                           lambda f=field: editing.get_profile_field(doc, f),
                           lambda text, f=field: session.set_profile_field(f, text))
            self.final_box = QCheckBox(tr("定稿（打印时不再加“草稿”字样）"))
            self.final_box.setObjectName("field:final")
            self.final_box.setChecked(doc.final)
            self.final_box.clicked.connect(lambda checked: session.set_profile_field("final", bool(checked)))
            form.addRow("", self.final_box)
            self.widgets["final"] = self.final_box
        else:
            self._line(form, tr("项目名称"), "name", lambda: ev.name,
                       lambda text: session.rename_project(ev, text))
            for field, label in editing.PROJECT_INFO_LABELS.items():
                self._line(form, tr(label), f"project.{field}",
                           lambda f=field: editing.get_evaluation_field(ev, f"project.{f}"),
                           lambda text, f=field: session.set_evaluation_field(ev, f"project.{f}", text))
        self._line(form, tr("填报总分（表上所写）"), "stated_total",
                   lambda: format_score(ev.stated_total),
                   lambda text: session.set_evaluation_field(ev, "stated_total", text))
        self._line(form, tr("填报等级（表上所写）"), "stated_grade",
                   lambda: ev.stated_grade or "",
                   lambda text: session.set_evaluation_field(ev, "stated_grade", text))
        layout = layout_of(ev.layout, ev.kind.value)
        note = QLabel(tr("表样：%1（%2）").replace("%1", layout.title).replace("%2", ev.template or layout.id))
        note.setStyleSheet("color: #6b7280;")
        form.addRow("", note)
        self.setWidget(body)

    def _line(self, form, label, key, getter, setter):
        edit = QLineEdit()
        edit.setObjectName(f"field:{key}")
        form.addRow(tr(label), edit)
        self.widgets[key] = edit
        self.binders.append(FieldBinder(edit, getter, setter, self.session, self))

    def _text(self, form, label, key, getter, setter):
        edit = _plain(70)
        edit.setObjectName(f"field:{key}")
        form.addRow(tr(label), edit)
        self.widgets[key] = edit
        self.binders.append(FieldBinder(edit, getter, setter, self.session, self))

    def refresh(self):
        for binder in self.binders:
            binder.refresh()
        box = self.widgets.get("final")
        if box is not None and box.isChecked() != self.session.doc.final:
            box.setChecked(self.session.doc.final)

    def commit(self):
        for binder in self.binders:
            binder.commit()


# --- budget tab --------------------------------------------------------------------------

def _spreadsheet_keys(view: QAbstractItemView) -> None:
    """Excel habits shared by the tables and the indicator tree: typing edits one cell at a time."""
    view.setEditTriggers(QAbstractItemView.AnyKeyPressed | QAbstractItemView.DoubleClicked
                         | QAbstractItemView.EditKeyPressed)
    view.setSelectionBehavior(QAbstractItemView.SelectItems)
    view.setSelectionMode(QAbstractItemView.SingleSelection)
    view.setAlternatingRowColors(True)


class SpreadsheetTable(QTableView):
    """A table with Excel-like keys: Enter moves down, typing starts editing."""

    def __init__(self, parent=None):
        super().__init__(parent)
        _spreadsheet_keys(self)

    def inputMethodEvent(self, event):
        if not _input_method_starts_editing(self, event):
            super().inputMethodEvent(event)

    def keyPressEvent(self, event):
        editing_now = self.state() == QAbstractItemView.EditingState
        if not editing_now and event.key() in (Qt.Key_Return, Qt.Key_Enter):
            cur = self.currentIndex()
            below = cur.sibling(cur.row() + 1, cur.column())
            if below.isValid():
                self.setCurrentIndex(below)
            return
        cur = self.currentIndex()
        if not editing_now and event.key() == Qt.Key_Delete and cur.isValid() and cur.flags() & Qt.ItemIsEditable:
            self.model().setData(cur, "", Qt.EditRole)
            return
        if not editing_now and event.matches(QKeySequence.Copy) and cur.isValid():
            QGuiApplication.clipboard().setText(str(cell_data(cur, Qt.EditRole) or ""))
            return
        if not editing_now and event.matches(QKeySequence.Paste):
            self.paste(QGuiApplication.clipboard().text())
            return
        super().keyPressEvent(event)

    def paste(self, text: str) -> int:
        """Paste a block copied from Excel/WPS starting at the current cell (one undo step)."""
        start = self.currentIndex()
        if not start.isValid() or not text:
            return 0
        lines = clipboard_lines(text)
        model = self.model()
        stack = model.session.undo_stack
        stack.beginMacro(QCoreApplication.translate("editors", "粘贴"))
        count = 0
        try:
            for r, line in enumerate(lines):
                for c, cell in enumerate(line.split("\t")):
                    target = model.index(start.row() + r, start.column() + c)
                    if target.isValid() and target.flags() & Qt.ItemIsEditable:
                        if model.setData(target, cell.strip(), Qt.EditRole):
                            count += 1
        finally:
            stack.endMacro()
        return count

    def closeEditor(self, editor, hint):
        if hint == QAbstractItemDelegate.SubmitModelCache:
            super().closeEditor(editor, QAbstractItemDelegate.NoHint)
            cur = self.currentIndex()
            below = cur.sibling(cur.row() + 1, cur.column())
            if below.isValid():
                self.setCurrentIndex(below)
            return
        super().closeEditor(editor, hint)


class BudgetTab(QWidget):
    def __init__(self, session, ev: Evaluation, parent=None):
        super().__init__(parent)
        self.session, self.ev = session, ev
        layout = QVBoxLayout(self)
        self.model = BudgetModel(session, ev, self)
        self.table = SpreadsheetTable()
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        for col in range(1, 5):
            header.setSectionResizeMode(col, QHeaderView.Interactive)
            self.table.setColumnWidth(col, 150)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        layout.addWidget(self.table, 1)
        self.binders: list[FieldBinder] = []
        if ev.kind is EvaluationKind.UNIT:
            buttons = QHBoxLayout()
            add = QToolButton(text=tr("添加项目行"))
            add.clicked.connect(self.add_line)
            remove = QToolButton(text=tr("删除项目行"))
            remove.clicked.connect(self.remove_line)
            buttons.addWidget(QLabel(tr("项目支出明细：")))
            buttons.addWidget(add)
            buttons.addWidget(remove)
            buttons.addStretch(1)
            layout.addLayout(buttons)
        self.execution_box = QGroupBox(tr("预算执行率（分值、执行率、得分）"))
        grid = QGridLayout(self.execution_box)
        self.weight_edit = QLineEdit()
        self.weight_edit.setObjectName("field:execution.weight")
        self.stated_rate_edit = QLineEdit()
        self.stated_rate_edit.setObjectName("field:execution.stated_rate")
        self.stated_score_edit = QLineEdit()
        self.stated_score_edit.setObjectName("field:execution.stated_score")
        self.rate_label = QLabel()
        self.score_label = QLabel()
        for w in (self.weight_edit, self.stated_rate_edit, self.stated_score_edit):
            w.setMaximumWidth(140)
        grid.addWidget(QLabel(tr("分值")), 0, 0)
        grid.addWidget(self.weight_edit, 0, 1)
        grid.addWidget(QLabel(tr("执行率（B/A，自动计算）")), 0, 2)
        grid.addWidget(self.rate_label, 0, 3)
        grid.addWidget(QLabel(tr("得分（自动计算）")), 0, 4)
        grid.addWidget(self.score_label, 0, 5)
        grid.addWidget(QLabel(tr("表上填报的执行率")), 1, 2)
        grid.addWidget(self.stated_rate_edit, 1, 3)
        grid.addWidget(QLabel(tr("表上填报的得分")), 1, 4)
        grid.addWidget(self.stated_score_edit, 1, 5)
        grid.setColumnStretch(6, 1)
        layout.addWidget(self.execution_box)

        def bind(edit, path, fmt):
            self.binders.append(FieldBinder(
                edit,
                lambda: "" if ev.execution is None else fmt(editing.get_evaluation_field(ev, path)),
                lambda text: session.set_evaluation_field(ev, path, text), session, self))

        bind(self.weight_edit, "execution.weight", format_score)
        bind(self.stated_rate_edit, "execution.stated_rate", format_rate)
        bind(self.stated_score_edit, "execution.stated_score", format_score)
        self.execution_box.setVisible(ev.execution is not None)
        self.refresh()

    def add_line(self):
        index = len(self.ev.budget.project_lines)
        cur = self.table.currentIndex()
        if cur.isValid():
            prefix = self.model.row_info(cur.row())[1]
            if prefix.startswith("budget.lines."):
                index = int(prefix.split(".")[2]) + 1
        self.session.push(sess.BudgetLineCommand(self.session, self.ev, index, True, tr("添加项目行")))
        row = self.model.row_of_prefix(f"budget.lines.{index}")
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, 0))

    def remove_line(self):
        cur = self.table.currentIndex()
        prefix = self.model.row_info(cur.row())[1] if cur.isValid() else ""
        if not prefix.startswith("budget.lines."):
            self.session.report_error(tr("请先选中要删除的项目行"))
            return
        index = int(prefix.split(".")[2])
        self.session.push(sess.BudgetLineCommand(self.session, self.ev, index, False, tr("删除项目行")))

    def refresh(self):
        self.model.refresh()
        for binder in self.binders:
            binder.refresh()
        if self.ev.execution is not None:
            score = self.session.score(self.ev)
            self.rate_label.setText(format_rate(score.execution_rate) or tr("（缺全年预算数或执行数）"))
            self.score_label.setText(format_score(score.execution_computed))
            bad = {f.place.field for f in self.session.findings(self.ev)}
            self.stated_rate_edit.setStyleSheet(
                "background:#f8d0d0;" if "execution.stated_rate" in bad else "")
            self.stated_score_edit.setStyleSheet(
                "background:#fdebc8;" if "execution.stated_score" in bad else "")

    def commit(self):
        for binder in self.binders:
            binder.commit()


# --- indicator tab ---------------------------------------------------------------------------

class IndicatorDelegate(QStyledItemDelegate):
    """Combo boxes for the method and the tier; line edits elsewhere."""

    def createEditor(self, parent, option, index):
        col = index.column()
        if col == COL_METHOD:
            combo = QComboBox(parent)
            combo.addItems([m.label for m in Method])
            return combo
        if col == COL_TIER:
            combo = QComboBox(parent)
            combo.addItems([""] + [t.label for t in Tier])
            return combo
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor, index):
        if isinstance(editor, QComboBox):
            editor.setCurrentText(cell_data(index, Qt.EditRole) or "")
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor, model, index):
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.EditRole)
            return
        super().setModelData(editor, model, index)


class IndicatorView(QTreeView):
    """The indicator tree with spreadsheet keys (Enter/Tab move on, typing edits, F2)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        _spreadsheet_keys(self)
        self.setUniformRowHeights(True)
        self.setTabKeyNavigation(True)
        self.setAllColumnsShowFocus(True)
        self.setItemDelegate(IndicatorDelegate(self))
        self.setIndentation(16)

    def inputMethodEvent(self, event):
        if not _input_method_starts_editing(self, event):
            super().inputMethodEvent(event)

    def _editable(self, index: QModelIndex) -> bool:
        return index.isValid() and bool(index.flags() & Qt.ItemIsEditable)

    def _next_cell(self, index: QModelIndex, forward: bool = True) -> QModelIndex:
        model = self.model()
        cols = model.columnCount()
        row_index, col = index.siblingAtColumn(0), index.column()
        while True:
            col += 1 if forward else -1
            if col >= cols or col < 0:
                row_index = self.indexBelow(row_index) if forward else self.indexAbove(row_index)
                if not row_index.isValid():
                    return QModelIndex()
                col = 0 if forward else cols - 1
            candidate = row_index.siblingAtColumn(col)
            if self._editable(candidate) and not self.isColumnHidden(col):
                return candidate

    def _cell_below(self, index: QModelIndex) -> QModelIndex:
        row_index = index.siblingAtColumn(0)
        while True:
            row_index = self.indexBelow(row_index)
            if not row_index.isValid():
                return QModelIndex()
            candidate = row_index.siblingAtColumn(index.column())
            if self._editable(candidate):
                return candidate

    def _go(self, target: QModelIndex, edit: bool = False):
        if target.isValid():
            self.setCurrentIndex(target)
            self.scrollTo(target)
            if edit:
                self.edit(target)

    def keyPressEvent(self, event):
        editing_now = self.state() == QAbstractItemView.EditingState
        key = event.key()
        if not editing_now and key in (Qt.Key_Return, Qt.Key_Enter):
            self._go(self._cell_below(self.currentIndex()))
            return
        if not editing_now and key == Qt.Key_Tab:
            self._go(self._next_cell(self.currentIndex(), True))
            return
        if not editing_now and key == Qt.Key_Backtab:
            self._go(self._next_cell(self.currentIndex(), False))
            return
        if not editing_now and key == Qt.Key_Delete and self._editable(self.currentIndex()):
            self.model().setData(self.currentIndex(), "", Qt.EditRole)
            return
        if not editing_now and event.matches(QKeySequence.Copy):
            self.copy_cell()
            return
        if not editing_now and event.matches(QKeySequence.Paste):
            self.paste(QGuiApplication.clipboard().text())
            return
        super().keyPressEvent(event)

    def copy_cell(self) -> None:
        index = self.currentIndex()
        if index.isValid():
            QGuiApplication.clipboard().setText(str(cell_data(index, Qt.EditRole) or ""))

    def paste(self, text: str) -> int:
        """Paste text from Excel/WPS: rows go down the visible rows, tabs go right. One undo step."""
        start = self.currentIndex()
        if not start.isValid() or not text:
            return 0
        lines = clipboard_lines(text)
        model = self.model()
        stack = model.session.undo_stack
        stack.beginMacro(QCoreApplication.translate("editors", "粘贴"))
        count = 0
        row_index = start.siblingAtColumn(0)
        try:
            for line in lines:
                if not row_index.isValid():
                    break
                for offset, cell in enumerate(line.split("\t")):
                    target = row_index.siblingAtColumn(start.column() + offset)
                    if target.isValid() and self._editable(target):
                        if model.setData(target, cell.strip(), Qt.EditRole):
                            count += 1
                row_index = self.indexBelow(row_index)
        finally:
            stack.endMacro()
        return count

    def closeEditor(self, editor, hint):
        if hint == QAbstractItemDelegate.SubmitModelCache:
            super().closeEditor(editor, QAbstractItemDelegate.NoHint)
            self._go(self._cell_below(self.currentIndex()))
            return
        if hint in (QAbstractItemDelegate.EditNextItem, QAbstractItemDelegate.EditPreviousItem):
            super().closeEditor(editor, QAbstractItemDelegate.NoHint)
            self._go(self._next_cell(self.currentIndex(), hint == QAbstractItemDelegate.EditNextItem), edit=True)
            return
        super().closeEditor(editor, hint)


COLUMN_WIDTHS = {COL_NAME: 280, COL_TARGET: 120, COL_WEIGHT: 76, COL_METHOD: 92, COL_ACTUAL: 120,
                 COL_TIER: 80, COL_SCORE: 72, COL_DEVIATION: 240, COL_RULE: 320}


class IndicatorTab(QWidget):
    def __init__(self, session, ev: Evaluation, parent=None):
        super().__init__(parent)
        self.session, self.ev = session, ev
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        self.buttons: dict[str, QToolButton] = {}
        for key, text, slot in (
            ("insert", tr("插入指标"), self.insert_sibling),
            ("insert_child", tr("插入下级"), self.insert_child),
            ("delete", tr("删除"), self.delete_current),
            ("up", tr("上移"), lambda: self.move_current(-1)),
            ("down", tr("下移"), lambda: self.move_current(1)),
            ("indent", tr("降级"), self.indent_current),
            ("outdent", tr("升级"), self.outdent_current),
        ):
            button = QToolButton(text=text)
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[key] = button
        self.template_button = QToolButton(text=tr("从模板插入分组"))
        self.template_button.setPopupMode(QToolButton.InstantPopup)
        self.template_menu = QMenu(self.template_button)
        self.template_menu.aboutToShow.connect(self._fill_template_menu)
        self.template_button.setMenu(self.template_menu)
        bar.addWidget(self.template_button)
        bar.addStretch(1)
        hint = QLabel(tr("回车/Tab 移到下一格，直接输入即可修改，F2 编辑；✎ 为手工填写的得分"))
        hint.setStyleSheet("color:#6b7280;")
        bar.addWidget(hint)
        layout.addLayout(bar)

        self.model = session.indicator_model(ev)
        self.view = IndicatorView()
        self.view.setModel(self.model)
        self.view.setContextMenuPolicy(Qt.ActionsContextMenu)
        for key in ("insert", "insert_child", "delete", "up", "down", "indent", "outdent"):
            action = QAction(self.buttons[key].text(), self.view)
            action.triggered.connect(self.buttons[key].click)
            self.view.addAction(action)
        paste_action = QAction(tr("粘贴为指标（从 Excel/WPS/Word 复制的指标表）"), self.view)
        paste_action.triggered.connect(lambda: self.paste_indicators())
        self.view.addAction(paste_action)
        header = self.view.header()
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignCenter)
        for col, width in COLUMN_WIDTHS.items():
            self.view.setColumnWidth(col, width)
        has_dev = layout_of(ev.layout, ev.kind.value).has_deviation_column
        if not has_dev and not any(n.deviation_note for n in ev.walk()):
            self.view.setColumnWidth(COL_DEVIATION, 160)
        self.view.expandAll()
        self.model.rowsInserted.connect(self._rows_inserted)
        self.target_rows = None
        if ev.target_rows or layout_of(ev.layout, ev.kind.value).has_target_rows:
            from PySide6.QtWidgets import QSplitter

            from perfdesk.ui.target_rows_model import TargetRowsModel

            splitter = QSplitter(Qt.Vertical)
            box = QGroupBox(tr("绩效目标实现情况"))
            box_layout = QVBoxLayout(box)
            row_bar = QHBoxLayout()
            add_row = QToolButton(text=tr("添加目标行"))
            add_row.clicked.connect(self.add_target_row)
            delete_row = QToolButton(text=tr("删除目标行"))
            delete_row.clicked.connect(self.delete_target_row)
            row_bar.addWidget(add_row)
            row_bar.addWidget(delete_row)
            row_bar.addStretch(1)
            box_layout.addLayout(row_bar)
            self.target_rows_model = TargetRowsModel(session, ev, self)
            self.target_rows = SpreadsheetTable()
            self.target_rows.setModel(self.target_rows_model)
            self.target_rows.verticalHeader().setVisible(False)
            self.target_rows.horizontalHeader().setStretchLastSection(True)
            for col, width in enumerate((110, 110, 220, 130, 130, 120)):
                self.target_rows.setColumnWidth(col, width)
            box_layout.addWidget(self.target_rows)
            splitter.addWidget(box)
            scoring_box = QWidget()
            scoring_layout = QVBoxLayout(scoring_box)
            scoring_layout.setContentsMargins(0, 0, 0, 0)
            scoring_layout.addWidget(QLabel(tr("评分表")))
            scoring_layout.addWidget(self.view)
            splitter.addWidget(scoring_box)
            splitter.setStretchFactor(1, 3)
            splitter.setSizes([170, 480])
            layout.addWidget(splitter, 1)
        else:
            layout.addWidget(self.view, 1)

        self.totals = QLabel()
        self.totals.setObjectName("totals")
        self.totals.setTextFormat(Qt.RichText)
        self.totals.setStyleSheet("QLabel#totals { background:#eef2f7; border:1px solid #c9d1dc; padding:6px; }")
        layout.addWidget(self.totals)
        self.refresh()

    # --- helpers ---------------------------------------------------------------------------
    def _rows_inserted(self, parent, first, last) -> None:
        if parent.isValid():
            self.view.expand(parent)
        for row in range(first, last + 1):
            self.view.expandRecursively(self.model.index(row, 0, parent))

    def current_node(self) -> Indicator | None:
        return self.model.node(self.view.currentIndex())

    def select(self, node: Indicator, column: int = COL_NAME) -> None:
        index = self.model.index_of(node, column)
        if index.isValid():
            parent = index.parent()
            while parent.isValid():
                self.view.expand(parent)
                parent = parent.parent()
            self.view.setCurrentIndex(index)
            self.view.selectionModel().select(index, QItemSelectionModel.ClearAndSelect)
            self.view.scrollTo(index)
            self.view.setFocus()

    def add_target_row(self) -> None:
        index = len(self.ev.target_rows)
        if self.target_rows is not None and self.target_rows.currentIndex().isValid():
            index = self.target_rows.currentIndex().row() + 1
        self.session.push(sess.TargetRowCommand(self.session, self.ev, index, True, tr("添加目标行")))
        self.target_rows.setCurrentIndex(self.target_rows_model.index(index, 2))

    def delete_target_row(self) -> None:
        current = self.target_rows.currentIndex() if self.target_rows is not None else QModelIndex()
        if not current.isValid():
            self.session.report_error(tr("请先选中要删除的目标行"))
            return
        self.session.push(sess.TargetRowCommand(self.session, self.ev, current.row(), False, tr("删除目标行")))

    def refresh(self) -> None:
        if self.target_rows is not None:
            self.target_rows_model.refresh()
        score = self.session.score(self.ev)
        findings = self.session.findings(self.ev)
        codes = {f.code for f in findings}
        red = "color:#b00020;font-weight:bold;"
        parts = []
        weight_style = red if "weight_total_not_100" in codes else ""
        parts.append(tr("分值合计 <span style='%1'>%2</span>").replace("%1", weight_style)
                     .replace("%2", format_score(score.weight_total)))
        parts.append(tr("指标得分 %1").replace("%1", format_score(score.indicator_total)))
        if self.ev.execution is not None:
            parts.append(tr("预算执行率得分 %1（执行率 %2）")
                         .replace("%1", format_score(score.execution_score) or "—")
                         .replace("%2", format_rate(score.execution_rate) or "—"))
        parts.append(tr("<b>总分 %1</b>").replace("%1", format_score(score.total)))
        parts.append(tr("<b>等级 %1</b>").replace("%1", score.grade))
        if self.ev.stated_total is not None:
            style = red if "total_mismatch" in codes else ""
            parts.append(tr("填报总分 <span style='%1'>%2</span>").replace("%1", style)
                         .replace("%2", format_score(self.ev.stated_total)))
        self.totals.setText("　｜　".join(parts))

    # --- structural edits --------------------------------------------------------------------
    def _insert(self, parent: Indicator | None, index: int, node: Indicator, text: str) -> None:
        try:
            if parent is not None and parent.level >= 3:
                raise ValueError(tr("指标最多三级，不能再插入下级指标"))
            if parent is not None and parent.level + max(1, _depth(node)) > 3:
                raise ValueError(tr("该分组插入此处会超过三级指标"))
        except ValueError as exc:
            self.session.report_error(str(exc))
            return
        self.session.push(sess.InsertIndicator(self.session, self.ev, parent, index, node, text))
        self.select(node)

    def insert_sibling(self) -> None:
        node = self.current_node()
        if node is None:
            parent, index = None, len(self.ev.indicators)
        else:
            parent, index = editing.position(self.ev, node)
            index += 1
        level = 1 if parent is None else parent.level + 1
        new = Indicator(name=tr("新指标"), method=Method.HIGHER if level == 3 else Method.MANUAL)
        self._insert(parent, index, new, tr("插入指标"))

    def insert_child(self) -> None:
        node = self.current_node()
        if node is None:
            self.insert_sibling()
            return
        new = Indicator(name=tr("新指标"), method=Method.HIGHER if node.level == 2 else Method.MANUAL)
        self._insert(node, len(node.children), new, tr("插入下级指标"))

    def delete_current(self, confirm: Callable[[str], bool] | None = None) -> None:
        node = self.current_node()
        if node is None:
            return
        if node.children:
            from perfdesk.ui import dialogs

            ask = confirm or (lambda msg: dialogs.ask_yes_no(self, msg))
            if not ask(tr("删除“%1”及其全部下级指标？").replace("%1", node.name)):
                return
        self.session.push(sess.DeleteIndicator(self.session, self.ev, node))

    def _relocate(self, compute, text) -> None:
        node = self.current_node()
        if node is None:
            return
        column = self.view.currentIndex().column()
        try:
            parent, index = compute(node)
            # validate the move without applying it
            level = 1 if parent is None else parent.level + 1
            if level + _depth(node) - 1 > 3:
                raise ValueError(tr("指标最多三级，不能再降级"))
        except ValueError as exc:
            self.session.report_error(str(exc))
            return
        self.session.push(sess.RelocateIndicator(self.session, self.ev, node, parent, index, text))
        self.select(node, column)

    def move_current(self, delta: int) -> None:
        def compute(node):
            parent, index = editing.position(self.ev, node)
            target = index + delta
            if not 0 <= target < len(editing.siblings(self.ev, node)):
                raise ValueError(tr("已经是第一项") if delta < 0 else tr("已经是最后一项"))
            return parent, target
        self._relocate(compute, tr("上移指标") if delta < 0 else tr("下移指标"))

    def indent_current(self) -> None:
        self._relocate(lambda node: editing.indent_target(self.ev, node), tr("指标降级"))

    def outdent_current(self) -> None:
        self._relocate(lambda node: editing.outdent_target(self.ev, node), tr("指标升级"))

    def paste_indicators(self, text: str | None = None, html: str | None = None) -> int:
        """粘贴为指标: rows copied from Excel/WPS/Word become indicators (one undo step).

        Groups whose names already exist receive the pasted children; the rest are appended.
        """
        if text is None and html is None:
            mime = QGuiApplication.clipboard().mimeData()
            text = mime.text() if mime is not None and mime.hasText() else None
            html = mime.html() if mime is not None and mime.hasHtml() else None
        try:
            from perfdesk.exchange.clipboard import ClipboardImportError, indicators_from_clipboard
        except ImportError:
            self.session.report_error(tr("此版本尚未提供粘贴指标表"))
            return 0
        try:
            roots = indicators_from_clipboard(text, html, has_budget=not self.ev.budget.total.is_empty())
        except ClipboardImportError as exc:
            self.session.report_error(str(exc))
            return 0
        stack = self.session.undo_stack
        stack.beginMacro(tr("粘贴指标"))
        count = 0
        try:
            for root in roots:
                count += self._merge_into(None, root)
        finally:
            stack.endMacro()
        return count

    def _merge_into(self, parent: Indicator | None, node: Indicator) -> int:
        siblings = parent.children if parent is not None else self.ev.indicators
        same = next((s for s in siblings if s.name and s.name == node.name and s.children), None)
        if same is not None and node.children:
            return sum(self._merge_into(same, child) for child in list(node.children))
        if node.parent is not None:
            node.parent.children.remove(node)
            node.parent = None
        self.session.push(sess.InsertIndicator(self.session, self.ev, parent, len(siblings), node,
                                               tr("粘贴指标")))
        return sum(1 for n in node.walk() if not n.children)

    def _fill_template_menu(self) -> None:
        self.template_menu.clear()
        try:
            from perfdesk.templates import template_groups

            groups = template_groups(self.ev.template) if self.ev.template else []
        except Exception:  # noqa: BLE001 - a missing template only empties the menu
            groups = []
        if not groups:
            action = self.template_menu.addAction(tr("（此表没有对应的模板）"))
            action.setEnabled(False)
            return
        for i, group in enumerate(groups):
            weight = f"（{format_score(group.weight)}分）" if group.weight is not None else ""
            action = self.template_menu.addAction(tr("一级指标：%1").replace("%1", group.name + weight))
            action.triggered.connect(lambda checked=False, i=i: self.insert_template_group(i, None))
            for j, child in enumerate(group.children):
                w = f"（{format_score(child.weight)}分）" if child.weight is not None else ""
                action = self.template_menu.addAction("　　" + tr("二级指标：%1").replace("%1", f"{group.name} / {child.name}{w}"))
                action.triggered.connect(lambda checked=False, i=i, j=j: self.insert_template_group(i, j))

    def insert_template_group(self, level1: int, level2: int | None) -> None:
        from perfdesk.templates import template_groups

        groups = template_groups(self.ev.template)
        group = groups[level1]
        node = self.current_node()
        if level2 is None:
            top = node
            while top is not None and top.parent is not None:
                top = top.parent
            index = self.ev.indicators.index(top) + 1 if top is not None else len(self.ev.indicators)
            self._insert(None, index, group, tr("从模板插入“%1”").replace("%1", group.name))
            return
        child = group.children[level2]
        child.parent = None
        group.children.remove(child)
        # under the selected level-1 group, else under a level-1 group of the same name
        top = node
        while top is not None and top.parent is not None:
            top = top.parent
        if top is None:
            top = next((g for g in self.ev.indicators if g.name == group.name), None)
        if top is None:
            self.session.report_error(tr("请先选中要插入二级指标的一级指标"))
            return
        self._insert(top, len(top.children), child, tr("从模板插入“%1”").replace("%1", child.name))


def _depth(node: Indicator) -> int:
    return 1 + max((_depth(c) for c in node.children), default=0)


# --- narrative tab ---------------------------------------------------------------------------

class NarrativeTab(QScrollArea):
    def __init__(self, session, ev: Evaluation, parent=None):
        super().__init__(parent)
        self.session, self.ev = session, ev
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.NoFrame)
        body = QWidget()
        layout = QVBoxLayout(body)
        self.binders: list[FieldBinder] = []
        self.widgets: dict[str, QPlainTextEdit] = {}
        goals = QGroupBox(tr("年度总体目标"))
        grid = QGridLayout(goals)
        for col, (path, label) in enumerate((("goals.expected", tr("预期目标")),
                                             ("goals.achieved", tr("实际完成情况")))):
            grid.addWidget(QLabel(label), 0, col)
            edit = _plain(110)
            edit.setObjectName(f"field:{path}")
            grid.addWidget(edit, 1, col)
            self._bind(edit, path)
        layout.addWidget(goals)
        sections = UNIT_NARRATIVE if ev.kind is EvaluationKind.UNIT else PROJECT_NARRATIVE
        for key, title in sections.items():
            box = QGroupBox(tr(title))
            box_layout = QVBoxLayout(box)
            edit = _plain(90)
            edit.setObjectName(f"field:narrative.{key}")
            box_layout.addWidget(edit)
            self._bind(edit, f"narrative.{key}")
            layout.addWidget(box)
        layout.addStretch(1)
        self.setWidget(body)

    def _bind(self, edit, path):
        self.widgets[path] = edit
        self.binders.append(FieldBinder(
            edit, lambda: editing.get_evaluation_field(self.ev, path) or "",
            lambda text: self.session.set_evaluation_field(self.ev, path, text), self.session, self))

    def refresh(self):
        for binder in self.binders:
            binder.refresh()

    def commit(self):
        for binder in self.binders:
            binder.commit()


# --- one evaluation ------------------------------------------------------------------------------

TAB_INFO, TAB_BUDGET, TAB_INDICATORS, TAB_NARRATIVE = range(4)


class EvaluationEditor(QTabWidget):
    def __init__(self, session, ev: Evaluation, parent=None):
        super().__init__(parent)
        self.session, self.ev = session, ev
        unit = ev.kind is EvaluationKind.UNIT
        self.info = InfoTab(session, ev)
        self.budget = BudgetTab(session, ev)
        self.indicators = IndicatorTab(session, ev)
        self.narrative = NarrativeTab(session, ev)
        self.addTab(self.info, tr("单位信息") if unit else tr("项目信息"))
        self.addTab(self.budget, tr("预算") if unit else tr("资金"))
        self.addTab(self.indicators, tr("绩效指标"))
        self.addTab(self.narrative, tr("文字说明"))
        self.setCurrentIndex(TAB_INDICATORS)
        session.evaluationChanged.connect(self._changed)
        session.profileChanged.connect(self._profile_changed)

    def _profile_changed(self, _field):
        self.info.refresh()

    def _changed(self, uid):
        if uid is None or uid == self.ev.uid:
            self.refresh()

    def refresh(self):
        self.info.refresh()
        self.budget.refresh()
        self.indicators.refresh()
        self.narrative.refresh()

    def commit(self):
        """Apply what is typed in a field that still has the focus."""
        self.info.commit()
        self.budget.commit()
        self.narrative.commit()

    def show_finding(self, finding) -> None:
        self.show_place(finding.place)

    def show_place(self, place) -> None:
        """Bring the cell or field of ``place`` (perfdesk.model.places) into view with the focus."""
        field = place.field
        if place.indicator is not None:
            node = self.ev.find(place.indicator)
            if node is not None:
                self.setCurrentIndex(TAB_INDICATORS)
                self.indicators.select(node, FIELD_COLUMNS.get(field, COL_NAME))
                return
        head = place.head
        if head == "execution":
            self.setCurrentIndex(TAB_BUDGET)
            widget = {"execution.stated_rate": self.budget.stated_rate_edit,
                      "execution.stated_score": self.budget.stated_score_edit}.get(field, self.budget.weight_edit)
            widget.setFocus()
            return
        if head == "budget":
            self.setCurrentIndex(TAB_BUDGET)
            prefix, _, column = field.rpartition(".")
            row = self.budget.model.row_of_prefix(prefix)
            columns = ("initial_budget", "annual_budget", "spent")
            col = columns.index(column) + 1 if column in columns else 0
            self.budget.table.setCurrentIndex(self.budget.model.index(max(row, 0), col))
            self.budget.table.setFocus()
            return
        if head == "target_rows" and self.indicators.target_rows is not None:
            self.setCurrentIndex(TAB_INDICATORS)
            parts = field.split(".")
            if len(parts) == 3 and parts[1].isdigit():
                from perfdesk.ui.target_rows_model import FIELDS as ROW_FIELDS

                col = ROW_FIELDS.index(parts[2]) if parts[2] in ROW_FIELDS else 0
                self.indicators.target_rows.setCurrentIndex(
                    self.indicators.target_rows_model.index(int(parts[1]), col))
            self.indicators.target_rows.setFocus()
            return
        for tab, widgets in ((TAB_INFO, self.info.widgets), (TAB_NARRATIVE, self.narrative.widgets)):
            widget = widgets.get(field)
            if widget is not None:
                self.setCurrentIndex(tab)
                widget.setFocus()
                return
        self.setCurrentIndex(TAB_INDICATORS)
        self.indicators.view.setFocus()
