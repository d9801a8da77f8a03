"""The 审核 list: every finding of the document (or of the current item), and why (为什么).

Each finding names the rule it applies (``Finding.why``: the rule's text, its source and
the rule set): the 为什么 column shows the rule's first line, its tooltip and the
为什么 action (context menu, F1) the whole text for the selected finding.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QAction, QBrush, QKeySequence
from PySide6.QtWidgets import QHeaderView

from perfdesk.checks import Finding
from perfdesk.ui.table_base import ERROR_FG, WARNING_FG, HeaderedTableModel

HEADERS = ["级别", "位置", "问题", "为什么"]
COL_WHY = 3


def tr(text: str) -> str:
    return QCoreApplication.translate("FindingsModel", text)


class FindingsModel(HeaderedTableModel):
    HEADERS = HEADERS
    TR_CONTEXT = "FindingsModel"

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.scope_uid: int | None = None  # None: whole document
        self._findings: list[Finding] = []
        self._labels = {True: tr("错误"), False: tr("提示")}
        self._brushes = {True: QBrush(ERROR_FG), False: QBrush(WARNING_FG)}
        self.refresh()

    def set_session(self, session) -> None:
        self.session = session
        self.refresh()

    def set_scope(self, evaluation_uid: int | None) -> None:
        self.scope_uid = evaluation_uid
        self.refresh()

    def refresh(self) -> None:
        if self.session is None:
            findings = []
        elif self.scope_uid is None:
            findings = self.session.all_findings()
        else:
            ev = self.session.doc.find_evaluation(self.scope_uid)
            findings = self.session.findings(ev) if ev is not None and self.session.is_checked(ev) else []
        # errors first, keeping the form's order within a severity
        findings = sorted(findings, key=lambda f: 0 if f.severity == "error" else 1)
        if findings == self._findings:
            return
        self.beginResetModel()
        self._findings = findings
        self.endResetModel()

    def finding(self, row: int) -> Finding | None:
        return self._findings[row] if 0 <= row < len(self._findings) else None

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self._findings)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or index.row() >= len(self._findings):
            return None
        f = self._findings[index.row()]
        col = index.column()
        if role == Qt.DisplayRole:
            if col == 0:
                return self._labels[f.severity == "error"]
            if col == 1:
                return f.where
            if col == COL_WHY:
                return f.why.split("\n", 1)[0]
            return f.message
        if role == Qt.ForegroundRole and col == 0:
            return self._brushes[f.severity == "error"]
        if role == Qt.ToolTipRole:
            if col == COL_WHY and f.why:
                return f.why
            return f"{f.where}\n{f.message}（{f.code}）"
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.NoItemFlags
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable


def why_text(finding: Finding) -> str:
    """What the 为什么 view shows: the finding, the rule it applies with its source, the rule set."""
    why = finding.why or tr("（此项检查没有对应的评价规则说明）")
    return f"{finding.where}\n{finding.message}\n\n{why}"


def install_why(view, model: FindingsModel, show=None) -> QAction:
    """The 为什么 action of the 审核 list (context menu and F1): the rule behind the selected finding.

    ``show(parent, text, title)`` displays it (default: ``dialogs.information``).
    """
    if show is None:
        from perfdesk.ui import dialogs

        def show(parent, text, title):
            dialogs.information(parent, text, title)

    action = QAction(tr("为什么？（查看依据的规则）"), view)
    action.setShortcut(QKeySequence(Qt.Key_F1))
    action.setShortcutContext(Qt.WidgetShortcut)

    def explain() -> None:
        finding = model.finding(view.currentIndex().row())
        if finding is not None:
            show(view, why_text(finding), tr("为什么"))

    action.triggered.connect(explain)
    view.addAction(action)
    view.setContextMenuPolicy(Qt.ActionsContextMenu)
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(2, QHeaderView.Stretch)
    header.setSectionResizeMode(COL_WHY, QHeaderView.Interactive)
    view.setColumnWidth(COL_WHY, 320)
    return action
