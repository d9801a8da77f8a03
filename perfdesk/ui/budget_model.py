"""预算 / 资金: the budget of an evaluation as an editable table in 万元."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from perfdesk import ops
from perfdesk.model.amounts import format_wan
from perfdesk.model.budget_sums import shown_amounts
from perfdesk.model.document import (
    SOURCE_LABELS,
    SOURCE_PARENT,
    SOURCES,
    Amounts,
    Evaluation,
    EvaluationKind,
)
from perfdesk.model.layouts import LayoutError, layout_of
from perfdesk.scoring import format_rate, ratio
from perfdesk.ui.spreadsheet import set_cell
from perfdesk.ui.table_base import ERROR_BG, MUTED_FG, SECTION_BG, WARNING_BG, HeaderedTableModel

HEADERS = ["项目（万元）", "年初预算数", "全年预算数（A）", "全年执行数（B）", "执行率（B/A）"]
COLUMNS = list(Amounts.COLUMNS)


def tr(text: str) -> str:
    return QCoreApplication.translate("BudgetModel", text)


class BudgetModel(HeaderedTableModel):
    """Rows: 资金总额, (基本支出, 项目支出, project lines,) then the sources of funds.

    The sources are the funding rows of the evaluation's layout (``Layout.funding_rows``:
    财政资金 / 财政专户管理资金 / 单位资金 / 其他资金 on the 四川 form), in its order, and
    any other source the evaluation holds figures for (nothing entered is ever hidden).
    """

    HEADERS = HEADERS
    TR_CONTEXT = "BudgetModel"

    def __init__(self, session, ev: Evaluation, parent=None):
        super().__init__(parent)
        self.session = session
        self.ev = ev
        self._lines = len(ev.budget.project_lines)  # the mirror of the rows' structure
        self._rows = self._build_rows()
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)

    def _build_rows(self) -> list[tuple[str, str, str]]:
        """(label, path prefix, role) — role: total/nature/line/source/subsource."""
        rows = [(tr("资金总额"), "budget.total", "total")]
        if self.ev.kind is EvaluationKind.UNIT:
            rows.append((tr("　基本支出"), "budget.basic", "nature"))
            rows.append((tr("　项目支出"), "budget.project", "nature"))
            lines = self.ev.budget.project_lines
            for i in range(self._lines):
                name = lines[i].name if i < len(lines) else ""
                rows.append(("　　" + (name or tr("（未命名项目）")), f"budget.lines.{i}", "line"))
        keys = self.funding_keys()
        for key in keys:
            parent = SOURCE_PARENT[key]
            sub = parent is not None and parent in keys
            rows.append((("　　" if sub else "　") + tr(SOURCE_LABELS[key]), f"budget.sources.{key}",
                         "subsource" if sub else "source"))
        return rows

    def funding_keys(self) -> list[str]:
        """The sources shown: the layout's funding rows, then others that hold figures (in SOURCES order)."""
        try:
            shown = list(layout_of(self.ev.layout, self.ev.kind.value).funding_rows)
        except LayoutError:
            shown = [key for key, _, _ in SOURCES]
        held = {key for key, amounts in self.ev.budget.sources.items() if not amounts.is_empty()}
        return shown + [key for key, _, _ in SOURCES if key in held and key not in shown]

    def row_info(self, row: int) -> tuple[str, str, str]:
        return self._rows[row]

    def row_of_prefix(self, prefix: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r[1] == prefix), -1)

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self._rows)

    def _amounts(self, prefix: str) -> Amounts:
        parts = prefix.split(".")[1:]
        budget = self.ev.budget
        if parts[0] == "lines":
            i = int(parts[1])
            return budget.project_lines[i].amounts if i < len(budget.project_lines) else Amounts()
        if parts[0] == "sources":
            return budget.sources.get(parts[1]) or Amounts()
        return getattr(budget, parts[0])

    def _shown(self, prefix: str):
        """(figures as shown, columns computed from the rows below) of a row."""
        parts = prefix.split(".")[1:]
        if parts[0] == "lines" and int(parts[1]) >= len(self.ev.budget.project_lines):
            return Amounts(), frozenset()
        return shown_amounts(self.ev.budget, parts[0], parts[1] if len(parts) > 1 else "")

    def _marked_cells(self) -> dict[tuple[int, int], tuple[bool, list[str]]]:
        """Cells a finding points at: (row, col) -> (is the stated figure, messages).

        The stated figure of a sum that does not hold is marked as the error; the
        figures it should be the sum of are marked as taking part. Nothing else.
        """
        marked: dict[tuple[int, int], tuple[bool, list[str]]] = {}
        rows = {prefix: row for row, (_, prefix, _role) in enumerate(self._rows)}
        for f in self.session.findings(self.ev):
            for n, cell in enumerate(f.place.cells()):
                prefix, _, column = cell.rpartition(".")
                if column not in COLUMNS or prefix not in rows:
                    continue
                key = (rows[prefix], COLUMNS.index(column) + 1)
                primary, messages = marked.get(key, (False, []))
                marked[key] = (primary or n == 0, messages + [f.message])
        return marked

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        label, prefix, kind = self._rows[index.row()]
        col = index.column()
        amounts = self._amounts(prefix)
        shown, computed = self._shown(prefix)
        column = COLUMNS[col - 1] if col in (1, 2, 3) else None
        if role in (Qt.DisplayRole, Qt.EditRole):
            if col == 0:
                if role == Qt.EditRole and kind == "line":
                    return self.ev.budget.project_lines[int(prefix.split(".")[2])].name
                return label
            if column is not None:
                if role == Qt.EditRole:  # what the officer typed (a computed sum is not typed)
                    return format_wan(getattr(amounts, column))
                return format_wan(getattr(shown, column), grouped=True)
            if col == 4:
                return format_rate(ratio(shown.spent, shown.annual_budget))
        if role == Qt.ForegroundRole and column in computed:
            return QBrush(MUTED_FG)
        if role == Qt.FontRole and column in computed:
            return self._italic
        if role == Qt.BackgroundRole:
            mark = self._marked_cells().get((index.row(), col))
            if mark is not None:
                return QBrush(ERROR_BG if mark[0] else WARNING_BG)
            if col == 4 or kind == "total":
                return QBrush(SECTION_BG)
        if role == Qt.FontRole and kind == "total":
            return self._bold
        if role == Qt.TextAlignmentRole and col > 0:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.ToolTipRole:
            mark = self._marked_cells().get((index.row(), col))
            if mark is not None:
                return "\n".join(mark[1])
            if column in computed:
                return tr("未填写，按其中各项合计显示（打印时同样按合计打印）")
            return None
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.NoItemFlags
        flags = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        kind = self._rows[index.row()][2]
        if self.session.doc.final:  # 定稿: read only
            return flags
        if index.column() in (1, 2, 3) or (index.column() == 0 and kind == "line"):
            flags |= Qt.ItemIsEditable
        return flags

    def field_path(self, index: QModelIndex) -> str | None:
        if not index.isValid():
            return None
        prefix = self._rows[index.row()][1]
        if index.column() == 0:
            return prefix + ".name" if self._rows[index.row()][2] == "line" else None
        if index.column() in (1, 2, 3):
            return f"{prefix}.{COLUMNS[index.column() - 1]}"
        return None

    def operation_for(self, index: QModelIndex, value):
        if not (self.flags(index) & Qt.ItemIsEditable):
            return None
        return ops.SetEvaluationField(self.ev.uid, self.field_path(index), value)

    def setData(self, index, value, role=Qt.EditRole):
        return role == Qt.EditRole and set_cell(self, index, value)

    def refresh(self) -> None:
        """Emit dataChanged for the whole table (amounts, rates and marks are cheap to redraw)."""
        rows = self._build_rows()  # line names
        if [r[1:] for r in rows] != [r[1:] for r in self._rows]:
            # a source outside the layout's funding rows got figures (an import): one more row
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
            return
        self._rows = rows
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(HEADERS) - 1))

    def apply_row_edit(self, edit) -> None:
        """A 项目支出 line was inserted or removed (perfdesk.ops.RowEdit): move the rows below."""
        first_line = self.row_of_prefix("budget.project") + 1
        row = first_line + edit.index
        if edit.kind == "insert":
            self.beginInsertRows(QModelIndex(), row, row)
            self._lines += 1
            self._rows = self._build_rows()
            self.endInsertRows()
        else:
            self.beginRemoveRows(QModelIndex(), row, row)
            self._lines -= 1
            self._rows = self._build_rows()
            self.endRemoveRows()
