"""Before printing or exporting: the 审核 errors of what is printed, with a choice.

“仍然打印（草稿）” prints with the 草稿 watermark (the figures in error are printed
as stated and marked); “转到第一个错误” closes the printing and shows the cell.
The dialog runs through ``run_check_dialog`` so tests can patch it.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QVBoxLayout, QWidget

from perfdesk.model.document import Document, Evaluation
from perfdesk.printing import Preflight, preflight

PRINT, DRAFT, GO_TO, CANCEL = "print", "draft", "goto", "cancel"


def tr(text: str) -> str:
    return QCoreApplication.translate("PrintCheckDialog", text)


class PrintCheckDialog(QDialog):
    def __init__(self, checked: Preflight, parent: QWidget | None = None, final: bool = False) -> None:
        super().__init__(parent)
        self.choice = CANCEL
        self.setWindowTitle(tr("打印前审核"))
        self.resize(640, 360)
        layout = QVBoxLayout(self)
        impossible = len(checked.impossible)
        text = tr("审核发现 %1 项错误。打印时这些数字按填报值打印，并在表下加注。").replace(
            "%1", str(checked.audit_count))
        if len(checked.errors) > checked.audit_count:
            text += tr("\n另有 %1 个总分超出满分或分值合计，不是有效得分。").replace(
                "%1", str(len(checked.errors) - checked.audit_count))
        if impossible:
            text += tr("\n其中 %1 项是不可能的得分（得分超过分值或总分超过 100），只能作为草稿打印。").replace(
                "%1", str(impossible))
        elif final:
            text += tr("\n文档已定稿；作为草稿打印时页面带“草稿”水印。")
        self.message = QLabel(text, self)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.list = QListWidget(self)
        for f in checked.errors:
            self.list.addItem(f"{f.where}：{f.message}")
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(self)
        self.draft_button = buttons.addButton(tr("仍然打印（草稿）"), QDialogButtonBox.AcceptRole)
        self.goto_button = buttons.addButton(tr("转到第一个错误"), QDialogButtonBox.ActionRole)
        self.cancel_button = buttons.addButton(tr("取消"), QDialogButtonBox.RejectRole)
        self.draft_button.clicked.connect(lambda: self._choose(DRAFT))
        self.goto_button.clicked.connect(lambda: self._choose(GO_TO))
        self.cancel_button.clicked.connect(lambda: self._choose(CANCEL))
        layout.addWidget(buttons)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        if choice == CANCEL:
            self.reject()
        else:
            self.accept()


def run_check_dialog(checked: Preflight, parent: QWidget | None, final: bool) -> str:
    dialog = PrintCheckDialog(checked, parent, final)
    try:
        dialog.exec()
        return dialog.choice
    finally:
        dialog.deleteLater()


def place_handler(parent: QWidget | None) -> Callable | None:
    """The window's “show this place” (the main window's ``show_place``), if any."""
    widget = parent
    while widget is not None:
        handler = getattr(widget, "show_place", None)
        if callable(handler):
            return handler
        widget = widget.parentWidget()
    return None


def confirm_print(parent: QWidget | None, doc: Document, form: str = "all", evaluation: Evaluation | None = None,
                  go_to: Callable | None = None) -> str:
    """``PRINT`` when 审核 finds no error in what is printed; otherwise the officer's
    choice: ``DRAFT`` (print anyway as 草稿), ``GO_TO`` (the first error has been
    shown) or ``CANCEL``."""
    checked = preflight(doc, form, evaluation)
    if not checked:
        return PRINT
    choice = run_check_dialog(checked, parent, doc.final)
    if choice == GO_TO:
        handler = go_to or place_handler(parent)
        first = checked.first_error
        if handler is not None and first is not None:
            handler(first.place)
    return choice


__all__ = ["CANCEL", "DRAFT", "GO_TO", "PRINT", "PrintCheckDialog", "confirm_print", "place_handler",
           "run_check_dialog"]
