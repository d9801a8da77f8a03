"""绩效指标: the indicator tree with its structural commands, and 晋中's target rows."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
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
from perfdesk.scoring import format_rate, format_score, no_grade_reason
from perfdesk.model.values import COMPARISONS
from perfdesk.ui.indicator_model import (
    ADJUSTED_COLUMNS,
    COLUMN_FIELDS,
    FIELD_COLUMNS,
    COL_ACTUAL,
    COL_COMPARISON,
    COL_DEVIATION,
    COL_INITIAL,
    COL_METHOD,
    COL_NAME,
    COL_REASON,
    COL_RULE,
    COL_SCORE,
    COL_TARGET,
    COL_TIER,
    COL_UNIT,
    COL_WEIGHT,
)
from perfdesk.ui.spreadsheet import (
    SpreadsheetKeys,
    SpreadsheetTable,
    apply_cells,
    cell_data,
    clipboard_lines,
    spreadsheet_keys,
)


def tr(text: str) -> str:
    return QCoreApplication.translate("editors", text)



# 指标性质 in the order the forms list them; "" is 未填 (the method then reads the target)
COMPARISON_CHOICES = ("≥", "≤", "=", ">", "<", "定性", "")


class IndicatorDelegate(QStyledItemDelegate):
    """Combo boxes for the method, the tier and 指标性质 (which also takes “>=”, “大于等于” typed); line edits elsewhere."""

    def createEditor(self, parent, option, index):
        col = index.column()
        if col == COL_COMPARISON:
            combo = QComboBox(parent)
            combo.setEditable(True)  # typed text is parsed by the operation (“>=” → “≥”)
            combo.setInsertPolicy(QComboBox.NoInsert)
            combo.addItems(list(COMPARISON_CHOICES))
            combo.setToolTip(tr("≥/>：正向；≤/<：反向；=：等于；定性：三档"))
            return combo
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
            if editor.isEditable():
                editor.lineEdit().selectAll()  # typing replaces the value, as in a line edit
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor, model, index):
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.EditRole)
            return
        super().setModelData(editor, model, index)


class IndicatorView(SpreadsheetKeys, QTreeView):
    """The indicator tree with the keys of a sheet (perfdesk.ui.spreadsheet.SpreadsheetKeys)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        spreadsheet_keys(self)
        self.setUniformRowHeights(True)
        self.setTabKeyNavigation(True)
        self.setAllColumnsShowFocus(True)
        self.setItemDelegate(IndicatorDelegate(self))
        self.setIndentation(16)

    def copy_cell(self) -> None:
        self.copy_selection()

    def paste(self, text: str) -> int:
        """A block copied from Excel/WPS or a Word table, mapped to the indicators' fields:
        by its header row when it has one (年度指标值 / 实际完成值 / 分值 / 得分 …), else in the
        column order of the paper form being shown (the screen's own order otherwise), from the
        current cell; rows go down the rows shown. One undo step, applied whole or not at all."""
        start = self.currentIndex()
        if not start.isValid() or not text:
            return 0
        model = self.model()
        lines = clipboard_lines(text)
        fields = header_fields(lines[0].split("\t"))
        if fields is not None:
            lines = lines[1:]
        else:
            fields = paper_fields(model.ev, COLUMN_FIELDS[start.column()])
        if fields is None:
            return super().paste(text)  # a cell the paper form has no column for: the screen's order
        cells = []
        row_index = start.siblingAtColumn(0)
        for line in lines:
            if not row_index.isValid():
                break
            for field, cell in zip(fields, line.split("\t")):
                if field is None:
                    continue
                target = row_index.siblingAtColumn(FIELD_COLUMNS[field])
                if self._editable(target):
                    cells.append((target, cell.strip()))
            row_index = self._row_below(row_index)
        return apply_cells(model, cells)


_ROLE_FIELDS = {"name": "name", "target": "target", "actual": "actual", "weight": "weight", "score": "score",
                "deviation": "deviation_note", "nature": "comparison", "unit": "unit", "rule": "rule_text",
                "adjusted_target": "target", "initial_target": "initial_target", "reason": "adjust_reason"}


def header_fields(cells: list[str]) -> list[str | None] | None:
    """The fields a copied header row names, or None when the row is not a header."""
    from perfdesk.exchange.vocabulary import column_role

    fields = [_ROLE_FIELDS.get(column_role(cell.strip()) or "") for cell in cells]
    named = [f for f in fields if f is not None]
    return fields if len(named) >= 2 and len(set(named)) == len(named) else None


def paper_fields(ev: Evaluation, field: str) -> list[str] | None:
    """The paper form's columns from ``field`` on (perfdesk.model.layouts.Layout.indicator_columns)."""
    columns = list(layout_of(ev.layout, ev.kind.value).indicator_columns())
    return columns[columns.index(field):] if field in columns else None


