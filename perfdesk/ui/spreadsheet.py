"""The spreadsheet base of the editors: Excel keys, paste, commit on leaving a field.

Every table and the indicator tree of the window behave like the Excel/WPS sheets the
officers know: typing starts editing, Enter and Tab move on, Delete empties a cell,
Ctrl+C/Ctrl+V copy and paste blocks. A pasted block is one operation (one undo step,
applied whole or not at all); a field is committed when editing finishes.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
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
        spreadsheet_keys(self)

    def inputMethodEvent(self, event):
        if not input_method_starts_editing(self, event):
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
        model = self.model()
        cells = []
        for r, line in enumerate(clipboard_lines(text)):
            for c, cell in enumerate(line.split("\t")):
                target = model.index(start.row() + r, start.column() + c)
                if target.isValid() and target.flags() & Qt.ItemIsEditable:
                    cells.append((target, cell.strip()))
        return apply_cells(model, cells)

    def closeEditor(self, editor, hint):
        if hint == QAbstractItemDelegate.SubmitModelCache:
            super().closeEditor(editor, QAbstractItemDelegate.NoHint)
            cur = self.currentIndex()
            below = cur.sibling(cur.row() + 1, cur.column())
            if below.isValid():
                self.setCurrentIndex(below)
            return
        super().closeEditor(editor, hint)


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
