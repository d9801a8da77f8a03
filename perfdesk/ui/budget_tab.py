"""预算 / 资金: the budget table and the 预算执行率 line of an evaluation."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from perfdesk import ops
from perfdesk.model.document import Evaluation, EvaluationKind
from perfdesk.ops import fields
from perfdesk.scoring import format_rate, format_score
from perfdesk.ui.spreadsheet import FieldBinder, SpreadsheetTable


def tr(text: str) -> str:
    return QCoreApplication.translate("editors", text)


class BudgetTab(QWidget):
    def __init__(self, session, ev: Evaluation, parent=None):
        super().__init__(parent)
        self.session, self.ev = session, ev
        layout = QVBoxLayout(self)
        self.model = session.budget_model(ev)
        self.table = SpreadsheetTable()
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        for col in range(1, 5):
            header.setSectionResizeMode(col, QHeaderView.Interactive)
            self.table.setColumnWidth(col, 150)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        layout.addWidget(self.table, 1)
        self.binders: list[FieldBinder] = []
        if ev.kind is EvaluationKind.UNIT:
            buttons = QHBoxLayout()
            add = QToolButton(text=tr("添加项目行"))
            add.clicked.connect(self.add_line)
            remove = QToolButton(text=tr("删除项目行"))
            remove.clicked.connect(self.remove_line)
            buttons.addWidget(QLabel(tr("项目支出明细：")))
            buttons.addWidget(add)
            buttons.addWidget(remove)
            buttons.addStretch(1)
            layout.addLayout(buttons)
        self.execution_box = QGroupBox(tr("预算执行率（分值、执行率、得分）"))
        grid = QGridLayout(self.execution_box)
        self.weight_edit = QLineEdit()
        self.weight_edit.setObjectName("field:execution.weight")
        self.stated_rate_edit = QLineEdit()
        self.stated_rate_edit.setObjectName("field:execution.stated_rate")
        self.stated_score_edit = QLineEdit()
        self.stated_score_edit.setObjectName("field:execution.stated_score")
        self.rate_label = QLabel()
        self.score_label = QLabel()
        for w in (self.weight_edit, self.stated_rate_edit, self.stated_score_edit):
            w.setMaximumWidth(140)
        grid.addWidget(QLabel(tr("分值")), 0, 0)
        grid.addWidget(self.weight_edit, 0, 1)
        grid.addWidget(QLabel(tr("执行率（B/A，自动计算）")), 0, 2)
        grid.addWidget(self.rate_label, 0, 3)
        grid.addWidget(QLabel(tr("得分（自动计算）")), 0, 4)
        grid.addWidget(self.score_label, 0, 5)
        grid.addWidget(QLabel(tr("表上填报的执行率")), 1, 2)
        grid.addWidget(self.stated_rate_edit, 1, 3)
        grid.addWidget(QLabel(tr("表上填报的得分")), 1, 4)
        grid.addWidget(self.stated_score_edit, 1, 5)
        grid.setColumnStretch(6, 1)
        layout.addWidget(self.execution_box)

        def bind(edit, path, fmt):
            self.binders.append(FieldBinder(
                edit,
                lambda: "" if ev.execution is None else fmt(fields.get_evaluation_field(ev, path)),
                lambda text: session.set_evaluation_field(ev, path, text), session, self))

        bind(self.weight_edit, "execution.weight", format_score)
        bind(self.stated_rate_edit, "execution.stated_rate", format_rate)
        bind(self.stated_score_edit, "execution.stated_score", format_score)
        self.execution_box.setVisible(ev.execution is not None)
        self.refresh()

    def add_line(self):
        index = len(self.ev.budget.project_lines)
        cur = self.table.currentIndex()
        if cur.isValid():
            prefix = self.model.row_info(cur.row())[1]
            if prefix.startswith("budget.lines."):
                index = int(prefix.split(".")[2]) + 1
        if not self.session.try_apply(ops.InsertRow(self.ev.uid, "budget.lines", index)):
            return
        row = self.model.row_of_prefix(f"budget.lines.{index}")
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, 0))

    def remove_line(self):
        cur = self.table.currentIndex()
        prefix = self.model.row_info(cur.row())[1] if cur.isValid() else ""
        if not prefix.startswith("budget.lines."):
            self.session.report_error(tr("请先选中要删除的项目行"))
            return
        index = int(prefix.split(".")[2])
        self.session.try_apply(ops.RemoveRow(self.ev.uid, "budget.lines", index))

    def refresh(self):
        self.model.refresh()
        for binder in self.binders:
            binder.refresh()
        if self.ev.execution is not None:
            score = self.session.score(self.ev)
            self.rate_label.setText(format_rate(score.execution_rate) or tr("（缺全年预算数或执行数）"))
            self.score_label.setText(format_score(score.execution_computed))
            bad = {f.place.field for f in self.session.findings(self.ev)}
            self.stated_rate_edit.setStyleSheet(
                "background:#f8d0d0;" if "execution.stated_rate" in bad else "")
            self.stated_score_edit.setStyleSheet(
                "background:#fdebc8;" if "execution.stated_score" in bad else "")

    def commit(self):
        for binder in self.binders:
            binder.commit()
