"""The 审核 list: every finding of the document (or of the current item)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QBrush

from perfdesk.checks import Finding
from perfdesk.ui.table_base import ERROR_FG, WARNING_FG, HeaderedTableModel

HEADERS = ["级别", "位置", "问题"]


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
            return f.message
        if role == Qt.ForegroundRole and col == 0:
            return self._brushes[f.severity == "error"]
        if role == Qt.ToolTipRole:
            return f"{f.where}\n{f.message}（{f.code}）"
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.NoItemFlags
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable
