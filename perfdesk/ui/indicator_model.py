"""A QAbstractItemModel over an evaluation's indicator tree (the model itself, no copy).

Rows are indicators (internalId = the indicator's uid); columns are those of the
paper forms. After every edit ``refresh()`` recomputes the cells' contents and
emits ``dataChanged`` for exactly those that changed (the edited cell, the
ancestors' sums, rows whose findings changed).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from perfdesk import ops
from perfdesk.model.document import Evaluation, Indicator, Method
from perfdesk.scoring import format_rate, format_score
from perfdesk.scoring.methods import effective_method
from perfdesk.ui.spreadsheet import set_cell
from perfdesk.ui.table_base import ERROR_BG, ERROR_FG, MUTED_FG, OVERRIDE_BG, WARNING_BG
from perfdesk.ui.table_base import SECTION_BG as GROUP_BG

(COL_NAME, COL_COMPARISON, COL_INITIAL, COL_TARGET, COL_UNIT, COL_REASON, COL_WEIGHT, COL_METHOD, COL_ACTUAL,
 COL_TIER, COL_SCORE, COL_DEVIATION, COL_RULE) = range(13)
COLUMN_FIELDS = ["name", "comparison", "initial_target", "target", "unit", "adjust_reason", "weight", "method",
                 "actual", "tier", "score", "deviation_note", "rule_text"]
FIELD_COLUMNS = {field: col for col, field in enumerate(COLUMN_FIELDS)}
HEADERS = ["指标", "指标性质", "年初指标值", "指标值", "计量单位", "调整原因", "分值", "评分方法", "实际完成值",
           "评价档次", "得分", "偏差原因分析及改进措施", "评分规则"]
# 年初指标值 and 调整原因: shown when a target of the form was adjusted (or asked for)
ADJUSTED_COLUMNS = (COL_INITIAL, COL_REASON)
ADJUSTED_TARGET_HEADER = "调整后指标值"


def is_adjusted(node: Indicator) -> bool:
    """Whether the target was adjusted during the year (it has a 年初指标值 or a 调整原因)."""
    return bool(node.initial_target.strip() or node.adjust_reason.strip())



def tr(text: str) -> str:
    return QCoreApplication.translate("IndicatorTreeModel", text)


class IndicatorTreeModel(QAbstractItemModel):
    """The indicator tree as Qt rows. It never changes the document.

    The model mirrors the tree's structure (child uids per parent uid) and serves rows
    from the mirror; after an operation it replays the operation's tree edits on the
    mirror between the begin/end row signals, so views keep their selection and
    expanded branches. Cell contents are snapshots, compared after each change.
    """

    def __init__(self, session, ev: Evaluation, parent=None):
        super().__init__(parent)
        self.session = session
        self.ev = ev
        self._nodes: dict[int, Indicator] = {}
        self._kids: dict[int | None, list[int]] = {}
        self._parent: dict[int, int | None] = {}
        self._cells: dict[tuple[int, int], tuple] = {}
        self.adjusted_shown = False  # the view shows 年初指标值 beside the target: 指标值 reads 调整后指标值
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)
        self._mirror_all()
        self._cells = self._snapshot()

    # --- the mirror of the tree's structure ---------------------------------------------
    def _mirror_all(self) -> None:
        self._nodes, self._kids, self._parent = {}, {None: [n.uid for n in self.ev.indicators]}, {}
        for root in self.ev.indicators:
            self._parent[root.uid] = None
            self._add_shape(tuple((n.uid, tuple(c.uid for c in n.children)) for n in root.walk()),
                            tuple(root.walk()))

    def _add_shape(self, shape, nodes) -> None:
        for node in nodes:
            self._nodes[node.uid] = node
        for uid, kids in shape:
            self._kids[uid] = list(kids)
            for kid in kids:
                self._parent[kid] = uid

    def _drop(self, uid: int) -> None:
        for kid in self._kids.pop(uid, []):
            self._drop(kid)
        self._nodes.pop(uid, None)
        self._parent.pop(uid, None)

    def node(self, index: QModelIndex) -> Indicator | None:
        if not index.isValid():
            return None
        return self._nodes.get(index.internalId())

    def _row_of(self, uid: int) -> int:
        return self._kids[self._parent[uid]].index(uid)

    def _index_of_uid(self, uid: int | None, column: int = 0) -> QModelIndex:
        if uid is None or uid not in self._parent:
            return QModelIndex()
        return self.createIndex(self._row_of(uid), column, uid)

    def index_of(self, node: Indicator, column: int = 0) -> QModelIndex:
        if node is None:
            return QModelIndex()
        return self._index_of_uid(node.uid, column)

    def index(self, row, column, parent=QModelIndex()):
        if column < 0 or column >= len(HEADERS) or row < 0:
            return QModelIndex()
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        kids = self._kids.get(parent.internalId() if parent.isValid() else None, [])
        if row >= len(kids):
            return QModelIndex()
        return self.createIndex(row, column, kids[row])

    def parent(self, index=QModelIndex()):
        if not index.isValid():
            return QModelIndex()
        up = self._parent.get(index.internalId())
        return self._index_of_uid(up)

    def rowCount(self, parent=QModelIndex()):
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._kids.get(parent.internalId() if parent.isValid() else None, []))

    def columnCount(self, parent=QModelIndex()):
        return len(HEADERS)

    def apply_tree_edit(self, edit) -> None:
        """Replay one structural edit (perfdesk.ops.TreeEdit) on the mirror, with its row signals."""
        if edit.kind == "insert":
            shape, nodes = list(edit.shape), list(edit.nodes)  # read before the rows are announced
            self.beginInsertRows(self._index_of_uid(edit.parent), edit.index, edit.index)
            self._kids.setdefault(edit.parent, []).insert(edit.index, edit.node)
            self._parent[edit.node] = edit.parent
            self._add_shape(shape, nodes)
            self.endInsertRows()
        elif edit.kind == "remove":
            self.beginRemoveRows(self._index_of_uid(edit.parent), edit.index, edit.index)
            self._kids[edit.parent].pop(edit.index)
            self._drop(edit.node)
            self.endRemoveRows()
        elif edit.kind == "move":
            src, dst = self._index_of_uid(edit.old_parent), self._index_of_uid(edit.parent)
            dest_row = edit.index
            if edit.old_parent == edit.parent and edit.index > edit.old_index:
                dest_row += 1  # Qt counts the destination before the row leaves
            if not self.beginMoveRows(src, edit.old_index, edit.old_index, dst, dest_row):
                self.beginResetModel()  # pragma: no cover - operations only make valid moves
                self._mirror_all()
                self.endResetModel()
                return
            self._kids[edit.old_parent].pop(edit.old_index)
            self._kids.setdefault(edit.parent, []).insert(edit.index, edit.node)
            self._parent[edit.node] = edit.parent
            self.endMoveRows()
        for key in [k for k in self._cells if k[0] not in self._nodes]:
            del self._cells[key]

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and 0 <= section < len(HEADERS):
            if role == Qt.DisplayRole:
                if section == COL_TARGET and self.adjusted_shown:
                    return tr(ADJUSTED_TARGET_HEADER)
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

    def set_adjusted_shown(self, shown: bool) -> None:
        if shown != self.adjusted_shown:
            self.adjusted_shown = shown
            self.headerDataChanged.emit(Qt.Horizontal, COL_TARGET, COL_TARGET)

    def any_adjusted(self) -> bool:
        return any(is_adjusted(node) for node in self.ev.walk())

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
            if not node.children and is_adjusted(node):
                tip = "\n".join(filter(None, [
                    tip, tr("年初指标值：%1").replace("%1", node.initial_target or tr("（未填）")),
                    tr("调整原因：%1").replace("%1", node.adjust_reason) if node.adjust_reason else ""]))
        elif col == COL_COMPARISON:
            if not node.children:
                display = edit = node.comparison
        elif col == COL_UNIT:
            if not node.children:
                display = edit = node.unit
        elif col == COL_INITIAL:
            if not node.children:
                display = edit = node.initial_target
        elif col == COL_REASON:
            if not node.children:
                display = edit = node.adjust_reason
                tip = node.adjust_reason if len(node.adjust_reason) > 8 else ""
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
                if node.method is Method.AUTO:
                    resolved = s.method if s is not None and s.method is not None else effective_method(node)
                    display = tr("%1（按性质）").replace("%1", resolved.label)
                    tip = tr("评分方法随指标性质：%1").replace("%1", resolved.label)
        elif col == COL_ACTUAL:
            display = edit = node.actual
            tip = node.actual if len(node.actual) > 8 else ""
        elif col == COL_TIER:
            if not node.children and effective_method(node) is Method.TIERS:
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
                        tip = tr("按%1计算").replace("%1", (s.method or node.method).label)
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
            if index.column() in (COL_METHOD, COL_TIER, COL_TARGET, COL_ACTUAL, COL_COMPARISON, COL_UNIT,
                                  COL_INITIAL):
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
        if node is None or self.session.doc.final:  # 定稿: read only until the mark is taken off
            return False
        col = index.column()
        if node.children:
            return col in (COL_NAME, COL_TARGET, COL_WEIGHT, COL_RULE)
        if col == COL_TIER:  # 定性三档, or 按指标性质 with 指标性质 定性 (scoring.effective_method)
            return effective_method(node) is Method.TIERS
        return True

    def operation_for(self, index: QModelIndex, value):
        """The operation writing ``value`` into the cell at ``index`` (None: not editable)."""
        if not self.is_editable(index):
            return None
        field = COLUMN_FIELDS[index.column()]
        if field == "method" and not str(value).strip():
            return None  # a method cannot be emptied: clearing a range leaves it as it is
        return ops.SetIndicatorField(self.ev.uid, self.node(index).uid, field, value)

    def setData(self, index, value, role=Qt.EditRole):
        """A validated edit through the session (one undo step); a refusal is shown, not raised."""
        return role == Qt.EditRole and set_cell(self, index, value)

    def refresh(self) -> None:
        """Emit dataChanged for exactly the cells whose content changed (the structure is current)."""
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
