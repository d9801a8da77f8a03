"""The left-hand list: 部门整体 first, then each project, with score, grade and problems."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QBrush

from perfdesk.checks.draft import draft_state
from perfdesk.model.document import Evaluation
from perfdesk.scoring import format_score, grade_shown
from perfdesk.ui.table_base import ERROR_FG, WARNING_FG, HeaderedTableModel

HEADERS = ["名称", "得分", "等级", "问题"]


def tr(text: str) -> str:
    return QCoreApplication.translate("EvaluationListModel", text)


class EvaluationListModel(HeaderedTableModel):
    HEADERS = HEADERS
    TR_CONTEXT = "EvaluationListModel"

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self._evaluations = list(session.doc.evaluations())  # the mirror of the list's rows
        self._cells = self._snapshot()

    def evaluations(self) -> list[Evaluation]:
        return self._evaluations

    def evaluation(self, row: int) -> Evaluation | None:
        evs = self.evaluations()
        return evs[row] if 0 <= row < len(evs) else None

    def row_of(self, ev: Evaluation) -> int:
        return next((i for i, e in enumerate(self.evaluations()) if e is ev), -1)

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.evaluations())

    def _row(self, ev: Evaluation) -> tuple:
        doc = self.session.doc
        if ev is doc.unit_evaluation:
            name = tr("部门整体：%1").replace("%1", doc.evaluation_name(ev) or tr("（未命名单位）"))
        else:
            name = ev.name or tr("（未命名项目）")
        if not self.session.is_checked(ev):
            return name, "", "", "", 0, 0
        score = self.session.score(ev)
        findings = self.session.findings(ev)
        errors = sum(1 for f in findings if f.severity == "error")
        warnings = len(findings) - errors
        draft = draft_state(ev)
        if draft is not None:  # 草稿: no grade yet, what is still to fill in (issue 17)
            pending = tr(draft.short())
            problems = tr("%1错 %2").replace("%1", str(errors)).replace("%2", pending) if errors else pending
            return name, format_score(score.total), tr("草稿"), problems, errors, 0
        problems = ""
        if errors or warnings:
            problems = tr("%1错 %2提示").replace("%1", str(errors)).replace("%2", str(warnings))
        return name, format_score(score.total), grade_shown(score), problems, errors, warnings

    def _snapshot(self) -> list[tuple]:
        return [self._row(ev) for ev in self.evaluations()]

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or index.row() >= len(self._cells):
            return None
        row = self._cells[index.row()]
        col = index.column()
        if role == Qt.DisplayRole:
            return row[col]
        if role == Qt.ForegroundRole and col == 3:
            if row[4]:
                return QBrush(ERROR_FG)
            if row[5]:
                return QBrush(WARNING_FG)
        if role == Qt.ToolTipRole:
            return row[0]
        if role == Qt.TextAlignmentRole and col in (1, 2):
            return int(Qt.AlignCenter)
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.NoItemFlags
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable

    def refresh(self) -> None:
        """Emit dataChanged for the rows whose name, score, grade or problems changed."""
        new = self._snapshot()
        old, self._cells = self._cells, new
        for r, (a, b) in enumerate(zip(old, new)):
            if a != b:
                self.dataChanged.emit(self.index(r, 0), self.index(r, len(HEADERS) - 1))

    def apply_list_edit(self, edit) -> None:
        """Replay one edit of the list of evaluations (perfdesk.ops.ListEdit) with its row signals."""
        if edit.kind == "insert":
            self.beginInsertRows(QModelIndex(), edit.row, edit.row)
            self._evaluations.insert(edit.row, edit.evaluation)
            self._cells.insert(edit.row, self._row(edit.evaluation))
            self.endInsertRows()
        elif edit.kind == "remove":
            self.beginRemoveRows(QModelIndex(), edit.row, edit.row)
            self._evaluations.pop(edit.row)
            self._cells.pop(edit.row)
            self.endRemoveRows()
        elif edit.kind == "move":
            dest = edit.row + 1 if edit.row > edit.old_row else edit.row
            self.beginMoveRows(QModelIndex(), edit.old_row, edit.old_row, QModelIndex(), dest)
            self._evaluations.insert(edit.row, self._evaluations.pop(edit.old_row))
            self._cells.insert(edit.row, self._cells.pop(edit.old_row))
            self.endMoveRows()
        elif edit.kind == "replace":
            self._evaluations[edit.row] = edit.evaluation
            self._cells[edit.row] = self._row(edit.evaluation)
            self.dataChanged.emit(self.index(edit.row, 0), self.index(edit.row, len(HEADERS) - 1))
