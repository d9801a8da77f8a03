"""绩效指标: the indicator tree with its structural commands, and 晋中's target rows."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSplitter,
    QStyledItemDelegate,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from perfdesk import ops
from perfdesk.checks.draft import draft_state
from perfdesk.model.document import Evaluation, Indicator, Method, Tier
from perfdesk.model.layouts import layout_of
from perfdesk.scoring import format_rate, format_score
from perfdesk.ui.indicator_model import (
    COL_ACTUAL,
    COL_DEVIATION,
    COL_METHOD,
    COL_NAME,
    COL_RULE,
    COL_SCORE,
    COL_TARGET,
    COL_TIER,
    COL_WEIGHT,
)
from perfdesk.ui.spreadsheet import (
    SpreadsheetTable,
    apply_cells,
    cell_data,
    clipboard_lines,
    input_method_starts_editing,
    spreadsheet_keys,
)


def tr(text: str) -> str:
    return QCoreApplication.translate("editors", text)



class IndicatorDelegate(QStyledItemDelegate):
    """Combo boxes for the method and the tier; line edits elsewhere."""

    def createEditor(self, parent, option, index):
        col = index.column()
        if col == COL_METHOD:
            combo = QComboBox(parent)
            combo.addItems([m.label for m in Method])
            return combo
        if col == COL_TIER:
            combo = QComboBox(parent)
            combo.addItems([""] + [t.label for t in Tier])
            return combo
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor, index):
        if isinstance(editor, QComboBox):
            editor.setCurrentText(cell_data(index, Qt.EditRole) or "")
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor, model, index):
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.EditRole)
            return
        super().setModelData(editor, model, index)


class IndicatorView(QTreeView):
    """The indicator tree with spreadsheet keys (Enter/Tab move on, typing edits, F2)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        spreadsheet_keys(self)
        self.setUniformRowHeights(True)
        self.setTabKeyNavigation(True)
        self.setAllColumnsShowFocus(True)
        self.setItemDelegate(IndicatorDelegate(self))
        self.setIndentation(16)

    def inputMethodEvent(self, event):
        if not input_method_starts_editing(self, event):
            super().inputMethodEvent(event)

    def _editable(self, index: QModelIndex) -> bool:
        return index.isValid() and bool(index.flags() & Qt.ItemIsEditable)

    def _next_cell(self, index: QModelIndex, forward: bool = True) -> QModelIndex:
        model = self.model()
        cols = model.columnCount()
        row_index, col = index.siblingAtColumn(0), index.column()
        while True:
            col += 1 if forward else -1
            if col >= cols or col < 0:
                row_index = self.indexBelow(row_index) if forward else self.indexAbove(row_index)
                if not row_index.isValid():
                    return QModelIndex()
                col = 0 if forward else cols - 1
            candidate = row_index.siblingAtColumn(col)
            if self._editable(candidate) and not self.isColumnHidden(col):
                return candidate

    def _cell_below(self, index: QModelIndex) -> QModelIndex:
        row_index = index.siblingAtColumn(0)
        while True:
            row_index = self.indexBelow(row_index)
            if not row_index.isValid():
                return QModelIndex()
            candidate = row_index.siblingAtColumn(index.column())
            if self._editable(candidate):
                return candidate

    def _go(self, target: QModelIndex, edit: bool = False):
        if target.isValid():
            self.setCurrentIndex(target)
            self.scrollTo(target)
            if edit:
                self.edit(target)

    def keyPressEvent(self, event):
        editing_now = self.state() == QAbstractItemView.EditingState
        key = event.key()
        if not editing_now and key in (Qt.Key_Return, Qt.Key_Enter):
            self._go(self._cell_below(self.currentIndex()))
            return
        if not editing_now and key == Qt.Key_Tab:
            self._go(self._next_cell(self.currentIndex(), True))
            return
        if not editing_now and key == Qt.Key_Backtab:
            self._go(self._next_cell(self.currentIndex(), False))
            return
        if not editing_now and key == Qt.Key_Delete and self._editable(self.currentIndex()):
            self.model().setData(self.currentIndex(), "", Qt.EditRole)
            return
        if not editing_now and event.matches(QKeySequence.Copy):
            self.copy_cell()
            return
        if not editing_now and event.matches(QKeySequence.Paste):
            self.paste(QGuiApplication.clipboard().text())
            return
        super().keyPressEvent(event)

    def copy_cell(self) -> None:
        index = self.currentIndex()
        if index.isValid():
            QGuiApplication.clipboard().setText(str(cell_data(index, Qt.EditRole) or ""))

    def paste(self, text: str) -> int:
        """Paste text from Excel/WPS: rows go down the visible rows, tabs go right. One undo step."""
        start = self.currentIndex()
        if not start.isValid() or not text:
            return 0
        cells = []
        row_index = start.siblingAtColumn(0)
        for line in clipboard_lines(text):
            if not row_index.isValid():
                break
            for offset, cell in enumerate(line.split("\t")):
                target = row_index.siblingAtColumn(start.column() + offset)
                if target.isValid() and self._editable(target):
                    cells.append((target, cell.strip()))
            row_index = self.indexBelow(row_index)
        return apply_cells(self.model(), cells)

    def closeEditor(self, editor, hint):
        if hint == QAbstractItemDelegate.SubmitModelCache:
            super().closeEditor(editor, QAbstractItemDelegate.NoHint)
            self._go(self._cell_below(self.currentIndex()))
            return
        if hint in (QAbstractItemDelegate.EditNextItem, QAbstractItemDelegate.EditPreviousItem):
            super().closeEditor(editor, QAbstractItemDelegate.NoHint)
            self._go(self._next_cell(self.currentIndex(), hint == QAbstractItemDelegate.EditNextItem), edit=True)
            return
        super().closeEditor(editor, hint)


