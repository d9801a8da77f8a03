"""文件 → 导入预算执行数…: paste or choose a 决算 / accounting table, see what it fills, apply as one step.

The table is read by ``perfdesk.exchange.budget_figures`` (Qt-free) and matched to the projects by
``perfdesk.ops.budget_figures``; the dialog shows the plan — projects filled, names not found,
projects the table lacks — before anything changes, and 填写 applies it as one undo step.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from perfdesk.exchange.budget_figures import BudgetTableError, read_file, read_text
from perfdesk.ops.budget_figures import plan_budget_figures


def tr(text: str) -> str:
    return QCoreApplication.translate("BudgetImportDialog", text)


class BudgetImportDialog(QDialog):
    def __init__(self, session, parent=None, folder: str = ""):
        super().__init__(parent)
        self.session = session
        self.folder = folder
        self.table = None
        self.plan = None
        self.setWindowTitle(tr("导入预算执行数"))
        self.resize(860, 560)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("从决算表或财务软件导出的项目支出表中复制“项目名称、年初预算数、全年预算数、全年执行数”"
                                   "几列（连同表头）粘贴到下面，或选择表格文件。金额默认为万元；表中注明“单位：元”的自动换算。")))
        self.paste = QPlainTextEdit()
        self.paste.setObjectName("budgetPaste")
        self.paste.setPlaceholderText(tr("项目名称\t年初预算数\t全年预算数\t全年执行数\n（从 Excel/WPS 复制后粘贴到这里）"))
        self.paste.setTabStopDistance(self.paste.fontMetrics().horizontalAdvance("中") * 14)
        self.paste.textChanged.connect(self._text_changed)
        layout.addWidget(self.paste, 2)
        row = QHBoxLayout()
        self.file_button = QPushButton(tr("选择表格文件…"))
        self.file_button.clicked.connect(self.choose_file)
        row.addWidget(self.file_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(QLabel(tr("将要填写：")))
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("budgetPreview")
        self.preview.setReadOnly(True)
        layout.addWidget(self.preview, 2)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText(tr("填写"))
        self.buttons.button(QDialogButtonBox.Cancel).setText(tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._show(None, "")

    # --- reading ------------------------------------------------------------------------------
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr("选择预算执行表"), self.folder,
            tr("表格文件 (*.xlsx *.csv *.txt);;所有文件 (*)"))
        if path:
            self.read_path(path)

    def read_path(self, path: str) -> None:
        try:
            table = read_file(path)
        except BudgetTableError as exc:
            self._show(None, str(exc))
            return
        self._show(table, "")

    def _text_changed(self) -> None:
        text = self.paste.toPlainText()
        if not text.strip():
            self._show(None, "")
            return
        try:
            table = read_text(text, tr("粘贴的表格"))
        except BudgetTableError as exc:
            self._show(None, str(exc))
            return
        self._show(table, "")

    def _show(self, table, message: str) -> None:
        self.table = table
        self.plan = plan_budget_figures(self.session.doc, table) if table is not None else None
        ok = self.buttons.button(QDialogButtonBox.Ok)
        if self.plan is None:
            self.preview.setPlainText(message)
            ok.setEnabled(False)
            return
        self.preview.setPlainText("\n".join([*table.lines(), *self.plan.report()]))
        ok.setEnabled(bool(self.plan.operations))


def import_budget_figures(window) -> bool:
    """The window's action: True when the document changed (one undo step)."""
    session = window.session
    if session is None:
        return False
    folder = ""
    if session.path:
        folder = str(Path(session.path).parent)
    dialog = BudgetImportDialog(session, window, folder)
    try:
        if dialog.exec() != QDialog.Accepted or dialog.plan is None:
            return False
        plan = dialog.plan
    finally:
        dialog.deleteLater()
    changed = session.try_apply(plan.operation(tr("导入预算执行数")))
    if changed:
        window.statusBar().showMessage(tr("已填写 %1 个项目的预算数与执行数").replace("%1", str(len(plan.filled))), 8000)
    return changed


__all__ = ["BudgetImportDialog", "import_budget_figures"]
