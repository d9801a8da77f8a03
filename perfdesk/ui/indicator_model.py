"""A QAbstractItemModel over an evaluation's indicator tree (the model itself, no copy).

Rows are indicators (internalId = the indicator's uid); columns are those of the
paper forms. After every edit ``refresh()`` recomputes the cells' contents and
emits ``dataChanged`` for exactly those that changed (the edited cell, the
ancestors' sums, rows whose findings changed).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from perfdesk.model.document import Evaluation, Indicator, Method
from perfdesk.scoring import format_rate, format_score
from perfdesk.ui.table_base import ERROR_BG, ERROR_FG, MUTED_FG, OVERRIDE_BG, WARNING_BG
from perfdesk.ui.table_base import SECTION_BG as GROUP_BG

COL_NAME, COL_TARGET, COL_WEIGHT, COL_METHOD, COL_ACTUAL, COL_TIER, COL_SCORE, COL_DEVIATION, COL_RULE = range(9)
COLUMN_FIELDS = ["name", "target", "weight", "method", "actual", "tier", "score", "deviation_note", "rule_text"]
FIELD_COLUMNS = {field: col for col, field in enumerate(COLUMN_FIELDS)}
HEADERS = ["指标", "指标值", "分值", "评分方法", "实际完成值", "评价档次", "得分", "偏差原因分析及改进措施", "评分规则"]



def tr(text: str) -> str:
    return QCoreApplication.translate("IndicatorTreeModel", text)


class IndicatorTreeModel(QAbstractItemModel):
    def __init__(self, session, ev: Evaluation, parent=None):
        super().__init__(parent)
        self.session = session
        self.ev = ev
        self._nodes: dict[int, Indicator] = {}
        self._cells: dict[tuple[int, int], tuple] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)
        self._rebuild_index()
        self._cells = self._snapshot()

    # --- structure ------------------------------------------------------------------
    def _rebuild_index(self) -> None:
        self._nodes = {node.uid: node for node in self.ev.walk()}

    def _siblings(self, node: Indicator) -> list[Indicator]:
        return node.parent.children if node.parent is not None else self.ev.indicators

    def node(self, index: QModelIndex) -> Indicator | None:
        if not index.isValid():
            return None
        return self._nodes.get(index.internalId())

    def index_of(self, node: Indicator, column: int = 0) -> QModelIndex:
        if node is None or node.uid not in self._nodes:
            return QModelIndex()
        return self.createIndex(self._siblings(node).index(node), column, node.uid)

    def index(self, row, column, parent=QModelIndex()):
        if column < 0 or column >= len(HEADERS) or row < 0:
            return QModelIndex()
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        children = self._children(parent)
        if row >= len(children):
            return QModelIndex()
        return self.createIndex(row, column, children[row].uid)

    def _children(self, parent: QModelIndex) -> list[Indicator]:
        if not parent.isValid():
            return self.ev.indicators
        node = self.node(parent)
        return node.children if node is not None else []

    def parent(self, index=QModelIndex()):
        if not index.isValid():
            return QModelIndex()
        node = self.node(index)
        if node is None or node.parent is None:
            return QModelIndex()
        return self.index_of(node.parent)

    def rowCount(self, parent=QModelIndex()):
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children(parent))

    def columnCount(self, parent=QModelIndex()):
        return len(HEADERS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and 0 <= section < len(HEADERS):
            if role == Qt.DisplayRole:
                return tr(HEADERS[section])
            if role == Qt.TextAlignmentRole:
                return int(Qt.AlignCenter)
        return None

    # --- content ------------------------------------------------------------------------
    def _findings_by_cell(self) -> dict[tuple[int, int], list]:
        out: dict[tuple[int, int], list] = {}
        for f in self.session.findings(self.ev):
            if f.indicator_uid is None:
                continue
            col = FIELD_COLUMNS.get(f.field or "", COL_NAME)
            out.setdefault((f.indicator_uid, col), []).append(f)
        return out

    def _cell(self, node: Indicator, col: int, findings) -> tuple:
        """(display, edit, background, foreground, font, tooltip) of one cell."""
        score = self.session.score(self.ev)
        s = score.by_uid.get(node.uid)
        display = edit = ""
        background = GROUP_BG if node.children else None
        foreground = None
        font = self._bold if node.children and col in (COL_NAME, COL_WEIGHT, COL_SCORE) else None
        tip = ""
        if col == COL_NAME:
            display = edit = node.name
            tip = node.path()
        elif col == COL_TARGET:
            display = edit = node.target
            tip = node.target if len(node.target) > 8 else ""
        elif col == COL_WEIGHT:
            if node.children:
                total = s.weight if s else None
                edit = format_score(node.weight)
                if node.weight is None:
                    display = format_score(total)
                    foreground = MUTED_FG
                    tip = tr("下级指标分值合计（未标明本级分值）")
                elif total is not None and abs(node.weight - total) > 0:
                    display = f"{format_score(node.weight)} ≠ {format_score(total)}"
                    tip = tr("标明分值 %1，下级指标分值合计 %2").replace("%1", format_score(node.weight)).replace(
                        "%2", format_score(total))
                    foreground = ERROR_FG
                else:
                    display = format_score(node.weight)
            else:
                display = edit = format_score(node.weight)
        elif col == COL_METHOD:
            if not node.children:
                display = edit = node.method.label
        elif col == COL_ACTUAL:
            display = edit = node.actual
            tip = node.actual if len(node.actual) > 8 else ""
        elif col == COL_TIER:
            if not node.children and node.method is Method.TIERS:
                display = edit = node.tier.label if node.tier else ""
                if not display:
                    foreground = MUTED_FG
        elif col == COL_SCORE:
            if s is not None:
                display = format_score(s.score)
                if node.children:
                    edit = display
                else:
                    edit = format_score(node.score_override)
                    if node.score_override is not None:
                        background = OVERRIDE_BG
                        display = display + " ✎"
                        computed = format_score(s.computed) if s.computed is not None else tr("无法计算")
                        tip = tr("手工填写的得分；按评分方法计算为 %1").replace("%1", computed)
                    elif s.computed is not None:
                        tip = tr("按%1计算").replace("%1", node.method.label)
                        if s.ratio is not None:
                            tip += tr("（完成比例 %1）").replace("%1", format_rate(s.ratio))
        elif col == COL_DEVIATION:
            display = edit = node.deviation_note
            tip = node.deviation_note
        elif col == COL_RULE:
            display = edit = node.rule_text
            tip = node.rule_text
        if findings:
            errors = [f for f in findings if f.severity == "error"]
            background = ERROR_BG if errors else WARNING_BG
            lines = [f.message for f in findings]
            tip = "\n".join(([tip] if tip else []) + lines)
        return display, edit, background, foreground, font, tip

    def _snapshot(self) -> dict[tuple[int, int], tuple]:
        findings = self._findings_by_cell()
        cells = {}
        for node in self.ev.walk():
            for col in range(len(HEADERS)):
                cells[(node.uid, col)] = self._cell(node, col, findings.get((node.uid, col)))
        return cells

    def data(self, index, role=Qt.DisplayRole):
        node = self.node(index)
        if node is None:
            return None
        cell = self._cells.get((node.uid, index.column()))
        if cell is None:
            cell = self._cells[(node.uid, index.column())] = self._cell(node, index.column(), None)
        display, edit, background, foreground, font, tip = cell
        if role == Qt.DisplayRole:
            return display
        if role == Qt.EditRole:
            return edit
        if role == Qt.BackgroundRole:
            return QBrush(background) if background is not None else None
        if role == Qt.ForegroundRole:
            return QBrush(foreground) if foreground is not None else None
        if role == Qt.FontRole:
            return font
        if role == Qt.ToolTipRole:
            return tip or None
        if role == Qt.TextAlignmentRole:
            if index.column() in (COL_WEIGHT, COL_SCORE):
                return int(Qt.AlignRight | Qt.AlignVCenter)
            if index.column() in (COL_METHOD, COL_TIER, COL_TARGET, COL_ACTUAL):
                return int(Qt.AlignCenter)
            return None
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.NoItemFlags
        base = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        if self.is_editable(index):
            base |= Qt.ItemIsEditable
        return base

    def is_editable(self, index: QModelIndex) -> bool:
        node = self.node(index)
        if node is None:
            return False
        col = index.column()
        if node.children:
            return col in (COL_NAME, COL_TARGET, COL_WEIGHT, COL_RULE)
        if col == COL_TIER:
            return node.method is Method.TIERS
        return True

    def setData(self, index, value, role=Qt.EditRole):
        """Validated edit through the undo stack; a malformed value raises ValueError."""
        if role != Qt.EditRole or not self.is_editable(index):
            return False
        node = self.node(index)
        field = COLUMN_FIELDS[index.column()]
        try:
            self.session.set_indicator_field(self.ev, node, field, value)
        except ValueError as exc:
            self.session.report_error(str(exc))
            return False
        return True

    # --- refresh after edits ------------------------------------------------------------------
    def refresh(self) -> None:
        """Emit dataChanged for exactly the cells whose content changed."""
        new = self._snapshot()
        old = self._cells
        self._cells = new
        changed_rows: dict[int, list[int]] = {}
        for key, cell in new.items():
            if old.get(key) != cell:
                changed_rows.setdefault(key[0], []).append(key[1])
        for uid, cols in changed_rows.items():
            node = self._nodes.get(uid)
            if node is None:
                continue
            cols.sort()
            # contiguous runs of columns
            start = prev = cols[0]
            for col in cols[1:] + [None]:
                if col is not None and col == prev + 1:
                    prev = col
                    continue
                self.dataChanged.emit(self.index_of(node, start), self.index_of(node, prev))
                if col is not None:
                    start = prev = col

    # --- structural edits (called by undo commands) -----------------------------------------------
    def insert_node(self, parent: Indicator | None, index: int, node: Indicator) -> None:
        from perfdesk import editing

        parent_index = self.index_of(parent) if parent is not None else QModelIndex()
        self.beginInsertRows(parent_index, index, index)
        editing.insert_indicator(self.ev, parent, index, node)
        self._rebuild_index()
        self.endInsertRows()

    def remove_node(self, node: Indicator) -> None:
        from perfdesk import editing

        parent = node.parent
        row = self._siblings(node).index(node)
        parent_index = self.index_of(parent) if parent is not None else QModelIndex()
        self.beginRemoveRows(parent_index, row, row)
        editing.delete_indicator(self.ev, node)
        self._rebuild_index()
        self.endRemoveRows()

    def move_node(self, node: Indicator, parent: Indicator | None, index: int) -> None:
        """Relocate ``node`` to ``parent`` at ``index`` (index counted after removal)."""
        from perfdesk import editing

        old_parent = node.parent
        old_row = self._siblings(node).index(node)
        dest_row = index
        if old_parent is parent and index > old_row:
            dest_row = index + 1
        src = self.index_of(old_parent) if old_parent is not None else QModelIndex()
        dst = self.index_of(parent) if parent is not None else QModelIndex()
        if old_parent is parent and dest_row in (old_row, old_row + 1):
            return
        ok = self.beginMoveRows(src, old_row, old_row, dst, dest_row)
        if not ok:  # pragma: no cover - guarded by editing's checks
            self.beginResetModel()
            editing.relocate_indicator(self.ev, node, parent, index)
            self._rebuild_index()
            self.endResetModel()
            return
        editing.relocate_indicator(self.ev, node, parent, index)
        self._rebuild_index()
        self.endMoveRows()

    def reset(self) -> None:
        self.beginResetModel()
        self._rebuild_index()
        self._cells = self._snapshot()
        self.endResetModel()