COLUMN_WIDTHS = {COL_NAME: 230, COL_COMPARISON: 64, COL_INITIAL: 96, COL_TARGET: 104, COL_UNIT: 68,
                 COL_REASON: 120, COL_WEIGHT: 60, COL_METHOD: 136, COL_ACTUAL: 110, COL_TIER: 76, COL_SCORE: 64,
                 COL_DEVIATION: 240, COL_RULE: 320}
assert set(COMPARISON_CHOICES) == set(COMPARISONS)


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
        # 年初指标值 / 调整原因: shown when a target was adjusted, or asked for in the header's menu
        self.adjusted_choice: bool | None = None  # None: shown exactly when some target was adjusted
        self.show_initial_action = QAction(tr("显示年初指标值"), self.view)
        self.show_initial_action.setCheckable(True)
        self.show_initial_action.toggled.connect(self._initial_toggled)
        header.setContextMenuPolicy(Qt.ActionsContextMenu)
        header.addAction(self.show_initial_action)
        self._update_adjusted_columns()
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

    def _initial_toggled(self, checked: bool) -> None:
        if checked != self.adjusted_visible():
            self.adjusted_choice = checked
        self._update_adjusted_columns()

    def adjusted_visible(self) -> bool:
        if self.adjusted_choice is not None:
            return self.adjusted_choice
        return self.model.any_adjusted()

    def _update_adjusted_columns(self) -> None:
        shown = self.adjusted_visible()
        for col in ADJUSTED_COLUMNS:
            if self.view.isColumnHidden(col) == shown:
                self.view.setColumnHidden(col, not shown)
                if shown:
                    self.view.setColumnWidth(col, COLUMN_WIDTHS[col])
        self.model.set_adjusted_shown(shown)
        if self.show_initial_action.isChecked() != shown:
            self.show_initial_action.blockSignals(True)
            self.show_initial_action.setChecked(shown)
            self.show_initial_action.blockSignals(False)

    def refresh(self) -> None:
        self._update_adjusted_columns()
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
        if draft is not None:
            parts.append(tr("<b>草稿</b>（%1）").replace("%1", tr(draft.summary())))
        elif why := no_grade_reason(score.weight_total, score.total):
            parts.append(tr("<b>等级 —</b>（%1）").replace("%1", tr(why)))
        else:
            parts.append(tr("<b>等级 %1</b>").replace("%1", score.grade))
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
        # a level-3 indicator is scored as its 指标性质 says, until the officer picks a method
        new = Indicator(name=tr("新指标"), method=Method.AUTO if level == 3 else Method.MANUAL)
        self._insert(parent, index, new, tr("插入指标"))

    def insert_child(self) -> None:
        node = self.current_node()
        if node is None:
            self.insert_sibling()
            return
        new = Indicator(name=tr("新指标"), method=Method.AUTO if node.level == 2 else Method.MANUAL)
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
        leaves = [n for op in operations for n in op.node.walk() if not n.children]
        if len(leaves) > 1 and not self._confirm_paste(operations, leaves):
            return 0
        if not self.session.try_apply(ops.batch(operations, tr("粘贴指标"))):
            return 0
        return len(leaves)

    def _confirm_paste(self, operations: list, leaves: list) -> bool:
        """The preview of a paste that adds several rows: where they go and what the weights become."""
        from decimal import Decimal

        from perfdesk.ui import dialogs

        added = sum((n.weight or Decimal(0) for n in leaves), Decimal(0))
        score = self.session.score(self.ev)
        after = score.weight_total + added
        merged: dict[str, int] = {}
        new_groups = 0
        for op in operations:
            if op.parent is None:
                new_groups += 1
            else:
                parent = self.ev.find(op.parent)
                name = parent.path() if parent is not None else ""
                merged[name] = merged.get(name, 0) + sum(1 for n in op.node.walk() if not n.children)
        lines = [tr("将添加 %1 项三级指标，分值合计 %2。").replace("%1", str(len(leaves)))
                 .replace("%2", format_score(added))]
        for name, count in merged.items():
            lines.append(tr("　并入已有的“%1”：%2 项").replace("%1", name).replace("%2", str(count)))
        if new_groups:
            lines.append(tr("　作为新的一级指标：%1 组").replace("%1", str(new_groups)))
        lines.append(tr("粘贴后本表分值合计为 %1%2。").replace("%1", format_score(after)).replace(
            "%2", "" if after == 100 else tr("（不是 100，请核对）")))
        lines.append(tr("是否粘贴？（可撤销）"))
        return dialogs.ask_yes_no(self, "\n".join(lines), tr("粘贴为指标"))

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

