"""绩效目标实现情况 (晋中 forms): target rows without weights, with the progress computed."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QBrush

from perfdesk import ops
from perfdesk.model.document import Evaluation
from perfdesk.model.values import comparable, parse_value
from perfdesk.scoring import format_rate
from perfdesk.ui.spreadsheet import set_cell
from perfdesk.ui.table_base import ERROR_BG, HeaderedTableModel
from perfdesk.ui.table_base import SECTION_BG as COMPUTED_BG

HEADERS = ["一级指标", "二级指标", "三级指标", "目标值", "实际完成指标值", "完成进度（计算）", "填报完成进度"]
FIELDS = ["level1", "level2", "name", "target", "actual", None, "stated_progress"]


def tr(text: str) -> str:
    return QCoreApplication.translate("TargetRowsModel", text)


def progress(row) -> object:
    target, actual = parse_value(row.target), parse_value(row.actual)
    if not comparable(target, actual) or not target.magnitude:
        return None
    return actual.magnitude / target.magnitude


class TargetRowsModel(HeaderedTableModel):
    HEADERS = HEADERS
    TR_CONTEXT = "TargetRowsModel"

    def __init__(self, session, ev: Evaluation, parent=None):
        super().__init__(parent)
        self.session, self.ev = session, ev
        self._count = len(ev.target_rows)

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else self._count

    def _mismatch(self, row) -> bool:
        computed = progress(row)
        return (row.stated_progress is not None and computed is not None
                and abs(computed - row.stated_progress) > 0.0005)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or index.row() >= min(self._count, len(self.ev.target_rows)):
            return None
        row = self.ev.target_rows[index.row()]
        field = FIELDS[index.column()]
        if role in (Qt.DisplayRole, Qt.EditRole):
            if field is None:
                return format_rate(progress(row))
            if field == "stated_progress":
                return format_rate(row.stated_progress)
            return getattr(row, field)
        if role == Qt.BackgroundRole:
            if index.column() in (5, 6) and self._mismatch(row):
                return QBrush(ERROR_BG)
            if field is None:
                return QBrush(COMPUTED_BG)
        if role == Qt.TextAlignmentRole and index.column() >= 3:
            return int(Qt.AlignCenter)
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.NoItemFlags
        flags = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        if FIELDS[index.column()] is not None and not self.session.doc.final:
            flags |= Qt.ItemIsEditable
        return flags

    def operation_for(self, index: QModelIndex, value):
        if not (self.flags(index) & Qt.ItemIsEditable):
            return None
        return ops.SetEvaluationField(self.ev.uid, f"target_rows.{index.row()}.{FIELDS[index.column()]}", value)

    def setData(self, index, value, role=Qt.EditRole):
        return role == Qt.EditRole and set_cell(self, index, value)

    def refresh(self) -> None:
        if self._count:
            self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1, len(HEADERS) - 1))

    def apply_row_edit(self, edit) -> None:
        """A target row was inserted or removed (perfdesk.ops.RowEdit)."""
        if edit.kind == "insert":
            self.beginInsertRows(QModelIndex(), edit.index, edit.index)
            self._count += 1
            self.endInsertRows()
        else:
            self.beginRemoveRows(QModelIndex(), edit.index, edit.index)
            self._count -= 1
            self.endRemoveRows()