COLUMN_WIDTHS = {COL_NAME: 280, COL_TARGET: 120, COL_WEIGHT: 76, COL_METHOD: 92, COL_ACTUAL: 120,
                 COL_TIER: 80, COL_SCORE: 72, COL_DEVIATION: 240, COL_RULE: 320}


class IndicatorTab(QWidget):
    def __init__(self, session, ev: Evaluation, parent=None):
        super().__init__(parent)
        self.session, self.ev = session, ev
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        self.buttons: dict[str, QToolButton] = {}
        for key, text, slot in (
            ("insert", tr("插入指标"), self.insert_sibling),
            ("insert_child", tr("插入下级"), self.insert_child),
            ("delete", tr("删除"), self.delete_current),
            ("up", tr("上移"), lambda: self.move_current(-1)),
            ("down", tr("下移"), lambda: self.move_current(1)),
            ("indent", tr("降级"), self.indent_current),
            ("outdent", tr("升级"), self.outdent_current),
        ):
            button = QToolButton(text=text)
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[key] = button
        self.template_button = QToolButton(text=tr("从模板插入分组"))
        self.template_button.setPopupMode(QToolButton.InstantPopup)
        self.template_menu = QMenu(self.template_button)
        self.template_menu.aboutToShow.connect(self._fill_template_menu)
        self.template_button.setMenu(self.template_menu)
        bar.addWidget(self.template_button)
        bar.addStretch(1)
        hint = QLabel(tr("回车/Tab 移到下一格，直接输入即可修改，F2 编辑；✎ 为手工填写的得分"))
        hint.setStyleSheet("color:#6b7280;")
        bar.addWidget(hint)
        layout.addLayout(bar)

        self.model = session.indicator_model(ev)
        self.view = IndicatorView()
        self.view.setModel(self.model)
        self.view.setContextMenuPolicy(Qt.ActionsContextMenu)
        for key in ("insert", "insert_child", "delete", "up", "down", "indent", "outdent"):
            action = QAction(self.buttons[key].text(), self.view)
            action.triggered.connect(self.buttons[key].click)
            self.view.addAction(action)
        paste_action = QAction(tr("粘贴为指标（从 Excel/WPS/Word 复制的指标表）"), self.view)
        paste_action.triggered.connect(lambda: self.paste_indicators())
        self.view.addAction(paste_action)
        header = self.view.header()
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignCenter)
        for col, width in COLUMN_WIDTHS.items():
            self.view.setColumnWidth(col, width)
        has_dev = layout_of(ev.layout, ev.kind.value).has_deviation_column
        if not has_dev and not any(n.deviation_note for n in ev.walk()):
            self.view.setColumnWidth(COL_DEVIATION, 160)
        self.view.expandAll()
        self.model.rowsInserted.connect(self._rows_inserted)
        self.target_rows = None
        if ev.target_rows or layout_of(ev.layout, ev.kind.value).has_target_rows:
            splitter = QSplitter(Qt.Vertical)
            box = QGroupBox(tr("绩效目标实现情况"))
            box_layout = QVBoxLayout(box)
            row_bar = QHBoxLayout()
            add_row = QToolButton(text=tr("添加目标行"))
            add_row.clicked.connect(self.add_target_row)
            delete_row = QToolButton(text=tr("删除目标行"))
            delete_row.clicked.connect(self.delete_target_row)
            row_bar.addWidget(add_row)
            row_bar.addWidget(delete_row)
            row_bar.addStretch(1)
            box_layout.addLayout(row_bar)
            self.target_rows_model = session.target_rows_model(ev)
            self.target_rows = SpreadsheetTable()
            self.target_rows.setModel(self.target_rows_model)
            self.target_rows.verticalHeader().setVisible(False)
            self.target_rows.horizontalHeader().setStretchLastSection(True)
            for col, width in enumerate((110, 110, 220, 130, 130, 120)):
                self.target_rows.setColumnWidth(col, width)
            box_layout.addWidget(self.target_rows)
            splitter.addWidget(box)
            scoring_box = QWidget()
            scoring_layout = QVBoxLayout(scoring_box)
            scoring_layout.setContentsMargins(0, 0, 0, 0)
            scoring_layout.addWidget(QLabel(tr("评分表")))
            scoring_layout.addWidget(self.view)
            splitter.addWidget(scoring_box)
            splitter.setStretchFactor(1, 3)
            splitter.setSizes([170, 480])
            layout.addWidget(splitter, 1)
        else:
            layout.addWidget(self.view, 1)

        self.totals = QLabel()
        self.totals.setObjectName("totals")
        self.totals.setTextFormat(Qt.RichText)
        self.totals.setStyleSheet("QLabel#totals { background:#eef2f7; border:1px solid #c9d1dc; padding:6px; }")
        layout.addWidget(self.totals)
        self.refresh()

    # --- helpers ---------------------------------------------------------------------------
    def _rows_inserted(self, parent, first, last) -> None:
        if parent.isValid():
            self.view.expand(parent)
        for row in range(first, last + 1):
            self.view.expandRecursively(self.model.index(row, 0, parent))

    def current_node(self) -> Indicator | None:
        return self.model.node(self.view.currentIndex())

    def select(self, node: Indicator, column: int = COL_NAME) -> None:
        index = self.model.index_of(node, column)
        if index.isValid():
            parent = index.parent()
            while parent.isValid():
                self.view.expand(parent)
                parent = parent.parent()
            self.view.setCurrentIndex(index)
            self.view.selectionModel().select(index, QItemSelectionModel.ClearAndSelect)
            self.view.scrollTo(index)
            self.view.setFocus()

    def add_target_row(self) -> None:
        index = len(self.ev.target_rows)
        if self.target_rows is not None and self.target_rows.currentIndex().isValid():
            index = self.target_rows.currentIndex().row() + 1
        if not self.session.try_apply(ops.InsertRow(self.ev.uid, "target_rows", index)):
            return
        self.target_rows.setCurrentIndex(self.target_rows_model.index(index, 2))

    def delete_target_row(self) -> None:
        current = self.target_rows.currentIndex() if self.target_rows is not None else QModelIndex()
        if not current.isValid():
            self.session.report_error(tr("请先选中要删除的目标行"))
            return
        self.session.try_apply(ops.RemoveRow(self.ev.uid, "target_rows", current.row()))

    def refresh(self) -> None:
        if self.target_rows is not None:
            self.target_rows_model.refresh()
        score = self.session.score(self.ev)
        findings = self.session.findings(self.ev)
        codes = {f.code for f in findings}
        red = "color:#b00020;font-weight:bold;"
        parts = []
        weight_style = red if "weight_total_not_100" in codes else ""
        parts.append(tr("分值合计 <span style='%1'>%2</span>").replace("%1", weight_style)
                     .replace("%2", format_score(score.weight_total)))
        parts.append(tr("指标得分 %1").replace("%1", format_score(score.indicator_total)))
        if self.ev.execution is not None:
            parts.append(tr("预算执行率得分 %1（执行率 %2）")
                         .replace("%1", format_score(score.execution_score) or "—")
                         .replace("%2", format_rate(score.execution_rate) or "—"))
        parts.append(tr("<b>总分 %1</b>").replace("%1", format_score(score.total)))
        draft = draft_state(self.ev)   # 草稿: what is still to fill in instead of a grade (issue 17)
        parts.append(tr("<b>草稿</b>（%1）").replace("%1", tr(draft.summary())) if draft is not None
                     else tr("<b>等级 %1</b>").replace("%1", score.grade))
        if self.ev.stated_total is not None:
            style = red if "total_mismatch" in codes else ""
            parts.append(tr("填报总分 <span style='%1'>%2</span>").replace("%1", style)
                         .replace("%2", format_score(self.ev.stated_total)))
        self.totals.setText("　｜　".join(parts))

    # --- structural edits (each one operation; the operations check the rules) ------------------
    def _uid(self, node: Indicator | None) -> int | None:
        return None if node is None else node.uid

    def _insert(self, parent: Indicator | None, index: int, node: Indicator, text: str) -> None:
        if self.session.try_apply(ops.InsertIndicator(self.ev.uid, self._uid(parent), index, node, text)):
            self.select(node)

    def insert_sibling(self) -> None:
        node = self.current_node()
        if node is None:
            parent, index = None, len(self.ev.indicators)
        else:
            parent, index = ops.position(self.ev, node)
            index += 1
        level = 1 if parent is None else parent.level + 1
        new = Indicator(name=tr("新指标"), method=Method.HIGHER if level == 3 else Method.MANUAL)
        self._insert(parent, index, new, tr("插入指标"))

    def insert_child(self) -> None:
        node = self.current_node()
        if node is None:
            self.insert_sibling()
            return
        new = Indicator(name=tr("新指标"), method=Method.HIGHER if node.level == 2 else Method.MANUAL)
        self._insert(node, len(node.children), new, tr("插入下级指标"))

    def delete_current(self, confirm: Callable[[str], bool] | None = None) -> None:
        node = self.current_node()
        if node is None:
            return
        if node.children:
            from perfdesk.ui import dialogs

            ask = confirm or (lambda msg: dialogs.ask_yes_no(self, msg))
            if not ask(tr("删除“%1”及其全部下级指标？").replace("%1", node.name)):
                return
        self.session.try_apply(ops.RemoveIndicator(self.ev.uid, node.uid))

    def _relocate(self, make) -> None:
        node = self.current_node()
        if node is None:
            return
        column = self.view.currentIndex().column()
        try:
            operation = make(self.session.doc, self.ev.uid, node.uid)
        except ops.OpError as exc:
            self.session.report_error(str(exc))
            return
        if self.session.try_apply(operation):
            self.select(node, column)

    def move_current(self, delta: int) -> None:
        self._relocate(lambda doc, ev_uid, uid: ops.move_up_down(doc, ev_uid, uid, delta))

    def indent_current(self) -> None:
        self._relocate(ops.indent)

    def outdent_current(self) -> None:
        self._relocate(ops.outdent)

    def paste_indicators(self, text: str | None = None, html: str | None = None) -> int:
        """粘贴为指标: rows copied from Excel/WPS/Word become indicators (one undo step).

        Groups whose names already exist receive the pasted children; the rest are appended.
        """
        if text is None and html is None:
            mime = QGuiApplication.clipboard().mimeData()
            text = mime.text() if mime is not None and mime.hasText() else None
            html = mime.html() if mime is not None and mime.hasHtml() else None
        from perfdesk.exchange.clipboard import ClipboardImportError, indicators_from_clipboard

        try:
            roots = indicators_from_clipboard(text, html, has_budget=not self.ev.budget.total.is_empty())
        except ClipboardImportError as exc:
            self.session.report_error(str(exc))
            return 0
        operations: list = []
        pending: dict[int | None, int] = {}  # rows this paste adds under a parent before they exist
        for root in roots:
            self._merge_into(None, root, operations, pending)
        if not operations:
            return 0
        if not self.session.try_apply(ops.batch(operations, tr("粘贴指标"))):
            return 0
        return sum(1 for op in operations for n in op.node.walk() if not n.children)

    def _merge_into(self, parent: Indicator | None, node: Indicator, operations: list, pending: dict) -> None:
        """Groups whose names already exist receive the pasted children; the rest are appended."""
        siblings = parent.children if parent is not None else self.ev.indicators
        same = next((s for s in siblings if s.name and s.name == node.name and s.children), None)
        if same is not None and node.children:
            for child in list(node.children):
                self._merge_into(same, child, operations, pending)
            return
        if node.parent is not None:
            node.parent.children.remove(node)
            node.parent = None
        key = self._uid(parent)
        index = len(siblings) + pending.get(key, 0)
        pending[key] = pending.get(key, 0) + 1
        operations.append(ops.InsertIndicator(self.ev.uid, key, index, node, tr("粘贴指标")))

    def _fill_template_menu(self) -> None:
        self.template_menu.clear()
        try:
            from perfdesk.templates import template_groups

            groups = template_groups(self.ev.template) if self.ev.template else []
        except Exception:  # noqa: BLE001 - a missing template only empties the menu
            groups = []
        if not groups:
            action = self.template_menu.addAction(tr("（此表没有对应的模板）"))
            action.setEnabled(False)
            return
        for i, group in enumerate(groups):
            weight = f"（{format_score(group.weight)}分）" if group.weight is not None else ""
            action = self.template_menu.addAction(tr("一级指标：%1").replace("%1", group.name + weight))
            action.triggered.connect(lambda checked=False, i=i: self.insert_template_group(i, None))
            for j, child in enumerate(group.children):
                w = f"（{format_score(child.weight)}分）" if child.weight is not None else ""
                action = self.template_menu.addAction("　　" + tr("二级指标：%1").replace("%1", f"{group.name} / {child.name}{w}"))
                action.triggered.connect(lambda checked=False, i=i, j=j: self.insert_template_group(i, j))

    def insert_template_group(self, level1: int, level2: int | None) -> None:
        from perfdesk.templates import template_groups

        groups = template_groups(self.ev.template)
        group = groups[level1]
        node = self.current_node()
        if level2 is None:
            top = node
            while top is not None and top.parent is not None:
                top = top.parent
            index = self.ev.indicators.index(top) + 1 if top is not None else len(self.ev.indicators)
            self._insert(None, index, group, tr("从模板插入“%1”").replace("%1", group.name))
            return
        child = group.children[level2]
        child.parent = None
        group.children.remove(child)
        # under the selected level-1 group, else under a level-1 group of the same name
        top = node
        while top is not None and top.parent is not None:
            top = top.parent
        if top is None:
            top = next((g for g in self.ev.indicators if g.name == group.name), None)
        if top is None:
            self.session.report_error(tr("请先选中要插入二级指标的一级指标"))
            return
        self._insert(top, len(top.children), child, tr("从模板插入“%1”").replace("%1", child.name))

