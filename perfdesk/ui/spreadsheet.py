"""The spreadsheet base of the editors: Excel keys, paste, commit on leaving a field.

Every table and the indicator tree of the window behave like the Excel/WPS sheets the
officers know: typing starts editing, Enter and Tab move on, Delete empties a cell,
Ctrl+C/Ctrl+V copy and paste blocks. A pasted block is one operation (one undo step,
applied whole or not at all); a field is committed when editing finishes.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
)

from perfdesk import ops


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


def plain_text_edit(height: int = 80) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(height)
    return edit


def input_method_starts_editing(view, event) -> bool:
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


def spreadsheet_keys(view: QAbstractItemView) -> None:
    """Excel habits shared by the tables and the indicator tree: typing edits one cell at a time,
    a range of cells can be selected (Shift+arrows, dragging) to copy, paste over or clear."""
    view.setEditTriggers(QAbstractItemView.AnyKeyPressed | QAbstractItemView.DoubleClicked
                         | QAbstractItemView.EditKeyPressed)
    view.setSelectionBehavior(QAbstractItemView.SelectItems)
    view.setSelectionMode(QAbstractItemView.ExtendedSelection)
    view.setAlternatingRowColors(True)


class SpreadsheetKeys:
    """The keys of an Excel/WPS sheet, for a QTableView or a QTreeView over a perfdesk model.

    Enter moves down (after Tab, Tab … Enter: back to the column where the Tabs began, one
    row down, as in Excel); Tab / Shift+Tab move across editable cells; Home / End go to the
    row's first / last editable cell, Ctrl+Home / Ctrl+End to the sheet's; F2 edits with the
    cursor at the end of the text; Delete empties the selected cells; Ctrl+C copies the
    selected range; Ctrl+V pastes a block at its top-left cell. Cells written together are
    one operation: one undo step, applied whole or not at all.
    """

    _tab_anchor: int | None = None

    # --- moving ------------------------------------------------------------------------
    def _editable(self, index: QModelIndex) -> bool:
        return index.isValid() and bool(index.flags() & Qt.ItemIsEditable)

    def _row_below(self, index: QModelIndex) -> QModelIndex:
        if hasattr(self, "indexBelow"):
            return self.indexBelow(index.siblingAtColumn(0))
        return index.sibling(index.row() + 1, 0)

    def _row_above(self, index: QModelIndex) -> QModelIndex:
        if hasattr(self, "indexAbove"):
            return self.indexAbove(index.siblingAtColumn(0))
        return index.sibling(index.row() - 1, 0) if index.row() > 0 else QModelIndex()

    def _visible_columns(self) -> list[int]:
        return [c for c in range(self.model().columnCount()) if not self.isColumnHidden(c)]

    def _next_cell(self, index: QModelIndex, forward: bool = True) -> QModelIndex:
        columns = self._visible_columns()
        row_index, col = index.siblingAtColumn(0), index.column()
        while True:
            later = [c for c in columns if (c > col if forward else c < col)]
            if later:
                col = later[0] if forward else later[-1]
            else:
                row_index = self._row_below(row_index) if forward else self._row_above(row_index)
                if not row_index.isValid():
                    return QModelIndex()
                col = columns[0] if forward else columns[-1]
                if self._editable(row_index.siblingAtColumn(col)):
                    return row_index.siblingAtColumn(col)
                continue
            candidate = row_index.siblingAtColumn(col)
            if self._editable(candidate):
                return candidate

    def _cell_below(self, index: QModelIndex, column: int | None = None) -> QModelIndex:
        column = index.column() if column is None else column
        row_index = index.siblingAtColumn(0)
        while True:
            row_index = self._row_below(row_index)
            if not row_index.isValid():
                return QModelIndex()
            candidate = row_index.siblingAtColumn(column)
            if self._editable(candidate) or not self._editable(index):
                return candidate

    def _row_end(self, index: QModelIndex, last: bool) -> QModelIndex:
        columns = self._visible_columns()
        cells = [index.siblingAtColumn(c) for c in (reversed(columns) if last else columns)]
        return next((c for c in cells if self._editable(c)), index)

    def _sheet_end(self, last: bool) -> QModelIndex:
        model = self.model()
        row = model.index(0, 0)
        if last:
            while self._row_below(row).isValid():
                row = self._row_below(row)
        return self._row_end(row, last) if row.isValid() else row

    def _go(self, target: QModelIndex, edit: bool = False) -> None:
        if target.isValid():
            self.setCurrentIndex(target)
            self.scrollTo(target)
            if edit:
                self.edit(target)

    def _enter(self) -> None:
        """Enter: down; after a run of Tabs, back under the cell where the run began."""
        current = self.currentIndex()
        anchor, self._tab_anchor = self._tab_anchor, None
        self._go(self._cell_below(current, anchor))

    def _tab(self, forward: bool, edit: bool = False) -> None:
        current = self.currentIndex()
        if self._tab_anchor is None and forward:
            self._tab_anchor = current.column()
        target = self._next_cell(current, forward)
        if target.isValid() and target.siblingAtColumn(0) != current.siblingAtColumn(0):
            self._tab_anchor = None  # the run left the row
        self._go(target, edit)

    # --- keys --------------------------------------------------------------------------
    def keyPressEvent(self, event):
        editing_now = self.state() == QAbstractItemView.EditingState
        if editing_now:
            return super().keyPressEvent(event)
        key, mods = event.key(), event.modifiers()
        current = self.currentIndex()
        if key in (Qt.Key_Return, Qt.Key_Enter):
            self._enter()
            return
        if key == Qt.Key_Tab:
            self._tab(True)
            return
        if key == Qt.Key_Backtab:
            self._tab(False)
            return
        self._tab_anchor = None
        if key in (Qt.Key_Home, Qt.Key_End) and current.isValid():
            last = key == Qt.Key_End
            self._go(self._sheet_end(last) if mods & Qt.ControlModifier else self._row_end(current, last))
            return
        if key == Qt.Key_F2 and self._editable(current):
            self.edit_at_end(current)
            return
        if key in (Qt.Key_Delete, Qt.Key_Backspace):
            cells = [(i, "") for i in self.selected_cells() if self._editable(i)]
            if cells:
                apply_cells(self.model(), cells, "清除")
            return
        if event.matches(QKeySequence.Copy):
            self.copy_selection()
            return
        if event.matches(QKeySequence.Paste):
            self.paste(QGuiApplication.clipboard().text())
            return
        super().keyPressEvent(event)

    def edit_at_end(self, index: QModelIndex) -> None:
        """F2 as in Excel: edit the cell with the cursor after its text (nothing selected)."""
        if not self.edit(index, QAbstractItemView.EditKeyPressed, None):
            return
        editor = self.indexWidget(index)
        if isinstance(editor, QLineEdit):
            editor.deselect()
            editor.setCursorPosition(len(editor.text()))

    def selected_cells(self) -> list[QModelIndex]:
        cells = [i for i in self.selectionModel().selectedIndexes() if i.isValid()]
        return cells or ([self.currentIndex()] if self.currentIndex().isValid() else [])

    def copy_selection(self) -> str:
        """The selected range as Excel/WPS copy it: rows by newlines, cells by tabs."""
        cells = self.selected_cells()
        if not cells:
            return ""
        rows: dict[tuple, dict[int, str]] = {}
        order: list[tuple] = []
        for index in cells:
            key = self._row_key(index)
            if key not in rows:
                rows[key] = {}
                order.append(key)
            rows[key][index.column()] = str(cell_data(index, Qt.EditRole) or "")
        columns = sorted({c for row in rows.values() for c in row})
        lines = ["\t".join(rows[key].get(c, "").replace("\n", " ") for c in columns)
                 for key in sorted(order, key=self._row_order)]
        text = "\n".join(lines)
        QGuiApplication.clipboard().setText(text)
        return text

    def _row_key(self, index: QModelIndex) -> tuple:
        return (index.row(), index.internalId() if hasattr(self, "indexBelow") else 0,
                index.parent().internalId() if index.parent().isValid() else -1)

    def _row_order(self, key: tuple) -> int:
        """Rows in the order shown (a tree's rows are ordered by walking it)."""
        if not hasattr(self, "indexBelow"):
            return key[0]
        row, position = self.model().index(0, 0), 0
        while row.isValid():
            if self._row_key(row) == key:
                return position
            row, position = self.indexBelow(row), position + 1
        return position

    def paste(self, text: str) -> int:
        """A block copied from Excel/WPS, from the selection's top-left cell: rows go down the
        rows shown, tabs go right. One undo step, applied whole or not at all."""
        cells_selected = self.selected_cells()
        if not cells_selected or not text:
            return 0
        start = min(cells_selected, key=lambda i: (self._row_order(self._row_key(i)), i.column()))
        cells = []
        row_index = start.siblingAtColumn(0)
        # the columns as the officer sees them: hidden ones (年初指标值, 调整原因 …) take nothing
        columns = [c for c in self._visible_columns() if c >= start.column()]
        for line in clipboard_lines(text):
            if not row_index.isValid():
                break
            for column, cell in zip(columns, line.split("\t")):
                target = row_index.siblingAtColumn(column)
                if target.isValid() and self._editable(target):
                    cells.append((target, cell.strip()))
            row_index = self._row_below(row_index)
        return apply_cells(self.model(), cells)

    def closeEditor(self, editor, hint):
        if hint == QAbstractItemDelegate.SubmitModelCache:
            super().closeEditor(editor, QAbstractItemDelegate.NoHint)
            self._enter()
            return
        if hint in (QAbstractItemDelegate.EditNextItem, QAbstractItemDelegate.EditPreviousItem):
            super().closeEditor(editor, QAbstractItemDelegate.NoHint)
            self._tab(hint == QAbstractItemDelegate.EditNextItem, edit=True)
            return
        super().closeEditor(editor, hint)

    def inputMethodEvent(self, event):
        if not input_method_starts_editing(self, event):
            super().inputMethodEvent(event)


class SpreadsheetTable(SpreadsheetKeys, QTableView):
    """A flat table with the keys of a sheet (see SpreadsheetKeys)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        spreadsheet_keys(self)
        self.setTabKeyNavigation(True)


def apply_cells(model, cells, label: str = "粘贴") -> int:
    """Write several cells as ONE operation: all of them or, when one is refused, none.

    ``model`` gives each cell's operation (``operation_for(index, text)``); the number
    of cells whose value changed is returned.
    """
    operations = [op for op in (model.operation_for(index, text) for index, text in cells) if op is not None]
    if not operations:
        return 0
    try:
        changes = model.session.apply(ops.batch(operations, tr(label)))
    except ops.OpError as exc:
        model.session.report_error(tr("粘贴未完成，表格没有改动：%1").replace("%1", str(exc)))
        return 0
    return len(changes.places)


def set_cell(model, index, value) -> bool:
    """A model's ``setData``: the cell's operation through the session (a refusal is shown)."""
    operation = model.operation_for(index, value)
    return operation is not None and model.session.try_apply(operation)
